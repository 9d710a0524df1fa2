// The traffic diagram webview: renders the DiagramResult the extension posts with the bundled
// mermaid (securityLevel 'strict': no mermaid click callbacks, so our own handlers go onto the
// rendered SVG through the node/edge id maps), and posts the user's actions back.
//
// The messages in both directions and the saved state are typed in server/src/protocol/webview.ts
// (type-only imports: nothing of the protocol module ends up in this bundle).

import mermaid from 'mermaid';
import type {
  DiagramEdge,
  DiagramNode,
  DiagramResult,
  PanelState,
  PanelToWebview,
  WebviewToPanel,
} from '../../server/src/protocol/webview';
import { NodeSearch } from './search';
import { DiagramView, naturalSize } from './zoom';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

const vscode = acquireVsCodeApi();

function readState(): PanelState {
  const s = vscode.getState() as Partial<PanelState> | undefined;
  const out: PanelState = { showReplies: s?.showReplies === true, merge: s?.merge !== false };
  if (s?.tiers === 'networkpolicies') out.tiers = 'networkpolicies';
  if (typeof s?.namespace === 'string') out.namespace = s.namespace;
  if (typeof s?.environment === 'string') out.environment = s.environment;
  if (typeof s?.zoom === 'number' && s.zoom >= 0.01 && s.zoom <= 8) out.zoom = s.zoom;
  return out;
}

const state = readState();
const saveState = (): void => vscode.setState(state);

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};
const nsSelect = $<HTMLSelectElement>('namespace');
const envSelect = $<HTMLSelectElement>('environment');
const repliesBox = $<HTMLInputElement>('replies');
const mergeBox = $<HTMLInputElement>('merge');
const tiersSelect = $<HTMLSelectElement>('tiers');
const messageEl = $<HTMLDivElement>('message');
const statsEl = $<HTMLDivElement>('stats');
const diagramEl = $<HTMLElement>('diagram');
const svgEl = (): SVGSVGElement | null => diagramEl.querySelector('svg');
const view = new DiagramView(diagramEl, state, saveState);
const search = new NodeSearch($<HTMLInputElement>('search'), $('search-count'), diagramEl, (el) => view.reveal(el));

repliesBox.checked = state.showReplies;
mergeBox.checked = state.merge;
tiersSelect.value = state.tiers ?? 'all';

let current: DiagramResult | undefined;
let currentLayout: string | undefined;
let renderSeq = 0;
/** The namespace of the diagram on screen (a new one is fitted again even after a pan). */
let shownNamespace: string | undefined;
let inFlight: AbortController | undefined;

// ------------------------------------------------------------------------------ theme

function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (c.contains('vscode-high-contrast')) return 'highContrast';
  if (c.contains('vscode-dark')) return 'dark';
  return 'light';
}

const COLOR = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i;

/** Mermaid theme settings from VS Code's theme colours (CSS variables), or a built-in theme. */
function themeConfig(kind: ThemeKind): {
  theme: 'base' | 'dark' | 'default' | 'neutral';
  themeVariables?: Record<string, string | boolean>;
} {
  const css = getComputedStyle(document.body);
  const v = (name: string): string | undefined => {
    const x = css.getPropertyValue(`--vscode-${name}`).trim();
    return COLOR.test(x) ? x : undefined;
  };
  const dark = kind === 'dark' || kind === 'highContrast';
  const bg = v('editor-background');
  const fg = v('editor-foreground');
  if (!bg || !fg) return { theme: dark ? 'dark' : kind === 'highContrastLight' ? 'neutral' : 'default' };
  const node = v('editorWidget-background') ?? bg;
  const border = v('contrastBorder') ?? v('editorWidget-border') ?? v('focusBorder') ?? fg;
  const line = v('editorLineNumber-activeForeground') ?? v('descriptionForeground') ?? fg;
  const cluster = v('sideBar-background') ?? node;
  const tv: Record<string, string | boolean> = {
    darkMode: dark,
    background: bg,
    primaryColor: node,
    primaryTextColor: fg,
    primaryBorderColor: border,
    secondaryColor: cluster,
    tertiaryColor: cluster,
    lineColor: line,
    textColor: fg,
    nodeTextColor: fg,
    titleColor: fg,
    clusterBkg: cluster,
    clusterBorder: v('panel-border') ?? border,
    edgeLabelBackground: bg,
  };
  const font = css.getPropertyValue('--vscode-font-family').trim();
  if (font && !/[;{}<>]/.test(font)) tv.fontFamily = font;
  return { theme: 'base', themeVariables: tv };
}

// ------------------------------------------------------------------------------ messages out

function post(message: WebviewToPanel): void {
  vscode.postMessage(message);
}

