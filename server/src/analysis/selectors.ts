// Label selectors (apimachinery semantics): matchLabels and matchExpressions, ANDed.

import { get, looseStr, type PNode } from '../model/tree';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  readonly op: Operator;
  readonly values: readonly string[];
}

export interface Selector {
  readonly reqs: readonly Requirement[];
  /** Canonical text; equal selectors have equal keys. */
  readonly key: string;
}

export type Labels = Readonly<Record<string, string>>;

export function makeSelector(reqs: Requirement[]): Selector {
  const sorted = [...reqs]
    .map((r) => ({ ...r, values: [...new Set(r.values)].sort() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.op < b.op ? -1 : a.op > b.op ? 1 : 0));
  const key = sorted.map((r) => `${r.key}\u0001${r.op}\u0001${r.values.join('\u0002')}`).join('\u0003');
  return { reqs: sorted, key };
}

export const MATCH_ALL: Selector = makeSelector([]);

export function matchesRequirement(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.op) {
    case 'In':
      return has && r.values.includes(labels[r.key]);
    case 'NotIn':
      return !has || !r.values.includes(labels[r.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function matches(sel: Selector, labels: Labels): boolean {
  for (const r of sel.reqs) if (!matchesRequirement(r, labels)) return false;
  return true;
}

const OPS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Compiles a LabelSelector node leniently (requirements that cannot be read are skipped; the
 * validator reports them). A null or absent node gives undefined.
 */
export function compileSelector(node: PNode | undefined): Selector | undefined {
  if (!node || (node.t === 'scalar' && node.v === null)) return undefined;
  if (node.t !== 'map') return MATCH_ALL;
  const reqs: Requirement[] = [];
  const ml = get(node, 'matchLabels');
  if (ml && ml.t === 'map') {
    for (const en of ml.entries) {
      if (en.shadowed) continue;
      reqs.push({ key: en.key, op: 'In', values: [looseStr(en.value) ?? ''] });
    }
  }
  const me = get(node, 'matchExpressions');
  if (me && me.t === 'seq') {
    for (const item of me.items) {
      if (item.t !== 'map') continue;
      const key = looseStr(get(item, 'key'));
      const op = looseStr(get(item, 'operator'));
      if (key === undefined || op === undefined || !OPS.includes(op)) continue;
      const vs = get(item, 'values');
      const values: string[] = [];
      if (vs && vs.t === 'seq') {
        for (const v of vs.items) {
          const s = looseStr(v);
          if (s !== undefined) values.push(s);
        }
      }
      reqs.push({ key, op: op as Operator, values });
    }
  }
  return makeSelector(reqs);
}

export function isMatchAll(sel: Selector): boolean {
  return sel.reqs.length === 0;
}

function quote(s: string): string {
  return s === '' ? '""' : /^[A-Za-z0-9._\-/]+$/.test(s) ? s : JSON.stringify(s);
}

/** One requirement in words, e.g. `app=web`, `env in (a, b)`, `tier not in (db) (or no tier label)`. */
export function describeRequirement(r: Requirement): string {
  const vals = r.values.map(quote);
  switch (r.op) {
    case 'In':
      return vals.length === 1 ? `${r.key}=${vals[0]}` : `${r.key} in (${vals.join(', ')})`;
    case 'NotIn':
      return `${r.key} not in (${vals.join(', ')}) (also matches objects without a ${r.key} label)`;
    case 'Exists':
      return `has label ${r.key}`;
    case 'DoesNotExist':
      return `has no ${r.key} label`;
  }
}

/** The selector in words; `what` names the objects ("pods", "namespaces"). */
export function describeSelector(sel: Selector, what: string): string {
  if (isMatchAll(sel)) return `all ${what}`;
  return `${what} with ${sel.reqs.map(describeRequirement).join(' and ')}`;
}
