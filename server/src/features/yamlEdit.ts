// Minimal, style-preserving YAML text edits: indentation detection, a small block emitter, and
// insertion helpers. Edits are offsets into one document's text; nothing is re-serialised.

import type { PMap, PNode, PSeq } from '../model/tree';

export interface Edit {
  /** Document-relative offsets. */
  readonly s: number;
  readonly e: number;
  readonly text: string;
}

export interface Style {
  /** Spaces per nesting level. */
  readonly unit: number;
  /** Are block sequences indented under their key (`key:\n  - a`) rather than flush (`key:\n- a`)? */
  readonly seqIndented: boolean;
  readonly eol: string;
  /** The document is JSON (a flow map with quoted keys): every value is emitted as JSON. */
  readonly json?: boolean;
}

export function lineStartOf(text: string, off: number): number {
  return text.lastIndexOf('\n', off - 1) + 1;
}

export function lineEndOf(text: string, off: number): number {
  const i = text.indexOf('\n', off);
  if (i === -1) return text.length;
  return i > 0 && text[i - 1] === '\r' ? i - 1 : i;
}

/** Column of an offset. */
export function columnOf(text: string, off: number): number {
  return off - lineStartOf(text, off);
}

/** Leading spaces of the line containing an offset. */
function lineIndent(text: string, off: number): number {
  const s = lineStartOf(text, off);
  let i = s;
  while (text[i] === ' ') i++;
  return i - s;
}

