// The workspace side of the server: which folders and settings apply, the start-up scan with a
// progress indicator, re-indexing, file watchers, and open documents taking over from (and giving
// back to) their files on disk. Keeps the index current and tells the diagnostics scheduler, the
// status bar (netpolLens/indexStatus) and the model refresh what changed.
//
// It talks to the connection (progress, watcher registration, configuration, notifications), so it
// is LSP plumbing and lives with the handlers rather than in workspace/, which the CLI bundles.

import * as path from 'node:path';
import pkg from '../../../package.json';
import {
  type Connection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  type FileEvent,
  type InitializeParams,
  type TextDocuments,
  type WorkspaceFolder,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type IndexStatus, IndexStatusNotification, SETTINGS_SECTION } from '../protocol';
import { readSettings } from '../settings';
import { describeGlobErrors, matchesAny } from '../workspace/glob';
import { inSkippedFolder, MANIFEST_FILE as MANIFEST } from '../protocol/manifestFiles';
import type { WorkspaceIndex } from '../workspace/index';
import type { DiagnosticsScheduler } from './diagnostics';
import { loadManifest, loadManifestSync } from './manifests';
import type { ModelRefresh } from './modelRefresh';
import { listManifests } from './scan';

/** How long the start-up scan works before it lets other messages through. */
const SLICE_MS = 20;

