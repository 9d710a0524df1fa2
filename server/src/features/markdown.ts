// Markdown for hovers and tooltips: escaping, inline code, capped bullet lists, and links to the
// manifest line of a workload, a policy or a namespace.

import type { NormPolicy } from '../analysis/policy';
import type { NamespaceInfo, Workload } from '../analysis/world';
import type { ManifestDocument } from '../model/document';
import { nameSpan } from '../model/spans';
import { fileName } from '../model/words';

/** Cap on items listed in one hover section. */
export const LIST_MAX = 8;

const MD_SPECIAL = /[\\`*_[\]<>|~]/g;

/** Text for Markdown, with its special characters escaped. */
export function esc(text: string): string {
  return text.replace(MD_SPECIAL, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks inside. */
export function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  if (!t.includes('`')) return `\`${t}\``;
  return `\`\` ${t} \`\``;
}

/** A Markdown link to a line of a file: `[label](uri#Lline)` (1-based line). */
function lineLink(label: string, uri: string, doc: ManifestDocument, offset: number): string {
  const line = doc.positionAt(offset).line + 1;
  return `[${esc(label)}](${uri.replace(/[()\s]/g, (c) => encodeURIComponent(c))}#L${line})`;
}

/** `[ns/name](file#L3) Deployment · file.yaml` */
export function workloadLine(w: Workload): string {
  const src = w.sources[0];
  const label = `${w.namespace}/${w.name}`;
  if (!src) return `${esc(label)} ${esc(w.kind)}`;
  const n = nameSpan(src);
  return `${lineLink(label, src.uri, src.doc, n.s)} ${esc(w.kind)} · ${esc(fileName(src.uri))}`;
}

export function policyLink(p: NormPolicy, label = `${p.namespace}/${p.name || '(no name)'}`): string {
  const n = nameSpan(p.obj);
  return lineLink(label, p.obj.uri, p.obj.doc, n.s);
}

export function namespaceLink(ns: NamespaceInfo): string {
  if (!ns.declared) return code(ns.name);
  const n = nameSpan(ns.declared);
  return lineLink(ns.name, ns.declared.uri, ns.declared.doc, n.s);
}

/** A bullet list of the first `max` items (formatted lazily), with "and N more". */
export function bullets<T>(items: readonly T[], fmt: (x: T) => string, max = LIST_MAX): string[] {
  const out = items.slice(0, max).map((i) => `- ${fmt(i)}`);
  if (items.length > max) out.push(`- … and ${items.length - max} more`);
  return out;
}
