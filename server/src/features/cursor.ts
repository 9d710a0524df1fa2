// What is at a position: the document, the Kubernetes object, the path of keys and indexes from
// the object's root to the node, and whether the cursor is on a key or a value.
//
// Two readings. `treeCursor` walks the parsed tree: exact, and what hovers and navigation use.
// `lineCursor` reads the text around the cursor (indentation, `key:` and `- ` markers, an
// unterminated flow map on the line): it works while the document is broken mid-edit, where the
// tree is missing or wrong (a half-typed key turns `pol\n  ingress:` into the key `pol ingress`),
// and is what completion uses.

import { documentObjects } from '../analysis/world';
import { documentAtLine, type ManifestDocument, type ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';
import { get, type PEntry, type PNode, str } from '../model/tree';

export type PathSeg = string | number;

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface TreeCursor {
  readonly doc: ManifestDocument;
  /** Document-relative offset. */
  readonly offset: number;
  /** The object that contains the offset (undefined outside any object). */
  readonly obj?: K8sObject;
  /** Keys and indexes from the object's root (or the document root) to the innermost node. */
  readonly path: readonly PathSeg[];
  /** nodes[0] is the root; nodes[i + 1] is the node at path[i]. */
  readonly nodes: readonly PNode[];
  /** On a map key (`podSelector:`), or on a value (scalar, or inside a collection). */
  readonly on: 'key' | 'value';
  /** The entry whose key or value the cursor is on. */
  readonly entry?: PEntry;
}

function within(off: number, s: number, e: number): boolean {
  return s <= off && off <= e;
}

/** Scalars include the offset right after them; collections end before their end offset. */
function inNode(off: number, n: PNode, s = n.s): boolean {
  return n.t === 'scalar' ? s <= off && off <= n.e : s <= off && off < n.e;
}

/** Where a block sequence item starts, its `- ` marker included. */
function dashOf(text: string, s: number): number {
  let k = s - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
  return k >= 0 && text[k] === '-' ? k : s;
}

/** The document of a file position and the document-relative offset. */
export function locate(file: ManifestFile, pos: Position): { doc: ManifestDocument; offset: number } | undefined {
  const doc = documentAtLine(file, pos.line);
  if (!doc) return undefined;
  return { doc, offset: doc.offsetAt(pos.line, pos.character) };
}

/** The object of a document that contains an offset. */
export function objectAt(file: ManifestFile, doc: ManifestDocument, offset: number): K8sObject | undefined {
  const objs = documentObjects(file.uri, doc);
  if (objs.length === 1 && objs[0].listIndex === undefined) return objs[0];
  let best: K8sObject | undefined;
  for (const o of objs) if (within(offset, o.node.s, o.node.e) && (!best || o.node.s >= best.node.s)) best = o;
  return best;
}

/** Reads the parsed tree at a position. Undefined when the document has no tree. */
export function treeCursor(file: ManifestFile, pos: Position): TreeCursor | undefined {
  const at = locate(file, pos);
  if (!at || !at.doc.tree) return undefined;
  const { doc, offset } = at;
  const obj = objectAt(file, doc, offset);
  const root: PNode = obj ? obj.node : at.doc.tree;
  const path: PathSeg[] = [];
  const nodes: PNode[] = [root];
  let on: 'key' | 'value' = 'value';
  let entry: PEntry | undefined;
  const line = pos.line;
  let n: PNode = root;
  for (let depth = 0; depth < 200; depth++) {
    let next: PNode | undefined;
    if (n.t === 'map') {
      for (const en of n.entries) {
        if (within(offset, en.ks, en.ke) && en.ke > en.ks) {
          path.push(en.key);
          nodes.push(en.value);
          entry = en;
          on = 'key';
          return { doc, offset, obj, path, nodes, on, entry };
        }
        if (en.value.e > en.value.s && inNode(offset, en.value)) {
          path.push(en.key);
          next = en.value;
          entry = en;
          break;
        }
      }
      if (!next) {
        // past the end of the last entry on its own line (trailing spaces after `key:`)
        let cand: PEntry | undefined;
        for (const en of n.entries) if (en.ks <= offset) cand = en;
        const v = cand?.value;
        if (cand && v && offset > cand.ke) {
          if (v.t === 'scalar' && v.v === null && doc.positionAt(cand.ks).line === line) {
            path.push(cand.key);
            nodes.push(v);
            return { doc, offset, obj, path, nodes, on: 'value', entry: cand };
          }
          if (
            v.t !== 'scalar' &&
            v.e <= offset &&
            v.e > v.s &&
            doc.positionAt(v.e - 1).line === line &&
            !/\S/.test(doc.text.slice(v.e, offset))
          ) {
            path.push(cand.key);
            next = v;
            entry = cand;
          }
        }
      }
    } else if (n.t === 'seq') {
      for (let i = 0; i < n.items.length; i++) {
        const it = n.items[i];
        if (inNode(offset, it, dashOf(doc.text, it.s))) {
          path.push(i);
          next = it;
          entry = undefined;
          break;
        }
      }
    }
    if (!next) break;
    nodes.push(next);
    n = next;
  }
  return { doc, offset, obj, path, nodes, on, entry };
}

// ------------------------------------------------------------------------------ line reading

interface LineElem {
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

/** The block structure of one line: `- ` markers, then a `key:` or a word. null for blank/comment lines. */
function lineElems(line: string): LineElem[] | null {
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

export interface LineCursor {
  readonly doc: ManifestDocument;
  readonly offset: number;
  /**
   * Path from the document root to the cursor: the keys of the enclosing maps and the indexes of
   * the enclosing sequence items (indexes are counted from the `- ` markers above).
   */
  readonly path: readonly PathSeg[];
  /**
   * `key`: a key is being typed (or the line is empty): `prefix` is the partial key; `inSeqItem`
   * when the cursor follows a `- ` marker (it could be a scalar item too).
   * `value`: after `key:`; `path` ends with that key; `prefix` is the partial value.
   */
  readonly on: 'key' | 'value';
  readonly prefix: string;
  /** Document-relative offsets of the word to replace (the prefix and the rest of the word). */
  readonly replaceStart: number;
  readonly replaceEnd: number;
  /** Column where a key typed here starts. */
  readonly column: number;
  readonly inSeqItem: boolean;
  /** Inside a flow collection (`{…}` / `[…]`) on this line. */
  readonly inFlow: boolean;
  /** Keys already present in the map the cursor is in (block maps only; best effort). */
  readonly siblings: ReadonlySet<string>;
}

function lineStartsOf(text: string): number[] {
  const ls = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) ls.push(i + 1);
  return ls;
}

function lineText(text: string, ls: number[], l: number): string {
  const end = l + 1 < ls.length ? ls[l + 1] - 1 : text.length;
  let t = text.slice(ls[l], end);
  if (t.endsWith('\r')) t = t.slice(0, -1);
  return t;
}

interface Need {
  type: 'key' | 'dash';
  col: number;
}

/**
 * The path of the parents of an element at `need`, read from the lines above `fromLine`.
 * Returns the path from the document root (outermost first).
 */
function parentPath(lines: (l: number) => string, fromLine: number, first: Need): PathSeg[] {
  const rev: PathSeg[] = [];
  let need: Need = first;
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
    const text = lines(l);
    if (/^(---|\.\.\.)([ \t]|$)/.test(text)) break;
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

/** Keys of the block map at column `col` that contains line `line` (best effort). */
function siblingKeys(lines: (l: number) => string, lineCount: number, line: number, col: number): Set<string> {
  const out = new Set<string>();
  for (let l = line - 1; l >= 0; l--) {
    const text = lines(l);
    if (/^(---|\.\.\.)([ \t]|$)/.test(text)) break;
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
  for (let l = line + 1; l < lineCount; l++) {
    const text = lines(l);
    if (/^(---|\.\.\.)([ \t]|$)/.test(text)) break;
    const elems = lineElems(text);
    if (!elems) continue;
    const first = elems[0];
    if (first.col < col || (first.col === col && first.type === 'dash')) break;
    if (first.col === col && first.type === 'key') out.add(first.text!);
  }
  return out;
}

/** Scans a flow collection on the cursor line: the keys entered and the position. */
function flowPath(text: string): { path: PathSeg[]; on: 'key' | 'value'; inSeq: boolean; prefix: string } | null {
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

const WORD_CHAR = /[A-Za-z0-9_./-]/;

/** Reads the text around a position (tolerant of broken documents). */
export function lineCursor(file: ManifestFile, pos: Position): LineCursor | undefined {
  const at = locate(file, pos);
  if (!at) return undefined;
  const { doc, offset } = at;
  const text = doc.text;
  const ls = lineStartsOf(text);
  const lines = (l: number): string => lineText(text, ls, l);
  const l = doc.positionAt(offset).line - doc.startLine;
  if (l < 0 || l >= ls.length) return undefined;
  const full = lines(l);
  const col = Math.min(offset - ls[l], full.length);
  const before = full.slice(0, col);
  // the word under the cursor, for the replace range
  let ws = col;
  while (ws > 0 && WORD_CHAR.test(before[ws - 1])) ws--;
  let we = col;
  while (we < full.length && WORD_CHAR.test(full[we])) we++;
  const wordPrefix = before.slice(ws);
  const base = {
    doc,
    offset,
    replaceStart: ls[l] + ws,
    replaceEnd: ls[l] + we,
  };
  const elems = lineElems(before) ?? [];
  // the chain of this line, up to the element the cursor is in
  const chain: PathSeg[] = [];
  let first: Need;
  let on: 'key' | 'value' = 'key';
  let column = 0;
  let inSeqItem = false;
  let valueText = '';
  const last = elems[elems.length - 1];
  const visual = before.includes('\t') ? columns(before)[before.length] : before.length;
  if (!elems.length || (elems.length === 1 && last.type === 'word')) {
    column = elems.length ? last.col : visual;
    first = { type: 'key', col: column };
  } else {
    first = { type: elems[0].type === 'dash' ? 'dash' : 'key', col: elems[0].col };
    for (let i = 1; i < elems.length; i++) {
      const e = elems[i - 1];
      if (e.type === 'dash') chain.push(0);
      else if (e.type === 'key') chain.push(e.text!);
    }
    if (last.type === 'key') {
      chain.push(last.text!);
      on = 'value';
      const colon = before.indexOf(':', last.at + (last.text?.length ?? 0));
      valueText = colon === -1 ? '' : before.slice(colon + 1);
    } else if (last.type === 'dash') {
      inSeqItem = true;
      column = visual;
    } else {
      inSeqItem = elems[elems.length - 2]?.type === 'dash';
      column = last.col;
    }
  }
  // indexes: the first element's index comes from parentPath (count of siblings above); dashes
  // later on the line start their sequence
  const parents = parentPath(lines, l, first);
  let path: PathSeg[];
  if (first.type === 'dash') {
    // parentPath pushed the index of the first dash; the chain's leading 0 is that dash
    path = [...parents, ...chain.slice(1)];
  } else path = [...parents, ...chain];
  if (on === 'value') {
    // a comment after the value is not part of it
    const hash = valueText.search(/(^|[ \t])#/);
    const value = hash === -1 ? valueText : valueText.slice(0, hash);
    const flow = /[{[]/.test(value) ? flowPath(value) : null;
    if (flow) {
      return {
        ...base,
        path: [...path, ...flow.path],
        on: flow.on,
        prefix: flow.prefix,
        column,
        inSeqItem: flow.inSeq,
        inFlow: true,
        siblings: new Set(),
      };
    }
    const trimmed = value.trimStart();
    const qs = trimmed.startsWith('"') || trimmed.startsWith("'") ? 1 : 0;
    const prefix = trimmed.slice(qs);
    const start = ls[l] + col - prefix.length;
    return {
      ...base,
      replaceStart: Math.min(start, base.replaceStart),
      path,
      on,
      prefix,
      column,
      inSeqItem: false,
      inFlow: false,
      siblings: new Set(),
    };
  }
  const siblings = inSeqItem && last.type === 'dash' ? new Set<string>() : siblingKeys(lines, ls.length, l, column);
  return { ...base, path, on, prefix: wordPrefix, column, inSeqItem, inFlow: false, siblings };
}

// ------------------------------------------------------------------------------ objects by path

/** The kind of the object that a document path is in, read from the tree or the text. */
export function kindAtPath(
  doc: ManifestDocument,
  path: readonly PathSeg[],
): { kind?: string; objPath: readonly PathSeg[]; itemIndex?: number } {
  const tree = doc.tree;
  const rootKind = str(get(tree ?? undefined, 'kind')) ?? /^kind:[ \t]*["']?([A-Za-z]+)/m.exec(doc.text)?.[1];
  if (rootKind && rootKind.endsWith('List') && path[0] === 'items' && typeof path[1] === 'number') {
    const items = get(tree ?? undefined, 'items');
    const item = items && items.t === 'seq' ? items.items[path[1]] : undefined;
    const k = str(get(item, 'kind')) ?? (rootKind === 'List' ? undefined : rootKind.slice(0, -4));
    return { kind: k, objPath: path.slice(2), itemIndex: path[1] };
  }
  return { kind: rootKind, objPath: path };
}

/** Does a path match a pattern? `*` matches any key, `#` any index. */
export function pathIs(path: readonly PathSeg[], pattern: readonly (string | '*' | '#')[]): boolean {
  if (path.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = path[i];
    if (p === '#') {
      if (typeof s !== 'number') return false;
    } else if (p === '*') {
      if (typeof s !== 'string') return false;
    } else if (s !== p) return false;
  }
  return true;
}

/** Does a path start with a pattern? */
export function pathStarts(path: readonly PathSeg[], pattern: readonly (string | '*' | '#')[]): boolean {
  return path.length >= pattern.length && pathIs(path.slice(0, pattern.length), pattern);
}
