// From a rendered object to the document it came from. The origin names the file; the document is
// the one with the same kind and the object's original name (a name prefix or suffix added by a
// kustomization is allowed for), else the only one of that kind, else the file's first. Helm
// templates are not YAML until rendered: their text is read with every {{ }} action masked (same
// length, so that offsets are the same), which gives a tree good enough to find key paths in, and
// the n-th object rendered from a template is matched with the n-th document of its kind there.

import { type ManifestDocument, type ManifestFile, parseDocument } from '../model/document';
import { get, type PMap, str } from '../model/tree';
import type { Origin } from './types';

/** The source files of a workspace folder, as the caller has them parsed. */
export interface SourceLookup {
  /** The parsed file at a relative path (manifests, kustomization files, templates), if readable. */
  file(rel: string): ManifestFile | undefined;
}

export interface SourceObject {
  readonly rel: string;
  readonly file: ManifestFile;
  /** The source document (for a template: the template's own document; spans are the same). */
  readonly doc: ManifestDocument;
  /** The object's node in `tree` (the masked tree for a template). */
  readonly node?: PMap;
  /** Whether the document was matched by kind and name (not a fallback). */
  readonly exact: boolean;
}

const TEMPLATE_ACTION = /\{\{[\s\S]*?\}\}/g;

/** A template's text with its actions blanked: lines of only actions become spaces, other actions `x`s. */
export function maskTemplate(text: string): string {
  const action = new Uint8Array(text.length);
  for (const m of text.matchAll(TEMPLATE_ACTION)) {
    for (let i = m.index; i < m.index + m[0].length; i++) if (text[i] !== '\n') action[i] = 1;
  }
  const out: string[] = [];
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let actions = false;
    let content = false;
    for (let i = start; i < end; i++) {
      if (action[i]) actions = true;
      else if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\r') content = true;
    }
    // a line of nothing but actions (`{{- if .Values.x }}`, `{{ toYaml . | nindent 4 }}`) becomes blank
    const fill = actions && !content ? ' ' : 'x';
    for (let i = start; i < end; i++) out.push(action[i] ? fill : text[i]);
    if (end < text.length) out.push('\n');
    start = end + 1;
  }
  return out.join('');
}

const maskedCache = new WeakMap<ManifestDocument, ManifestDocument>();

/** The document's tree, masked first when it is a template. */
export function treeDocument(doc: ManifestDocument): ManifestDocument {
  if (doc.kind !== 'template') return doc;
  let m = maskedCache.get(doc);
  if (!m) maskedCache.set(doc, (m = parseDocument(maskTemplate(doc.text))));
  return m;
}

function kindOf(doc: ManifestDocument): string | undefined {
  const t = treeDocument(doc).tree;
  return t && t.t === 'map' ? str(get(t, 'kind')) : undefined;
}

function nameOf(doc: ManifestDocument): string | undefined {
  const t = treeDocument(doc).tree;
  return t && t.t === 'map' ? str(get(get(t, 'metadata'), 'name')) : undefined;
}

/** The best document of `file` for a rendered object of `kind` named `name`. */
function pick(
  docs: readonly ManifestDocument[],
  kind: string,
  name: string | undefined,
  index: number | undefined,
): { doc: ManifestDocument; exact: boolean } | undefined {
  const sameKind = docs.filter((d) => kindOf(d) === kind);
  if (index !== undefined) {
    // a template: its objects in order (a name is usually built from template values)
    const d = sameKind[Math.min(index, sameKind.length - 1)] ?? docs[Math.min(index, docs.length - 1)];
    return d ? { doc: d, exact: sameKind.length > 0 } : undefined;
  }
  if (name !== undefined) {
    const exact = sameKind.find((d) => nameOf(d) === name);
    if (exact) return { doc: exact, exact: true };
    // namePrefix / nameSuffix: the longest source name the rendered name contains
    let best: ManifestDocument | undefined;
    let len = -1;
    for (const d of sameKind) {
      const n = nameOf(d);
      if (n && name.includes(n) && n.length > len) {
        best = d;
        len = n.length;
      }
    }
    if (best) return { doc: best, exact: true };
  }
  if (sameKind.length) return { doc: sameKind[0], exact: sameKind.length === 1 };
  const first = docs.find((d) => d.kind !== 'empty');
  return first ? { doc: first, exact: false } : undefined;
}

/** The source of a rendered object, when its file is in the workspace. */
export function sourceOf(
  origin: Origin,
  kind: string,
  name: string | undefined,
  lookup: SourceLookup,
): SourceObject | undefined {
  if (origin.path === undefined) return undefined;
  const file = lookup.file(origin.path);
  if (!file || !file.documents.length) return undefined;
  const hit = pick(file.documents, kind, name, origin.templateIndex);
  if (!hit) return undefined;
  const tree = treeDocument(hit.doc).tree;
  return {
    rel: origin.path,
    file,
    doc: hit.doc,
    ...(tree && tree.t === 'map' ? { node: tree } : {}),
    exact: hit.exact,
  };
}