nsSelect.addEventListener('change', () => {
  state.namespace = nsSelect.value;
  saveState();
  setBusy(true);
  post({ type: 'selectNamespace', namespace: nsSelect.value });
});
envSelect.addEventListener('change', () => {
  state.environment = envSelect.value;
  saveState();
  setBusy(true);
  post({ type: 'selectEnvironment', environment: envSelect.value });
});
const optionsChanged = (): void => {
  state.showReplies = repliesBox.checked;
  state.merge = mergeBox.checked;
  saveState();
  setBusy(true);
  post({ type: 'setOptions', showReplies: state.showReplies, merge: state.merge });
};
repliesBox.addEventListener('change', optionsChanged);
mergeBox.addEventListener('change', optionsChanged);
tiersSelect.addEventListener('change', () => {
  state.tiers = tiersSelect.value === 'networkpolicies' ? 'networkpolicies' : 'all';
  saveState();
  setBusy(true);
  post({ type: 'setOptions', tiers: state.tiers });
});
$('copy').addEventListener('click', () => post({ type: 'copyMermaid' }));
$('save-md').addEventListener('click', () => post({ type: 'saveMarkdown' }));
$('save-svg').addEventListener('click', () => {
  const svg = exportSvg();
  if (svg) post({ type: 'saveSvg', svg });
});
$('zoom-in').addEventListener('click', () => view.zoomBy(1.25));
$('zoom-out').addEventListener('click', () => view.zoomBy(0.8));
$('zoom-fit').addEventListener('click', () => view.fitAll());
$('zoom-fit').addEventListener('dblclick', () => view.automatic());

function setBusy(busy: boolean): void {
  diagramEl.classList.toggle('busy', busy);
}

// ------------------------------------------------------------------------------ rendering

function showMessage(text: string | undefined, kind: 'info' | 'error' = 'info'): void {
  messageEl.hidden = !text;
  messageEl.textContent = text ?? '';
  messageEl.className = `message ${kind}`;
}

function updateToolbar(r: DiagramResult): void {
  const names = r.namespaces.length ? r.namespaces : r.namespace ? [r.namespace] : [];
  const same = nsSelect.options.length === names.length && names.every((n, i) => nsSelect.options[i].value === n);
  if (!same) {
    nsSelect.replaceChildren(
      ...names.map((n) => {
        const o = document.createElement('option');
        o.value = n;
        o.textContent = n;
        return o;
      }),
    );
  }
  nsSelect.value = r.namespace;
  nsSelect.disabled = names.length === 0;
  if (r.namespace) state.namespace = r.namespace;
  updateEnvironments(r);
  saveState();
}

/** The environment picker: shown when the workspace has rendered environments (Kustomize overlays, Helm charts). */
function updateEnvironments(r: DiagramResult): void {
  const envs = Array.isArray(r.environments) ? r.environments.filter((e) => typeof e === 'string') : [];
  $('environment-field').hidden = envs.length === 0;
  const same = envSelect.options.length === envs.length && envs.every((n, i) => envSelect.options[i].value === n);
  if (!same) {
    envSelect.replaceChildren(
      ...envs.map((n) => {
        const o = document.createElement('option');
        o.value = n;
        o.textContent = n === '.' ? '. (plain manifests)' : n;
        return o;
      }),
    );
  }
  if (typeof r.environment === 'string') {
    envSelect.value = r.environment;
    state.environment = r.environment;
  }
}

function svgTitle(el: Element, text: string): void {
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  t.textContent = text;
  el.insertBefore(t, el.firstChild);
}

function nodeTooltip(n: DiagramNode): string {
  const lines = [n.title, ...n.detail];
  if (n.workloads.length > 1) {
    lines.push(
      '',
      ...n.workloads.slice(0, 30).map((w) => `${w.namespace}/${w.name} (${w.kind})`),
      ...(n.workloads.length > 30 ? [`… ${n.workloads.length - 30} more`] : []),
    );
  }
  if (n.locations.length) lines.push('', 'Click to open the manifest');
  return lines.join('\n');
}

function edgeTooltip(e: DiagramEdge, nodes: Record<string, DiagramNode>): string {
  const from = nodes[e.from]?.title ?? e.from;
  const to = nodes[e.to]?.title ?? e.to;
  const head =
    e.kind === 'reply' ? `replies ${from} → ${to}` : `${from} → ${to}${e.ports ? `: ${e.ports}` : ''} (${e.direction})`;
  const lines = [head, ...e.notes];
  for (const r of e.rules.slice(0, 12)) {
    lines.push(
      `${r.namespace}/${r.policy}: ${r.direction} rule ${r.rule + 1}${r.peer !== undefined ? `, peer ${r.peer + 1}` : ''} (${r.ports})`,
    );
  }
  if (e.rules.length > 12) lines.push(`… ${e.rules.length - 12} more rules`);
  if (e.rules.length) lines.push('', 'Click to reveal the rule');
  return lines.join('\n');
}

