// A compact, JSON-like tree of one YAML/JSON document in which every node keeps its source span.
// It is built from the `yaml` package's AST and then the AST is dropped: the tree is all the
// model, the rules and the editor features need, and it is far smaller than the AST.
//
// Spans are [start, end) offsets relative to the start of the document's own text (see
// document.ts), so that a document that did not change keeps its tree when other documents of
// the same file move.

import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node as YNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

export type Span = readonly [number, number];

export type ScalarStyle = 'plain' | 'single' | 'double' | 'block';

export interface PScalar {
  readonly t: 'scalar';
  readonly s: number;
  readonly e: number;
  /** The value as YAML 1.2 (core schema) resolves it. */
  readonly v: string | number | boolean | null;
  readonly style: ScalarStyle;
  /**
   * Set for plain scalars that a YAML 1.1 parser (go-yaml v2, which kubectl and the API
   * machinery use) resolves to something other than what YAML 1.2 gives: `yes`, `on`, `off`,
   * `y`, `0777`, `1e3`, `~`. Holds the YAML 1.1 type.
   */
  readonly y11?: 'bool' | 'int' | 'float' | 'null';
}

export interface PEntry {
  readonly key: string;
  /** Span of the key scalar. */
  readonly ks: number;
  readonly ke: number;
  /** The value; a key without a value (`podSelector:`) has a null scalar. */
  readonly value: PNode;
  /** True when a later entry of the same map has the same key (the later one wins). */
  readonly shadowed?: boolean;
  /** The key is not a plain string (e.g. `1: x`, `true: x`). */
  readonly nonStringKey?: boolean;
}

export interface PMap {
  readonly t: 'map';
  readonly s: number;
  readonly e: number;
  readonly flow: boolean;
  readonly entries: readonly PEntry[];
}

export interface PSeq {
  readonly t: 'seq';
  readonly s: number;
  readonly e: number;
  readonly flow: boolean;
  readonly items: readonly PNode[];
}

export type PNode = PScalar | PMap | PSeq;

export interface TreeIssue {
  readonly s: number;
  readonly e: number;
  readonly code: 'alias-limit' | 'duplicate-key' | 'complex-key';
  readonly message: string;
}

/** Budget of nodes one document may expand to through aliases (defends against alias bombs). */
export const DEFAULT_NODE_BUDGET = 200_000;

