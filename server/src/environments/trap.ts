// NPX10: a Kustomize LabelTransformer (`labels` with `includeSelectors: true`, or `commonLabels`)
// adds its labels to NetworkPolicy selectors, peers included. A peer that then selects pods the
// kustomization does not label (DNS in kube-system, monitoring, another team's namespace) is cut
// off without anything in the files saying so. Reported on the peer's matchLabels in the source
// document, naming the environment and the kustomization, when the peer reaches other namespaces
// and no workload there carries the labels, or when a workload it matched as written no longer
// matches.

import type { World } from '../analysis/world';
import { compileSelector, makeSelector, matches } from '../analysis/selectors';
import { get, type PNode, str } from '../model/tree';
import {
  addedLabels,
  type MapContext,
  type PlacedFinding,
  sourceOfRendered,
  transformationLocation,
  trimmed,
} from './mapBack';
import { nodeAtPath } from './paths';

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The namespace a namespaceSelector names by kubernetes.io/metadata.name only, if that is all it says. */
function onlyNamespace(sel: PNode | undefined): string | undefined {
  const ml = get(sel, 'matchLabels');
  if (!sel || sel.t !== 'map' || sel.entries.length !== 1 || !ml || ml.t !== 'map' || ml.entries.length !== 1) {
    return undefined;
  }
  return str(get(ml, 'kubernetes.io/metadata.name'));
}

interface Peer {
  readonly path: (string | number)[];
  readonly node: PNode;
}

function peersOf(spec: PNode | undefined): Peer[] {
  const out: Peer[] = [];
  for (const [dir, key] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = get(spec, dir);
    if (!rules || rules.t !== 'seq') continue;
    rules.items.forEach((rule, r) => {
      const peers = get(rule, key);
      if (!peers || peers.t !== 'seq') return;
      peers.items.forEach((node, p) => out.push({ path: ['spec', dir, r, key, p], node }));
    });
  }
  return out;
}

/** Why the added labels cut the peer off in this world, or undefined when they do not. */
function harm(world: World, ns: string, peer: PNode, added: Readonly<Record<string, string>>): string | undefined {
  const podSel = compileSelector(get(peer, 'podSelector'));
  if (!podSel) return undefined;
  const nsNode = get(peer, 'namespaceSelector');
  if (nsNode !== undefined && onlyNamespace(nsNode) !== ns) {
    const nsSel = compileSelector(nsNode);
    const elsewhere = world.workloads.some(
      (w) =>
        w.namespace !== ns &&
        (!nsSel || matches(nsSel, world.namespaces.get(w.namespace)?.labels ?? {})) &&
        matches(podSel, w.labels),
    );
    if (elsewhere) return undefined;
    const named = onlyNamespace(nsNode);
    return `pods in ${named ? `namespace ${named}` : 'other namespaces'} are not labelled by this kustomization (no workload of the environment there carries the labels)`;
  }
  // the same namespace: workloads the peer matches as written and no longer matches
  const asWritten = makeSelector(
    podSel.reqs.filter((r) => !(r.op === 'In' && r.values.length === 1 && added[r.key] === r.values[0])),
  );
  const lost = world.workloads.filter(
    (w) => w.namespace === ns && matches(asWritten, w.labels) && !matches(podSel, w.labels),
  );
  if (!lost.length) return undefined;
  const names = lost.slice(0, 3).map((w) => w.key);
  return `${names.join(', ')}${lost.length > 3 ? ` and ${lost.length - 3} more` : ''} no longer match${lost.length === 1 ? 'es' : ''}`;
}

/** NPX10 findings of one rendered environment (messages without the environment prefix). */
export function selectorTraps(ctx: MapContext, world: World): PlacedFinding[] {
  const out: PlacedFinding[] = [];
  ctx.rendered.documents.forEach((doc, i) => {
    const root = doc.tree;
    if (!root || str(get(root, 'kind')) !== 'NetworkPolicy') return;
    const labelers = (ctx.origins[i]?.transformations ?? []).filter((t) => t.kind === 'LabelTransformer');
    if (!labelers.length) return;
    const src = sourceOfRendered(ctx, i);
    if (!src?.node) return;
    const ns = str(get(get(root, 'metadata'), 'namespace')) ?? world.defaultNamespace;
    for (const peer of peersOf(get(root, 'spec'))) {
      const path = [...peer.path, 'podSelector', 'matchLabels'];
      const at = nodeAtPath(src.node, path);
      if (!at.node || !at.entry) continue;
      const added = addedLabels(nodeAtPath(root, path).node, at.node);
      const by = labelers.filter((t) =>
        ctx.kustomizations
          .get(t.configuredIn ?? '')
          ?.labels.some((l) => l.includeSelectors && Object.entries(added).some(([k, v]) => l.pairs[k] === v)),
      );
      if (!Object.keys(added).length || !by.length) continue;
      const why = harm(world, ns, peer.node, added);
      if (!why) continue;
      const kust = by[0].configuredIn!;
      const related = transformationLocation(
        by[0],
        ctx.lookup,
        ctx.uriOf,
        'these labels are added to selectors (includeSelectors)',
        added,
      );
      out.push({
        rule: 'NPX10',
        severity: 'warning',
        uri: ctx.uriOf(src.rel),
        file: src.file,
        doc: src.doc,
        ...trimmed(src.doc, at.entry.ks, at.entry.value.e),
        env: ctx.env.name,
        message: `${kust} adds ${labelText(added)} to this peer's podSelector (labels with includeSelectors: true, or commonLabels), so it selects only pods with ${Object.keys(added).length === 1 ? 'that label' : 'those labels'}: ${why}. Add the labels with includeSelectors: false, or keep them out of NetworkPolicy selectors.`,
        ...(related ? { related: [related] } : {}),
      });
    }
  });
  return out;
}
