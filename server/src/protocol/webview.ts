// The messages between the diagram panel (client/src/diagram/panel.ts, extension host) and its
// webview (media/src/main.ts, browser), and the state the webview keeps across reloads. Types only,
// with type-only imports: the webview bundle takes nothing from here at run time. Both sides still
// check what they receive (the webview renders untrusted manifest text; the panel does not trust
// the webview with the disk).

import type { DiagramEdge, DiagramNode, DiagramResult, DiagramTiers } from './diagram';

export type { DiagramEdge, DiagramNode, DiagramResult };

/** The diagram's two toggles (the settings `netpolLens.diagram.*` give their initial values). */
export interface DiagramToggles {
  showReplies: boolean;
  merge: boolean;
  /** Effective connectivity (all tiers, the default) or NetworkPolicies only. */
  tiers?: DiagramTiers;
}

/**
 * What the webview keeps with getState/setState, and what VS Code gives the panel's serializer
 * after a reload.
 */
export interface PanelState extends DiagramToggles {
  namespace?: string;
  /** The environment drawn (Kustomize overlay, Helm chart, `.`), when the workspace has rendered ones. */
  environment?: string;
  /** The webview's zoom; undefined: automatic (fit to the width, but not below 70 %). */
  zoom?: number;
}

/** Panel -> webview. */
export type PanelToWebview =
  | {
      type: 'render';
      result: DiagramResult;
      /** The extension's view of the toggles (it wins: settings changes, restored panels). */
      options?: DiagramToggles;
      /** Mermaid's layout engine (default dagre); the webview test compares layouts with it. */
      layout?: string;
    }
  | { type: 'loading' }
  | { type: 'error'; message: string };

/** Webview -> panel. */
export type WebviewToPanel =
  | { type: 'ready'; state: PanelState }
  | { type: 'selectNamespace'; namespace: string }
  | { type: 'selectEnvironment'; environment: string }
  | ({ type: 'setOptions' } & Partial<DiagramToggles>)
  | { type: 'openNode'; id: string }
  | { type: 'openEdge'; id: string }
  | { type: 'copyMermaid' }
  | { type: 'saveMarkdown' }
  | { type: 'saveSvg'; svg: string };
