// Files and their documents. A YAML stream is split into documents at `---` / `...` lines before
// parsing, so that each document is parsed on its own: an edit re-parses only the document that
// changed, and a document that merely moved keeps its tree (its spans are relative to its start).

import { parseAllDocuments } from 'yaml';
import { DOC_SEPARATOR, LineTable } from './lines';
import { buildTree, type PNode, type TreeIssue } from './tree';

export type DocumentKind =
  | 'k8s' // a Kubernetes object (or a List of them)
  | 'template' // Helm / Go template text: recognised and left alone
  | 'other' // YAML that is not a Kubernetes object
  | 'empty' // only comments / whitespace
  | 'invalid'; // YAML syntax errors prevent any reading

export interface SyntaxIssue {
  readonly s: number;
  readonly e: number;
  readonly message: string;
  readonly code: string;
}

/** One document of a file. Immutable once parsed except for its position in the file. */
export class ManifestDocument {
  /** Offset and line of the document's first character in the file; updated when it moves. */
  startOffset = 0;
  startLine = 0;
  /** Index of the document in its file. */
  index = 0;
  private table: LineTable | null = null;

  constructor(
    readonly text: string,
    readonly tree: PNode | null,
    readonly kind: DocumentKind,
    readonly syntaxErrors: readonly SyntaxIssue[],
    readonly treeIssues: readonly TreeIssue[],
  ) {}

  /** The lines of the document's text (line 0 is the document's first line), computed once. */
  get lines(): LineTable {
    return (this.table ??= new LineTable(this.text));
  }

  /** Position in the file (0-based line and UTF-16 character) of a document-relative offset. */
  positionAt(offset: number): { line: number; character: number } {
    const table = this.lines;
    const off = Math.max(0, Math.min(offset, this.text.length));
    const l = table.lineOf(off);
    return { line: this.startLine + l, character: off - table.starts[l] };
  }

  /** Document-relative offset of a file position (clamped to the document). */
  offsetAt(line: number, character: number): number {
    const ls = this.lines.starts;
    const l = line - this.startLine;
    if (l < 0) return 0;
    if (l >= ls.length) return this.text.length;
    const end = l + 1 < ls.length ? ls[l + 1] : this.text.length;
    return Math.min(ls[l] + Math.max(0, character), end);
  }

  get lineCount(): number {
    return this.lines.count;
  }
}

export interface ManifestFile {
  readonly uri: string;
  readonly text: string;
  readonly format: 'yaml' | 'json';
  readonly documents: readonly ManifestDocument[];
  /** Set when the file was not parsed at all (too large, binary); the reason. */
  readonly skipped?: string;
}

export interface ParseOptions {
  /** Files larger than this many bytes are skipped. */
  maxFileSize?: number;
  /** Per-document alias expansion budget. */
  nodeBudget?: number;
}