const Y11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const Y11_INT = /^[-+]?(?:0b[01_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const Y11_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const Y11_NULL = /^(?:~|null|Null|NULL|)$/;

/** The YAML 1.1 type of a plain scalar's source text, or undefined when it is a string there. */
export function yaml11Type(src: string): PScalar['y11'] {
  if (Y11_NULL.test(src)) return 'null';
  if (Y11_BOOL.test(src)) return 'bool';
  if (Y11_INT.test(src)) return 'int';
  if (Y11_FLOAT.test(src)) return 'float';
  return undefined;
}

function styleOf(type: Scalar['type']): ScalarStyle {
  switch (type) {
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      return 'block';
    default:
      return 'plain';
  }
}

function scalarValue(v: unknown): PScalar['v'] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}

/**
 * Converts the `yaml` AST of one document into a PNode tree. Never throws. Aliases are expanded
 * (their nodes take the span of the alias) within a node budget; merge keys (`<<`) are applied.
 */
export function buildTree(
  doc: Document,
  text: string,
  issues: TreeIssue[],
  budget = DEFAULT_NODE_BUDGET,
): PNode | null {
  const contents = doc.contents;
  if (contents === undefined || contents === null) return null;
  const st: TreeState = { doc, text, issues, budget, remaining: budget, overBudget: false, aliasStack: new Set() };
  return convert(st, contents, null);
}

function rangeOf(n: unknown): Span {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

/** A map key as the tree records it. */
interface KeyInfo {
  readonly key: string;
  readonly ks: number;
  readonly ke: number;
  readonly nonStringKey: boolean;
}

/**
 * The state of the conversion of one document. `over` (a parameter below) is the span of the alias
 * being expanded: its nodes take that span and report no issues of their own (they were reported
 * where they are written).
 */
interface TreeState {
  readonly doc: Document;
  readonly text: string;
  readonly issues: TreeIssue[];
  readonly budget: number;
  /** Nodes left in the budget. */
  remaining: number;
  overBudget: boolean;
  /** The alias targets being expanded (a cycle expands to null). */
  readonly aliasStack: Set<unknown>;
}

function convert(st: TreeState, node: unknown, over: Span | null): PNode | null {
  if (st.remaining-- <= 0) return budgetSpent(st, node, over);
  if (isAlias(node)) return convertAlias(st, node, over);
  if (isScalar(node)) return convertScalar(st, node, over);
  if (isMap(node)) return convertMap(st, node, over);
  if (isSeq(node)) return convertSeq(st, node, over);
  return null;
}

/** The node budget is spent: reports it once; the rest of the document is left out. */
function budgetSpent(st: TreeState, node: unknown, over: Span | null): null {
  if (!st.overBudget) {
    st.overBudget = true;
    const sp = over ?? rangeOf(node);
    st.issues.push({
      s: sp[0],
      e: sp[1],
      code: 'alias-limit',
      message: `the document expands to more than ${st.budget} nodes through aliases; the rest is ignored`,
    });
  }
  return null;
}

function convertAlias(st: TreeState, node: Alias, over: Span | null): PNode | null {
  const target = node.resolve(st.doc);
  const sp = over ?? rangeOf(node);
  if (!target || st.aliasStack.has(target)) return { t: 'scalar', s: sp[0], e: sp[1], v: null, style: 'plain' };
  st.aliasStack.add(target);
  const out = convert(st, target, sp);
  st.aliasStack.delete(target);
  return out;
}

function convertScalar(st: TreeState, node: Scalar, over: Span | null): PScalar {
  const [s, e] = over ?? rangeOf(node);
  const style = styleOf(node.type);
  const v = scalarValue(node.value);
  if (style === 'plain' && !over) {
    const t11 = typeof v === 'string' ? yaml11Type(st.text.slice(s, e)) : undefined;
    if (t11) return { t: 'scalar', s, e, v, style, y11: t11 };
  }
  return { t: 'scalar', s, e, v, style };
}

function convertMap(st: TreeState, node: YAMLMap, over: Span | null): PMap {
  const [s, e] = over ?? rangeOf(node);
  const entries: PEntry[] = [];
  const seen = new Map<string, number>();
  const merges: PNode[] = [];
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const k = keyOf(st, pair.key as YNode | null, s, over);
    if (k.key === '<<' && isScalar(pair.key) && pair.key.type === 'PLAIN' && !over) {
      const mv = convert(st, pair.value, null);
      if (mv) merges.push(mv);
      continue;
    }
    let value = pair.value == null ? null : convert(st, pair.value, over);
    if (!value) value = { t: 'scalar', s: k.ke, e: k.ke, v: null, style: 'plain' };
    const prev = seen.get(k.key);
    if (prev !== undefined) {
      entries[prev] = { ...entries[prev], shadowed: true };
      if (!over) {
        const message = `duplicate key "${k.key}": only the last one counts`;
        st.issues.push({ s: k.ks, e: k.ke, code: 'duplicate-key', message });
      }
    }
    seen.set(k.key, entries.length);
    const { key, ks, ke } = k;
    entries.push(k.nonStringKey ? { key, ks, ke, value, nonStringKey: true } : { key, ks, ke, value });
  }
  applyMerges(merges, entries, seen);
  return { t: 'map', s, e, flow: !!node.flow, entries };
}

/** A key's text and span (`s`: the map's start, for a missing key); reports complex keys. */
function keyOf(st: TreeState, k: YNode | null, s: number, over: Span | null): KeyInfo {
  if (k && isScalar(k)) {
    const [ks, ke] = over ?? rangeOf(k);
    if (typeof k.value === 'string') return { key: k.value, ks, ke, nonStringKey: false };
    return { key: k.value === null || k.value === undefined ? '' : String(k.value), ks, ke, nonStringKey: true };
  }
  if (k) {
    const [ks, ke] = over ?? rangeOf(k);
    if (!over) st.issues.push({ s: ks, e: ke, code: 'complex-key', message: 'a map key must be a plain string' });
    return { key: st.text.slice(ks, ke), ks, ke, nonStringKey: true };
  }
  return { key: '', ks: s, ke: s, nonStringKey: true };
}

function convertSeq(st: TreeState, node: YAMLSeq, over: Span | null): PSeq {
  const [s, e] = over ?? rangeOf(node);
  const items: PNode[] = [];
  for (const it of node.items) {
    const c = convert(st, it, over);
    if (c) items.push(c);
    else if (st.overBudget) break;
  }
  return { t: 'seq', s, e, flow: !!node.flow, items };
}

/** YAML 1.1 merge keys: entries of the merged maps that the map does not set itself. */
function applyMerges(merges: readonly PNode[], entries: PEntry[], seen: Map<string, number>): void {
  for (const m of merges) {
    const maps = m.t === 'map' ? [m] : m.t === 'seq' ? m.items.filter((x): x is PMap => x.t === 'map') : [];
    for (const mm of maps) {
      for (const en of mm.entries) {
        if (en.shadowed || seen.has(en.key)) continue;
        seen.set(en.key, entries.length);
        entries.push(en);
      }
    }
  }
}

// ---------------------------------------------------------------- helpers for consumers

export function get(node: PNode | null | undefined, key: string): PNode | undefined {
  if (!node || node.t !== 'map') return undefined;
  const en = getEntry(node, key);
  return en?.value;
}

export function getEntry(node: PNode | null | undefined, key: string): PEntry | undefined {
  if (!node || node.t !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) {
    const en = node.entries[i];
    if (en.key === key && !en.nonStringKey) return en;
  }
  return undefined;
}

/** A string value, or undefined when the node is absent or not a string (YAML 1.2 resolution). */
export function str(n: PNode | undefined): string | undefined {
  return n && n.t === 'scalar' && typeof n.v === 'string' ? n.v : undefined;
}

/** Like str(), but also renders numbers and booleans (lenient reading of labels and names). */
export function looseStr(n: PNode | undefined): string | undefined {
  if (!n || n.t !== 'scalar' || n.v === null) return undefined;
  return String(n.v);
}

export function num(n: PNode | undefined): number | undefined {
  return n && n.t === 'scalar' && typeof n.v === 'number' ? n.v : undefined;
}

export function span(n: { s: number; e: number }): Span {
  return [n.s, n.e];
}

/** Visits every node, depth first, with its path. Stops after `limit` nodes. */
export function walk(node: PNode, fn: (n: PNode, path: readonly (string | number)[]) => void, limit = 1_000_000): void {
  const path: (string | number)[] = [];
  let count = 0;
  const rec = (n: PNode): void => {
    if (count++ > limit) return;
    fn(n, path);
    if (n.t === 'map') {
      for (const en of n.entries) {
        path.push(en.key);
        rec(en.value);
        path.pop();
      }
    } else if (n.t === 'seq') {
      n.items.forEach((it, i) => {
        path.push(i);
        rec(it);
        path.pop();
      });
    }
  };
  rec(node);
}
