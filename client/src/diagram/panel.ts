// The traffic diagram panel, VS Code side: one panel beside the editor, restored after a reload by
// a serializer, refreshed at most a few times a second while the manifests change, and the
// webview's messages (open a node's manifest, reveal an arrow's rules, copy, save). The data comes
// from an injected function (the language client's `netpolLens/diagram` request).

import * as vscode from 'vscode';
import {
  type DiagramLocation,
  diagramMarkdown,
  type DiagramParams,
  type DiagramResult,
  type DiagramRuleRef,
} from '../../../server/src/diagram/model';
import { createNonce, mediaRoot, renderPanelHtml } from './html';

export const DIAGRAM_VIEW_TYPE = 'netpolLens.diagram';
export const SHOW_DIAGRAM_COMMAND = 'netpolLens.showDiagram';
export const SELECT_NAMESPACE_COMMAND = 'netpolLens.selectDiagramNamespace';

/** Where the diagram comes from: the language server, in the extension. */
export type DiagramFetch = (params: DiagramParams) => Promise<DiagramResult>;

export interface DiagramOptions {
  /** The toggles' initial values for a new panel (the settings). */
  readonly defaults?: () => { showReplies: boolean; merge: boolean };
  /** Settings changes that should reset the toggles to `defaults` (e.g. `netpolLens.diagram`). */
  readonly defaultsSection?: string;
}

/** What the extension (and its tests) can do with the diagram. */
export interface DiagramController extends vscode.Disposable {
  /** Opens the panel (or reveals it), optionally on a namespace or the namespace of a document. */
  show(target?: { namespace?: string; uri?: vscode.Uri }): Promise<DiagramPanel>;
  readonly panel: DiagramPanel | undefined;
}

/** The state the webview keeps (getState/setState) and gives back after a reload. */
interface PanelState {
  namespace?: string;
  showReplies: boolean;
  merge: boolean;
  zoom?: number;
}

/** Refreshes run at most every MIN_INTERVAL ms, each after a short quiet time. */
const MIN_INTERVAL = 333;
const QUIET = 120;
/** A saved SVG larger than this is refused (the webview is not trusted with the disk). */
const MAX_SVG_BYTES = 64 * 1024 * 1024;

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function toRange(l: DiagramLocation): vscode.Range {
  const r = l.range;
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function themeKind(): 'light' | 'dark' | 'highContrast' | 'highContrastLight' {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Dark:
      return 'dark';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'light';
  }
}

