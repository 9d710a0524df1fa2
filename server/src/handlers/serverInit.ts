// The language server: capabilities, documents, settings, the workspace index and its scan,
// and the wiring of LSP requests to the pure features. Handlers only unpack parameters, find the
// document and call a feature.

import * as path from 'node:path';
import pkg from '../../../package.json';
import {
  CodeActionKind,
  type Connection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { computeConnectivity, type Connectivity } from '../analysis/connectivity';
import { diffConnectivity } from '../analysis/diff';
import { diffMarkdown } from '../analysis/diffReport';
import type { World } from '../analysis/world';
import { buildDiagram } from '../diagram/mermaid';
import type { DiagramParams, DiagramResult } from '../diagram/model';
import {
  DiagramRequest,
  DiffRequest,
  type DiffParams,
  type DiffResult,
  type IndexStatus,
  IndexStatusNotification,
  ModelChangedNotification,
  NamespacesRequest,
  type NamespacesParams,
  type NamespacesResult,
  ReindexRequest,
  SETTINGS_SECTION,
} from '../protocol';
import { DEFAULT_SETTINGS, type NetpolSettings, readSettings } from '../settings';
import { WorkspaceIndex } from '../workspace/index';
import { describeGlobErrors, matchesAny } from '../workspace/glob';
import { inSkippedFolder, MANIFEST_FILE as MANIFEST } from '../workspace/manifestPaths';
import { setDocsRoot } from './convert';
import { DiagnosticsScheduler } from './diagnostics';
import { registerFeatureHandlers } from './features';
import { listManifests, readManifest } from './scan';

export class NetpolServer {
  readonly documents = new TextDocuments(TextDocument);
  readonly index = new WorkspaceIndex({ settings: DEFAULT_SETTINGS });
  readonly diagnostics: DiagnosticsScheduler;
  private folders: WorkspaceFolder[] = [];
  private filesExclude: string[] = [];
  private hasConfiguration = false;
  private hasProgress = false;
  private hasWatcherRegistration = false;
  private scanGeneration = 0;
  private ready = false;
  private indexMs: number | undefined;
  private modelVersion = 0;
  private modelTimer: NodeJS.Timeout | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** Open documents edited since the last refresh request, and whether anything else changed. */
  private readonly editedSinceRefresh = new Set<string>();
  private externalSinceRefresh = false;
  private hasInlayHintRefresh = false;
  private hasCodeLensRefresh = false;

  constructor(readonly connection: Connection) {
    this.diagnostics = new DiagnosticsScheduler(connection, this.documents, this.index);
    setDocsRoot(path.resolve(__dirname, '..'));
  }

  start(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration(() => void this.reloadSettings(true));
    c.onDidChangeWatchedFiles((p) => void this.watchedFiles(p.changes));
    c.onRequest(NamespacesRequest, (p: NamespacesParams) => this.namespaces(p));
    c.onRequest(DiagramRequest, (p: DiagramParams) => this.diagram(p));
    c.onRequest(DiffRequest, (p: DiffParams) => this.diff(p));
    c.onRequest(ReindexRequest, async () => {
      await this.scan();
      return { files: this.index.size };
    });
    this.documents.onDidChangeContent((e) => this.changed(e.document));
    this.documents.onDidClose((e) => void this.closed(e.document.uri));
    registerFeatureHandlers(this);
    this.documents.listen(c);
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    const caps = p.capabilities;
    this.hasConfiguration = !!caps.workspace?.configuration;
    this.hasProgress = !!caps.window?.workDoneProgress;
    this.hasWatcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.hasInlayHintRefresh = !!caps.workspace?.inlayHint?.refreshSupport;
    this.hasCodeLensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
    this.folders = p.workspaceFolders ?? (p.rootUri ? [{ uri: p.rootUri, name: path.basename(p.rootUri) }] : []);
    const init = p.initializationOptions as { settings?: unknown; filesExclude?: unknown } | undefined;
    if (init?.settings) this.applySettings(readSettings(init.settings));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '-', '/'], resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'netpol-lens', version: pkg.version },
    };
  }

  private async initialized(): Promise<void> {
    if (this.hasWatcherRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/' }],
      });
    }
    try {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        this.folders = [...this.folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)), ...e.added];
        for (const r of e.removed) for (const uri of this.index.deleteFolder(r.uri)) this.diagnostics.clear(uri);
        void this.scan();
      });
    } catch {
      // the client does not support workspace folder events
    }
    this.connection.console.info(
      `netpol-lens server ${pkg.version} on Node ${process.version}; folders: ${this.folders.map((f) => f.uri).join(', ') || 'none'}`,
    );
    await this.reloadSettings(false);
    await this.scan();
  }

  settings(): NetpolSettings {
    return this.index.settings;
  }

  private applySettings(s: NetpolSettings): void {
    this.index.updateOptions({ settings: s });
  }

  private async reloadSettings(rescanIfNeeded: boolean): Promise<void> {
    if (!this.hasConfiguration) return;
    try {
      const [raw, filesExclude] = await this.connection.workspace.getConfiguration([
        { section: SETTINGS_SECTION },
        { section: 'files.exclude' },
      ]);
      const before = JSON.stringify({ e: this.excludes(), m: this.index.settings.maxFileSizeMB });
      this.filesExclude =
        filesExclude && typeof filesExclude === 'object'
          ? Object.entries(filesExclude as Record<string, unknown>)
              .filter(([, v]) => v === true)
              .map(([k]) => k)
          : [];
      this.applySettings(readSettings(raw));
      const after = JSON.stringify({ e: this.excludes(), m: this.index.settings.maxFileSizeMB });
      if (rescanIfNeeded) {
        if (before !== after) await this.scan();
        else this.diagnostics.all();
        this.modelChanged();
      }
    } catch (e) {
      this.connection.console.warn(`cannot read settings: ${(e as Error).message}`);
    }
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
      void this.connection.sendNotification('window/showMessage', {
        type: 2 /* warning */,
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

  /** Indexes every manifest of the workspace folders (with progress), then publishes. */
  async scan(): Promise<void> {
    const gen = ++this.scanGeneration;
    const t0 = Date.now();
    this.reportBadGlobs();
    this.ready = false;
    const progress = this.hasProgress ? await this.connection.window.createWorkDoneProgress().catch(() => null) : null;
    progress?.begin('netpol-lens: indexing manifests', 0, 'listing files', true);
    try {
      const isCancelled = (): boolean => gen !== this.scanGeneration || !!progress?.token.isCancellationRequested;
      const maxSize = this.index.settings.maxFileSizeMB * 1024 * 1024;
      const uris: string[] = [];
      for (const f of this.folders) {
        uris.push(...(await listManifests(f.uri, { exclude: this.excludes(), maxFileSize: maxSize, isCancelled })));
      }
      if (isCancelled()) return;
      const keep = new Set(uris);
      for (const f of this.index.allFiles()) {
        if (!keep.has(f.uri) && !this.documents.get(f.uri)) this.index.deleteFile(f.uri);
      }
      let done = 0;
      for (const uri of uris) {
        if (isCancelled()) return;
        if (!this.documents.get(uri)) {
          const r = await readManifest(uri, maxSize);
          if (r?.tooLarge) this.index.setSkipped(uri, `it is larger than ${this.index.settings.maxFileSizeMB} MB`);
          else if (r) this.index.setFile(uri, r.text);
        }
        done++;
        if (done % 50 === 0) progress?.report(Math.round((done / uris.length) * 100), `${done}/${uris.length} files`);
      }
      this.indexMs = Date.now() - t0;
      this.ready = true;
      const w = this.index.world();
      this.connection.console.info(
        `indexed ${this.index.size} files of ${this.folders.length} folder(s) in ${this.indexMs} ms: ` +
          `${w.policies.length} policies, ${w.workloads.length} workloads, ${w.namespaces.size} namespaces`,
      );
      this.diagnostics.all();
      this.sendStatus();
      this.modelChanged();
    } finally {
      progress?.done();
    }
  }

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

  /** Tells the client the model changed (throttled: the diagram re-renders a few times a second at most). */
  /**
   * The model changed (`source`: the open document that was edited, if that is the cause). The
   * diagram hears of it within 250 ms. CodeLenses and inlay hints of open documents read other
   * files (selected workloads, named ports), so the editor is asked to fetch them again, at most
   * once a second, and not when the only open documents are the ones edited (the editor asks for
   * an edited document's lenses and hints by itself).
   */
  modelChanged(source?: string): void {
    this.modelVersion++;
    if (source) this.editedSinceRefresh.add(source);
    else this.externalSinceRefresh = true;
    if (!this.modelTimer) {
      this.modelTimer = setTimeout(() => {
        this.modelTimer = null;
        void this.connection.sendNotification(ModelChangedNotification, { version: this.modelVersion });
      }, 250);
    }
    if (!this.refreshTimer && (this.hasInlayHintRefresh || this.hasCodeLensRefresh)) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = null;
        const others =
          this.externalSinceRefresh || this.documents.all().some((d) => !this.editedSinceRefresh.has(d.uri));
        this.editedSinceRefresh.clear();
        this.externalSinceRefresh = false;
        if (!others) return;
        if (this.hasInlayHintRefresh) this.connection.languages.inlayHint.refresh().catch(() => undefined);
        if (this.hasCodeLensRefresh) this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
      }, 1000);
    }
  }

  private changed(doc: TextDocument): void {
    if (!MANIFEST.test(doc.uri) && doc.languageId !== 'yaml' && doc.languageId !== 'json') return;
    if (doc.uri.startsWith('file:') && this.excluded(doc.uri)) return;
    this.index.setFile(doc.uri, doc.getText());
    this.diagnostics.schedule(doc.uri);
    this.modelChanged(doc.uri);
  }

  private async closed(uri: string): Promise<void> {
    // back to the file on disk (or gone when it was never saved)
    if (!uri.startsWith('file:') || !MANIFEST.test(uri) || this.excluded(uri)) {
      this.index.deleteFile(uri);
      this.diagnostics.clear(uri);
      return;
    }
    const r = await readManifest(uri, this.index.settings.maxFileSizeMB * 1024 * 1024);
    if (this.documents.get(uri)) return; // reopened meanwhile
    if (!r) {
      this.index.deleteFile(uri);
      this.diagnostics.clear(uri);
    } else if (r.tooLarge) this.index.setSkipped(uri, `it is larger than ${this.index.settings.maxFileSizeMB} MB`);
    else this.index.setFile(uri, r.text);
    this.diagnostics.schedule(uri);
    this.modelChanged();
  }

  private async watchedFiles(changes: ReadonlyArray<{ uri: string; type: FileChangeType }>): Promise<void> {
    let touched = false;
    for (const ch of changes) {
      if (this.documents.get(ch.uri)) continue; // the editor's text wins while open
      if (ch.type === FileChangeType.Deleted) {
        if (this.index.deleteFile(ch.uri)) this.diagnostics.clear(ch.uri);
        for (const u of this.index.deleteFolder(ch.uri)) this.diagnostics.clear(u);
        touched = true;
        continue;
      }
      if (!MANIFEST.test(ch.uri) || this.excluded(ch.uri)) continue;
      const r = await readManifest(ch.uri, this.index.settings.maxFileSizeMB * 1024 * 1024);
      if (!r) continue;
      if (r.tooLarge) this.index.setSkipped(ch.uri, `it is larger than ${this.index.settings.maxFileSizeMB} MB`);
      else this.index.setFile(ch.uri, r.text);
      touched = true;
    }
    if (touched) {
      this.diagnostics.all();
      this.sendStatus();
      this.modelChanged();
    }
  }

  private connCache: { world: World; conn: Connectivity } | null = null;

  /** Connectivity of the current world (computed once per model version). */
  connectivity(): Connectivity {
    const world = this.index.world();
    if (this.connCache?.world !== world) this.connCache = { world, conn: computeConnectivity(world) };
    return this.connCache.conn;
  }

  /** The connectivity changes from a base version of some files to the workspace as it is now. */
  private diff(p: DiffParams): DiffResult {
    const base = Array.isArray(p?.base)
      ? p.base.filter((b) => typeof b?.uri === 'string' && (typeof b.text === 'string' || b.text === null))
      : [];
    const head = this.connectivity();
    const known = base.filter((b) => this.index.hasFile(b.uri)).length;
    this.connection.console.info(
      `diff: ${base.length} base file(s), ${known} of them indexed${
        base.length > known
          ? ` (not indexed: ${base
              .filter((b) => !this.index.hasFile(b.uri))
              .slice(0, 3)
              .map((b) => b.uri)
              .join(', ')})`
          : ''
      }`,
    );
    const before = computeConnectivity(this.index.worldWith(base));
    const d = diffConnectivity(before, head, { namespace: typeof p?.namespace === 'string' ? p.namespace : undefined });
    const title = typeof p?.title === 'string' && p.title ? p.title : 'Connectivity changes';
    return {
      markdown: diffMarkdown(d, false, title),
      changes: d.changes.length + d.workloadsAdded.length + d.workloadsRemoved.length,
    };
  }

  private diagram(p: DiagramParams): DiagramResult {
    const world = this.index.world();
    const params: DiagramParams = p.namespace
      ? p
      : { ...p, namespace: this.namespaces({ uri: p.uri }).active ?? [...world.namespaces.keys()].sort()[0] };
    return buildDiagram(world, this.connectivity(), params);
  }

  private namespaces(p: NamespacesParams): NamespacesResult {
    const world = this.index.world();
    const namespaces = [...world.namespaces.keys()].sort();
    let active: string | undefined;
    if (p.uri) {
      const f = this.index.getFile(p.uri);
      const objs = f ? world.objects.filter((o) => o.uri === p.uri) : [];
      if (p.position && f) {
        const line = p.position.line;
        const hit = objs.find((o) => {
          const a = o.doc.positionAt(o.node.s).line;
          const b = o.doc.positionAt(o.node.e).line;
          return a <= line && line <= b;
        });
        if (hit) active = world.namespaceOf(hit) || undefined;
      }
      if (!active) {
        const o = objs.find((x) => x.type === 'policy') ?? objs.find((x) => x.type === 'workload') ?? objs[0];
        if (o) active = world.namespaceOf(o) || (o.type === 'namespace' ? o.name : undefined);
      }
    }
    return active ? { namespaces, active } : { namespaces };
  }
}
