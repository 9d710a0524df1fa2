// The traffic diagram's commands and its one panel: "Show Traffic Diagram" (command palette, editor
// title, CodeLens, other code), "Select Diagram Namespace…", the serializer that restores the panel
// after a reload, and refreshes when the server's model or the diagram settings change.

import * as vscode from 'vscode';
import { SHOW_DIAGRAM_COMMAND } from '../../../server/src/protocol/commands';
import type { DiagramToggles, PanelState } from '../../../server/src/protocol/webview';
import { mediaRoot } from './html';
import { readPanelState } from './messages';
import { type DiagramFetch, DiagramPanel } from './panel';

export const DIAGRAM_VIEW_TYPE = 'netpolLens.diagram';
export const SELECT_NAMESPACE_COMMAND = 'netpolLens.selectDiagramNamespace';

export interface DiagramOptions {
  /** The toggles' initial values for a new panel (the settings). */
  readonly defaults?: () => DiagramToggles;
  /** Settings changes that should reset the toggles to `defaults` (e.g. `netpolLens.diagram`). */
  readonly defaultsSection?: string;
}

type Target = { namespace?: string; uri?: vscode.Uri; environment?: string };

/** Where the environment chosen in the diagram's picker is kept (workspaceState). */
export const ENVIRONMENT_KEY = 'netpolLens.diagram.environment';

/** What the extension (and its tests) can do with the diagram. */
export interface DiagramController extends vscode.Disposable {
  /** Opens the panel (or reveals it), optionally on a namespace or the namespace of a document. */
  show(target?: Target): Promise<DiagramPanel>;
  readonly panel: DiagramPanel | undefined;
}

/** The argument of the show command: from the editor title a file's Uri; from other code a namespace. */
function targetOf(arg: unknown): Target {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg === 'string' && arg) return { namespace: arg };
  const o = (arg && typeof arg === 'object' ? arg : {}) as { namespace?: unknown; environment?: unknown };
  const t: Target = {};
  if (typeof o.namespace === 'string') t.namespace = o.namespace;
  if (typeof o.environment === 'string' && o.environment) t.environment = o.environment;
  return t;
}

class Diagram implements DiagramController {
  private current: DiagramPanel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly fetch: DiagramFetch,
    private readonly options: DiagramOptions,
  ) {}

  get panel(): DiagramPanel | undefined {
    return this.current;
  }

  defaults(): DiagramToggles {
    return this.options.defaults?.() ?? { showReplies: false, merge: true };
  }

  /** Makes `p` the panel (the only one). */
  adopt(p: DiagramPanel): DiagramPanel {
    this.current = p;
    p.onDidDispose(() => {
      if (this.current === p) this.current = undefined;
    });
    return p;
  }

  async show(target: Target = {}): Promise<DiagramPanel> {
    if (this.current) {
      this.current.show(target);
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(
      DIAGRAM_VIEW_TYPE,
      'Traffic diagram',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [mediaRoot(this.context.extensionUri)] },
    );
    const p = this.adopt(this.panelOf(panel, { ...this.defaults(), ...this.rememberedEnvironment() }));
    const uri = target.uri ?? vscode.window.activeTextEditor?.document.uri;
    const env = target.environment ? { environment: target.environment } : {};
    p.show(target.namespace ? { namespace: target.namespace, ...env } : uri ? { uri, ...env } : env);
    return p;
  }

  /** A quick pick of the workspace's namespaces (from the panel's last result, else the server). */
  async selectNamespace(): Promise<void> {
    let names = this.current?.lastResult?.namespaces;
    let active = this.current?.namespace;
    if (!names) {
      const editor = vscode.window.activeTextEditor;
      const r = await this.fetch(editor ? { uri: editor.document.uri.toString() } : {});
      names = r.namespaces;
      active = r.namespace;
    }
    if (!names.length) {
      void vscode.window.showInformationMessage('NetworkPolicy Lens: no namespaces found in the workspace manifests.');
      return;
    }
    const items = names.map((n) => ({ label: n, description: n === active ? 'shown' : undefined }));
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Namespace to draw' });
    if (pick) await this.show({ namespace: pick.label });
  }

  /** A panel VS Code restores after a reload, with the state its webview saved. */
  restore(panel: vscode.WebviewPanel, saved: unknown): void {
    this.current?.dispose();
    const state = { ...this.rememberedEnvironment(), ...readPanelState(saved, this.defaults()) };
    this.adopt(this.panelOf(panel, state)).refresh();
  }

  private panelOf(panel: vscode.WebviewPanel, state: PanelState): DiagramPanel {
    return new DiagramPanel(panel, this.context.extensionUri, this.fetch, state, (environment) => {
      void this.context.workspaceState.update(ENVIRONMENT_KEY, environment);
    });
  }

  /** The environment last chosen in this workspace, if any. */
  private rememberedEnvironment(): { environment?: string } {
    const e = this.context.workspaceState.get<unknown>(ENVIRONMENT_KEY);
    return typeof e === 'string' && e ? { environment: e } : {};
  }

  settingsChanged(e: vscode.ConfigurationChangeEvent): void {
    const section = this.options.defaultsSection;
    if (this.current && section && e.affectsConfiguration(section)) this.current.setToggles(this.defaults());
  }

  dispose(): void {
    this.current?.dispose();
  }
}

/**
 * Registers the diagram: the two commands, the serializer that restores the panel after a reload,
 * and refreshes on model changes. `fetch` sends the DiagramRequest; `onDidChangeModel` fires when
 * the server's model changed (ModelChangedNotification).
 */
export function registerDiagram(
  context: vscode.ExtensionContext,
  fetch: DiagramFetch,
  onDidChangeModel: vscode.Event<unknown>,
  options: DiagramOptions = {},
): DiagramController {
  const diagram = new Diagram(context, fetch, options);
  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(SHOW_DIAGRAM_COMMAND, async (arg?: unknown) => {
      await diagram.show(targetOf(arg));
    }),
    vscode.commands.registerCommand(SELECT_NAMESPACE_COMMAND, () => diagram.selectNamespace()),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, saved) => diagram.restore(panel, saved),
    }),
    onDidChangeModel(() => diagram.panel?.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => diagram.settingsChanged(e)),
  ];
  const controller: DiagramController = {
    show: (target) => diagram.show(target),
    get panel() {
      return diagram.panel;
    },
    dispose() {
      diagram.dispose();
      for (const d of disposables.splice(0)) d.dispose();
    },
  };
  context.subscriptions.push(controller);
  return controller;
}
