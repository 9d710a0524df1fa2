// Stage 3: the nodes. Each node carries a plain-text label (title and detail lines, escaped only
// when emitted), the workloads behind it and where clicking it goes. Kinds: the namespace's units,
// peers (workloads of other namespaces), group nodes (groups.ts), IP ranges, and the namespace
// boxes that the others are drawn in (subgraphOf: node id -> namespace, '' for outside).

import { type Family, familyMax, rangeToCidrs } from '../analysis/ipset';
import { inventoryOf } from '../analysis/inventory';
import { describeRequirement } from '../analysis/selectors';
import { NAME_LABEL, type Workload, type World } from '../analysis/world';
import type { ManifestDocument } from '../model/document';
import { objectLocation } from '../model/spans';
import type { DiagramContext, DrawContext } from './context';
import { clip } from './escape';
import type { GroupDef } from './groups';
import { fnv, slug } from './ids';
import type { DiagramLocation, DiagramNode, DiagramWorkload } from '../protocol/diagram';
import { isOpen } from './relations';
import { type Unit, unitClass } from './units';

/** Label keys shown on a node when no selector uses them (at most two of them). */
const WELL_KNOWN_LABELS = [
  'app.kubernetes.io/name',
  'app',
  'k8s-app',
  'app.kubernetes.io/component',
  'component',
  'tier',
  'role',
  'name',
];

export function location(uri: string, doc: ManifestDocument, s: number, e: number): DiagramLocation {
  return { uri, range: { start: doc.positionAt(s), end: doc.positionAt(e) } };
}

/** The nodes drawn so far, in drawing order, and the namespace box each one is in. */
export class NodeSet {
  readonly nodes = new Map<string, DiagramNode>();
  /** Node id -> the namespace whose box it is drawn in ('' = outside every box). */
  readonly subgraphOf = new Map<string, string>();
  /** Label keys that some policy's pod selectors use: the labels worth showing on a node. */
  readonly selectorKeys: ReadonlySet<string>;

  constructor(world: World) {
    this.selectorKeys = inventoryOf(world).memo('diagram:selectorKeys', () => selectorKeys(world));
  }

  /** Adds a node, drawn in the box of namespace `subgraph` ('' outside; undefined for a box). */
  add(n: DiagramNode, subgraph: string | undefined): void {
    this.nodes.set(n.id, n);
    if (subgraph !== undefined) this.subgraphOf.set(n.id, subgraph);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get(id: string): DiagramNode | undefined {
    return this.nodes.get(id);
  }
}

/** The label keys of every active policy's pod selectors (once per world). */
function selectorKeys(world: World): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const p of world.activePolicies) {
    for (const r of p.podSelector.reqs) keys.add(r.key);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind === 'pods' && peer.podSelector) for (const r of peer.podSelector.reqs) keys.add(r.key);
      }
    }
  }
  return keys;
}

/** Up to three `key=value` lines the workloads share: keys that selectors use first. */
function keyLabels(selectorKeys: ReadonlySet<string>, ws: readonly Workload[]): string[] {
  const first = ws[0].labels;
  const common = Object.keys(first)
    .filter((k) => ws.every((w) => w.labels[k] === first[k]))
    .sort();
  const picked = common.filter((k) => selectorKeys.has(k));
  for (const k of WELL_KNOWN_LABELS) {
    if (picked.length < 2 && common.includes(k) && !picked.includes(k)) picked.push(k);
  }
  const out = picked.slice(0, 3).map((k) => `${clip(k, 40)}=${clip(first[k], 40)}`);
  if (!out.length && common.length) out.push(`${clip(common[0], 40)}=${clip(first[common[0]], 40)}`);
  return out;
}

function workloadJson(w: Workload): DiagramWorkload {
  const src = w.sources[0];
  const out: DiagramWorkload = { namespace: w.namespace, name: w.name, kind: w.kind, labels: { ...w.labels } };
  if (src) out.location = objectLocation(src);
  return out;
}

