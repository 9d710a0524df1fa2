// What every completion step shares: the context of one request, and the items it builds (keys
// from schema fields, values, with the edit range and YAML quoting worked out once). Pure.

import type { CompletionItem } from 'vscode-languageserver-types';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind } from 'vscode-languageserver-types';
import type { ManifestDocument } from '../model/document';
import type { K8sObject } from '../model/resources';
import { get, type PNode } from '../model/tree';
import { type FieldSpec, type KindSchema, objectTypeOf } from '../schema';
import type { LineCursor, PathSeg } from './cursor';
import { type FeatureContext } from './context';
import { rangeIn } from '../model/spans';
import type { Style } from './yamlEdit';

export interface Ctx {
  readonly fc: FeatureContext;
  readonly lc: LineCursor;
  readonly doc: ManifestDocument;
  readonly style: Style;
  readonly obj?: K8sObject;
  readonly kind?: string;
  /** The schema of the document's kind, when it has one. */
  readonly schema?: KindSchema;
  readonly objPath: readonly PathSeg[];
  readonly items: CompletionItem[];
}

/** How a field's value is written, which decides what completing its key inserts. */
type Shape = 'scalar' | 'map' | 'seqmap' | 'seqscalar' | 'labels';

export function shapeOf(f: FieldSpec): Shape {
  const t = f.type;
  if (typeof t === 'string') return 'scalar';
  if ('list' in t) return objectTypeOf(t.list) ? 'seqmap' : 'seqscalar';
  if ('stringMap' in t) return f.format === 'labels' ? 'labels' : 'map';
  return 'map';
}

export function editRange(c: Ctx): {
  start: { line: number; character: number };
  end: { line: number; character: number };
} {
  return rangeIn(c.doc, c.lc.replaceStart, c.lc.replaceEnd);
}

function needsSpace(c: Ctx): boolean {
  const t = c.doc.text;
  return c.lc.replaceStart > 0 && t[c.lc.replaceStart - 1] === ':';
}

export function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, (x) => `\\${x}`);
}

export function quoteIfNeeded(v: string): string {
  if (v === '') return '""';
  // values YAML would read as something other than a string, or that need quoting
  if (
    /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/.test(v)
  ) {
    return `"${v}"`;
  }
  if (/^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o?[0-7]+|\.inf|\.nan)$/i.test(v)) {
    return `"${v}"`;
  }
  if (/^[\s\-?:,[\]{}#&*!|>'"%@`]|[:#]\s|\s$/.test(v)) return JSON.stringify(v);
  return v;
}

export function valueItem(
  c: Ctx,
  label: string,
  kind: CompletionItemKind,
  detail?: string,
  doc?: string,
  sort?: number,
  insert = label,
): void {
  const text = `${needsSpace(c) ? ' ' : ''}${insert}`;
  const item: CompletionItem = { label, kind, textEdit: { range: editRange(c), newText: text }, filterText: label };
  if (detail) item.detail = detail;
  if (doc) item.documentation = { kind: MarkupKind.Markdown, value: doc };
  if (sort !== undefined) item.sortText = `${String(sort).padStart(6, '0')}_${label}`;
  c.items.push(item);
}

function keyInsert(c: Ctx, name: string, f: FieldSpec): string {
  if (c.lc.inFlow) return `${name}: $0`;
  const u = ' '.repeat(c.style.unit);
  const seqIn = c.style.seqIndented ? u : '';
  switch (shapeOf(f)) {
    case 'scalar':
      return f.enum ? `${name}: \${1|${f.enum.join(',')}|}` : `${name}: $0`;
    case 'map':
    case 'labels':
      return `${name}:\n${u}$0`;
    case 'seqmap':
      return `${name}:\n${seqIn}- $0`;
    case 'seqscalar':
      return f.enum ? `${name}:\n${seqIn}- \${1|${f.enum.join(',')}|}` : `${name}:\n${seqIn}- $0`;
  }
}

/** The keys of an object that are not written yet (nor below the cursor), as schema order has them. */
export function keyItems(c: Ctx, fields: Readonly<Record<string, FieldSpec>>): void {
  for (const [name, f] of Object.entries(fields)) {
    if (c.lc.siblings.has(name) || f.offer === false) continue;
    const shape = shapeOf(f);
    c.items.push({
      label: name,
      kind: CompletionItemKind.Property,
      detail: shape === 'scalar' ? 'field' : shape === 'seqmap' || shape === 'seqscalar' ? 'list' : 'map',
      documentation: { kind: MarkupKind.Markdown, value: f.doc },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
      textEdit: { range: editRange(c), newText: keyInsert(c, name, f) },
      filterText: name,
    });
  }
}

/** The values of an enum, in schema order (`insert` prefixes each, e.g. "- " for a new list item). */
export function enumItems(c: Ctx, values: readonly string[], skip: ReadonlySet<string> = new Set(), insert = ''): void {
  values.forEach((v, i) => {
    if (!skip.has(v)) valueItem(c, v, CompletionItemKind.EnumMember, undefined, undefined, i, `${insert}${v}`);
  });
}

export function policyNamespace(c: Ctx): string {
  if (c.obj) return c.fc.world.namespaceOf(c.obj) || c.fc.world.defaultNamespace;
  // one indented line per repetition (`[ \t]` then the rest of the line): linear, where
  // `[ \t]+[^\n]*` backtracked exponentially over the indented lines of a metadata without namespace
  const m = /^metadata:[^\n]*\n(?:[ \t][^\n]*\n)*?[ \t]+namespace:[ \t]*["']?([A-Za-z0-9.-]+)/m.exec(c.doc.text);
  return m?.[1] ?? c.fc.world.defaultNamespace;
}

/** The tree node at an object path (tolerant: undefined when it is not there). */
export function nodeAtPath(c: Ctx, path: readonly PathSeg[]): PNode | undefined {
  let n: PNode | undefined = c.obj?.node;
  for (const seg of path) {
    if (!n) return undefined;
    if (typeof seg === 'number') n = n.t === 'seq' ? n.items[seg] : undefined;
    else n = get(n, seg);
  }
  return n;
}