export class DiagramPanel implements vscode.Disposable {
  private result: DiagramResult | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private dirty = false;
  private lastRun = 0;
  private seq = 0;
  private disposed = false;
  /** The document whose namespace to start on (until a namespace is chosen). */
  private docUri: string | undefined;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly fetch: DiagramFetch,
    private state: PanelState,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [mediaRoot(extensionUri)] };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'diagram.svg');
    panel.webview.html = renderPanelHtml(panel.webview, extensionUri, createNonce());
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.dirty) this.refresh();
      }),
    );
  }

  get namespace(): string | undefined {
    return this.result?.namespace ?? this.state.namespace;
  }

  get lastResult(): DiagramResult | undefined {
    return this.result;
  }

  /** Switches to a namespace, or (namespace undefined) to the namespace of a document. */
  show(target: { namespace?: string; uri?: vscode.Uri } = {}): void {
    if (target.namespace) this.state.namespace = target.namespace;
    else if (target.uri) {
      this.state.namespace = undefined;
      this.docUri = target.uri.toString();
    }
    if (!this.panel.visible) this.panel.reveal(undefined, true);
    this.refresh();
  }

  /** Asks for a refresh: coalesced, at most one every MIN_INTERVAL ms, and only while visible. */
  refresh(): void {
    if (this.disposed) return;
    if (!this.panel.visible) {
      this.dirty = true;
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(QUIET, this.lastRun + MIN_INTERVAL - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private params(): DiagramParams {
    const p: DiagramParams = { showReplies: this.state.showReplies, merge: this.state.merge };
    if (this.state.namespace) p.namespace = this.state.namespace;
    const uri = this.docUri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (uri) p.uri = uri;
    return p;
  }

  private async run(): Promise<void> {
    const my = ++this.seq;
    this.running = true;
    this.dirty = false;
    this.lastRun = Date.now();
    void this.post({ type: 'loading' });
    try {
      const r = await this.fetch(this.params());
      if (this.disposed || my !== this.seq) return;
      this.result = r;
      if (r.namespace) {
        this.state.namespace = r.namespace;
        this.docUri = undefined;
      }
      this.panel.title = r.namespace ? `Traffic: ${r.namespace}` : 'Traffic diagram';
      await this.post({
        type: 'render',
        result: r,
        theme: themeKind(),
        options: { showReplies: this.state.showReplies, merge: this.state.merge },
      });
    } catch (e) {
      if (!this.disposed) {
        void this.post({
          type: 'error',
          message: `The diagram is not available: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    }
  }

  private post(message: Record<string, unknown>): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  /** Messages from the webview: validated, since the webview renders untrusted manifest text. */
  async onMessage(raw: unknown): Promise<void> {
    if (!raw || typeof raw !== 'object') return;
    const m = raw as Record<string, unknown>;
    try {
      switch (m.type) {
        case 'ready': {
          const s = (m.state ?? {}) as Partial<PanelState>;
          if (!this.state.namespace && typeof s.namespace === 'string') this.state.namespace = s.namespace;
          if (this.result) {
            void this.post({
              type: 'render',
              result: this.result,
              theme: themeKind(),
              options: { showReplies: this.state.showReplies, merge: this.state.merge },
            });
          }
          this.refresh();
          return;
        }
        case 'selectNamespace':
          if (typeof m.namespace === 'string' && m.namespace) {
            this.state.namespace = m.namespace;
            this.docUri = undefined;
            this.refresh();
          }
          return;
        case 'setOptions':
          if (typeof m.showReplies === 'boolean') this.state.showReplies = m.showReplies;
          if (typeof m.merge === 'boolean') this.state.merge = m.merge;
          this.refresh();
          return;
        case 'openNode':
          if (typeof m.id === 'string') await this.openNode(m.id);
          return;
        case 'openEdge':
          if (typeof m.id === 'string') await this.openEdge(m.id);
          return;
        case 'copyMermaid':
          if (this.result) {
            await vscode.env.clipboard.writeText(this.result.mermaid);
            void vscode.window.showInformationMessage(
              `Copied the Mermaid source of namespace ${this.result.namespace}.`,
            );
          }
          return;
        case 'saveMarkdown':
          if (this.result) await this.save('md', diagramMarkdown(this.result));
          return;
        case 'saveSvg':
          if (
            typeof m.svg === 'string' &&
            m.svg.length <= MAX_SVG_BYTES &&
            /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(m.svg)
          ) {
            await this.save('svg', m.svg);
          }
          return;
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`NetworkPolicy Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The column to open manifests in: an editor column that is not the panel's. */
  private editorColumn(): vscode.ViewColumn {
    const other = vscode.window.visibleTextEditors.find(
      (e) => e.viewColumn !== undefined && e.viewColumn !== this.panel.viewColumn,
    );
    if (other?.viewColumn) return other.viewColumn;
    return this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  private async reveal(loc: DiagramLocation): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(loc.uri, true));
    const range = toRange(loc);
    // selected, with the cursor (and the scroll position) at its start
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: this.editorColumn(),
      selection: range,
      preserveFocus: false,
    });
    editor.selection = new vscode.Selection(range.end, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async openNode(id: string): Promise<void> {
    const r = this.result;
    if (!r || !has(r.nodes, id)) return;
    const n = r.nodes[id];
    if (n.workloads.length > 1) {
      const items = n.workloads
        .filter((w) => w.location)
        .map((w) => ({
          label: `${w.namespace}/${w.name}`,
          description: w.kind,
          detail: `${vscode.workspace.asRelativePath(vscode.Uri.parse(w.location!.uri))}:${w.location!.range.start.line + 1}`,
          loc: w.location!,
        }));
      const pick = await vscode.window.showQuickPick(items, {
        placeHolder: `${n.workloads.length} workloads with identical connectivity: open which manifest?`,
        matchOnDescription: true,
      });
      if (pick) await this.reveal(pick.loc);
      return;
    }
    const loc = n.locations[0];
    if (loc) await this.reveal(loc);
    else {
      void vscode.window.showInformationMessage(
        n.kind === 'namespace'
          ? `No Namespace manifest declares ${n.namespace}; it exists because objects use it.`
          : `${n.title}: nothing in the workspace to open.`,
      );
    }
  }

  private async openEdge(id: string): Promise<void> {
    const r = this.result;
    if (!r || !has(r.edges, id)) return;
    let e = r.edges[id];
    if (e.kind === 'reply' && e.replyOf && has(r.edges, e.replyOf)) e = r.edges[e.replyOf];
    const rules = e.rules;
    const from = has(r.nodes, e.from) ? r.nodes[e.from].title : e.from;
    const to = has(r.nodes, e.to) ? r.nodes[e.to].title : e.to;
    if (!rules.length) {
      void vscode.window.showInformationMessage(`${from} → ${to}: ${e.notes[0] ?? 'no rule is involved'}`);
      return;
    }
    if (rules.length === 1) {
      await this.reveal(rules[0].location);
      return;
    }
    const describe = (x: DiagramRuleRef): string =>
      `${x.direction} rule ${x.rule + 1}${x.peer !== undefined ? `, peer ${x.peer + 1}` : ''} · ${x.ports}`;
    const items = rules.map((x) => ({
      label: `$(shield) ${x.namespace}/${x.policy}`,
      description: describe(x),
      detail: `${vscode.workspace.asRelativePath(vscode.Uri.parse(x.location.uri))}:${x.location.range.start.line + 1}`,
      rule: x,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      placeHolder: `${from} → ${to}${e.ports ? ` (${e.ports})` : ''}: the rules that allow it`,
      matchOnDescription: true,
    });
    if (pick) await this.reveal(pick.rule.location);
  }

  private async save(kind: 'md' | 'svg', content: string): Promise<void> {
    const ns = (this.result?.namespace || 'diagram').replace(/[^A-Za-z0-9._-]/g, '_');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${ns}-traffic.${kind}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: kind === 'md' ? { Markdown: ['md'] } : { SVG: ['svg'] },
      saveLabel: kind === 'md' ? 'Save Markdown' : 'Save SVG',
      title: kind === 'md' ? 'Save the diagram as Markdown' : 'Save the diagram as SVG',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDisposeEmitter.fire();
    this.onDisposeEmitter.dispose();
  }
}

/**
 * Registers the diagram: the two commands, the serializer that restores the panel after a reload,
 * and refreshes on model changes. `fetch` sends the `netpolLens/diagram` request;
 * `onDidChangeModel` fires when the server's model changed (netpolLens/modelChanged).
 */
export function registerDiagram(
  context: vscode.ExtensionContext,
  fetch: DiagramFetch,
  onDidChangeModel: vscode.Event<unknown>,
  options: DiagramOptions = {},
): DiagramController {
  let current: DiagramPanel | undefined;
  const defaults = (): { showReplies: boolean; merge: boolean } =>
    options.defaults?.() ?? { showReplies: false, merge: true };

  const adopt = (p: DiagramPanel): DiagramPanel => {
    current = p;
    p.onDidDispose(() => {
      if (current === p) current = undefined;
    });
    return p;
  };

  const show = async (target: { namespace?: string; uri?: vscode.Uri } = {}): Promise<DiagramPanel> => {
    if (current) {
      current.show(target);
      return current;
    }
    const panel = vscode.window.createWebviewPanel(
      DIAGRAM_VIEW_TYPE,
      'Traffic diagram',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [mediaRoot(context.extensionUri)] },
    );
    const p = adopt(new DiagramPanel(panel, context.extensionUri, fetch, { ...defaults() }));
    const uri = target.uri ?? vscode.window.activeTextEditor?.document.uri;
    p.show(target.namespace ? { namespace: target.namespace } : uri ? { uri } : {});
    return p;
  };

  const selectNamespace = async (): Promise<void> => {
    let names = current?.lastResult?.namespaces;
    let active = current?.namespace;
    if (!names) {
      const editor = vscode.window.activeTextEditor;
      const r = await fetch(editor ? { uri: editor.document.uri.toString() } : {});
      names = r.namespaces;
      active = r.namespace;
    }
    if (!names.length) {
      void vscode.window.showInformationMessage('NetworkPolicy Lens: no namespaces found in the workspace manifests.');
      return;
    }
    const items = names.map((n) => ({ label: n, description: n === active ? 'shown' : undefined }));
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Namespace to draw' });
    if (pick) await show({ namespace: pick.label });
  };

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(SHOW_DIAGRAM_COMMAND, async (arg?: unknown) => {
      // from the editor title: the file's Uri; from other code: a namespace name
      if (arg instanceof vscode.Uri) await show({ uri: arg });
      else if (typeof arg === 'string' && arg) await show({ namespace: arg });
      else if (arg && typeof arg === 'object' && typeof (arg as { namespace?: unknown }).namespace === 'string') {
        await show({ namespace: (arg as { namespace: string }).namespace });
      } else await show();
    }),
    vscode.commands.registerCommand(SELECT_NAMESPACE_COMMAND, selectNamespace),
    vscode.window.registerWebviewPanelSerializer(DIAGRAM_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
        const s = (saved ?? {}) as Partial<PanelState>;
        const d = defaults();
        const state: PanelState = {
          showReplies: typeof s.showReplies === 'boolean' ? s.showReplies : d.showReplies,
          merge: typeof s.merge === 'boolean' ? s.merge : d.merge,
        };
        if (typeof s.namespace === 'string' && s.namespace) state.namespace = s.namespace;
        current?.dispose();
        adopt(new DiagramPanel(panel, context.extensionUri, fetch, state)).refresh();
      },
    }),
    onDidChangeModel(() => current?.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!current || !options.defaultsSection || !e.affectsConfiguration(options.defaultsSection)) return;
      void current.onMessage({ type: 'setOptions', ...defaults() });
    }),
  ];
  const controller: DiagramController = {
    show,
    get panel() {
      return current;
    },
    dispose() {
      current?.dispose();
      for (const d of disposables.splice(0)) d.dispose();
    },
  };
  context.subscriptions.push(controller);
  return controller;
}
