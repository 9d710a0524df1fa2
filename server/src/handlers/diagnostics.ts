// Push diagnostics: debounced per document, computed with cancellation, the edited file first,
// then every other file whose diagnostics may depend on the edit. Each publish carries the
// document version for open documents; unchanged diagnostics are not sent again.

import type { Connection } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceIndex } from '../workspace/index';
import type { Diagnostic } from 'vscode-languageserver/node';
import { toDiagnostic } from './convert';

export class Cancelled extends Error {}

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent per URI (and for which document version). */
  private readonly published = new Map<string, { diagnostics: Diagnostic[]; version: number | undefined }>();
  private generation = 0;
  /** For tests and benchmarks: called after each publish. */
  onPublished?: (uri: string, count: number) => void;

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
    const doc = this.documents.get(uri);
    const findings = this.index.hasFile(uri) ? this.index.findings(uri, check) : [];
    const diagnostics = findings.map(toDiagnostic);
    const version = doc?.version;
    const prev = this.published.get(uri);
    // unchanged diagnostics are not sent again, unless an open document has a new version (the
    // editor then expects diagnostics for that version)
    if (prev && prev.version === version && sameJson(prev.diagnostics, diagnostics)) return;
    this.published.set(uri, { diagnostics, version });
    void this.connection.sendDiagnostics(version !== undefined ? { uri, version, diagnostics } : { uri, diagnostics });
    this.onPublished?.(uri, diagnostics.length);
  }

  private async run(first: string[]): Promise<void> {
    const gen = this.generation;
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
