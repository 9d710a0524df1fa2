// The extension host side: starts the bundled language server (dist/server.js) and registers
// the commands. The server does all the analysis; the client shows it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  DiagramRequest,
  DiffRequest,
  type IndexStatus,
  IndexStatusNotification,
  ModelChangedNotification,
  ReindexRequest,
  SETTINGS_SECTION,
  WorkspaceTrustNotification,
} from '../../server/src/protocol';
import { type CommandLocation, type CommandPosition, SHOW_SELECTED_COMMAND } from '../../server/src/protocol/commands';
import { type DiagramController, registerDiagram } from './diagram/controller';
import type { DiagramFetch } from './diagram/panel';
import { Config, DIAGRAM_SECTION } from './config';
import { compareWithHead, registerReportProvider } from './gitCompare';
import { registerCommandMenu, SHOW_COMMANDS, walkthroughMiddleware } from './statusMenu';

/** What activate() returns: used by the extension-host tests to wait for readiness. */
export interface NetpolLensApi {
  readonly client: () => LanguageClient | undefined;
  /** Resolves once the first workspace index is complete. */
  readonly ready: Promise<IndexStatus>;
  readonly lastStatus: () => IndexStatus | undefined;
  /** The diagram panel controller (tests open it and read its last result). */
  readonly diagram: () => DiagramController | undefined;
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let status: vscode.StatusBarItem | undefined;
let lastStatus: IndexStatus | undefined;
let diagram: DiagramController | undefined;
const modelListeners = new vscode.EventEmitter<void>();

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  return {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
}

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { configurationSection: [SETTINGS_SECTION, 'files.exclude'] },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    markdown: { isTrusted: false, supportHtml: false },
    middleware: walkthroughMiddleware(),
    // Kustomize and Helm environments are rendered (programs run) only in a trusted workspace
    initializationOptions: { trusted: vscode.workspace.isTrusted },
  };
}

async function startClient(context: vscode.ExtensionContext, onReady: (s: IndexStatus) => void): Promise<void> {
  // the id is the settings section: the client follows `netpolLens.trace.server` by itself
  client = new LanguageClient(SETTINGS_SECTION, 'NetworkPolicy Lens', serverOptions(context), clientOptions());
  client.onNotification(IndexStatusNotification, (s) => {
    lastStatus = s;
    updateStatus(s);
    if (s.ready) onReady(s);
  });
  client.onNotification(ModelChangedNotification, () => modelListeners.fire());
  await client.start();
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustNotification, { trusted: true });
    }),
  );
}

function updateStatus(s: IndexStatus): void {
  if (!status) return;
  status.text = s.ready
    ? `$(shield) ${s.policies} ${s.policies === 1 ? 'policy' : 'policies'}`
    : '$(sync~spin) netpol-lens';
  const summary = s.ready
    ? `NetworkPolicy Lens: ${s.files} files, ${s.workloads} workloads, ${s.policies} policies in ${s.namespaces} namespaces${s.indexMs !== undefined ? ` (indexed in ${s.indexMs} ms)` : ''}`
    : 'NetworkPolicy Lens: indexing manifests…';
  status.tooltip = `${summary}\nClick for the NetworkPolicy Lens commands`;
  status.show();
}

/** The editor title button shows on YAML and JSON files that contain a NetworkPolicy. */
function trackPolicyEditors(context: vscode.ExtensionContext): void {
  const POLICY = /^\s*kind:\s*["']?NetworkPolicy\b/m;
  const update = (ed: vscode.TextEditor | undefined): void => {
    const has =
      !!ed &&
      (ed.document.languageId === 'yaml' || ed.document.languageId === 'json') &&
      POLICY.test(ed.document.getText(new vscode.Range(0, 0, 5000, 0)));
    void vscode.commands.executeCommand('setContext', 'netpolLens.editorHasPolicy', has);
  };
  update(vscode.window.activeTextEditor);
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) update(vscode.window.activeTextEditor);
    }),
  );
}

/** From the CodeLens: the policy's uri, the selected workloads' locations, the policy's position. */
async function showSelectedWorkloads(
  uri: string,
  locations: CommandLocation[] | undefined,
  at?: CommandPosition,
): Promise<void> {
  const locs = (locations ?? []).map(
    (l) =>
      new vscode.Location(
        vscode.Uri.parse(l.uri),
        new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character),
      ),
  );
  if (!locs.length) {
    void vscode.window.showInformationMessage('This policy selects no workload in the workspace.');
    return;
  }
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    vscode.Uri.parse(uri),
    new vscode.Position(at?.line ?? 0, at?.character ?? 0),
    locs,
  );
}

/** The commands that talk to the server (restart, re-index, compare) or show its output. */
function registerCommands(context: vscode.ExtensionContext, onReady: (s: IndexStatus) => void): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('netpolLens.restartServer', async () => {
      if (client) await client.restart();
      else await startClient(context, onReady);
    }),
    vscode.commands.registerCommand('netpolLens.showOutput', () => output?.show(true)),
    vscode.commands.registerCommand('netpolLens.reindex', async () => {
      await client?.sendRequest(ReindexRequest);
    }),
    vscode.commands.registerCommand('netpolLens.compareWithHead', async () => {
      const c = client;
      if (!c) {
        void vscode.window.showWarningMessage('NetworkPolicy Lens: the language server is not running.');
        return;
      }
      await compareWithHead((p) => c.sendRequest(DiffRequest, p));
    }),
    vscode.commands.registerCommand(SHOW_SELECTED_COMMAND, showSelectedWorkloads),
  ];
}

export async function activate(context: vscode.ExtensionContext): Promise<NetpolLensApi> {
  output = vscode.window.createOutputChannel('netpol-lens');
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 50);
  status.name = 'NetworkPolicy Lens';
  status.command = SHOW_COMMANDS;
  context.subscriptions.push(output, status, modelListeners);
  void vscode.commands.executeCommand('setContext', 'netpolLens.active', true);
  trackPolicyEditors(context);

  let resolveReady!: (s: IndexStatus) => void;
  const ready = new Promise<IndexStatus>((r) => (resolveReady = r));
  context.subscriptions.push(
    ...registerCommands(context, resolveReady),
    registerReportProvider(),
    registerCommandMenu(context),
  );
  diagram = registerDiagramCommands(context, new Config());

  await startClient(context, resolveReady);
  return { client: () => client, ready, lastStatus: () => lastStatus, diagram: () => diagram };
}

/** The traffic diagram panel (client/src/diagram/panel.ts), fed by the server's netpolLens/diagram. */
function registerDiagramCommands(context: vscode.ExtensionContext, config: Config): DiagramController {
  const fetch: DiagramFetch = async (p) => {
    if (!client) throw new Error('the NetworkPolicy Lens language server is not running');
    return client.sendRequest(DiagramRequest, p);
  };
  return registerDiagram(context, fetch, modelListeners.event, {
    defaults: () => ({ showReplies: config.diagramShowReplies, merge: config.diagramMergeEquivalent }),
    defaultsSection: DIAGRAM_SECTION,
  });
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
