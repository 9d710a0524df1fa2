// The environments of one workspace folder kept between edits (the language server's view; the CLI
// checks once with index.ts checkEnvironments). The same steps as the CLI — checkRendered,
// renderFailure, checkSourceText and mergeFindings of check.ts — with their results kept: an
// environment is checked again only when its render changed or a source file it reads was parsed
// again, and the findings are merged across environments after every update. It also knows which
// rendered objects come from each source document (hovers and CodeLenses), and places rendered
// locations (the diagram's) in their sources.

import type { RelatedLocation } from '../analysis/findings';
import type { ManifestDocument, ManifestFile } from '../model/document';
import type { DocFinding } from '../rules/registry';
import type { NetpolSettings } from '../settings';
import { type CheckContext, checkRendered, checkSourceText, type EnvFinding, mapContext, mergeFindings } from './check';
import { renderFailure, type RenderedOk } from './check';
import type { Discovery } from './discover';
import { type MapContext, place, type PlacedFinding, sourceOfRendered } from './mapBack';
import type { Rendered, RenderService } from './render';
import type { Environment } from './types';

/** A rendered object and the environment it belongs to. */
export interface RenderedRef {
  readonly env: string;
  readonly rendered: RenderedOk;
  /** The index of its document in the rendered file. */
  readonly index: number;
}

interface EnvCheck {
  readonly rendered: Rendered;
  /** The parsed input files the check saw (a new parse means the placements may be stale). */
  readonly inputs: readonly (ManifestFile | undefined)[];
  readonly settings: NetpolSettings;
  readonly placed: readonly PlacedFinding[];
  readonly refs: ReadonlyArray<readonly [ManifestDocument, number]>;
}

export interface SessionLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const sourceText = new WeakMap<ManifestFile, { settings: NetpolSettings; out: DocFinding[] }>();

export class EnvironmentSession {
  private checks = new Map<string, EnvCheck>();
  private byUri = new Map<string, EnvFinding[]>();
  private live = new Map<string, { file: ManifestFile; out: readonly DocFinding[] }>();
  private sources = new Map<ManifestDocument, RenderedRef[]>();
  /** Counters for tests and benchmarks: environments checked, and merges of the findings. */
  readonly stats = { checked: 0, merges: 0 };

  constructor(
    readonly discovery: Discovery,
    readonly service: RenderService,
    private readonly ctx: CheckContext,
    /** The session it replaces (new settings): its findings stand until the first check. */
    previous?: EnvironmentSession,
  ) {
    service.setEnvironments(discovery.environments);
    if (previous) {
      this.byUri = previous.byUri;
      this.sources = previous.sources;
    }
  }

  /** The settings it checks with. */
  get settings(): NetpolSettings {
    return this.ctx.settings;
  }

  /** The environments that are rendered (every one but the plain environment). */
  get rendered(): readonly Environment[] {
    return this.discovery.environments.filter((e) => e.kind !== 'plain');
  }

  /** The workspace files the renders read (relative paths): they are not plain manifests. */
  inputs(): Set<string> {
    const out = new Set<string>();
    for (const e of this.rendered) for (const f of e.inputs) out.add(f);
    return out;
  }

  environment(name: string): Environment | undefined {
    return this.discovery.environments.find((e) => e.name === name);
  }

  /** The last render of an environment, when it succeeded. */
  renderOf(name: string): RenderedOk | undefined {
    const r = this.service.last(name);
    return r?.ok ? r : undefined;
  }

