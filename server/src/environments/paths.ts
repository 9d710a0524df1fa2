// Key paths inside a document tree: the path of the node a span falls on (`spec.egress[0].to[1]`),
// the node at a path, and values compared as data. Mapping a finding from a rendered object back
// to its source document goes through them: the same key path in the source, where it exists.

import type { PEntry, PNode } from '../model/tree';

export type KeyPath = readonly (string | number)[];

/** What part of the node at the path a span covers. */
export type SpanMode = 'entry' | 'key' | 'node';

export interface PathHit {
  readonly path: KeyPath;
  readonly mode: SpanMode;
  /** The node at the path (the entry's value for 'entry' and 'key'). */
  readonly node: PNode;
}

/** The deepest node whose span holds [s, e), with how the span relates to it. */
export function pathAt(root: PNode, s: number, e: number): PathHit {
  const path: (string | number)[] = [];
  let node = root;
  let mode: SpanMode = 'node';
  for (;;) {
    if (node.t === 'map') {
      const en = node.entries.find((x) => !x.shadowed && x.ks <= s && e <= Math.max(x.value.e, x.ke));
      if (!en) break;
      path.push(en.key);
      if (s === en.ks && e > en.ke) {
        mode = 'entry';
        node = en.value;
        break;
      }
      if (e <= en.ke) {
        mode = 'key';
        node = en.value;
        break;
      }
      node = en.value;
      mode = 'node';
      continue;
    }
    if (node.t === 'seq') {
      const i = node.items.findIndex((x) => x.s <= s && e <= x.e);
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
      continue;
    }
    break;
  }
  return { path, mode, node };
}

export interface PathTarget {
  /** The node at the path, when the whole path exists. */
  readonly node?: PNode;
  /** The map entry of the path's last key. */
  readonly entry?: PEntry;
}

function entryOf(node: PNode, key: string): PEntry | undefined {
  if (node.t !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i].key === key) return node.entries[i];
  return undefined;
}

/** The node at a path (undefined when some step is missing). */
export function nodeAtPath(root: PNode | undefined, path: KeyPath): PathTarget {
  let node = root;
  let entry: PEntry | undefined;
  for (const step of path) {
    if (!node) return {};
    if (typeof step === 'number') {
      if (node.t !== 'seq' || step >= node.items.length) return {};
      node = node.items[step];
      entry = undefined;
    } else {
      entry = entryOf(node, step);
      if (!entry) return {};
      node = entry.value;
    }
  }
  return { node, entry };
}

/** A node as plain data (for comparisons and messages). */
export function toData(n: PNode | undefined): unknown {
  if (!n) return undefined;
  if (n.t === 'scalar') return n.v;
  if (n.t === 'seq') return n.items.map(toData);
  const out: Record<string, unknown> = {};
  for (const en of n.entries) if (!en.shadowed) out[en.key] = toData(en.value);
  return out;
}

function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x && typeof x === 'object') {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
    );
  }
  // kustomize prints numbers it read from strings as they were; compare scalars as text
  return x === null || x === undefined ? null : String(x);
}

export function sameData(a: PNode | undefined, b: PNode | undefined): boolean {
  return JSON.stringify(canonical(toData(a))) === JSON.stringify(canonical(toData(b)));
}

/** A short flow-style rendering of a node for messages: `{app: web, tier: db}`, cut at `max` characters. */
export function shortValue(n: PNode | undefined, max = 100): string {
  const show = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
    if (x && typeof x === 'object') {
      return `{${Object.entries(x)
        .map(([k, v]) => `${k}: ${show(v)}`)
        .join(', ')}}`;
    }
    return x === null || x === undefined ? 'null' : String(x);
  };
  const s = show(toData(n));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A key path as text: `spec.egress[0].to[1].podSelector`. */
export function pathText(path: KeyPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}