export class WorkspaceService {
  private folders: WorkspaceFolder[] = [];
  private filesExclude: string[] = [];
  private hasConfiguration = false;
  private hasProgress = false;
  private hasWatcherRegistration = false;
  private scanGeneration = 0;
  private ready = false;
  private indexMs: number | undefined;
  /** Called when the files or settings changed, before everything is published (environments are found again). */
  beforePublish?: (folderUris: readonly string[]) => void;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly index: WorkspaceIndex,
    private readonly diagnostics: DiagnosticsScheduler,
    private readonly refresh: ModelRefresh,
  ) {}

  /** Folders, client capabilities and initial settings from the initialize request. */
  initialize(p: InitializeParams): void {
    const caps = p.capabilities;
    this.hasConfiguration = !!caps.workspace?.configuration;
    this.hasProgress = !!caps.window?.workDoneProgress;
    this.hasWatcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.folders = p.workspaceFolders ?? (p.rootUri ? [{ uri: p.rootUri, name: path.basename(p.rootUri) }] : []);
    const init = p.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings) this.index.updateOptions({ settings: readSettings(init.settings) });
  }

  /** After initialize: watchers, folder events, settings, then the first scan. */
  async initialized(): Promise<void> {
    if (this.hasWatcherRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        // Kustomization files without an extension and Helm helpers feed rendered environments
        watchers: [
          { globPattern: '**/*.{yaml,yml,json,tpl}' },
          { globPattern: '**/Kustomization' },
          { globPattern: '**/' },
        ],
      });
    }
    try {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => this.foldersChanged(e));
    } catch {
      // the client does not support workspace folder events
    }
    this.connection.console.info(
      `netpol-lens server ${pkg.version} on Node ${process.version}; folders: ${this.folders.map((f) => f.uri).join(', ') || 'none'}`,
    );
    await this.reloadSettings(false);
    await this.scan();
  }

  /** The workspace folders' URIs. */
  folderUris(): string[] {
    return this.folders.map((f) => f.uri);
  }

  private foldersChanged(e: WorkspaceFoldersChangeEvent): void {
    this.folders = [...this.folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)), ...e.added];
    for (const r of e.removed) for (const uri of this.index.deleteFolder(r.uri)) this.diagnostics.clear(uri);
    void this.scan();
  }

  /** Reads `netpolLens` and `files.exclude`; after a change, scans again if the file set may differ. */
  async reloadSettings(rescanIfNeeded: boolean): Promise<void> {
    if (!this.hasConfiguration) return;
    try {
      const [raw, filesExclude] = await this.connection.workspace.getConfiguration([
        { section: SETTINGS_SECTION },
        { section: 'files.exclude' },
      ]);
      const before = this.fileSetKey();
      this.filesExclude =
        filesExclude && typeof filesExclude === 'object'
          ? Object.entries(filesExclude as Record<string, unknown>)
              .filter(([, v]) => v === true)
              .map(([k]) => k)
          : [];
      this.index.updateOptions({ settings: readSettings(raw) });
      if (!rescanIfNeeded) return;
      if (before !== this.fileSetKey()) await this.scan();
      else {
        this.beforePublish?.(this.folderUris());
        this.diagnostics.all();
      }
      this.refresh.changed();
    } catch (e) {
      this.connection.console.warn(`cannot read settings: ${(e as Error).message}`);
    }
  }

  /** What decides which files are indexed and how: the exclude globs and the size limit. */
  private fileSetKey(): string {
    return JSON.stringify({ e: this.excludes(), m: this.index.settings.maxFileSizeMB });
  }

  private excludes(): string[] {
    return [...this.filesExclude, ...this.index.settings.exclude];
  }

  private readonly reportedGlobs = new Set<string>();

  /** Tells the user once about each exclude pattern that is not valid (it is ignored). */
  private reportBadGlobs(): void {
    for (const m of describeGlobErrors(this.excludes())) {
      if (this.reportedGlobs.has(m)) continue;
      this.reportedGlobs.add(m);
      this.connection.console.warn(m);
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `netpol-lens: ${m}`,
      });
    }
  }

  private relative(uri: string): string | undefined {
    for (const f of this.folders) {
      const base = f.uri.endsWith('/') ? f.uri : `${f.uri}/`;
      if (uri.startsWith(base)) return decodeURIComponent(uri.slice(base.length));
    }
    return undefined;
  }

  private excluded(uri: string): boolean {
    const rel = this.relative(uri);
    if (rel === undefined) return false;
    if (inSkippedFolder(rel)) return true;
    return matchesAny(rel, this.excludes());
  }

  /** Indexes every manifest of the workspace folders (with progress), then publishes; the file count. */
  async scan(): Promise<number> {
    const gen = ++this.scanGeneration;
    const t0 = Date.now();
    this.reportBadGlobs();
    this.ready = false;
    const progress = this.hasProgress ? await this.connection.window.createWorkDoneProgress().catch(() => null) : null;
    progress?.begin('netpol-lens: indexing manifests', 0, 'listing files', true);
    const isCancelled = (): boolean => gen !== this.scanGeneration || !!progress?.token.isCancellationRequested;
    try {
      const opts = { exclude: this.excludes(), maxFileSize: this.index.settings.maxFileSizeMB * 1024 * 1024 };
      const uris: string[] = [];
      for (const f of this.folders) uris.push(...(await listManifests(f.uri, { ...opts, isCancelled })));
      if (isCancelled()) return this.index.size;
      const report = (done: number): void =>
        progress?.report(Math.round((done / uris.length) * 100), `${done}/${uris.length} files`);
      if (!(await this.indexFiles(uris, isCancelled, report))) return this.index.size;
      this.indexMs = Date.now() - t0;
      this.ready = true;
      this.logIndexed();
      this.beforePublish?.(this.folderUris());
      this.diagnostics.all();
      this.sendStatus();
      this.refresh.changed();
    } finally {
      progress?.done();
    }
    return this.index.size;
  }

  /**
   * Makes the index hold exactly `uris` (open documents stay as the editor has them), reporting
   * every 50 files; false when cancelled on the way. Files are read synchronously (a tenth of the
   * CPU of asynchronous reads) and the loop yields to other messages every SLICE_MS.
   */
  private async indexFiles(
    uris: readonly string[],
    isCancelled: () => boolean,
    report: (done: number) => void,
  ): Promise<boolean> {
    const keep = new Set(uris);
    for (const f of this.index.allFiles()) {
      if (!keep.has(f.uri) && !this.documents.get(f.uri)) this.index.deleteFile(f.uri);
    }
    let slice = performance.now();
    for (const [i, uri] of uris.entries()) {
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        slice = performance.now();
      }
      if (isCancelled()) return false;
      if (!this.documents.get(uri)) loadManifestSync(this.index, uri);
      if ((i + 1) % 50 === 0) report(i + 1);
    }
    return true;
  }

  private logIndexed(): void {
    const w = this.index.world();
    this.connection.console.info(
      `indexed ${this.index.size} files of ${this.folders.length} folder(s) in ${this.indexMs} ms: ` +
        `${w.policies.length} policies, ${w.workloads.length} workloads, ${w.namespaces.size} namespaces`,
    );
  }

  /** netpolLens/indexStatus: the status bar's figures. */
  sendStatus(): void {
    const world = this.index.world();
    const status: IndexStatus = {
      ready: this.ready,
      files: this.index.size,
      documents: this.index.allFiles().reduce((n, f) => n + f.documents.length, 0),
      workloads: world.workloads.length,
      policies: world.policies.length,
      namespaces: world.namespaces.size,
      ...(this.indexMs !== undefined ? { indexMs: this.indexMs } : {}),
    };
    void this.connection.sendNotification(IndexStatusNotification, status);
  }

  /**
   * An open document's text changed (or it was opened): it replaces the file on disk. A document
   * whose text is what the index has (a file opened as it is on disk) changes nothing: no rebuild,
   * no sweep, no refresh; it only gets its diagnostics for its version.
   */
  changed(doc: TextDocument): void {
    if (!MANIFEST.test(doc.uri) && doc.languageId !== 'yaml' && doc.languageId !== 'json') return;
    if (doc.uri.startsWith('file:') && this.excluded(doc.uri)) return;
    const before = this.index.getFile(doc.uri);
    if (this.index.setFile(doc.uri, doc.getText()) === before) {
      this.diagnostics.unchanged(doc.uri);
      return;
    }
    this.diagnostics.schedule(doc.uri);
    this.refresh.changed(doc.uri);
  }

  /**
   * A document was closed: back to the file on disk (or gone when it was never saved). When the
   * file holds the text the index has, the index keeps it and nothing is recomputed.
   */
  async closed(uri: string): Promise<void> {
    if (!uri.startsWith('file:') || !MANIFEST.test(uri) || this.excluded(uri)) {
      this.index.deleteFile(uri);
      this.diagnostics.clear(uri);
      return;
    }
    const before = this.index.getFile(uri);
    const r = await loadManifest(this.index, uri, () => !this.documents.get(uri));
    if (r === 'superseded') return; // reopened meanwhile
    if (r === 'indexed' && this.index.getFile(uri) === before) return;
    if (r === 'removed' || r === 'unreadable') this.diagnostics.clear(uri);
    this.diagnostics.schedule(uri);
    this.refresh.changed();
  }

  /** File watcher events: files created, changed or deleted on disk, and deleted folders. */
  async watchedFiles(changes: readonly FileEvent[]): Promise<void> {
    let touched = false;
    for (const ch of changes) {
      if (this.documents.get(ch.uri)) continue; // the editor's text wins while open
      if (ch.type === FileChangeType.Deleted) {
        if (this.index.deleteFile(ch.uri)) this.diagnostics.clear(ch.uri);
        for (const u of this.index.deleteFolder(ch.uri)) this.diagnostics.clear(u);
        touched = true;
      } else if (MANIFEST.test(ch.uri) && !this.excluded(ch.uri)) {
        // a file saved with the text the index has (the editor saved it, a checkout rewrote it) changes nothing
        const before = this.index.getFile(ch.uri);
        const r = await loadManifest(this.index, ch.uri);
        if (r !== 'unreadable' && this.index.getFile(ch.uri) !== before) touched = true;
      }
    }
    if (touched) {
      this.diagnostics.all();
      this.sendStatus();
      this.refresh.changed();
    }
  }
}
