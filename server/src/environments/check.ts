// Checking environments: every rule runs on each rendered environment's own world (so overlays of
// one base never meet: no duplicate or missing-namespace findings across environments), each
// finding is placed in its source document (mapBack.ts), and the same finding from several
// environments becomes one finding that lists them (`[clusters/dev, clusters/prod] ...`). NPP34
// (no metadata.namespace) stays only where no environment that renders the object sets a
// namespace. A render that failed is one NPX09 finding on the kustomization or Chart.yaml.

import type { Finding, RelatedLocation, Severity } from '../analysis/findings';
import { buildWorld, type World } from '../analysis/world';
import type { ManifestDocument, ManifestFile } from '../model/document';
import { checkDocument, checkFile, type DocFinding, fileSuppressions } from '../rules/registry';
import type { NetpolSettings } from '../settings';
import type { KustomizationRefs } from './kustomization';
import { type MapContext, place, type PlacedFinding, sourceOfRendered } from './mapBack';
import type { Rendered } from './render';
import type { SourceLookup } from './source';
import { selectorTraps } from './trap';

export type RenderedOk = Rendered & { ok: true };

/** A finding of the environments, in a source file, listing the environments it comes from. */
export interface EnvFinding extends Finding {
  readonly uri: string;
  readonly file: ManifestFile;
  readonly doc: ManifestDocument;
  /** Sorted; empty for findings of the plain environment. */
  readonly environments: readonly string[];
}

export interface CheckContext {
  readonly settings: NetpolSettings;
  readonly lookup: SourceLookup;
  readonly uriOf: (rel: string) => string;
  readonly kustomizations: ReadonlyMap<string, KustomizationRefs>;
}

const worlds = new WeakMap<ManifestFile, World>();

/** The world of a rendered environment (memoised per render). */
export function renderedWorld(r: RenderedOk, defaultNamespace?: string): World {
  let w = worlds.get(r.file);
  if (!w) worlds.set(r.file, (w = buildWorld([r.file], { defaultNamespace })));
  return w;
}

export function mapContext(r: RenderedOk, ctx: CheckContext): MapContext {
  return {
    env: r.env,
    origins: r.docs.map((d) => d.origin),
    rendered: r.file,
    lookup: ctx.lookup,
    uriOf: ctx.uriOf,
    kustomizations: ctx.kustomizations,
  };
}

function levelOf(settings: NetpolSettings, rule: string, severity: Severity): Severity | null {
  const o = settings.rules[rule];
  if (o === 'off') return null;
  return o ?? severity;
}

function suppressed(f: PlacedFinding): boolean {
  const sup = fileSuppressions(f.file);
  if (sup.file.has('*') || sup.file.has(f.rule)) return true;
  const l = sup.lines.get(f.doc.positionAt(f.s).line);
  return !!l && (l.has('*') || l.has(f.rule));
}

function mapRelated(mc: MapContext, related: readonly RelatedLocation[] | undefined): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const r of related ?? []) {
    if (r.uri !== mc.rendered.uri) {
      out.push(r);
      continue;
    }
    const p = place(mc, r.doc.index, r.s, r.e);
    if (p) out.push({ uri: p.uri, doc: p.doc, s: p.s, e: p.e, message: r.message });
  }
  return out;
}

/** The findings of one rendered environment, placed in their sources (messages without the environment). */
export function checkRendered(r: RenderedOk, ctx: CheckContext): PlacedFinding[] {
  const world = renderedWorld(r, ctx.settings.defaultNamespace);
  const mc = mapContext(r, ctx);
  const out: PlacedFinding[] = [];
  for (const doc of r.file.documents) {
    for (const f of checkDocument(r.file, doc, world, ctx.settings)) {
      const p = place(mc, doc.index, f.s, f.e);
      if (!p) continue;
      const related = [...mapRelated(mc, f.related), ...p.related];
      out.push({
        rule: f.rule,
        severity: f.severity,
        s: p.s,
        e: p.e,
        message: p.note ? `${f.message} ${p.note}` : f.message,
        ...(related.length ? { related } : {}),
        ...(f.data && p.exact ? { data: f.data } : {}),
        ...(f.tags ? { tags: f.tags } : {}),
        uri: p.uri,
        file: p.file,
        doc: p.doc,
        env: r.env.name,
      });
    }
  }
  out.push(...selectorTraps(mc, world));
  return out.flatMap((f) => {
    const sev = levelOf(ctx.settings, f.rule, f.severity);
    return sev === null || suppressed(f) ? [] : [{ ...f, severity: sev }];
  });
}

