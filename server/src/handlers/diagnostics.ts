// Push diagnostics: debounced per document, computed with cancellation, the edited file first,
// then every other file whose diagnostics may depend on the edit. Each publish carries the
// document version for open documents; unchanged diagnostics are not sent again. A document opened
// with the text the index already has changes nothing: it gets its diagnostics for its version,
// from the cache, and no sweep.

import type { Connection } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceIndex } from '../workspace/index';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { DocFinding } from '../rules/registry';
import { toDiagnostic } from './convert';

export class Cancelled extends Error {}

/** What was last sent for a URI: the findings it came from (compared by reference), and for which version. */
interface Sent {
  readonly findings: readonly DocFinding[];
  readonly diagnostics: Diagnostic[];
  readonly version: number | undefined;
}

const NONE: readonly DocFinding[] = [];

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent per URI (and for which document version). */
  private readonly published = new Map<string, Sent>();
  private generation = 0;
  /** Counters for tests and benchmarks: publishes sent, sweeps over the workspace started. */
  readonly stats = { published: 0, sweeps: 0 };
  /** For tests and benchmarks: called after each publish. */
  onPublished?: (uri: string, count: number) => void;
  /** The diagnostics of files that rendered environments read (undefined: a plain manifest, from the index). */
  rendered?: (uri: string) => readonly DocFinding[] | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly index: WorkspaceIndex,
    private readonly delayMs = 40,
  ) {}

  /** An edit: debounce this document, then publish it and sweep the rest. */
  schedule(uri: string, delay = this.delayMs): void {
    this.generation++;
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run([uri]);
      }, delay),
    );
  }

  /** Publish everything (after indexing or a settings change). */
  all(): void {
    this.generation++;
    void this.run([]);
  }

  /**
   * An open document whose text is what the index already has (a file opened as it is on disk):
   * nothing changed, so only its diagnostics are sent, for its version, from the cache. While the
   * world is out of date a run is due anyway (after every change), and it sends them.
   */
  unchanged(uri: string): void {
    if (!this.index.isCurrent()) return;
    try {
      this.publish(uri, this.generation);
    } catch (e) {
      this.connection.console.error(`diagnostics failed: ${(e as Error).stack ?? String(e)}`);
    }
  }

  clear(uri: string): void {
    if (this.published.has(uri)) {
      this.published.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  private publish(uri: string, gen: number): void {
    const check = (): void => {
      if (gen !== this.generation) throw new Cancelled();
    };
    const findings = this.rendered?.(uri) ?? (this.index.hasFile(uri) ? this.index.findings(uri, check) : NONE);
    const version = this.documents.get(uri)?.version;
    const prev = this.published.get(uri);
    // unchanged diagnostics are not sent again, unless an open document has a new version (the
    // editor then expects diagnostics for that version)
    const newVersion = version !== undefined && version !== prev?.version;
    const sameFindings = prev !== undefined && prev.findings === findings;
    if (sameFindings && !newVersion) return;
    const diagnostics = sameFindings ? prev.diagnostics : findings.map(toDiagnostic);
    if (prev && !newVersion && sameJson(prev.diagnostics, diagnostics)) {
      this.published.set(uri, { findings, diagnostics: prev.diagnostics, version: prev.version });
      return;
    }
    this.published.set(uri, { findings, diagnostics, version });
    this.stats.published++;
    void this.connection.sendDiagnostics(version !== undefined ? { uri, version, diagnostics } : { uri, diagnostics });
    this.onPublished?.(uri, diagnostics.length);
  }

  private async run(first: string[]): Promise<void> {
    const gen = this.generation;
    this.stats.sweeps++;
    try {
      for (const uri of first) this.publish(uri, gen);
      await new Promise((r) => setImmediate(r));
      const files = this.index.allFiles();
      let i = 0;
      for (const f of files) {
        if (gen !== this.generation) return;
        if (first.includes(f.uri)) continue;
        this.publish(f.uri, gen);
        if (++i % 25 === 0) await new Promise((r) => setImmediate(r));
      }
      // files that disappeared from the index
      for (const uri of [...this.published.keys()]) {
        if (!this.index.hasFile(uri)) this.clear(uri);
      }
    } catch (e) {
      if (!(e instanceof Cancelled)) {
        this.connection.console.error(`diagnostics failed: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }
}

/** Deep equality of JSON values (diagnostics): cheaper than comparing their serialisations. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const ob = b as Record<string, unknown>;
  if (ka.length !== Object.keys(ob).length) return false;
  const oa = a as Record<string, unknown>;
  for (const k of ka) {
    if (!(k in ob)) return false;
    if (oa[k] === undefined ? ob[k] !== undefined : !sameJson(oa[k], ob[k])) return false;
  }
  return true;
}
