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
export function lineIndent(text: string, off: number): number {
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
    if (prevIndent >= 0 && ind > prevIndent && !t.startsWith('- ')) deltas.set(ind - prevIndent, (deltas.get(ind - prevIndent) ?? 0) + 1);
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
  for (const [d, n] of deltas) if (n > best && d >= 2 && d <= 8) { best = n; unit = d; }
  return { unit, seqIndented: seqIn >= seqFlush, eol };
}

export type YValue = string | number | boolean | null | YValue[] | { [k: string]: YValue };

function scalarText(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  if (v === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$|^(?:true|false|yes|no|on|off|null|~|y|n|[-+]?\d[\d_.eE+-]*|0x[0-9a-fA-F]+)$/i.test(v)) return JSON.stringify(v);
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

/** Flow text of a value, e.g. `[Ingress, Egress]`, `{}`. */
export function emitFlow(v: YValue): string {
  if (isScalar(v)) return scalarText(v);
  if (Array.isArray(v)) return `[${v.map(emitFlow).join(', ')}]`;
  const ents = Object.entries(v);
  return ents.length ? `{${ents.map(([k, x]) => `${scalarText(k)}: ${emitFlow(x)}`).join(', ')}}` : '{}';
}

/** Column where the keys of a block map sit. */
export function keyColumn(text: string, m: PMap): number {
  return m.entries.length ? columnOf(text, m.entries[0].ks) : columnOf(text, m.s);
}

/** End of the last line of a node (the offset of its line break). */
export function endOfNodeLine(text: string, n: { e: number }): number {
  let e = n.e;
  // block scalars and collections may end after their trailing newline
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  return lineEndOf(text, e);
}

/** Inserts `entry` (block lines for a key) into a map, after the entry `afterKey` or first. */
export function insertMapEntry(text: string, m: PMap, entryLines: (indent: number) => string[], st: Style, afterKey?: string, flowText?: string): Edit {
  if (m.flow) {
    const brace = text.indexOf('{', m.s);
    const sep = m.entries.length ? ', ' : '';
    return { s: brace + 1, e: brace + 1, text: `${flowText ?? ''}${sep}` };
  }
  const col = keyColumn(text, m);
  const lines = entryLines(col);
  const after = afterKey ? m.entries.find((e) => e.key === afterKey) : undefined;
  if (after) {
    const at = endOfNodeLine(text, { e: Math.max(after.value.e, after.ke + 1) });
    return { s: at, e: at, text: `${st.eol}${lines.join(st.eol)}` };
  }
  if (m.entries.length) {
    const at = lineStartOf(text, m.entries[0].ks);
    return { s: at, e: at, text: `${lines.join(st.eol)}${st.eol}` };
  }
  const at = endOfNodeLine(text, m);
  return { s: at, e: at, text: `${st.eol}${lines.join(st.eol)}` };
}

/** Appends an item to a sequence (block or flow). */
export function appendSeqItem(text: string, seq: PSeq, item: YValue, st: Style): Edit {
  if (seq.flow || !seq.items.length) {
    const close = text.lastIndexOf(']', seq.e);
    const open = text.indexOf('[', seq.s);
    const inner = text.slice(open + 1, close).trim();
    if (isScalar(item) || Array.isArray(item) || inner) return { s: close, e: close, text: `${inner ? ', ' : ''}${emitFlow(item)}` };
    return { s: close, e: close, text: emitFlow(item) };
  }
  const last = seq.items[seq.items.length - 1];
  const dashCol = lineIndent(text, last.s);
  const lines = emit([item], dashCol, st);
  const at = endOfNodeLine(text, last);
  return { s: at, e: at, text: `${st.eol}${lines.join(st.eol)}` };
}

/** Replaces a scalar's content, keeping its quotes. */
export function replaceScalar(text: string, n: PNode, value: string): Edit {
  const src = text.slice(n.s, n.e);
  if ((src.startsWith('"') && src.endsWith('"')) || (src.startsWith("'") && src.endsWith("'"))) {
    return { s: n.s + 1, e: n.e - 1, text: value };
  }
  return { s: n.s, e: n.e, text: value };
}