const TEMPLATE = /\{\{[\s\S]*?\}\}|\{\{-|\{%/;

/** Splits a YAML stream into document chunks: [start, end) offsets. Never empty. */
export function splitDocuments(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  let pos = 0;
  let contentSeen = false; // the current chunk holds something other than comments/blank/directives
  const n = text.length;
  while (pos <= n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const c = text.charCodeAt(pos);
    const separator =
      (c === 45 /* - */ || c === 46) /* . */ && DOC_SEPARATOR.test(text.slice(pos, Math.min(eol, pos + 4)));
    if (separator && c === 45) {
      if (contentSeen) {
        out.push([start, pos]);
        start = pos;
      }
      contentSeen = true;
    } else if (separator) {
      out.push([start, eol === n ? n : eol + 1]);
      start = eol === n ? n : eol + 1;
      contentSeen = false;
    } else if (!contentSeen) {
      // comments, blank lines and directives stay with the document that follows them
      const line = text.slice(pos, eol).trim();
      if (line !== '' && !line.startsWith('#') && !line.startsWith('%')) contentSeen = true;
    }
    if (eol === n) break;
    pos = eol + 1;
  }
  if (start < n || out.length === 0) {
    if (out.length && !contentSeen) {
      // trailing comments: keep them with the last document
      const last = out[out.length - 1];
      if (last[1] === start) last[1] = n;
      else out.push([start, n]);
    } else out.push([start, n]);
  }
  return out;
}

function looksBinary(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.1;
}

/**
 * The text with its YAML comments cut off, for template detection: a `#` at the start of a line or
 * after a space or tab starts a comment, unless it is inside a quoted scalar on that line or in
 * the lines of a block scalar (`|`, `>`), which are content.
 */
function withoutComments(text: string): string {
  const lines = text.split('\n');
  let blockParent = -1; // indentation of the line that opened a block scalar, while in it
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const indent = line.length - line.trimStart().length;
    if (blockParent >= 0 && (line.trim() === '' || indent > blockParent)) continue;
    blockParent = -1;
    const cut = commentStart(line);
    if (cut >= 0) lines[n] = line.slice(0, cut);
    if (/(?:^|\s)[|>][-+0-9]*\s*$/.test(lines[n])) blockParent = indent;
  }
  return lines.join('\n');
}

/** Where the comment of a line starts, or -1. */
function commentStart(line: string): number {
  let quote = '';
  let prev = ''; // the last character that is not a space, outside quotes
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote && quote === "'" && line[i + 1] === "'") i++;
      else if (c === quote) quote = '';
      prev = c;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
    // a quote starts a quoted scalar only where a value can start
    if ((c === '"' || c === "'") && (prev === '' || ':-[{,?'.includes(prev))) quote = c;
    if (c !== ' ' && c !== '\t') prev = c;
  }
  return -1;
}

function describeParseFailure(e: unknown): string {
  if (e instanceof RangeError) return 'the document is nested too deeply to be analysed';
  return `the document cannot be read: ${(e as Error)?.message ?? String(e)}`;
}

/** Parses one document chunk. Never throws. */
export function parseDocument(text: string, opts: ParseOptions = {}): ManifestDocument {
  if (text.includes('{{') && TEMPLATE.test(withoutComments(text))) {
    return new ManifestDocument(text, null, 'template', [], []);
  }
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false, keepSourceTokens: false });
  } catch (e) {
    return new ManifestDocument(
      text,
      null,
      'invalid',
      [{ s: 0, e: Math.min(text.length, 1), message: describeParseFailure(e), code: 'parse' }],
      [],
    );
  }
  const list = Array.isArray(docs) ? docs : [];
  const errors: SyntaxIssue[] = [];
  const treeIssues: TreeIssue[] = [];
  let tree: PNode | null = null;
  let extra = false;
  for (const d of list) {
    for (const err of d.errors) {
      const msg = /Maximum call stack/.test(err.message)
        ? 'the document is nested too deeply to be analysed'
        : err.message.split('\n')[0];
      errors.push({ s: err.pos[0], e: Math.max(err.pos[1], err.pos[0] + 1), message: msg, code: err.code });
    }
    if (d.contents === null || d.contents === undefined) continue;
    if (tree === null) {
      try {
        tree = buildTree(d, text, treeIssues, opts.nodeBudget);
      } catch (e) {
        errors.push({ s: 0, e: 1, message: describeParseFailure(e), code: 'parse' });
      }
    } else if (!extra) {
      extra = true;
      const r = d.contents.range ?? [0, 1];
      errors.push({ s: r[0], e: r[1], message: 'a second document in one chunk is ignored', code: 'extra-document' });
    }
  }
  let kind: DocumentKind;
  if (tree === null || (tree.t === 'scalar' && tree.v === null)) kind = errors.length ? 'invalid' : 'empty';
  else if (tree.t !== 'map') kind = 'other';
  else {
    let hasKind = false;
    let hasApi = false;
    for (const en of tree.entries) {
      if (en.key === 'kind') hasKind = true;
      else if (en.key === 'apiVersion') hasApi = true;
    }
    kind = hasKind || hasApi ? 'k8s' : 'other';
  }
  return new ManifestDocument(text, tree, kind, errors, treeIssues);
}

