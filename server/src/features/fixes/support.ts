// What every quick fix shares: the fix and target types, the context of one fix request, finding
// the node a diagnostic covers, and the edits that give a key a value or add an entry in the
// document's style (see ../yamlEdit.ts).

import type { NormPolicy } from '../../analysis/policy';
import type { ManifestDocument } from '../../model/document';
import type { PEntry, PMap, PNode, PScalar } from '../../model/tree';
import type { NetpolSettings } from '../../settings';
import {
  columnOf,
  type Edit,
  emit,
  emitFlow,
  insertMapEntry,
  isLiteralKey,
  isLiteralNode,
  isReplaceableScalar,
  lineEndOf,
  replaceScalar,
  type Style,
  type YValue,
} from '../yamlEdit';

export interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
  readonly preferred?: boolean;
}

export interface FixTarget {
  readonly rule: string;
  /** Document-relative span of the diagnostic. */
  readonly s: number;
  readonly e: number;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** One fix request: the document, its style, the policy at the diagnostic, the settings. */
export interface FixContext {
  readonly text: string;
  readonly doc: ManifestDocument;
  readonly st: Style;
  readonly policy?: NormPolicy;
  readonly settings: NetpolSettings;
  readonly t: FixTarget;
}

/** The first node (depth first) for which `pred` holds. */
export function findNode(root: PNode | null, pred: (n: PNode) => boolean): PNode | undefined {
  if (!root) return undefined;
  let found: PNode | undefined;
  const visit = (n: PNode): void => {
    if (found) return;
    if (pred(n)) {
      found = n;
      return;
    }
    if (n.t === 'map') for (const en of n.entries) visit(en.value);
    else if (n.t === 'seq') for (const it of n.items) visit(it);
  };
  visit(root);
  return found;
}

/** The map entry whose key span starts exactly at `s`, written literally where it stands. */
export function entryAtKey(c: FixContext, s: number): { map: PMap; entry: PEntry } | undefined {
  let found: { map: PMap; entry: PEntry } | undefined;
  findNode(c.doc.tree, (n) => {
    if (n.t !== 'map') return false;
    const en = n.entries.find((x) => x.ks === s && !x.shadowed);
    if (en && isLiteralKey(c.text, en) && isLiteralNode(c.text, n)) found = { map: n, entry: en };
    return !!found;
  });
  return found;
}

/**
 * The scalar the diagnostic covers exactly, written literally. (A diagnostic from an older
 * version of the text that no longer covers a scalar gets no fix.)
 */
export function scalarAt(c: FixContext): PScalar | undefined {
  const n = findNode(c.doc.tree, (x) => x.t === 'scalar' && x.s === c.t.s && x.e === c.t.e && x.e > x.s);
  return n && n.t === 'scalar' && isLiteralNode(c.text, n) ? n : undefined;
}

/** The text between a key and its value: the offset just after the `:` of an entry. */
export function afterColon(c: FixContext, en: PEntry): number | undefined {
  const colon = c.text.indexOf(':', en.ke);
  if (colon === -1 || c.text.slice(en.ke, colon).trim() !== '') return undefined;
  return colon + 1;
}

/**
 * Gives a key without a value (`key:` or `key: null`/`~`) a value: a scalar or an empty
 * collection in place (`key: {}`); a collection in a block map as block lines under the key, a
 * comment after the colon staying on the key's line; in a flow map as flow text.
 */
export function setNullValue(c: FixContext, map: PMap, en: PEntry, v: YValue): Edit[] | undefined {
  if (en.value.t !== 'scalar' || en.value.v !== null || !isLiteralKey(c.text, en)) return undefined;
  const written = en.value.e > en.value.s;
  if (
    written &&
    (!isLiteralNode(c.text, en.value) || !/^(?:null|Null|NULL|~)$/.test(c.text.slice(en.value.s, en.value.e)))
  ) {
    return undefined;
  }
  const colon = afterColon(c, en);
  // (a `null` on a line of its own below the key is left alone)
  if (colon === undefined || (written && /[\r\n]/.test(c.text.slice(colon, en.value.s)))) return undefined;
  const flow = emitFlow(v, c.st.json);
  if (map.flow || typeof v !== 'object' || v === null || (Array.isArray(v) ? !v.length : !Object.keys(v).length)) {
    return [written ? { s: en.value.s, e: en.value.e, text: flow } : { s: colon, e: colon, text: ` ${flow}` }];
  }
  const col = columnOf(c.text, en.ks);
  const lines = emit(v, Array.isArray(v) ? col + (c.st.seqIndented ? c.st.unit : 0) : col + c.st.unit, c.st);
  const at = lineEndOf(c.text, colon);
  const insert: Edit = { s: at, e: at, text: `${c.st.eol}${lines.join(c.st.eol)}` };
  // `key: null  # c` -> `key:  # c` and the block below
  return written ? [{ s: colon, e: en.value.e, text: '' }, insert] : [insert];
}

/** Inserts `key: value` into a map (block lines, or flow text in a flow map). */
export function addEntry(c: FixContext, map: PMap, key: string, v: YValue, afterKey?: string): Edit {
  const flowText = `${emitFlow(key, c.st.json)}: ${emitFlow(v, c.st.json)}`;
  return insertMapEntry(c.text, map, (col) => emit({ [key]: v }, col, c.st), c.st, afterKey, flowText);
}

/** Replaces the scalar of the diagnostic when `still` confirms it holds what the rule reported. */
export function replaceValueFix(
  c: FixContext,
  value: string,
  title: string,
  still: (v: PScalar['v']) => boolean,
): Fix[] {
  const n = scalarAt(c);
  if (!n || !isReplaceableScalar(c.text, n) || !still(n.v)) return [];
  return [{ title, edits: [replaceScalar(c.text, n, value)], preferred: true }];
}