/** Which environments render an object from each source document. */
export function presenceOf(r: RenderedOk, ctx: CheckContext, into = new Map<ManifestDocument, Set<string>>()) {
  const mc = mapContext(r, ctx);
  r.file.documents.forEach((_, i) => {
    const src = sourceOfRendered(mc, i);
    if (!src) return;
    let s = into.get(src.doc);
    if (!s) into.set(src.doc, (s = new Set()));
    s.add(r.env.name);
  });
  return into;
}

/** NPX09 for a render that failed: on the kustomization or Chart.yaml (the first line). */
export function renderFailure(r: Rendered & { ok: false }, ctx: CheckContext): PlacedFinding | undefined {
  const rel = r.env.definition;
  const file = rel !== undefined ? ctx.lookup.file(rel) : undefined;
  const doc = file?.documents[0];
  if (!file || !doc || rel === undefined) return undefined;
  const sev = levelOf(ctx.settings, 'NPX09', 'warning');
  const eol = doc.text.indexOf('\n');
  const f: PlacedFinding = {
    rule: 'NPX09',
    severity: sev ?? 'warning',
    s: 0,
    e: eol === -1 ? doc.text.length : eol,
    message: r.problem.message,
    uri: ctx.uriOf(rel),
    file,
    doc,
    env: r.env.name,
  };
  return sev === null || suppressed(f) ? undefined : f;
}

/** Rules about the text of a source file that rendering cannot see (syntax errors, duplicate keys, alias bombs). */
const SOURCE_TEXT_RULES: ReadonlySet<string> = new Set(['NPX02', 'NPX03', 'NPP30']);

/** The text-level findings of a file that environments read (its objects are checked rendered). */
export function checkSourceText(file: ManifestFile, settings: NetpolSettings): DocFinding[] {
  const world = buildWorld([file], { defaultNamespace: settings.defaultNamespace });
  return checkFile(file, world, settings).filter((f) => SOURCE_TEXT_RULES.has(f.rule));
}

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

function keyOf(f: PlacedFinding): string {
  return `${f.uri}\u0000${f.doc.startOffset}\u0000${f.s}\u0000${f.e}\u0000${f.rule}`;
}

function mergeRelated(all: readonly PlacedFinding[]): RelatedLocation[] {
  const seen = new Set<string>();
  const out: RelatedLocation[] = [];
  for (const f of all) {
    for (const r of f.related ?? []) {
      const k = `${r.uri}\u0000${r.doc.startOffset + r.s}\u0000${r.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(r);
      }
    }
  }
  return out;
}

/**
 * One finding per place and rule: the environments that report it are listed in front of the
 * message (`[a, b] message`; environments whose messages differ each get theirs). NPP34 is dropped
 * where some environment that renders the object does not report it (it sets the namespace).
 */
export function mergeFindings(
  placed: readonly PlacedFinding[],
  presence: ReadonlyMap<ManifestDocument, ReadonlySet<string>>,
): EnvFinding[] {
  const groups = new Map<string, PlacedFinding[]>();
  for (const f of placed) {
    const k = keyOf(f);
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const out: EnvFinding[] = [];
  for (const g of groups.values()) {
    const envs = [...new Set(g.map((f) => f.env))].sort();
    if (g[0].rule === 'NPP34' && [...(presence.get(g[0].doc) ?? [])].some((e) => !envs.includes(e))) continue;
    const byMessage = new Map<string, string[]>();
    for (const f of g) {
      const l = byMessage.get(f.message) ?? [];
      if (!l.includes(f.env)) l.push(f.env);
      byMessage.set(f.message, l);
    }
    const message = [...byMessage]
      .map(([m, e]) => `[${e.sort().join(', ')}] ${m}`)
      .sort()
      .join(' ');
    const first = g[0];
    const related = mergeRelated(g);
    const severity = g.reduce<Severity>((s, f) => (RANK[f.severity] > RANK[s] ? f.severity : s), first.severity);
    out.push({
      rule: first.rule,
      severity,
      s: first.s,
      e: first.e,
      message,
      ...(related.length ? { related } : {}),
      ...(first.data && g.every((f) => f.data) ? { data: first.data } : {}),
      ...(first.tags ? { tags: first.tags } : {}),
      uri: first.uri,
      file: first.file,
      doc: first.doc,
      environments: envs,
    });
  }
  return out;
}
