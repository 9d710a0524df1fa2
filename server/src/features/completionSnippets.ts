// Whole-document snippets (the schema's `snippets` of every kind), written as YAML in the file's
// indentation style, with tab stops for the name and choices of the workspace's namespaces. Pure.

import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind } from 'vscode-languageserver-types';
import { fieldAt, KINDS, type KindSchema, type Snippet, type SnippetHole, type SnippetValue } from '../schema';
import { type Ctx, editRange, policyNamespace, quoteIfNeeded, snippetEscape } from './completionItems';

type Entries = ReadonlyArray<readonly [string, SnippetValue]>;

/** What the holes of the snippets are filled with. */
interface Fill {
  readonly snippet: Snippet;
  /** A choice of namespaces as a snippet placeholder with tab stop `i`. */
  readonly nsChoice: (i: number) => string;
  readonly dns: Ctx['fc']['settings']['dns'];
}

function isHole(v: SnippetValue): v is SnippetHole {
  return typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'hole' in v;
}

/** A hole that stands for a map: its entries (written as they are, quoted where YAML needs it). */
function holeEntries(h: SnippetHole, f: Fill): Entries | undefined {
  if (h.hole !== 'dnsPodLabels') return undefined;
  return Object.entries(f.dns.podLabels).map(([k, v]) => [quoteIfNeeded(k), quoteIfNeeded(v)] as const);
}

function holeScalar(h: SnippetHole, f: Fill): string {
  switch (h.hole) {
    case 'name':
      return `\${1:${f.snippet.name}}`;
    case 'namespace':
      return f.nsChoice(2);
    case 'peerNamespace':
      return f.nsChoice(3);
    case 'dnsNamespace':
      return snippetEscape(quoteIfNeeded(f.dns.namespace));
    case 'dnsPort':
      return String(f.dns.port);
    case 'dnsPodLabels':
      return '{}';
  }
}

function scalar(v: SnippetValue, f: Fill): string {
  return isHole(v) ? holeScalar(v, f) : snippetEscape(String(v));
}

/** The entries of a map value, or undefined when the value is a scalar (or a list). */
function mapEntries(v: SnippetValue, f: Fill): Entries | undefined {
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  return isHole(v) ? holeEntries(v, f) : Object.entries(v);
}

/**
 * The lines of `key: value` with the key at column `col`; `first` replaces the indentation of
 * the first line (the "- " of a list item).
 */
function entryLines(key: string, v: SnippetValue, col: number, c: Ctx, f: Fill, first?: string): string[] {
  const head = `${first ?? ' '.repeat(col)}${snippetEscape(key)}:`;
  const unit = c.style.unit;
  const seq = c.style.seqIndented ? unit : 0;
  if (Array.isArray(v)) {
    return [head, ...v.flatMap((item: SnippetValue) => itemLines(item, col + seq, c, f))];
  }
  const entries = mapEntries(v, f);
  if (!entries) return [`${head} ${scalar(v, f)}`];
  if (!entries.length && !isHole(v)) return [`${head} {}`];
  return [head, ...entries.flatMap(([k, x]) => entryLines(k, x, col + unit, c, f))];
}

/** A list item with its "- " at column `col`; a map item's keys line up after the "- ". */
function itemLines(item: SnippetValue, col: number, c: Ctx, f: Fill): string[] {
  const dash = `${' '.repeat(col)}- `;
  const entries = mapEntries(item, f);
  if (!entries) return [`${dash}${scalar(item, f)}`];
  return entries.flatMap(([k, x], i) => entryLines(k, x, col + 2, c, f, i === 0 ? dash : undefined));
}

function body(kind: KindSchema, s: Snippet, c: Ctx, f: Fill): string[] {
  const meta: Record<string, SnippetValue> = { name: { hole: 'name' } };
  // a namespaced kind (cluster-scoped kinds accept the field but ignore it: not offered)
  const nsField = fieldAt(kind, ['metadata', 'namespace']);
  if (nsField && nsField.offer !== false) meta.namespace = { hole: 'namespace' };
  const doc: Record<string, SnippetValue> = {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: meta,
    spec: s.spec,
  };
  return Object.entries(doc).flatMap(([k, v]) => entryLines(k, v, 0, c, f));
}

/** The snippets of every kind, at the top of a document without a kind. */
export function snippetItems(c: Ctx): void {
  const nsNames = [...c.fc.world.namespaces.keys()].filter((n) => /^[a-z0-9.-]+$/.test(n)).sort();
  const here = policyNamespace(c);
  const nsChoice = (i: number): string =>
    nsNames.length
      ? `\${${i}|${[here, ...nsNames.filter((n) => n !== here)].slice(0, 30).join(',')}|}`
      : `\${${i}:${snippetEscape(here)}}`;
  const dns = c.fc.settings.dns;
  let i = 0;
  for (const kind of KINDS) {
    for (const s of kind.snippets ?? []) {
      const text = body(kind, s, c, { snippet: s, nsChoice, dns }).join('\n');
      const detail = s.detail.replace('{dnsPort}', String(dns.port)).replace('{dnsNamespace}', dns.namespace);
      c.items.push({
        label: s.label,
        kind: CompletionItemKind.Snippet,
        detail,
        documentation: {
          kind: MarkupKind.Markdown,
          value: `\`\`\`yaml\n${text.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1')}\n\`\`\``,
        },
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.adjustIndentation,
        textEdit: { range: editRange(c), newText: text },
        filterText: `${s.label} ${kind.kind.toLowerCase()} ${detail}`,
        sortText: `zz${i++}`,
      });
    }
  }
}
