// A tolerant lexer for YAML block structure, line by line: what a line starts with (`- `
// markers, then a `key:` or a plain word), the keys and sequence indexes above a line read from
// the indentation, the keys of the block map around a line, and the position in an unterminated
// flow collection. It reads text the parser rejects (a document broken mid-edit, a half-typed key
// that the parser merges into the next one), which is what completion needs. Nothing here parses
// the whole document: the callers read a few lines around one.

import { isDocumentSeparator, type LineTable } from './lines';

/** A step of a path: a map key or a sequence index. */
export type PathSeg = string | number;

/** One element of a line. */
export interface LineElem {
  readonly type: 'dash' | 'key' | 'word';
  readonly col: number;
  /** Index in the line's text. */
  readonly at: number;
  /** key name (type key) or the text (type word). */
  readonly text?: string;
  /** For keys: text after the colon (trimmed, comments dropped). */
  readonly rest?: string;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:{}[\],"'&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;

function unquote(k: string): string {
  if (k.startsWith('"') && k.endsWith('"') && k.length >= 2) {
    try {
      return JSON.parse(k) as string;
    } catch {
      return k.slice(1, -1);
    }
  }
  if (k.startsWith("'") && k.endsWith("'") && k.length >= 2) return k.slice(1, -1).replace(/''/g, "'");
  return k;
}

/** Tab stops for reading indentation with tabs (YAML forbids them; editors show them this wide). */
const TAB = 4;

/** Visual columns of the characters of a line (tabs expanded). */
function columns(line: string): number[] {
  const cols: number[] = [];
  let c = 0;
  for (let i = 0; i <= line.length; i++) {
    cols.push(c);
    c = line[i] === '\t' ? c + TAB - (c % TAB) : c + 1;
  }
  return cols;
}

/** The visual width of a text (tabs expanded to the next tab stop). */
export function visualWidth(text: string): number {
  return text.includes('\t') ? columns(text)[text.length] : text.length;
}

/** The block structure of one line: `- ` markers, then a `key:` or a word. null for blank/comment lines. */
export function lineElems(line: string): LineElem[] | null {
  const out: LineElem[] = [];
  const cols = line.includes('\t') ? columns(line) : null;
  const colOf = (i: number): number => (cols ? cols[i] : i);
  let i = 0;
  const n = line.length;
  const skipWs = (): void => {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
  };
  skipWs();
  if (i >= n || line[i] === '#') return null;
  for (;;) {
    if (line[i] === '-' && (i + 1 >= n || line[i + 1] === ' ' || line[i + 1] === '\t')) {
      out.push({ type: 'dash', col: colOf(i), at: i });
      i++;
      skipWs();
      if (i >= n || line[i] === '#') return out;
      continue;
    }
    break;
  }
  const restText = line.slice(i);
  const m = KEY_RE.exec(restText);
  if (m) {
    let rest = restText.slice(m[0].length);
    const hash = rest.search(/(^|[ \t])#/);
    if (hash !== -1) rest = rest.slice(0, hash);
    out.push({ type: 'key', col: colOf(i), at: i, text: unquote(m[1].trim()), rest: rest.trim() });
  } else out.push({ type: 'word', col: colOf(i), at: i, text: restText.replace(/[ \t]+#.*$/, '').trimEnd() });
  return out;
}

/** An element of the block structure: a key or a `- ` marker, at a visual column. */
export interface BlockElement {
  readonly type: 'key' | 'dash';
  readonly col: number;
}

/**
 * The path of the parents of the element `first` on line `fromLine`, read from the indentation
 * of the lines above it (up to a document separator): the keys of the enclosing maps and the
 * indexes of the enclosing sequence items (counted from the `- ` markers above). Returns the path
 * from the document root (outermost first); for a `first` dash, its own index ends the path.
 */
export function parentPath(lines: LineTable, fromLine: number, first: BlockElement): PathSeg[] {
  const rev: PathSeg[] = [];
  let need: BlockElement = first;
  let count = 0;
  // an element chain elems[0..k] of a line becomes ancestors: push from the right
  const enter = (elems: LineElem[], k: number): void => {
    for (let j = k; j >= 1; j--) {
      const e = elems[j];
      if (e.type === 'key') rev.push(e.text!);
      else if (e.type === 'dash') rev.push(0); // a dash after another one starts its sequence
    }
    const e0 = elems[0];
    if (e0.type === 'key') {
      rev.push(e0.text!);
      need = { type: 'key', col: e0.col };
    } else {
      need = { type: 'dash', col: e0.col };
      count = 0;
    }
  };
  const finishNeed = (): void => {
    if (need.type === 'dash') rev.push(count);
  };
  for (let l = fromLine - 1; l >= 0; l--) {
    const text = lines.line(l);
    if (isDocumentSeparator(text)) break;
    const elems = lineElems(text);
    if (!elems) continue;
    for (let j = elems.length - 1; j >= 0; j--) {
      const e = elems[j];
      if (e.col > need.col) continue;
      if (e.col === need.col) {
        if (need.type === 'key' && e.type === 'key') {
          // a sibling key of the same map: the elements left of it are the map's ancestors
          if (j > 0) {
            finishNeed();
            enter(elems, j - 1);
          }
          break;
        }
        if (need.type === 'dash' && e.type === 'dash') {
          count++;
          if (j > 0) {
            finishNeed();
            enter(elems, j - 1);
          }
          break;
        }
        if (need.type === 'dash' && e.type === 'key' && j === elems.length - 1 && !e.rest) {
          // `key:` with its sequence flush below it
          finishNeed();
          enter(elems, j);
          break;
        }
        // same column, other kind: content of a sibling (e.g. a flush sequence); skip the line
        break;
      }
      // e.col < need.col: the parent
      if (e.type === 'word') break; // a scalar cannot be a parent: broken text, skip the line
      finishNeed();
      enter(elems, j);
      break;
    }
  }
  finishNeed();
  return rev.reverse();
}

/** Keys of the block map at column `col` that contains line `line`, from the lines above and below (best effort). */
export function siblingKeys(lines: LineTable, line: number, col: number): Set<string> {
  const out = new Set<string>();
  for (let l = line - 1; l >= 0; l--) {
    const text = lines.line(l);
    if (isDocumentSeparator(text)) break;
    const elems = lineElems(text);
    if (!elems) continue;
    const hit = elems.find((e) => e.col === col);
    if (hit && hit.type === 'key') {
      out.add(hit.text!);
      if (hit !== elems[0]) break; // `- key:` starts this map
      continue;
    }
    if (elems[0].col < col || (hit && hit.type === 'dash')) break;
  }
  for (let l = line + 1; l < lines.count; l++) {
    const text = lines.line(l);
    if (isDocumentSeparator(text)) break;
    const elems = lineElems(text);
    if (!elems) continue;
    const first = elems[0];
    if (first.col < col || (first.col === col && first.type === 'dash')) break;
    if (first.col === col && first.type === 'key') out.add(first.text!);
  }
  return out;
}

/** Where the end of a text is inside the flow collections it opens. */
export interface FlowPosition {
  /** Keys and indexes entered, outermost first (ending with the key when `on` is `value`). */
  readonly path: PathSeg[];
  readonly on: 'key' | 'value';
  /** At an item of a flow sequence. */
  readonly inSeq: boolean;
  /** The partial key, value or item before the end. */
  readonly prefix: string;
}

/**
 * Scans the flow collections a text opens (`{a: [b, {c: ` ...) and gives the position at its end;
 * null when no collection is open at the end.
 */
export function flowPath(text: string): FlowPosition | null {
  const stack: Array<{ t: 'map' | 'seq'; key?: string; afterColon: boolean; index: number }> = [];
  let token = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else token += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      token = '';
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      stack.push({ t: c === '{' ? 'map' : 'seq', afterColon: false, index: 0 });
      token = '';
    } else if (c === '}' || c === ']') {
      stack.pop();
      token = '';
    } else if (c === ',') {
      if (top) {
        top.afterColon = false;
        top.key = undefined;
        top.index++;
      }
      token = '';
    } else if (
      c === ':' &&
      top &&
      top.t === 'map' &&
      (i + 1 >= text.length || /[\s,{}[\]]/.test(text[i + 1]) || text[i + 1] === '"')
    ) {
      top.key = token.trim();
      top.afterColon = true;
      token = '';
    } else if (/\s/.test(c)) {
      if (token.trim()) token += c;
    } else token += c;
  }
  if (!stack.length) return null;
  const path: PathSeg[] = [];
  for (let i = 0; i < stack.length; i++) {
    const f = stack[i];
    const isLast = i === stack.length - 1;
    if (f.t === 'seq') path.push(f.index);
    else if (f.afterColon && f.key !== undefined) {
      if (isLast) break;
      path.push(f.key);
    } else if (!isLast) return null; // a collection in key position: unusual; give up
  }
  const top = stack[stack.length - 1];
  if (top.t === 'map') {
    if (top.afterColon && top.key !== undefined) {
      return { path: [...path, top.key], on: 'value', inSeq: false, prefix: token.trim() };
    }
    return { path, on: 'key', inSeq: false, prefix: token.trim() };
  }
  path.pop();
  return { path, on: 'key', inSeq: true, prefix: token.trim() };
}