  /**
   * Renders these environments (through the cache; every one when absent), then checks what
   * changed; false when nothing did (every render from the cache, every check kept).
   */
  async update(names?: ReadonlySet<string>, limit = 2): Promise<boolean> {
    const envs = this.rendered.filter((e) => !names || names.has(e.name));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < envs.length) await this.service.render(envs[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, envs.length) }, worker));
    return this.recheck();
  }

  /** Checks every environment whose render or input files changed, and merges the findings; false when none did. */
  recheck(): boolean {
    const checks = this.rendered.flatMap((env) => {
      const r = this.service.last(env.name);
      return r ? [{ env, r, c: this.checkOf(env, r) }] : [];
    });
    if (this.merged && this.stats.checked === this.mergedAt && checks.length === this.mergedEnvs) return false;
    const placed: PlacedFinding[] = [];
    const presence = new Map<ManifestDocument, Set<string>>();
    const sources = new Map<ManifestDocument, RenderedRef[]>();
    for (const { env, r, c } of checks) {
      placed.push(...c.placed);
      for (const [doc, i] of c.refs) {
        let s = presence.get(doc);
        if (!s) presence.set(doc, (s = new Set()));
        s.add(env.name);
        if (!r.ok) continue;
        let l = sources.get(doc);
        if (!l) sources.set(doc, (l = []));
        l.push({ env: env.name, rendered: r, index: i });
      }
    }
    this.stats.merges++;
    const byUri = new Map<string, EnvFinding[]>();
    const add = (f: EnvFinding): void => {
      const l = byUri.get(f.uri);
      if (l) l.push(f);
      else byUri.set(f.uri, [f]);
    };
    for (const f of mergeFindings(placed, presence)) add(f);
    this.byUri = byUri;
    this.live.clear();
    this.sources = sources;
    this.merged = true;
    this.mergedAt = this.stats.checked;
    this.mergedEnvs = checks.length;
    return true;
  }

  private merged = false;
  private mergedAt = 0;
  private mergedEnvs = 0;

  private checkOf(env: Environment, r: Rendered): EnvCheck {
    const inputs = env.inputs.map((f) => this.ctx.lookup.file(f));
    const prev = this.checks.get(env.name);
    if (
      prev &&
      prev.rendered === r &&
      prev.settings === this.ctx.settings &&
      prev.inputs.every((f, i) => f === inputs[i])
    ) {
      return prev;
    }
    this.stats.checked++;
    let placed: PlacedFinding[] = [];
    const refs: Array<readonly [ManifestDocument, number]> = [];
    if (r.ok) {
      placed = checkRendered(r, this.ctx);
      const mc = mapContext(r, this.ctx);
      r.file.documents.forEach((_, i) => {
        const src = sourceOfRendered(mc, i);
        if (src) refs.push([src.doc, i]);
      });
    } else {
      const f = renderFailure(r, this.ctx);
      if (f) placed = [f];
    }
    const c: EnvCheck = { rendered: r, inputs, settings: this.ctx.settings, placed, refs };
    this.checks.set(env.name, c);
    return c;
  }

  private sourceTextOf(file: ManifestFile): DocFinding[] {
    const hit = sourceText.get(file);
    if (hit && hit.settings === this.ctx.settings) return hit.out;
    const out = checkSourceText(file, this.ctx.settings);
    sourceText.set(file, { settings: this.ctx.settings, out });
    return out;
  }

  /**
   * The findings of a source file as it is now: those of documents parsed again since the last
   * check are left out until the environments are checked again; the text-level checks of the
   * file are made on its current text. The same array while nothing changed.
   */
  findings(uri: string, file: ManifestFile | undefined): readonly DocFinding[] {
    if (!file) return [];
    const hit = this.live.get(uri);
    if (hit && hit.file === file) return hit.out;
    const docs = new Set(file.documents);
    const out: DocFinding[] = (this.byUri.get(uri) ?? []).filter((f) => docs.has(f.doc));
    out.push(...this.sourceTextOf(file));
    this.live.set(uri, { file, out });
    return out;
  }

  /** The rendered objects that come from a source document, environment by environment. */
  renderedFrom(doc: ManifestDocument): readonly RenderedRef[] {
    return this.sources.get(doc) ?? [];
  }

  /** Where a span of a rendered document belongs in the workspace. */
  placeSpan(r: RenderedOk, index: number, s: number, e: number): SessionLocation | undefined {
    const p = place(this.mapContextOf(r), index, s, e);
    if (!p) return undefined;
    return { uri: p.uri, range: { start: p.doc.positionAt(p.s), end: p.doc.positionAt(p.e) } };
  }

  /** A location in the rendered file of `r` placed in its source (other locations unchanged). */
  placeLocation(r: RenderedOk, loc: SessionLocation): SessionLocation | undefined {
    if (loc.uri !== r.file.uri) return loc;
    const docs = r.file.documents;
    let doc = docs[0];
    for (const d of docs) if (d.startLine <= loc.range.start.line) doc = d;
    if (!doc) return undefined;
    const s = doc.offsetAt(loc.range.start.line, loc.range.start.character);
    const e = doc.offsetAt(loc.range.end.line, loc.range.end.character);
    return this.placeSpan(r, doc.index, s, Math.max(s, e));
  }

  /** A related location in the rendered file of `r` placed in its source (others unchanged; undefined: nowhere). */
  placeRelated(r: RenderedOk, rel: RelatedLocation): RelatedLocation | undefined {
    if (rel.uri !== r.file.uri) return rel;
    const p = place(this.mapContextOf(r), rel.doc.index, rel.s, rel.e);
    return p ? { uri: p.uri, doc: p.doc, s: p.s, e: p.e, message: rel.message } : undefined;
  }

  private readonly mcs = new WeakMap<RenderedOk, MapContext>();
  private mapContextOf(r: RenderedOk): MapContext {
    let mc = this.mcs.get(r);
    if (!mc) this.mcs.set(r, (mc = mapContext(r, this.ctx)));
    return mc;
  }
}
