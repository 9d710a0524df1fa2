// A finding about a rendered object, reported where the user can fix it: in the source document at
// the same key path when it exists there (the rule, the peer, the port), else on the object's
// metadata.name (or kind). When a transformer or patch made the rendered value differ from the
// source's, the message says what the rendered value is and which kustomization changed it, with
// a related location on that kustomization.

import type { Finding, RelatedLocation } from '../analysis/findings';
import type { ManifestDocument, ManifestFile } from '../model/document';
import { get, getEntry, type PNode, str } from '../model/tree';
import type { KustomizationRefs } from './kustomization';
import { type KeyPath, nodeAtPath, pathAt, pathText, sameData, shortValue, toData } from './paths';
import { type SourceLookup, type SourceObject, sourceOf } from './source';
import type { Environment, Origin, Transformation } from './types';

/** One finding of one environment, placed in a source document (the message without the environment). */
export interface PlacedFinding extends Finding {
  readonly uri: string;
  readonly doc: ManifestDocument;
  readonly file: ManifestFile;
  readonly env: string;
}

/** What mapping needs besides the finding: the environment, its origins, and the workspace's files. */
export interface MapContext {
  readonly env: Environment;
  readonly origins: readonly Origin[];
  readonly rendered: ManifestFile;
  readonly lookup: SourceLookup;
  readonly uriOf: (rel: string) => string;
  readonly kustomizations: ReadonlyMap<string, KustomizationRefs>;
}

const sourceCache = new WeakMap<ManifestDocument, SourceObject | null>();

/** The source object of rendered document `i` (memoised per rendered document). */
export function sourceOfRendered(ctx: MapContext, i: number): SourceObject | undefined {
  const doc = ctx.rendered.documents[i];
  if (!doc) return undefined;
  let s = sourceCache.get(doc);
  // the language server parses a source file again after an edit: a match in an older parse is stale
  if (s && ctx.lookup.file(s.rel) !== s.file) s = undefined;
  if (s === undefined) {
    const t = doc.tree;
    const kind = t && t.t === 'map' ? (str(get(t, 'kind')) ?? '') : '';
    const name = t && t.t === 'map' ? str(get(get(t, 'metadata'), 'name')) : undefined;
    s = sourceOf(ctx.origins[i] ?? { transformations: [] }, kind, name, ctx.lookup) ?? null;
    sourceCache.set(doc, s);
  }
  return s ?? undefined;
}

// ---------------------------------------------------------------- which kustomization changed it

const KEYS_OF: Readonly<Record<string, readonly string[]>> = {
  LabelTransformer: ['labels', 'commonLabels'],
  PatchTransformer: ['patches', 'patchesStrategicMerge', 'patchesJson6902'],
  PatchStrategicMergeTransformer: ['patchesStrategicMerge', 'patches'],
  PatchJson6902Transformer: ['patchesJson6902', 'patches'],
  NamespaceTransformer: ['namespace'],
  PrefixTransformer: ['namePrefix'],
  SuffixTransformer: ['nameSuffix'],
  PrefixSuffixTransformer: ['namePrefix', 'nameSuffix'],
  AnnotationsTransformer: ['commonAnnotations'],
  ReplacementTransformer: ['replacements'],
  ImageTagTransformer: ['images'],
  ReplicaCountTransformer: ['replicas'],
};

/** Label pairs in `rendered` that `source` lacks (both label maps as data). */
export function addedLabels(rendered: PNode | undefined, source: PNode | undefined): Record<string, string> {
  const r = toData(rendered);
  const s = toData(source);
  const out: Record<string, string> = {};
  if (!r || typeof r !== 'object' || Array.isArray(r)) return out;
  const src = s && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(r)) if (src[k] === undefined || String(src[k]) !== String(v)) out[k] = String(v);
  return out;
}

