// Small helpers shared by rules.

import type { NormPolicy } from '../analysis/policy';
import { getEntry, type PEntry, type PMap, type PNode } from '../model/tree';

export function keyOf(m: PNode | undefined, key: string): PEntry | undefined {
  return m && m.t === 'map' ? getEntry(m, key) : undefined;
}

/** Span of a key (or of the map when the key is absent). */
export function keySpan(m: PMap | undefined, key: string, fallback: { s: number; e: number }): { s: number; e: number } {
  const en = keyOf(m, key);
  return en ? { s: en.ks, e: en.ke } : { s: fallback.s, e: fallback.s };
}

/** Span used for policy-level findings: the `spec` key, else `kind`, else the object start. */
export function policyAnchor(p: NormPolicy): { s: number; e: number } {
  const spec = keyOf(p.obj.node, 'spec');
  if (spec) return { s: spec.ks, e: spec.ke };
  const kind = keyOf(p.obj.node, 'kind');
  if (kind) return { s: kind.value.s, e: kind.value.e };
  return { s: p.obj.node.s, e: p.obj.node.s };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
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