export function detectStyle(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const deltas = new Map<number, number>();
  let seqIn = 0;
  let seqFlush = 0;
  let prevIndent = -1;
  let prevColon = false;
  for (const line of lines) {
    const t = line.trimStart();
    if (!t || t.startsWith('#')) continue;
    const ind = line.length - t.length;
    if (prevIndent >= 0 && ind > prevIndent && !t.startsWith('- ')) {
      deltas.set(ind - prevIndent, (deltas.get(ind - prevIndent) ?? 0) + 1);
    }
    if (t.startsWith('- ') && prevColon) {
      if (ind > prevIndent) seqIn++;
      else if (ind === prevIndent) seqFlush++;
    }
    prevIndent = t.startsWith('- ') ? ind + 2 : ind;
    prevColon = /:\s*(#.*)?$/.test(t);
    if (t.startsWith('- ') && prevColon) prevIndent = ind + 2;
  }
  let unit = 2;
  let best = 0;
  for (const [d, n] of deltas) {
    if (n > best && d >= 2 && d <= 8) {
      best = n;
      unit = d;
    }
  }
  const json = /^\s*\{\s*("|\})/.test(text);
  return json ? { unit, seqIndented: seqIn >= seqFlush, eol, json } : { unit, seqIndented: seqIn >= seqFlush, eol };
}

export type YValue = string | number | boolean | null | YValue[] | { [k: string]: YValue };

function scalarText(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  if (
    v === '' ||
    /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|:$|\s$|^(?:true|false|yes|no|on|off|null|~|y|n|[-+]?\d[\d_.eE+-]*|0x[0-9a-fA-F]+)$/i.test(
      v,
    )
  ) {
    return JSON.stringify(v);
  }
  return v;
}

function isScalar(v: YValue): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

/**
 * Emits a block value as lines at `indent`. For a map: `key: value` lines; for a sequence:
 * `- item` lines (an item map starts on the dash line).
 */
export function emit(v: YValue, indent: number, st: Style): string[] {
  const pad = ' '.repeat(indent);
  if (isScalar(v)) return [`${pad}${scalarText(v)}`];
  if (Array.isArray(v)) {
    if (!v.length) return [`${pad}[]`];
    const out: string[] = [];
    for (const item of v) {
      if (isScalar(item)) out.push(`${pad}- ${scalarText(item)}`);
      else {
        const inner = emit(item, indent + 2, st);
        out.push(`${pad}- ${inner[0].trimStart()}`, ...inner.slice(1));
      }
    }
    return out;
  }
  const out: string[] = [];
  for (const [k, val] of Object.entries(v)) {
    const key = scalarText(k);
    if (isScalar(val)) out.push(`${pad}${key}: ${scalarText(val)}`);
    else if (Array.isArray(val)) {
      if (!val.length) out.push(`${pad}${key}: []`);
      else out.push(`${pad}${key}:`, ...emit(val, indent + (st.seqIndented ? st.unit : 0), st));
    } else if (!Object.keys(val).length) out.push(`${pad}${key}: {}`);
    else out.push(`${pad}${key}:`, ...emit(val, indent + st.unit, st));
  }
  return out;
}

/** Flow text of a value, e.g. `[Ingress, Egress]`, `{}`; with `json`, JSON text (quoted strings). */
export function emitFlow(v: YValue, json = false): string {
  // in flow context `,[]{}` end a plain scalar, so strings holding them are quoted
  const sc = (x: string | number | boolean | null): string =>
    json || (typeof x === 'string' && /[,[\]{}]/.test(x)) ? JSON.stringify(x) : scalarText(x);
  if (isScalar(v)) return sc(v);
  if (Array.isArray(v)) return `[${v.map((x) => emitFlow(x, json)).join(', ')}]`;
  const ents = Object.entries(v);
  return ents.length ? `{${ents.map(([k, x]) => `${sc(k)}: ${emitFlow(x, json)}`).join(', ')}}` : '{}';
}

/**
 * Is the node's source a literal written where it stands? False for nodes that come from an
 * alias (`*x`, whose spans are the alias's) or from a merge key (`<<: *x`, whose entries live in
 * the anchored map): editing at their spans would change something else.
 */
export function isLiteralNode(text: string, n: { s: number; e: number }): boolean {
  return n.e >= n.s && text[n.s] !== '*';
}

/** Is a map entry's key written literally at its span (not merged in through `<<`)? */
export function isLiteralKey(text: string, en: { key: string; ks: number; ke: number }): boolean {
  const src = text.slice(en.ks, en.ke);
  if (src === en.key) return true;
  const q = src[0];
  return (q === '"' || q === "'") && src.length >= 2 && src[src.length - 1] === q && src.slice(1, -1) === en.key;
}

/**
 * The quote character of a scalar whose source is exactly its value (`web`, `"web"`, `'web'`;
 * no escapes, no line folding, not an alias): '"', "'" or ''. Undefined when the source is
 * anything else, in which case a value edit at its span would not be a plain replacement.
 */
function scalarQuote(text: string, n: PNode): '"' | "'" | '' | undefined {
  if (n.t !== 'scalar' || !isLiteralNode(text, n)) return undefined;
  const src = text.slice(n.s, n.e);
  if (/[\r\n]/.test(src)) return undefined;
  const v = n.v === null ? '' : String(n.v);
  if (n.style === 'plain') return src === v ? '' : undefined;
  if (n.style === 'double') {
    return src.length >= 2 && src.endsWith('"') && !src.includes('\\') && src.slice(1, -1) === v ? '"' : undefined;
  }
  if (n.style === 'single') return src.length >= 2 && src.endsWith("'") && src.slice(1, -1) === v ? "'" : undefined;
  return undefined;
}

/** Column where the keys of a block map sit. */
function keyColumn(text: string, m: PMap): number {
  return m.entries.length ? columnOf(text, m.entries[0].ks) : columnOf(text, m.s);
}

/** End of the last line of a node (the offset of its line break). */
function endOfNodeLine(text: string, n: { e: number }): number {
  let e = n.e;
  // block scalars and collections may end after their trailing newline
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  return lineEndOf(text, e);
}

/**
 * Inserts an entry into a map: in a block map as the lines `entryLines(keyColumn)`, after the
 * entry `afterKey` (when it is written in this map), else before the first entry when that one
 * starts its line, else after the last entry; in a flow map as `flowText` (`key: value`, JSON
 * when the style says so) right after the opening brace.
 */
export function insertMapEntry(
  text: string,
  m: PMap,
  entryLines: (indent: number) => string[],
  st: Style,
  afterKey?: string,
  flowText?: string,
): Edit {
  if (m.flow) {
    const brace = text.indexOf('{', m.s);
    const first = m.entries[0];
    // a multi-line flow map (as JSON is usually written): a line of its own before the first key
    if (
      first &&
      isLiteralKey(text, first) &&
      lineStartOf(text, first.ks) > brace &&
      text.slice(lineStartOf(text, first.ks), first.ks).trim() === ''
    ) {
      return { s: first.ks, e: first.ks, text: `${flowText ?? ''},${st.eol}${' '.repeat(columnOf(text, first.ks))}` };
    }
    const sep = m.entries.length ? ', ' : '';
    return { s: brace + 1, e: brace + 1, text: `${flowText ?? ''}${sep}` };
  }
  const col = keyColumn(text, m);
  const lines = entryLines(col);
  const own = m.entries.filter((e) => e.ks >= m.s && e.ke <= m.e && isLiteralKey(text, e));
  const after = afterKey ? own.find((e) => e.key === afterKey && !e.shadowed) : undefined;
  const insertAfter = (en: (typeof own)[number]): Edit => {
    const at = endOfNodeLine(text, { e: isLiteralNode(text, en.value) && en.value.e > en.ke ? en.value.e : en.ke });
    return { s: at, e: at, text: `${st.eol}${lines.join(st.eol)}` };
  };
  if (after) return insertAfter(after);
  const first = own[0];
  if (first && text.slice(lineStartOf(text, first.ks), first.ks).trim() === '') {
    const at = lineStartOf(text, first.ks);
    return { s: at, e: at, text: `${lines.join(st.eol)}${st.eol}` };
  }
  if (own.length) return insertAfter(own.reduce((a, b) => (b.ks > a.ks ? b : a)));
  const at = endOfNodeLine(text, m);
  return { s: at, e: at, text: `${st.eol}${lines.join(st.eol)}` };
}

/** Column of the dash of a block sequence item. */
function dashColumn(text: string, item: PNode): number {
  let i = item.s - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? columnOf(text, i) : lineIndent(text, item.s);
}

/**
 * Appends an item to a sequence (block or flow). A string item takes the quotes of the last
 * item when that one is a quoted string, so that `- "Ingress"` gets `- "Egress"`.
 */
export function appendSeqItem(text: string, seq: PSeq, item: YValue, st: Style): Edit {
  const last = seq.items.length ? seq.items[seq.items.length - 1] : undefined;
  const q = last && typeof item === 'string' ? scalarQuote(text, last) : undefined;
  const quoted = (flowText: string): string =>
    q && typeof item === 'string' && !/["'\\]/.test(item) ? `${q}${item}${q}` : flowText;
  if (seq.flow || !last) {
    if (last) return { s: last.e, e: last.e, text: `, ${quoted(emitFlow(item, st.json))}` };
    const close = text.lastIndexOf(']', Math.max(seq.s, seq.e - 1));
    return { s: close, e: close, text: emitFlow(item, st.json) };
  }
  const dashCol = dashColumn(text, last);
  const lines = isScalar(item) ? [`${' '.repeat(dashCol)}- ${quoted(scalarText(item))}`] : emit([item], dashCol, st);
  const at = endOfNodeLine(text, last);
  return { s: at, e: at, text: `${st.eol}${lines.join(st.eol)}` };
}

/** Removes an entry of a map with its line(s), or returns undefined when that cannot be done cleanly. */
export function removeMapEntry(text: string, m: PMap, key: string): Edit | undefined {
  const idx = m.entries.findIndex((e) => e.key === key && !e.shadowed);
  const en = m.entries[idx];
  if (!en || !isLiteralKey(text, en) || en.ks < m.s || en.ke > m.e) return undefined;
  const next = m.entries.slice(idx + 1).find((e) => e.ks > en.ks && isLiteralKey(text, e));
  const end = isLiteralNode(text, en.value) && en.value.e > en.ke ? en.value.e : en.ke;
  if (m.flow) {
    // `{a: 1, key: v, b: 2}`: remove `key: v, `; the last entry takes the comma before it
    if (next) {
      const between = text.slice(end, next.ks);
      if (!/^\s*,\s*$/.test(between)) return undefined;
      return { s: en.ks, e: next.ks, text: '' };
    }
    const before = text.slice(m.s + 1, en.ks);
    const comma = before.lastIndexOf(',');
    const tail = text.slice(end, text.lastIndexOf('}', m.e));
    if (!/^\s*,?\s*$/.test(tail)) return undefined;
    if (comma === -1) return before.trim() === '' ? { s: en.ks, e: end, text: '' } : undefined;
    if (text.slice(m.s + 1 + comma + 1, en.ks).trim() !== '') return undefined;
    return { s: m.s + 1 + comma, e: end, text: '' };
  }
  const ls = lineStartOf(text, en.ks);
  if (text.slice(ls, en.ks).trim() === '') {
    // the entry starts its line: remove whole lines
    let e = endOfNodeLine(text, { e: end });
    if (text[e] === '\r') e++;
    if (text[e] === '\n') e++;
    return { s: ls, e, text: '' };
  }
  // the entry sits after a dash (`- values: [a]`): the next entry moves up onto the dash line
  if (!next || columnOf(text, next.ks) !== columnOf(text, en.ks)) return undefined;
  if (text.slice(lineStartOf(text, next.ks), next.ks).trim() !== '') return undefined;
  return { s: en.ks, e: next.ks, text: '' };
}

/**
 * Can a value edit replace this scalar in place? True for a plain scalar whose source is its
 * value, and for any single- or double-quoted scalar; false for aliases, block scalars and plain
 * scalars written differently from their value (`0x50`, folded lines).
 */
export function isReplaceableScalar(text: string, n: PNode): boolean {
  if (n.t !== 'scalar' || !isLiteralNode(text, n) || n.e <= n.s) return false;
  if (n.style === 'double' || n.style === 'single') {
    return text[n.s] === (n.style === 'double' ? '"' : "'") && text[n.e - 1] === text[n.s];
  }
  return scalarQuote(text, n) === '';
}

/**
 * Replaces a scalar's content, keeping its quotes: only the text between the quotes changes (the
 * new value escaped for that quote style).
 */
export function replaceScalar(text: string, n: PNode, value: string): Edit {
  const src = text.slice(n.s, n.e);
  const q = src[0];
  if ((q === '"' || q === "'") && src.length >= 2 && src.endsWith(q)) {
    return { s: n.s + 1, e: n.e - 1, text: q === '"' ? JSON.stringify(value).slice(1, -1) : value.replace(/'/g, "''") };
  }
  return { s: n.s, e: n.e, text: value };
}