const isJsonPath = (uri: string): boolean => /\.json$/i.test(uri);

/**
 * Parses a whole file. `previous` (the same file before an edit) lets unchanged documents be
 * reused: only chunks whose text changed are parsed again.
 */
export function parseFile(uri: string, text: string, opts: ParseOptions = {}, previous?: ManifestFile): ManifestFile {
  const format = isJsonPath(uri) ? 'json' : 'yaml';
  const max = opts.maxFileSize ?? 32 * 1024 * 1024;
  if (text.length > max) {
    return {
      uri,
      text,
      format,
      documents: [],
      skipped: `the file is larger than the limit (${(text.length / 1048576).toFixed(1)} MB > ${(max / 1048576).toFixed(1)} MB)`,
    };
  }
  if (looksBinary(text)) {
    return { uri, text, format, documents: [], skipped: 'the file looks binary, not YAML or JSON' };
  }
  const chunks: Array<[number, number]> = format === 'json' ? [[0, text.length]] : splitDocuments(text);
  const prevDocs = previous && !previous.skipped ? previous.documents : [];
  // An edit changes a few documents: those before it (same offsets) and after it (shifted) are
  // matched in place by comparing text, and only the documents in between are looked up by text
  // (documents that moved keep their trees too) or parsed again.
  const n = chunks.length;
  const m = prevDocs.length;
  const same = (d: ManifestDocument, [s, e]: [number, number]): boolean =>
    d.text.length === e - s && d.text === text.slice(s, e);
  let head = 0;
  while (head < n && head < m && same(prevDocs[head], chunks[head])) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && same(prevDocs[m - 1 - tail], chunks[n - 1 - tail])) tail++;
  const reuse = new Map<string, ManifestDocument[]>();
  for (let i = head; i < m - tail; i++) {
    const d = prevDocs[i];
    const l = reuse.get(d.text);
    if (l) l.push(d);
    else reuse.set(d.text, [d]);
  }
  const documents: ManifestDocument[] = prevDocs.slice(0, head);
  let line = head ? prevDocs[head - 1].startLine : 0;
  let lastEnd = head ? chunks[head - 1][0] : 0;
  for (let k = head; k < n; k++) {
    const [s, e] = chunks[k];
    // count lines between the previous chunk start and this one
    for (let i = text.indexOf('\n', lastEnd); i !== -1 && i < s; i = text.indexOf('\n', i + 1)) line++;
    lastEnd = s;
    if (k >= n - tail) {
      // the unchanged documents after the edit: shift them all by the same number of lines
      const delta = line - prevDocs[m - n + k].startLine;
      for (let j = k; j < n; j++) {
        const doc = prevDocs[m - n + j];
        doc.startOffset = chunks[j][0];
        doc.startLine += delta;
        doc.index = j;
        documents.push(doc);
      }
      break;
    }
    const chunk = text.slice(s, e);
    const candidates = reuse.get(chunk);
    const doc = candidates && candidates.length ? candidates.shift()! : parseDocument(chunk, opts);
    doc.startOffset = s;
    doc.startLine = line;
    doc.index = documents.length;
    documents.push(doc);
  }
  return { uri, text, format, documents };
}

/** The last document whose start (by `key`) is at or before `value`. */
function lastStartingAtOrBefore(
  file: ManifestFile,
  value: number,
  key: (d: ManifestDocument) => number,
): ManifestDocument | undefined {
  const docs = file.documents;
  let lo = 0;
  let hi = docs.length - 1;
  let found: ManifestDocument | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(docs[mid]) <= value) {
      found = docs[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The document that contains a file offset (the last one starting at or before it). */
export function documentAtOffset(file: ManifestFile, offset: number): ManifestDocument | undefined {
  return lastStartingAtOrBefore(file, offset, (d) => d.startOffset);
}

/** The document that contains a file line. */
export function documentAtLine(file: ManifestFile, line: number): ManifestDocument | undefined {
  return lastStartingAtOrBefore(file, line, (d) => d.startLine);
}
