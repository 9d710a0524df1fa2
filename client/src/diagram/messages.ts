// What the diagram panel accepts from its webview, checked field by field: the webview renders
// untrusted manifest text, so its messages (and the state VS Code hands back after a reload) are
// input, not trusted data. No vscode import: unit tests run this directly.

import type { DiagramToggles, PanelState, WebviewToPanel } from '../../../server/src/protocol/webview';

/** A saved SVG larger than this is refused (the webview is not trusted with the disk). */
export const MAX_SVG_CHARS = 64 * 1024 * 1024;

const SVG_START = /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The webview's message as the protocol types it, or undefined when it is not one. */
export function parseWebviewMessage(raw: unknown): WebviewToPanel | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready', state: readPanelState(m.state, { showReplies: false, merge: true }) };
    case 'selectNamespace':
      return nonEmpty(m.namespace) ? { type: 'selectNamespace', namespace: m.namespace } : undefined;
    case 'selectEnvironment':
      return nonEmpty(m.environment) ? { type: 'selectEnvironment', environment: m.environment } : undefined;
    case 'setOptions': {
      const out: WebviewToPanel = { type: 'setOptions' };
      if (typeof m.showReplies === 'boolean') out.showReplies = m.showReplies;
      if (typeof m.merge === 'boolean') out.merge = m.merge;
      if (m.tiers === 'all' || m.tiers === 'networkpolicies') out.tiers = m.tiers;
      return out;
    }
    case 'openNode':
    case 'openEdge':
      return typeof m.id === 'string' ? { type: m.type, id: m.id } : undefined;
    case 'copyMermaid':
    case 'saveMarkdown':
      return { type: m.type };
    case 'saveSvg':
      return typeof m.svg === 'string' && m.svg.length <= MAX_SVG_CHARS && SVG_START.test(m.svg)
        ? { type: 'saveSvg', svg: m.svg }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A panel state from untrusted input (the webview's `ready` message, or what the serializer gets
 * after a reload): the toggles fall back to `defaults`, a namespace is kept when it is a non-empty
 * string, and the webview's zoom is not the panel's business.
 */
export function readPanelState(raw: unknown, defaults: DiagramToggles): PanelState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const state: PanelState = {
    showReplies: typeof s.showReplies === 'boolean' ? s.showReplies : defaults.showReplies,
    merge: typeof s.merge === 'boolean' ? s.merge : defaults.merge,
  };
  if (nonEmpty(s.namespace)) state.namespace = s.namespace;
  if (nonEmpty(s.environment)) state.environment = s.environment;
  if (s.tiers === 'networkpolicies') state.tiers = s.tiers;
  return state;
}