function activate(el: Element, label: string, onActivate: () => void): void {
  el.setAttribute('tabindex', '0');
  el.setAttribute('role', 'button');
  el.setAttribute('aria-label', label);
  el.addEventListener('click', (ev) => {
    ev.stopPropagation();
    onActivate();
  });
  el.addEventListener('keydown', (ev) => {
    const k = (ev as KeyboardEvent).key;
    if (k === 'Enter' || k === ' ') {
      ev.preventDefault();
      onActivate();
    }
  });
}

/** Our click handlers on the rendered SVG, found through mermaid's ids and our id maps. */
function attachHandlers(svg: SVGSVGElement, r: DiagramResult): void {
  for (const g of svg.querySelectorAll<SVGGElement>('g.node')) {
    const m = /-flowchart-(.+)-\d+$/.exec(g.id);
    const n = m ? r.nodes[m[1]] : undefined;
    if (!n) continue;
    g.dataset.node = n.id;
    svgTitle(g, nodeTooltip(n));
    activate(g, `${n.title}. ${n.detail.join('. ')}`, () => post({ type: 'openNode', id: n.id }));
  }
  // namespace boxes: the title opens the Namespace manifest
  for (const g of svg.querySelectorAll<SVGGElement>('g.cluster')) {
    const m = /-([a-z0-9_]+)$/.exec(g.id);
    const n = m ? r.nodes[m[1]] : undefined;
    const title = g.querySelector('.cluster-label');
    if (!n || n.kind !== 'namespace' || !title) continue;
    (title as SVGGElement).dataset.node = n.id;
    svgTitle(title, nodeTooltip(n));
    if (n.locations.length) activate(title, n.title, () => post({ type: 'openNode', id: n.id }));
  }
  const byMermaidId = new Map<string, DiagramEdge>();
  for (const e of Object.values(r.edges)) byMermaidId.set(e.mermaidId, e);
  for (const path of svg.querySelectorAll<SVGPathElement>('path[data-id]')) {
    const e = byMermaidId.get(path.dataset.id ?? '');
    if (!e) continue;
    path.dataset.edge = e.id;
    path.classList.add(`np-${e.kind}`);
    // a wide transparent twin makes the thin line easy to click
    const hit = path.cloneNode(false) as SVGPathElement;
    hit.removeAttribute('id');
    hit.removeAttribute('marker-end');
    hit.removeAttribute('marker-start');
    hit.removeAttribute('style');
    hit.removeAttribute('data-id');
    hit.setAttribute('class', 'np-hit');
    hit.dataset.edge = e.id;
    path.after(hit);
    svgTitle(hit, edgeTooltip(e, r.nodes));
    activate(hit, edgeTooltip(e, r.nodes).split('\n')[0], () => post({ type: 'openEdge', id: e.id }));
  }
  for (const lab of svg.querySelectorAll<SVGGElement>('g.edgeLabel .label[data-id]')) {
    const e = byMermaidId.get(lab.dataset.id ?? '');
    if (!e) continue;
    lab.dataset.edge = e.id;
    svgTitle(lab, edgeTooltip(e, r.nodes));
    activate(lab, edgeTooltip(e, r.nodes).split('\n')[0], () => post({ type: 'openEdge', id: e.id }));
  }
}

