// The traffic diagram of one namespace as a Mermaid flowchart. A pure function of the engine's
// connectivity (connectivity.ts): nothing here re-evaluates all pairs; evaluate.ts only explains
// the arrows that are drawn.
//
// What is drawn (from the namespace's point of view):
// - its workloads as nodes, workloads with identical connectivity merged into one node;
// - peers outside it: workloads of other namespaces (a subgraph per namespace), IP ranges, and
//   group nodes where one rule allows a whole set: "anywhere" (no from/to list), "any pod in the
//   cluster" (namespaceSelector {}), "any pod in NS" (podSelector {} or a namespace by name), "any
//   pod in namespaces <selector>";
// - solid arrows in the direction connections are opened, labelled with ports: arrows to workloads
//   are actual connections (both ends agree); arrows to groups show what this namespace's rules
//   allow (the other side may still block);
// - a direction in which no policy isolates a workload is "open": one arrow from/to "anywhere"
//   ("all") and an orange dashed border; connections between two open ends are not drawn one by one;
// - optionally the dotted reverse of each arrow (replies).
//
// buildDiagram composes the stages, each in its own module:
//   namespace.ts   which namespace to draw (pickNamespace)
//   portSets.ts    the diagram's own port-set table (ids the stages compare)
//   relations.ts   1. the namespace's workload classes and their allowed relations
//   groups.ts      2. group arrows: peers that one rule allows as a whole, per class
//   units.ts          grouping: twin classes merged into the namespace's nodes; peer nodes
//   nodes.ts       3. the nodes (labels, workloads, click targets) and namespace boxes
//   arrows.ts      4. the arrow passes: open/group, internal, other namespaces, addresses
//   explain.ts        the rules behind an arrow (evaluate.ts on representatives)
//   edges.ts       5. one arrow per pair, collapsing to "any pod in NS", ids, replies
//   emit.ts        6. the Mermaid text (escape.ts escapes every label; ids.ts makes the ids)
//   summary.ts     7. messages and stats
// context.ts holds the objects the stages share.

import { computeConnectivity, type Connectivity } from '../analysis/connectivity';
import { inventoryOf } from '../analysis/inventory';
import type { World } from '../analysis/world';
import { drawAddressArrows, drawInternalArrows, drawOpenAndGroupArrows, drawPeerArrows } from './arrows';
import { diagramContext, type DrawContext } from './context';
import { collapseNamespaceArrows, EdgeSet, finishEdges } from './edges';
import { emitMermaid } from './emit';
import { Explainer } from './explain';
import type { DiagramParams, DiagramResult } from '../protocol/diagram';
import { pickNamespace } from './namespace';
import { drawUnit, namespaceNode, NodeSet } from './nodes';
import { diagramStats, namespaceMessages, policyCounts } from './summary';
import { drawDeniedArrows } from './tierArrows';
import { buildUnits } from './units';

export { escapeMermaid } from './escape';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

const npOnlyMemo = new WeakMap<World, Connectivity>();

/** The connectivity of NetworkPolicies alone (docs/semantics.md D.3 without the admin tiers), per world. */
function networkPoliciesOnly(world: World): Connectivity {
  let c = npOnlyMemo.get(world);
  if (!c) npOnlyMemo.set(world, (c = computeConnectivity(world, { tiers: false })));
  return c;
}

/**
 * Builds the diagram of one namespace. Pure; never throws on any world. `conn` is the effective
 * connectivity; with `tiers: 'networkpolicies'` the diagram shows NetworkPolicies alone.
 */
export function buildDiagram(world: World, effective: Connectivity, params: DiagramParams = {}): DiagramResult {
  inventoryOf(world); // built (and memoised per world) before the clock starts
  const npView = params.tiers === 'networkpolicies' && effective.tiers;
  const conn = npView ? networkPoliciesOnly(world) : effective;
  const npOnly = !npView && effective.tiers ? networkPoliciesOnly(world) : undefined;
  const t0 = now();
  const namespaces = [...world.namespaces.keys()].filter((n) => n !== '').sort();
  const { ns, note } = pickNamespace(world, namespaces, params);
  const base = diagramContext(world, conn, ns, params.merge !== false);
  const units = buildUnits(base);
  const nodes = new NodeSet(world);
  for (const u of units.list) drawUnit(base, nodes, u);
  if (ns) namespaceNode(world, nodes, ns);

  const ctx: DrawContext = {
    ...base,
    units,
    nodes,
    edges: new EdgeSet(),
    explain: new Explainer(world, conn, base.ports),
    ...(npOnly ? { npOnly } : {}),
  };
  drawOpenAndGroupArrows(ctx);
  drawInternalArrows(ctx);
  drawPeerArrows(ctx);
  drawAddressArrows(ctx);
  drawDeniedArrows(ctx);
  ctx.edges.explainAll();
  collapseNamespaceArrows(ctx);
  const { edges, replies } = finishEdges(ctx.edges, !!params.showReplies);

  const policies = policyCounts(world, ns);
  const messages = [...(note ? [note] : []), ...namespaceMessages(ns, units.list.length, policies)];
  const result: DiagramResult = {
    namespace: ns,
    namespaces,
    mermaid: emitMermaid(ns, nodes.nodes, nodes.subgraphOf, edges),
    nodes: Object.fromEntries(nodes.nodes),
    edges: Object.fromEntries(edges),
    stats: diagramStats({
      workloads: base.classes.inNamespace.reduce((n, c) => n + conn.classes[c].length, 0),
      policies,
      nodes: nodes.nodes.size,
      edges: edges.size,
      replies,
      unitSizes: units.list.map((u) => u.members.length),
      ms: now() - t0,
    }),
  };
  if (messages.length) result.message = messages.join(' ');
  return result;
}