/** "Deployment ×2, StatefulSet". */
function kindSummary(ws: readonly Workload[]): string {
  const counts = new Map<string, number>();
  for (const w of ws) counts.set(w.kind, (counts.get(w.kind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => (n > 1 ? `${k} ×${n}` : k))
    .join(', ');
}

/** "a, b" or "a, b +3". */
function namesTitle(ws: readonly Workload[]): string {
  const names = ws.map((w) => clip(w.name, 40));
  return names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
}

/** A node for workloads: its title, detail (kind or kind summary, key labels) and manifests. */
function workloadsNode(nodes: NodeSet, id: string, kind: 'workload' | 'peer', ws: readonly Workload[]): DiagramNode {
  return {
    id,
    kind,
    title: namesTitle(ws),
    detail: [
      ws.length > 1 ? `${ws.length} workloads · ${kindSummary(ws)}` : ws[0].kind,
      ...keyLabels(nodes.selectorKeys, ws),
    ],
    namespace: ws[0].namespace,
    workloads: ws.map(workloadJson),
    locations: ws
      .map((w) => (w.sources[0] ? objectLocation(w.sources[0]) : undefined))
      .filter((l): l is DiagramLocation => !!l),
  };
}

/** The node of a unit of the drawn namespace, with its open marks. */
export function drawUnit(ctx: DiagramContext, nodes: NodeSet, u: Unit): void {
  const c = unitClass(ctx, u);
  const openIn = isOpen(ctx.conn, c, 'Ingress');
  const openOut = isOpen(ctx.conn, c, 'Egress');
  const n = workloadsNode(nodes, u.id, 'workload', u.members);
  if (openIn || openOut) {
    n.detail.push(`open · ${[openIn ? 'ingress' : '', openOut ? 'egress' : ''].filter(Boolean).join(' + ')}`);
  }
  n.open = { ingress: openIn, egress: openOut };
  nodes.add(n, ctx.ns);
}

/** The node of peers (workloads of another namespace that share their arrows), in their box. */
export function drawPeer(ctx: DrawContext, ws: readonly Workload[]): string {
  const key = ws.map((w) => w.key).join('\u0000');
  const id = ctx.nodeIds.take(`x_${slug(ws[0].namespace)}_${slug(ws[0].name)}_${fnv(key)}`);
  ctx.nodes.add(workloadsNode(ctx.nodes, id, 'peer', ws), ws[0].namespace);
  namespaceNode(ctx.world, ctx.nodes, ws[0].namespace);
  return id;
}

function namespaceLocations(world: World, name: string): DiagramLocation[] {
  const d = world.namespaces.get(name)?.declared;
  return d ? [objectLocation(d)] : [];
}

/** The box of a namespace (a subgraph); its labels are what namespaceSelectors see. */
export function namespaceNode(world: World, nodes: NodeSet, name: string): string {
  const id = `ns_${slug(name)}_${fnv(name)}`;
  if (nodes.has(id)) return id;
  const labels = world.namespaces.get(name)?.labels ?? {};
  const shown = Object.keys(labels)
    .filter((k) => k !== NAME_LABEL)
    .sort()
    .slice(0, 2)
    .map((k) => `${clip(k, 40)}=${clip(labels[k], 40)}`);
  nodes.add(
    {
      id,
      kind: 'namespace',
      title: `namespace ${clip(name, 40)}`,
      detail: shown,
      namespace: name,
      workloads: [],
      locations: namespaceLocations(world, name),
    },
    undefined,
  );
  return id;
}

/** The node id of a group (fixed by what the group is). */
function groupNodeId(def: GroupDef): string {
  switch (def.kind) {
    case 'anywhere':
      return 'g_anywhere';
    case 'cluster':
      return 'g_cluster';
    case 'namespace':
      return `g_ns_${slug(def.namespace!)}_${fnv(def.namespace!)}`;
    case 'unmatched':
      return `g_none_${fnv(def.key)}`;
    case 'selector':
      return `g_sel_${fnv(def.selector!.key)}`;
  }
}

/** The label of a group node. */
function groupLabel(world: World, def: GroupDef): { title: string; detail: string[] } {
  switch (def.kind) {
    case 'anywhere':
      return { title: 'anywhere', detail: ['any pod or address'] };
    case 'cluster':
      return { title: 'any pod in the cluster', detail: [] };
    case 'namespace':
      return { title: `any pod in ${clip(def.namespace!, 48)}`, detail: [] };
    case 'unmatched': {
      const pods = def.pods!.reqs.map((r) => describeRequirement(r)).join(', ');
      const where =
        def.namespace !== undefined
          ? `in namespace ${clip(def.namespace, 48)}`
          : `in namespaces ${clip(def.selector!.reqs.map((r) => describeRequirement(r)).join(', '), 60)}`;
      return { title: `pods ${clip(pods, 60)}`, detail: [where, 'none in the workspace'] };
    }
    case 'selector': {
      const hit = inventoryOf(world)
        .namespacesMatching(def.selector!)
        .filter((n) => n.name)
        .map((n) => n.name)
        .sort();
      const detail = def.selector!.reqs.map((r) => clip(describeRequirement(r), 60));
      detail.push(
        hit.length
          ? `now ${clip(hit.slice(0, 3).join(', '), 60)}${hit.length > 3 ? ` +${hit.length - 3}` : ''}`
          : 'no namespace in the workspace matches',
      );
      return { title: 'any pod in namespaces', detail };
    }
  }
}

/** The node of a group; `at`: where clicking an `unmatched` group goes (the peers in the rules). */
export function groupNode(ctx: DrawContext, def: GroupDef, at: DiagramLocation[] = []): string {
  const id = groupNodeId(def);
  if (ctx.nodes.has(id)) return id;
  const namespace = def.kind === 'namespace' || def.kind === 'unmatched' ? def.namespace : undefined;
  const n: DiagramNode = {
    id,
    kind: 'group',
    group: def.kind,
    ...groupLabel(ctx.world, def),
    workloads: [],
    locations: def.kind === 'unmatched' ? at : namespace ? namespaceLocations(ctx.world, namespace) : [],
  };
  if (namespace) n.namespace = namespace;
  ctx.nodes.add(n, namespace ?? '');
  if (namespace) namespaceNode(ctx.world, ctx.nodes, namespace);
  return id;
}

/** Address ranges of both families, merged where adjacent. */
export interface AddressRanges {
  4: Array<[bigint, bigint]>;
  6: Array<[bigint, bigint]>;
}

/** The node of a set of external addresses (an id per set of ranges). */
export function addressNode(nodes: NodeSet, ranges: AddressRanges): string {
  const key = (f: 4 | 6): string => ranges[f].map(([a, b]) => `${a}-${b}`).join(',');
  const id = `ip_${fnv(`${key(4)}|${key(6)}`)}`;
  if (nodes.has(id)) return id;
  const v4 = ranges[4].length ? describeRanges(ranges[4], 4) : undefined;
  const v6 = ranges[6].length ? describeRanges(ranges[6], 6) : undefined;
  const lines = v4?.full && v6?.full ? ['any IP address'] : [v4?.text, v6?.text].filter((x): x is string => !!x);
  nodes.add(
    {
      id,
      kind: 'ip',
      title: clip(lines[0], 80),
      detail: lines.slice(1).map((l) => clip(l, 80)),
      workloads: [],
      locations: [],
    },
    '',
  );
  return id;
}

/** Lines describing a set of address ranges of one family. */
export function describeRanges(
  ranges: ReadonlyArray<readonly [bigint, bigint]>,
  f: Family,
): { full: boolean; text: string } {
  const max = familyMax(f);
  const total = max + 1n;
  let covered = 0n;
  for (const [lo, hi] of ranges) covered += hi - lo + 1n;
  const fam = f === 4 ? 'IPv4' : 'IPv6';
  if (covered === total) return { full: true, text: `any ${fam}` };
  const list = (rs: ReadonlyArray<readonly [bigint, bigint]>): string => {
    const cidrs = rs.flatMap(([lo, hi]) => rangeToCidrs(lo, hi, f));
    return cidrs.length > 6 ? `${cidrs.slice(0, 5).join(', ')} +${cidrs.length - 5} more` : cidrs.join(', ');
  };
  if (covered * 2n > total) {
    const holes: Array<[bigint, bigint]> = [];
    let next = 0n;
    for (const [lo, hi] of ranges) {
      if (lo > next) holes.push([next, lo - 1n]);
      next = hi + 1n;
    }
    if (next <= max) holes.push([next, max]);
    return { full: false, text: `any ${fam} except ${list(holes)}` };
  }
  return { full: false, text: list(ranges) };
}