function exportSvg(): string | undefined {
  const svg = svgEl();
  if (!svg) return undefined;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  for (const el of copy.querySelectorAll('.np-hit')) el.remove();
  for (const el of copy.querySelectorAll('[tabindex]')) {
    el.removeAttribute('tabindex');
    el.removeAttribute('role');
  }
  const { w, h } = naturalSize(svg);
  copy.setAttribute('width', `${Math.round(w)}`);
  copy.setAttribute('height', `${Math.round(h)}`);
  copy.removeAttribute('style');
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

function showStats(r: DiagramResult, renderMs: number | undefined): void {
  const s = r.stats;
  const parts = [
    `${s.workloads} workload${s.workloads === 1 ? '' : 's'}`,
    `${s.policies} polic${s.policies === 1 ? 'y' : 'ies'}`,
    `${s.nodes} nodes`,
    `${s.edges} arrows`,
  ];
  if (s.replies) parts.push(`${s.replies} replies`);
  if (s.mergedWorkloads) parts.push(`${s.mergedWorkloads} workloads merged`);
  if (renderMs !== undefined) parts.push(`rendered in ${renderMs} ms`);
  statsEl.textContent = parts.join(' · ');
}

async function render(r: DiagramResult): Promise<void> {
  inFlight?.abort();
  const ac = new AbortController();
  inFlight = ac;
  const seq = ++renderSeq;
  current = r;
  document.body.dataset.mermaid = 'rendering';
  updateToolbar(r);
  showMessage(r.message);
  const t0 = performance.now();
  try {
    const kind = themeKind();
    const theme = themeConfig(kind);
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      suppressErrorRendering: true,
      deterministicIds: true,
      deterministicIDSeed: 'netpol',
      maxTextSize: 5_000_000,
      maxEdges: 20_000,
      htmlLabels: true,
      layout: currentLayout ?? 'dagre',
      flowchart: { useMaxWidth: false, curve: 'basis', nodeSpacing: 28, rankSpacing: 56, padding: 10 },
      ...theme,
    });
    await mermaid.parse(r.mermaid);
    document.body.dataset.parseMs = String(Math.round(performance.now() - t0));
    if (ac.signal.aborted) return;
    const { svg } = await mermaid.render(`np-diagram-${seq}`, r.mermaid);
    if (ac.signal.aborted) return;
    diagramEl.innerHTML = svg; // sanitized by mermaid (securityLevel 'strict': DOMPurify)
    const el = svgEl();
    if (el) {
      attachHandlers(el, r);
      view.rendered(r.namespace !== shownNamespace);
      shownNamespace = r.namespace;
      search.rendered(r.nodes);
    }
    const ms = Math.round(performance.now() - t0);
    showStats(r, ms);
    document.body.dataset.renderMs = String(ms);
    document.body.dataset.mermaid = 'rendered';
  } catch (err) {
    if (ac.signal.aborted) return;
    const msg = err instanceof Error ? err.message : String(err);
    showMessage(`The diagram could not be rendered: ${msg.split('\n').slice(0, 6).join('\n')}`, 'error');
    const pre = document.createElement('pre');
    pre.className = 'source';
    pre.textContent = r.mermaid;
    diagramEl.replaceChildren(pre);
    statsEl.textContent = '';
    document.body.dataset.mermaid = 'error';
  } finally {
    if (inFlight === ac) {
      inFlight = undefined;
      setBusy(false);
    }
  }
}

// ------------------------------------------------------------------------------ messages in

function isResult(x: unknown): x is DiagramResult {
  const r = x as DiagramResult | null;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.mermaid === 'string' &&
    typeof r.namespace === 'string' &&
    Array.isArray(r.namespaces) &&
    !!r.nodes &&
    typeof r.nodes === 'object' &&
    !!r.edges &&
    typeof r.edges === 'object' &&
    !!r.stats
  );
}

/** Every field of every message the extension sends (protocol/webview.ts), each still unchecked. */
type KeysOf<T> = T extends unknown ? keyof T : never;
type Unchecked = { [K in KeysOf<PanelToWebview>]?: unknown };

/** A message from the extension, checked (it carries untrusted manifest text). */
function onMessage(data: unknown): void {
  const m = data as Unchecked | null;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'render': {
      if (!isResult(m.result)) return;
      if (typeof m.layout === 'string') currentLayout = m.layout;
      // the extension's view of the toggles wins (settings changes, restored panels)
      const o = m.options as { showReplies?: unknown; merge?: unknown } | undefined;
      if (o && typeof o.showReplies === 'boolean' && typeof o.merge === 'boolean') {
        state.showReplies = repliesBox.checked = o.showReplies;
        state.merge = mergeBox.checked = o.merge;
      }
      const tiers = (m.options as { tiers?: unknown } | undefined)?.tiers;
      if (tiers === 'all' || tiers === 'networkpolicies') state.tiers = tiersSelect.value = tiers;
      void render(m.result);
      break;
    }
    case 'loading':
      setBusy(true);
      break;
    case 'error':
      setBusy(false);
      showMessage(typeof m.message === 'string' ? m.message : 'The diagram is not available.', 'error');
      if (!current) {
        diagramEl.replaceChildren();
        document.body.dataset.mermaid = 'error';
      }
      break;
  }
}

window.addEventListener('message', (ev: MessageEvent) => onMessage(ev.data));

// theme changes: VS Code swaps the body classes and the colour variables (on <html>); draw again
const themeFingerprint = (): string => {
  const css = getComputedStyle(document.body);
  return `${themeKind()}|${css.getPropertyValue('--vscode-editor-background')}|${css.getPropertyValue('--vscode-editor-foreground')}`;
};
let lastTheme = themeFingerprint();
const themeObserver = new MutationObserver(() => {
  const t = themeFingerprint();
  if (t === lastTheme) return;
  lastTheme = t;
  if (current) void render(current);
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

post({ type: 'ready', state });
