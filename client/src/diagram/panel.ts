// The traffic diagram panel, VS Code side: one webview panel beside the editor, refreshed at most a
// few times a second while the manifests change, and the webview's messages (open a node's
// manifest, reveal an arrow's rules, copy, save). The data comes from an injected function (the
// language client's DiagramRequest); controller.ts creates and restores panels.

import * as vscode from 'vscode';
import type { DiagramParams, DiagramResult } from '../../../server/src/protocol/diagram';
import { diagramMarkdown } from '../../../server/src/protocol/diagramMarkdown';
import type { DiagramToggles, PanelState, PanelToWebview, WebviewToPanel } from '../../../server/src/protocol/webview';
import { createNonce, mediaRoot, renderPanelHtml } from './html';
import { parseWebviewMessage } from './messages';
import { openEdge, openNode } from './reveal';

/** Where the diagram comes from: the language server, in the extension. */
export type DiagramFetch = (params: DiagramParams) => Promise<DiagramResult>;

/** Refreshes run at most every MIN_INTERVAL ms, each after a short quiet time. */
const MIN_INTERVAL = 333;
const QUIET = 120;

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
    /** Keeps the environment chosen in the picker (per workspace). */
    private readonly rememberEnvironment?: (environment: string) => void,
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

  get environment(): string | undefined {
    return this.result?.environment ?? this.state.environment;
  }

  /** Switches to a namespace (of an environment), or (namespace undefined) to the namespace of a document. */
  show(target: { namespace?: string; uri?: vscode.Uri; environment?: string } = {}): void {
    if (target.environment) this.selectEnvironment(target.environment);
    if (target.namespace) this.state.namespace = target.namespace;
    else if (target.uri) {
      this.state.namespace = undefined;
      this.docUri = target.uri.toString();
    }
    if (!this.panel.visible) this.panel.reveal(undefined, true);
    this.refresh();
  }

  /** New values of the toggles (the settings changed), then a refresh. */
  setToggles(t: Partial<DiagramToggles>): void {
    if (t.showReplies !== undefined) this.state.showReplies = t.showReplies;
    if (t.merge !== undefined) this.state.merge = t.merge;
    if (t.tiers !== undefined) this.state.tiers = t.tiers;
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
    if (this.state.tiers === 'networkpolicies') p.tiers = 'networkpolicies';
    if (this.state.namespace) p.namespace = this.state.namespace;
    if (this.state.environment) p.environment = this.state.environment;
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
      if (r.environment) this.state.environment = r.environment;
      const env = r.environment && r.environment !== '.' ? ` (${r.environment})` : '';
      this.panel.title = r.namespace ? `Traffic: ${r.namespace}${env}` : 'Traffic diagram';
      await this.postRender(r);
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

  private postRender(result: DiagramResult): Thenable<boolean> {
    return this.post({
      type: 'render',
      result,
      options: { showReplies: this.state.showReplies, merge: this.state.merge, tiers: this.state.tiers ?? 'all' },
    });
  }

  private post(message: PanelToWebview): Thenable<boolean> {
    return this.disposed ? Promise.resolve(false) : this.panel.webview.postMessage(message);
  }

  /** A message from the webview (checked first: the webview renders untrusted manifest text). */
  private async onMessage(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) return;
    try {
      await this.handle(m);
    } catch (e) {
      void vscode.window.showErrorMessage(`NetworkPolicy Lens: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async handle(m: WebviewToPanel): Promise<void> {
    const r = this.result;
    switch (m.type) {
      case 'ready':
        if (!this.state.namespace && m.state.namespace) this.state.namespace = m.state.namespace;
        if (r) void this.postRender(r);
        this.refresh();
        return;
      case 'selectNamespace':
        this.state.namespace = m.namespace;
        this.docUri = undefined;
        this.refresh();
        return;
      case 'selectEnvironment':
        this.selectEnvironment(m.environment);
        this.refresh();
        return;
      case 'setOptions':
        this.setToggles(m);
        return;
      case 'openNode':
        if (r) await openNode(r, m.id, this.panel.viewColumn);
        return;
      case 'openEdge':
        if (r) await openEdge(r, m.id, this.panel.viewColumn);
        return;
      case 'copyMermaid':
        if (!r) return;
        await vscode.env.clipboard.writeText(r.mermaid);
        void vscode.window.showInformationMessage(`Copied the Mermaid source of namespace ${r.namespace}.`);
        return;
      case 'saveMarkdown':
        if (r) await this.save('md', diagramMarkdown(r));
        return;
      case 'saveSvg':
        await this.save('svg', m.svg);
        return;
    }
  }

  /** Another environment: its namespaces differ, so the server picks one again (the same name when it has it). */
  private selectEnvironment(environment: string): void {
    if (environment === this.state.environment) return;
    this.state.environment = environment;
    this.state.namespace = undefined;
    this.rememberEnvironment?.(environment);
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
