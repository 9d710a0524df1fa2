// Entry point of the language server, and its composition: the connection, the open documents, the
// workspace index with its services, the capabilities, and the wiring of every LSP method to a
// thin handler (handlers/). The transport comes from the command line, as every LSP client passes
// it: `--stdio` (Neovim, Helix, Emacs, the benchmarks), `--node-ipc` (VS Code), `--socket=N` or
// `--pipe=NAME`.

import * as path from 'node:path';
import pkg from '../../package.json';
import {
  CodeActionKind,
  type Connection,
  createConnection,
  FileChangeType,
  type FileEvent,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { setDocsRoot } from './handlers/convert';
import { DiagnosticsScheduler } from './handlers/diagnostics';
import { EnvironmentsService } from './handlers/environments';
import { FeatureHandlers } from './handlers/features';
import { ModelQueries } from './handlers/modelQueries';
import { ModelRefresh } from './handlers/modelRefresh';
import { CustomRequests } from './handlers/requests';
import { IdleWorkCountersRequest, workCounters, WorkCountersRequest } from './handlers/workCounters';
import { WorkspaceService } from './handlers/workspaceService';
import { DiagramRequest, DiffRequest, NamespacesRequest, ReindexRequest, WorkspaceTrustNotification } from './protocol';
import { DEFAULT_SETTINGS } from './settings';
import { WorkspaceIndex } from './workspace/index';

function initializeResult(): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
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

/** Environments: found again before everything is published, their findings published after each update. */
function wireEnvironments(
  envs: EnvironmentsService,
  workspace: WorkspaceService,
  diagnostics: DiagnosticsScheduler,
  refresh: ModelRefresh,
): void {
  diagnostics.rendered = (uri) => envs.findings(uri);
  workspace.beforePublish = (folders) => envs.rediscover(folders);
  envs.onUpdated = () => {
    diagnostics.all();
    refresh.changed();
  };
}

/** Builds the server on a connection and starts listening. */
function startServer(c: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const index = new WorkspaceIndex({ settings: DEFAULT_SETTINGS });
  const diagnostics = new DiagnosticsScheduler(c, documents, index);
  const refresh = new ModelRefresh(c, documents);
  const workspace = new WorkspaceService(c, documents, index, diagnostics, refresh);
  const envs = new EnvironmentsService(c, index);
  const requests = new CustomRequests(new ModelQueries(index, (m) => c.console.info(m), envs), () => workspace.scan());
  const features = new FeatureHandlers(index, (m) => c.console.error(m), envs);
  wireEnvironments(envs, workspace, diagnostics, refresh);
  c.onNotification(WorkspaceTrustNotification, (p) => {
    envs.setTrusted(!!p && (p as { trusted?: unknown }).trusted === true);
    if (!envs.rediscover(workspace.folderUris())) return;
    diagnostics.all();
    refresh.changed();
  });
  c.onDidChangeWatchedFiles((p) => {
    // the changed files are read into the index first: the renders' findings are placed in them
    void envs.hold(
      workspace.watchedFiles(p.changes).then(() => {
        if (envs.changedOnDisk(p.changes) && envs.rediscover(workspace.folderUris())) diagnostics.all();
      }),
    );
  });
  documents.onDidSave((e) => {
    const changes: FileEvent[] = [{ uri: e.document.uri, type: FileChangeType.Changed }];
    if (envs.changedOnDisk(changes) && envs.rediscover(workspace.folderUris())) diagnostics.all();
  });
  // the rule pages (docs/rules) next to dist/
  setDocsRoot(path.resolve(__dirname, '..'));

  c.onInitialize((p: InitializeParams) => {
    workspace.initialize(p);
    envs.setTrusted((p.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false);
    refresh.canRefresh = {
      inlayHints: !!p.capabilities.workspace?.inlayHint?.refreshSupport,
      codeLenses: !!p.capabilities.workspace?.codeLens?.refreshSupport,
    };
    return initializeResult();
  });
  c.onInitialized(() => void workspace.initialized());
  c.onDidChangeConfiguration(() => void workspace.reloadSettings(true));
  documents.onDidChangeContent((e) => workspace.changed(e.document));
  documents.onDidClose((e) => void workspace.closed(e.document.uri));

  c.onRequest(NamespacesRequest, (p) => requests.namespaces(p));
  c.onRequest(DiagramRequest, (p) => requests.diagram(p));
  c.onRequest(DiffRequest, (p) => requests.diff(p));
  c.onRequest(ReindexRequest, () => requests.reindexAll());
  c.onRequest(WorkCountersRequest, () => workCounters(index, diagnostics, refresh, envs));
  c.onRequest(IdleWorkCountersRequest, async () => {
    await envs.idle();
    return workCounters(index, diagnostics, refresh, envs);
  });

  c.onCodeAction((p) => features.codeAction(p));
  c.onHover((p, token) => features.hover(p, token));
  c.onCompletion((p, token) => features.completion(p, token));
  c.onDefinition((p, token) => features.definition(p, token));
  c.onReferences((p, token) => features.references(p, token));
  c.onDocumentSymbol((p, token) => features.documentSymbol(p, token));
  c.onWorkspaceSymbol((p, token) => features.workspaceSymbol(p, token));
  c.onCodeLens((p, token) => features.codeLens(p, token));
  c.languages.inlayHint.on((p, token) => features.inlayHint(p, token));

  documents.listen(c);
  c.listen();
}

if (
  !process.argv.some(
    (a) =>
      a === '--stdio' ||
      a === '--node-ipc' ||
      a.startsWith('--socket') ||
      a.startsWith('--pipe') ||
      a.startsWith('--clientProcessId'),
  )
) {
  process.stderr.write(
    'netpol-lens language server: start it with --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)\n',
  );
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
// console.log would write into the stdio transport: send it to the client's log instead
console.log = (...args: unknown[]): void => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]): void => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));

startServer(connection);
