// What is at a position: the document, the Kubernetes object, the path of keys and indexes from
// the object's root to the node, and whether the cursor is on a key or a value.
//
// Two readings. `treeCursor` walks the parsed tree: exact, and what hovers and navigation use.
// `lineCursor` reads the text around the cursor with the tolerant lexer of model/lexer.ts
// (indentation, `key:` and `- ` markers, an unterminated flow map on the line): it works while the
// document is broken mid-edit, where the tree is missing or wrong (a half-typed key turns
// `pol\n  ingress:` into the key `pol ingress`), and is what completion uses.

import { documentObjects } from '../analysis/world';
import { documentAtLine, type ManifestDocument, type ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';
import {
  type BlockElement,
  flowPath,
  lineElems,
  parentPath,
  type PathSeg,
  siblingKeys,
  visualWidth,
} from '../model/lexer';
import { get, type PEntry, type PNode, str } from '../model/tree';

export type { PathSeg };

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

const WORD_CHAR = /[A-Za-z0-9_./-]/;

/** The word (label-ish characters) around column `col` of a line: [start, end). */
function wordAround(line: string, col: number): [number, number] {
  let ws = col;
  while (ws > 0 && WORD_CHAR.test(line[ws - 1])) ws--;
  let we = col;
  while (we < line.length && WORD_CHAR.test(line[we])) we++;
  return [ws, we];
}

/** What the cursor line says before the cursor. */
interface LineHead {
  /** The line's first element, whose parents the lines above give. */
  readonly first: BlockElement;
  /** Keys and `- ` markers (as 0) from the first element to the one the cursor is in. */
  readonly chain: readonly PathSeg[];
  readonly on: 'key' | 'value';
  readonly column: number;
  readonly inSeqItem: boolean;
  /** The cursor follows a `- ` marker directly. */
  readonly afterDash: boolean;
  /** After `key:`: the text between the colon and the cursor. */
  readonly valueText: string;
}

function readLineHead(before: string): LineHead {
  const elems = lineElems(before) ?? [];
  const last = elems[elems.length - 1];
  const key = { on: 'key', inSeqItem: false, afterDash: false, valueText: '' } as const;
  if (!elems.length || (elems.length === 1 && last.type === 'word')) {
    const column = elems.length ? last.col : visualWidth(before);
    return { ...key, first: { type: 'key', col: column }, chain: [], column };
  }
  const first: BlockElement = { type: elems[0].type === 'dash' ? 'dash' : 'key', col: elems[0].col };
  const chain: PathSeg[] = [];
  for (const e of elems.slice(0, -1)) {
    if (e.type === 'dash') chain.push(0);
    else if (e.type === 'key') chain.push(e.text!);
  }
  if (last.type === 'key') {
    const colon = before.indexOf(':', last.at + (last.text?.length ?? 0));
    const valueText = colon === -1 ? '' : before.slice(colon + 1);
    return { ...key, first, chain: [...chain, last.text!], on: 'value', column: 0, valueText };
  }
  if (last.type === 'dash') {
    return { ...key, first, chain, column: visualWidth(before), inSeqItem: true, afterDash: true };
  }
  return { ...key, first, chain, column: last.col, inSeqItem: elems[elems.length - 2]?.type === 'dash' };
}

type CursorBase = Pick<LineCursor, 'doc' | 'offset' | 'replaceStart' | 'replaceEnd'>;

/** The cursor after `key:`: in a flow collection written on the line, or in a plain value. */
function valueCursor(base: CursorBase, path: PathSeg[], head: LineHead, cursorAt: number): LineCursor {
  // a comment after the value is not part of it
  const hash = head.valueText.search(/(^|[ \t])#/);
  const value = hash === -1 ? head.valueText : head.valueText.slice(0, hash);
  const flow = /[{[]/.test(value) ? flowPath(value) : null;
  const common = { ...base, column: head.column, siblings: new Set<string>() };
  if (flow) {
    return {
      ...common,
      path: [...path, ...flow.path],
      on: flow.on,
      prefix: flow.prefix,
      inSeqItem: flow.inSeq,
      inFlow: true,
    };
  }
  const trimmed = value.trimStart();
  const qs = trimmed.startsWith('"') || trimmed.startsWith("'") ? 1 : 0;
  const prefix = trimmed.slice(qs);
  const replaceStart = Math.min(cursorAt - prefix.length, base.replaceStart);
  return { ...common, replaceStart, path, on: 'value', prefix, inSeqItem: false, inFlow: false };
}

/** Reads the text around a position (tolerant of broken documents). */
export function lineCursor(file: ManifestFile, pos: Position): LineCursor | undefined {
  const at = locate(file, pos);
  if (!at) return undefined;
  const { doc, offset } = at;
  const lines = doc.lines;
  const l = lines.lineOf(offset);
  const full = lines.line(l);
  const lineStart = lines.starts[l];
  const col = Math.min(offset - lineStart, full.length);
  const before = full.slice(0, col);
  const [ws, we] = wordAround(full, col);
  const base: CursorBase = { doc, offset, replaceStart: lineStart + ws, replaceEnd: lineStart + we };
  const head = readLineHead(before);
  // the first element's index comes from parentPath (the `- ` markers above); the chain's leading
  // 0 is that dash; dashes later on the line start their sequence
  const parents = parentPath(lines, l, head.first);
  const path = [...parents, ...(head.first.type === 'dash' ? head.chain.slice(1) : head.chain)];
  if (head.on === 'value') return valueCursor(base, path, head, lineStart + col);
  const siblings = head.afterDash ? new Set<string>() : siblingKeys(lines, l, head.column);
  const prefix = before.slice(ws);
  return { ...base, path, on: 'key', prefix, column: head.column, inSeqItem: head.inSeqItem, inFlow: false, siblings };
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
