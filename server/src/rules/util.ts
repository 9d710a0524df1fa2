// Small helpers shared by rules.

import type { RelatedLocation } from '../analysis/findings';
import type { NormPolicy } from '../analysis/policy';
import type { NamespaceInfo, Workload } from '../analysis/world';
import { nameSpan } from '../model/spans';
import { getEntry, type PEntry, type PNode } from '../model/tree';

export function keyOf(m: PNode | undefined, key: string): PEntry | undefined {
  return m && m.t === 'map' ? getEntry(m, key) : undefined;
}

/** Span used for policy-level findings: the `spec` key, else `kind`, else the object start. */
export function policyAnchor(p: NormPolicy): { s: number; e: number } {
  const spec = keyOf(p.obj.node, 'spec');
  if (spec) return { s: spec.ks, e: spec.ke };
  const kind = keyOf(p.obj.node, 'kind');
  if (kind) return { s: kind.value.s, e: kind.value.e };
  return { s: p.obj.node.s, e: p.obj.node.s };
}

export function listNames(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function sectionOf(dir: 'Ingress' | 'Egress'): 'ingress' | 'egress' {
  return dir === 'Ingress' ? 'ingress' : 'egress';
}

export function peersKeyOf(dir: 'Ingress' | 'Egress'): 'from' | 'to' {
  return dir === 'Ingress' ? 'from' : 'to';
}

/**
 * Related locations that point at workloads' manifests (possibly in other files): their pod
 * labels, or the given part of the pod spec, else the object. At most `max`.
 */
export function workloadLocations(
  ws: readonly Workload[],
  message: (w: Workload) => string,
  at: 'labels' | 'hostNetwork' | 'ports' = 'labels',
  max = 3,
  portName?: string,
): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const w of ws) {
    if (out.length >= max) break;
    const src = w.sources[0];
    if (!src) continue;
    let span: { s: number; e: number } = { s: src.node.s, e: src.node.s };
    if (at === 'labels' && src.podLabelsNode) span = src.podLabelsNode;
    else if (at === 'ports') {
      // the port of that name, else the first container port, else the containers list
      const first =
        (portName !== undefined ? src.ports.find((p) => p.node && p.name === portName) : undefined)?.node ??
        src.ports.find((p) => p.node)?.node;
      const en = src.podSpec ? getEntry(src.podSpec, 'containers') : undefined;
      if (first) span = first;
      else if (en) span = { s: en.ks, e: en.ke };
    } else if (at === 'hostNetwork') {
      const en = src.podSpec ? getEntry(src.podSpec, 'hostNetwork') : undefined;
      if (en) span = { s: en.ks, e: en.ke };
    }
    out.push({ uri: src.uri, doc: src.doc, s: span.s, e: span.e, message: message(w) });
  }
  return out;
}

/** Related locations of Namespace manifests (declared namespaces only). At most `max`. */
export function namespaceLocations(
  nss: readonly NamespaceInfo[],
  message: (n: NamespaceInfo) => string,
  max = 3,
): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const n of nss) {
    if (out.length >= max) break;
    const d = n.declared;
    if (!d) continue;
    const span = nameSpan(d);
    out.push({ uri: d.uri, doc: d.doc, s: span.s, e: span.e, message: message(n) });
  }
  return out;
}

export function labelText(labels: Readonly<Record<string, string>>): string {
  const l = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return l.length ? l.join(', ') : 'no labels';
}
