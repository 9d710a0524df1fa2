// Navigation between policies and what they match. Definition: from a podSelector or a peer to
// the matching workloads (or namespaces), from a named port to the container ports it resolves
// to, from metadata.namespace to the Namespace manifest. References: from a workload's labels (or
// a Namespace) to the policies that select it and the peers that match it. Pure.

import type { Location } from 'vscode-languageserver-types';
import { inventoryOf } from '../analysis/inventory';
import type { NormPeer, NormPolicy } from '../analysis/policy';
import { normalizedPolicy, type Workload } from '../analysis/world';
import type { K8sObject } from '../model/resources';
import { nameSpan, nodeLocation, podLabelsPath } from '../model/spans';
import { get, getEntry, type PNode } from '../model/tree';
import { type Position, treeCursor, type TreeCursor } from './cursor';
import type { FeatureContext } from './context';
import { featureIndexOf, type PeerRef } from './featureIndex';
import { rulesOf } from './policySummary';
import { matches } from '../analysis/selectors';

/** Where a workload is defined: its pod labels (the part selectors match), else its name. */
export function workloadLocation(w: Workload): Location | undefined {
  const src = w.sources[0];
  if (!src) return undefined;
  if (src.podLabelsNode && src.podLabelsNode.e > src.podLabelsNode.s) return nodeLocation(src, src.podLabelsNode);
  return nodeLocation(src, nameSpan(src));
}

function namespaceLocation(ctx: FeatureContext, name: string): Location | undefined {
  const ns = ctx.world.namespaces.get(name);
  return ns?.declared ? nodeLocation(ns.declared, nameSpan(ns.declared)) : undefined;
}

function defined<T>(xs: ReadonlyArray<T | undefined>): T[] {
  return xs.filter((x): x is T => x !== undefined);
}

function policyOf(ctx: FeatureContext, obj: K8sObject & { type: 'policy' }): NormPolicy {
  return featureIndexOf(ctx.world).policyOf(obj) ?? normalizedPolicy(ctx.world, obj);
}

/** Go to definition. */
export function definition(ctx: FeatureContext, pos: Position): Location[] {
  const tc = treeCursor(ctx.file, pos);
  if (!tc || !tc.obj) return [];
  const obj = tc.obj;
  const path = tc.path;
  if (path[0] === 'metadata' && path[1] === 'namespace' && obj.type !== 'namespace') {
    const loc = namespaceLocation(ctx, ctx.world.namespaceOf(obj));
    return loc ? [loc] : [];
  }
  if (obj.type !== 'policy' || path[0] !== 'spec') return [];
  const p = policyOf(ctx, obj);
  const inv = inventoryOf(ctx.world);
  if (path[1] === 'podSelector') return defined(inv.selectedBy(p).map(workloadLocation));
  if (path[1] !== 'ingress' && path[1] !== 'egress') return [];
  const dir = path[1] === 'ingress' ? 'Ingress' : 'Egress';
  const rule = typeof path[2] === 'number' ? rulesOf(p, dir).find((r) => r.index === path[2]) : undefined;
  if (!rule) return [];
  const from = dir === 'Ingress' ? 'from' : 'to';
  if (path[3] === from && typeof path[4] === 'number') {
    const peer = rule.peers?.find((x) => x.index === path[4]);
    if (!peer || peer.kind !== 'pods') return [];
    return peerDefinition(ctx, p, peer, path[5]);
  }
  if (path[3] === 'ports' && typeof path[4] === 'number' && path[5] === 'port') {
    const pe = rule.ports?.find((x) => x.index === path[4]);
    if (!pe || typeof pe.port !== 'string') return [];
    const dsts =
      dir === 'Ingress'
        ? inv.selectedBy(p)
        : !rule.peers
          ? ctx.world.workloads
          : [...new Set(rule.peers.flatMap((pr) => inv.peerWorkloads(pr, p.namespace)))];
    const out: Location[] = [];
    for (const w of dsts) {
      const src = w.sources[0];
      if (!src) continue;
      for (const cp of w.ports) {
        if (cp.name === pe.port && cp.protocol === pe.protocol && cp.node) out.push(nodeLocation(src, cp.node));
      }
    }
    return out;
  }
  return [];
}