/** The transformations that can have made the change at `path` (best guess by kind and content). */
export function changers(
  origin: Origin,
  path: KeyPath,
  rendered: PNode | undefined,
  source: PNode | undefined,
  kusts: ReadonlyMap<string, KustomizationRefs>,
): Transformation[] {
  const all = origin.transformations.filter((t) => t.configuredIn !== undefined);
  const of = (...kinds: string[]): Transformation[] => all.filter((t) => kinds.includes(t.kind));
  const last = path[path.length - 1];
  let picked: Transformation[] = [];
  if (path[0] === 'metadata' && last === 'namespace') picked = of('NamespaceTransformer');
  else if (path[0] === 'metadata' && last === 'name') picked = of('PrefixTransformer', 'SuffixTransformer');
  else {
    const labels = addedLabels(rendered, source);
    const keys = Object.keys(labels);
    if (keys.length) {
      picked = of('LabelTransformer').filter((t) =>
        kusts
          .get(t.configuredIn!)
          ?.labels.some((l) => keys.some((k) => l.pairs[k] !== undefined && l.pairs[k] === labels[k])),
      );
    }
    if (!picked.length) picked = of('PatchTransformer', 'ReplacementTransformer', 'PatchStrategicMergeTransformer');
  }
  if (!picked.length) picked = all;
  const seen = new Set<string>();
  return picked.filter((t) => {
    const k = `${t.configuredIn}\u0000${t.kind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The related location on a kustomization file for a transformation (its key, e.g. `labels:`). */
export function transformationLocation(
  t: Transformation,
  lookup: SourceLookup,
  uriOf: (rel: string) => string,
  message: string,
  labels?: Readonly<Record<string, string>>,
): RelatedLocation | undefined {
  const file = t.configuredIn !== undefined ? lookup.file(t.configuredIn) : undefined;
  const doc = file?.documents.find((d) => d.tree && d.tree.t === 'map') ?? file?.documents[0];
  if (!file || !doc) return undefined;
  const root = doc.tree;
  for (const key of KEYS_OF[t.kind] ?? []) {
    const en = getEntry(root, key);
    if (!en) continue;
    const pair = labels ? labelPairEntry(en.value, labels) : undefined;
    const at = pair ?? en;
    return { uri: uriOf(t.configuredIn!), doc, s: at.ks, e: pair ? pair.value.e : at.ke, message };
  }
  return { uri: uriOf(t.configuredIn!), doc, s: 0, e: 0, message };
}

/** In `labels:` (a list of {pairs}) or `commonLabels:` (a map): the entry of one of the added pairs. */
function labelPairEntry(node: PNode, labels: Readonly<Record<string, string>>) {
  const maps = node.t === 'seq' ? node.items.map((it) => get(it, 'pairs')) : [node];
  for (const m of maps) {
    for (const k of Object.keys(labels)) {
      const en = getEntry(m, k);
      if (en) return en;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- placing one finding

function nameSpan(src: SourceObject): { s: number; e: number } {
  const meta = getEntry(src.node, 'metadata');
  const name = getEntry(meta?.value, 'name');
  const at = name ?? getEntry(src.node, 'kind') ?? meta;
  if (at) return { s: at.ks, e: name ? name.value.e : at.ke };
  return { s: src.node?.s ?? 0, e: src.node?.s ?? 0 };
}

export interface Placement {
  readonly uri: string;
  readonly file: ManifestFile;
  readonly doc: ManifestDocument;
  readonly s: number;
  readonly e: number;
  /** The same value at the same path in the source. */
  readonly exact: boolean;
  /** What the rendered value is and who changed it (a sentence), and where. */
  readonly note?: string;
  readonly related: readonly RelatedLocation[];
}

/** A span without the whitespace a block node ends with (its line break). */
export function trimmed(doc: ManifestDocument, s: number, e: number): { s: number; e: number } {
  let end = Math.min(e, doc.text.length);
  while (end > s && /\s/.test(doc.text[end - 1])) end--;
  return { s, e: end };
}

/** Where a span of rendered document `i` belongs in the workspace. */
export function place(ctx: MapContext, i: number, s: number, e: number): Placement | undefined {
  const p = placeRaw(ctx, i, s, e);
  return p ? { ...p, ...trimmed(p.doc, p.s, p.e) } : undefined;
}

function placeRaw(ctx: MapContext, i: number, s: number, e: number): Placement | undefined {
  const src = sourceOfRendered(ctx, i);
  const root = ctx.rendered.documents[i]?.tree;
  if (!src || !root) return fallback(ctx, i);
  const hit = pathAt(root, s, e);
  const target = nodeAtPath(src.node, hit.path);
  const base = { uri: ctx.uriOf(src.rel), file: src.file, doc: src.doc };
  let span: { s: number; e: number };
  if (target.node) {
    const en = target.entry;
    if (hit.mode === 'entry' && en) span = { s: en.ks, e: en.value.e };
    else if (hit.mode === 'key' && en) span = { s: en.ks, e: en.ke };
    else span = { s: target.node.s, e: target.node.e };
  } else span = nameSpan(src);
  const unchanged = target.node !== undefined && sameData(hit.node, target.node);
  if (unchanged || hit.path.length < 2) return { ...base, ...span, exact: unchanged && src.exact, related: [] };
  const origin = ctx.origins[i] ?? { transformations: [] };
  const by = changers(origin, hit.path, hit.node, target.node, ctx.kustomizations).slice(0, 3);
  const what = target.node ? 'the rendered value is' : `${pathText(hit.path)} is`;
  const labels = addedLabels(hit.node, target.node);
  const who = by.length ? `, set by ${[...new Set(by.map((t) => t.configuredIn))].join(', ')}` : '';
  const note = `In ${ctx.env.name} ${what} ${shortValue(hit.node)}${who}.`;
  const related = by.flatMap((t) => {
    const loc = transformationLocation(
      t,
      ctx.lookup,
      ctx.uriOf,
      `${t.kind} configured here changes ${pathText(hit.path)}`,
      Object.keys(labels).length ? labels : undefined,
    );
    return loc ? [loc] : [];
  });
  return { ...base, ...span, exact: false, note, related };
}

/** Objects whose source is not in the workspace (remote bases, generators): on the environment's definition. */
function fallback(ctx: MapContext, i: number): Placement | undefined {
  const rel = ctx.env.definition;
  const file = rel !== undefined ? ctx.lookup.file(rel) : undefined;
  const doc = file?.documents[0];
  if (!file || !doc || rel === undefined) return undefined;
  const t = ctx.rendered.documents[i]?.tree;
  const kind = t && t.t === 'map' ? str(get(t, 'kind')) : undefined;
  const name = t && t.t === 'map' ? str(get(get(t, 'metadata'), 'name')) : undefined;
  const from = ctx.origins[i]?.path;
  return {
    uri: ctx.uriOf(rel),
    file,
    doc,
    s: 0,
    e: 0,
    exact: false,
    note: `(${kind ?? 'object'} ${name ?? ''} of ${ctx.env.name}${from ? `, from ${from}` : ', from outside the workspace'})`,
    related: [],
  };
}
