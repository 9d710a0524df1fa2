// Reading what a renderer printed: the documents, each with its origin. Kustomize (through the
// wrapper kustomization's buildMetadata) writes `config.kubernetes.io/origin` (the source file,
// relative to the wrapper) and `alpha.config.kubernetes.io/transformations` (the kustomization
// files whose transformers ran over the object) into each object's annotations: they are read and
// cut out of the text, so that the analysis sees what `kubectl kustomize` alone prints. Helm
// writes a `# Source: <chart>/templates/x.yaml` comment before each document.

import * as path from 'node:path';
import { isMap, isScalar, parse, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { splitDocuments } from '../model/document';
import type { Origin, Transformation } from './types';

export interface RenderedDoc {
  /** The document's text as the renderer printed it, without the origin annotations. */
  readonly text: string;
  readonly origin: Origin;
}

export const ORIGIN = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';

/** Where a path written relative to `from` lies relative to the workspace folder `root`, if inside it. */
export function relativeTo(root: string, from: string, p: string): string | undefined {
  const rel = path.relative(root, path.resolve(from, p));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function annotationValue(m: YAMLMap, key: string): string | undefined {
  const v = m.get(key, true);
  return isScalar(v) && typeof (v as Scalar).value === 'string' ? ((v as Scalar).value as string) : undefined;
}

function readOrigin(value: string | undefined, wrapper: string, root: string): string | undefined {
  if (!value) return undefined;
  const simple = /^path: ([^\n]+)\n?$/.exec(value);
  if (simple) return relativeTo(root, wrapper, unquote(simple[1]));
  try {
    const o = parse(value) as Record<string, unknown> | null;
    if (o && typeof o.path === 'string' && o.repo === undefined) return relativeTo(root, wrapper, o.path);
    // generated objects (configMapGenerator, helmCharts): the kustomization that made them
    if (o && typeof o.configuredIn === 'string') return relativeTo(root, wrapper, o.configuredIn);
  } catch {
    // not YAML: no origin
  }
  return undefined;
}

function readTransformations(value: string | undefined, wrapper: string, root: string): Transformation[] {
  if (!value) return [];
  try {
    const list = parse(value) as unknown;
    if (!Array.isArray(list)) return [];
    return list.flatMap((t: Record<string, unknown>) => {
      const by = t?.configuredBy as Record<string, unknown> | undefined;
      if (!by || typeof by.kind !== 'string') return [];
      const at = typeof t.configuredIn === 'string' ? relativeTo(root, wrapper, t.configuredIn) : undefined;
      return [{ kind: by.kind, ...(at !== undefined ? { configuredIn: at } : {}) }];
    });
  } catch {
    return [];
  }
}

/** The start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The end of the line holding `offset` (after its newline). */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** One kustomize document: its text without the two annotations, and its origin. */
export function stripKustomizeMetadata(text: string, wrapper: string, root: string): RenderedDoc {
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return { text, origin: { transformations: [] } };
  }
  const meta = doc.get('metadata', true);
  const ann = isMap(meta) ? meta.get('annotations', true) : undefined;
  if (!isMap(meta) || !isMap(ann)) return { text, origin: { transformations: [] } };
  const origin = readOrigin(annotationValue(ann, ORIGIN), wrapper, root);
  const transformations = readTransformations(annotationValue(ann, TRANSFORMATIONS), wrapper, root);
  const cuts: Array<[number, number]> = [];
  const ours = ann.items.filter((p) => isScalar(p.key) && [ORIGIN, TRANSFORMATIONS].includes(String(p.key.value)));
  if (ours.length && ours.length === ann.items.length) {
    const pair = meta.items.find((p) => isScalar(p.key) && p.key.value === 'annotations');
    const k = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (k && ann.range) cuts.push([lineStart(text, k[0]), lineEnd(text, ann.range[2])]);
  } else {
    for (const p of ours) {
      const k = isScalar(p.key) ? p.key.range : undefined;
      const v = (p.value as Scalar | null)?.range;
      if (k && v) cuts.push([lineStart(text, k[0]), lineEnd(text, v[2])]);
    }
  }
  let out = text;
  for (const [s, e] of cuts.sort((a, b) => b[0] - a[0])) out = out.slice(0, s) + out.slice(e);
  return { text: out, origin: { ...(origin !== undefined ? { path: origin } : {}), transformations } };
}

/** A block scalar's lines (indented `indent` or more) as text without that indentation. */
function blockText(lines: readonly string[], indent: number): string {
  return lines.map((l) => l.slice(indent)).join('\n');
}

function unquote(v: string): string {
  const t = v.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/** The transformations list as kustomize prints it: `- configuredIn: X` items with `kind: Y` under configuredBy. */
function quickTransformations(text: string, wrapper: string, root: string): Transformation[] | undefined {
  const out: Transformation[] = [];
  let at: string | undefined;
  let item = false;
  for (const line of text.split('\n')) {
    const m = /^- configuredIn: (.+)$/.exec(line);
    if (m) {
      at = unquote(m[1]);
      item = true;
      continue;
    }
    const k = /^ {4}kind: (.+)$/.exec(line);
    if (k && item) {
      const rel = at !== undefined ? relativeTo(root, wrapper, at) : undefined;
      out.push({ kind: unquote(k[1]), ...(rel !== undefined ? { configuredIn: rel } : {}) });
      item = false;
    } else if (line.trim() && !/^ {2}(configuredBy:|apiVersion: )/.test(line) && !/^ {4}apiVersion: /.test(line)) {
      return undefined; // not the shape expected: read it as YAML
    }
  }
  return out;
}

/**
 * The fast path of stripKustomizeMetadata for kustomize's own layout (two-space indentation,
 * `metadata:` at the top level, both annotations as block scalars); undefined when the document
 * looks different, which the YAML reader then handles.
 */
function quickStrip(text: string, wrapper: string, root: string): RenderedDoc | undefined {
  const lines = text.split('\n');
  const meta = lines.indexOf('metadata:');
  if (meta < 0) return undefined;
  let ann = -1;
  for (let i = meta + 1; i < lines.length && (lines[i].startsWith('  ') || lines[i] === ''); i++) {
    if (lines[i] === '  annotations:') ann = i;
  }
  if (ann < 0) return { text, origin: { transformations: [] } };
  let end = ann + 1;
  while (end < lines.length && lines[end].startsWith('    ')) end++;
  const keep: string[] = [];
  let origin: string | undefined;
  let transformations: Transformation[] = [];
  for (let i = ann + 1; i < end;) {
    let j = i + 1;
    while (j < end && lines[j].startsWith('      ')) j++;
    const key = lines[i];
    if (key === `    ${ORIGIN}: |`) origin = readOrigin(blockText(lines.slice(i + 1, j), 6), wrapper, root) ?? '';
    else if (key === `    ${TRANSFORMATIONS}: |`) {
      const t = quickTransformations(blockText(lines.slice(i + 1, j), 6), wrapper, root);
      if (!t) return undefined;
      transformations = t;
    } else if (key.startsWith(`    ${ORIGIN}:`) || key.startsWith(`    ${TRANSFORMATIONS}:`)) return undefined;
    else keep.push(...lines.slice(i, j));
    i = j;
  }
  const out = [...lines.slice(0, ann), ...(keep.length ? [lines[ann], ...keep] : []), ...lines.slice(end)].join('\n');
  return { text: out, origin: { ...(origin ? { path: origin } : {}), transformations } };
}

/** The documents of `kubectl kustomize` output. */
export function readKustomizeOutput(stdout: string, wrapper: string, root: string, quick = true): RenderedDoc[] {
  return chunks(stdout).map(
    (c) => (quick ? quickStrip(c, wrapper, root) : undefined) ?? stripKustomizeMetadata(c, wrapper, root),
  );
}

/** The document texts of a stream, without `---` lines; blank documents dropped. */
function chunks(stdout: string): string[] {
  return splitDocuments(stdout)
    .map(([s, e]) => stdout.slice(s, e).replace(/^---[^\n]*\n?/, ''))
    .filter((t) => t.trim() !== '');
}

const SOURCE = /^# Source: (.+?)\s*$/m;

/** The documents of `helm template` output; `chartDir` is the chart's folder relative to the workspace folder. */
export function readHelmOutput(stdout: string, chartDir: string): RenderedDoc[] {
  const seen = new Map<string, number>();
  const out: RenderedDoc[] = [];
  for (const c of chunks(stdout)) {
    const m = SOURCE.exec(c);
    const text = c.replace(/^# Source: [^\n]*\n?/m, '');
    if (!text.replace(/^\s*#[^\n]*$/gm, '').trim()) continue;
    let rel: string | undefined;
    if (m) {
      // `<chart name>/templates/x.yaml`, or `<chart>/charts/<sub>/templates/x.yaml`
      const rest = m[1].split('/').slice(1).join('/');
      rel = rest && !rest.split('/').includes('..') ? (chartDir ? `${chartDir}/${rest}` : rest) : undefined;
    }
    const n = rel !== undefined ? (seen.get(rel) ?? 0) : 0;
    if (rel !== undefined) seen.set(rel, n + 1);
    out.push({ text, origin: { ...(rel !== undefined ? { path: rel, templateIndex: n } : {}), transformations: [] } });
  }
  return out;
}