function peerDefinition(
  ctx: FeatureContext,
  p: NormPolicy,
  peer: Extract<NormPeer, { kind: 'pods' }>,
  part: unknown,
): Location[] {
  const inv = inventoryOf(ctx.world);
  const toNamespaces =
    part === 'namespaceSelector' || (part !== 'podSelector' && peer.namespaceSelector && !peer.podSelector);
  if (toNamespaces && peer.namespaceSelector) {
    return defined(inv.namespacesMatching(peer.namespaceSelector).map((n) => namespaceLocation(ctx, n.name)));
  }
  return defined(inv.peerWorkloads(peer, p.namespace).map(workloadLocation));
}

// ------------------------------------------------------------------------------ references

function firstLine(obj: K8sObject, n: PNode): { s: number; e: number } {
  const text = obj.doc.text;
  const nl = text.indexOf('\n', n.s);
  return { s: n.s, e: nl === -1 || nl > n.e ? n.e : nl };
}

/** Where a policy's podSelector is (its key, else the policy's name). */
function podSelectorLocation(p: NormPolicy): Location {
  const en = getEntry(p.specNode, 'podSelector');
  return nodeLocation(p.obj, en ? { s: en.ks, e: en.ke } : nameSpan(p.obj));
}

/** Where a peer is: the `namespaceSelector` key when asked for, else the peer's first line. */
function peerLocation(r: PeerRef, key?: 'namespaceSelector'): Location {
  const en = key ? getEntry(r.peer.node, key) : undefined;
  return nodeLocation(r.policy.obj, en ? { s: en.ks, e: en.ke } : firstLine(r.policy.obj, r.peer.node));
}

function onWorkloadLabels(tc: TreeCursor, kind: string): boolean {
  const lp = podLabelsPath(kind);
  const p = tc.path;
  if (p.length >= 2 && p[0] === 'metadata' && p[1] === 'name') return true;
  if (p.length < lp.length) return false;
  for (let i = 0; i < lp.length; i++) if (p[i] !== lp[i]) return false;
  return true;
}

/** Find references: policies and peers that match a workload or a namespace. */
export function references(ctx: FeatureContext, pos: Position, includeDeclaration = false): Location[] {
  const tc = treeCursor(ctx.file, pos);
  if (!tc || !tc.obj) return [];
  const obj = tc.obj;
  const ix = featureIndexOf(ctx.world);
  const out: Location[] = [];
  if (obj.type === 'workload' && onWorkloadLabels(tc, obj.kind)) {
    const w = ctx.world.workloadOf(obj);
    if (!w) return [];
    if (includeDeclaration) {
      const d = workloadLocation(w);
      if (d) out.push(d);
    }
    for (const p of ix.policiesIn(w.namespace)) {
      if (p.valid && matches(p.podSelector, w.labels)) out.push(podSelectorLocation(p));
    }
    for (const r of ix.peersMatching(w, ctx.token)) out.push(peerLocation(r));
    return dedupe(out);
  }
  if (
    obj.type === 'namespace' &&
    obj.name &&
    tc.path[0] === 'metadata' &&
    (tc.path[1] === 'name' || tc.path[1] === 'labels')
  ) {
    const ns = ctx.world.namespaces.get(obj.name);
    if (!ns) return [];
    if (includeDeclaration) out.push(nodeLocation(obj, nameSpan(obj)));
    for (const r of ix.peersSelectingNamespace(ns.labels)) out.push(peerLocation(r, 'namespaceSelector'));
    for (const p of ix.policiesIn(ns.name)) {
      const nsNode = get(get(p.obj.node, 'metadata'), 'namespace');
      out.push(nodeLocation(p.obj, nsNode && nsNode.e > nsNode.s ? nsNode : nameSpan(p.obj)));
    }
    return dedupe(out);
  }
  return [];
}

function dedupe(locs: Location[]): Location[] {
  const seen = new Set<string>();
  return locs.filter((l) => {
    const k = `${l.uri}#${l.range.start.line}:${l.range.start.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
