// The wire contract between the client (and other editors) and the server: a typed request or
// notification object for every custom method, their parameter and result types, and the settings
// section. Client and server use these objects at every call site, so a method name is written
// once. The objects come from vscode-jsonrpc, which both the language client and the language
// server bundle anyway; use them with a connection of the same bundle (another bundle's copy of
// vscode-jsonrpc does not know their parameter structure: send by `.method` there). Nothing here
// imports another server layer.
//
// The rest of the module: diagram.ts (the diagram's wire types), diagramMarkdown.ts (its Markdown
// export) and webview.ts (the diagram panel <-> webview messages; types only, for the webview).

import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { DiagramParams, DiagramResult } from './diagram';

export type * from './diagram';

/** The settings section (`netpolLens.*`): the server reads it with workspace/configuration. */
export const SETTINGS_SECTION = 'netpolLens';

/** Server -> client: index progress and size (status bar; tests wait for `ready`). */
export interface IndexStatus {
  readonly ready: boolean;
  readonly files: number;
  readonly documents: number;
  readonly workloads: number;
  readonly policies: number;
  readonly namespaces: number;
  /** Milliseconds the last full index took. */
  readonly indexMs?: number;
}
export const IndexStatusNotification = new NotificationType<IndexStatus>('netpolLens/indexStatus');

/**
 * Server -> client: the cluster model changed (the diagram refreshes), at most four times a second.
 * `version` counts the changes (the extension does not need it; another client may drop stale ones).
 */
export const ModelChangedNotification = new NotificationType<{ readonly version: number }>('netpolLens/modelChanged');

/** Client -> server: the namespaces of the workspace, and the one a document is about. */
export interface NamespacesParams {
  readonly uri?: string;
  readonly position?: { line: number; character: number };
}
export interface NamespacesResult {
  readonly namespaces: string[];
  /**
   * When `uri` is given: the namespace of the object at `position` (when given), else the one the
   * diagram draws for the document (the same choice as DiagramRequest without a namespace).
   */
  readonly active?: string;
}
export const NamespacesRequest = new RequestType<NamespacesParams, NamespacesResult, void>('netpolLens/namespaces');

/** Client -> server: the Mermaid diagram of a namespace (types in diagram.ts). */
export const DiagramRequest = new RequestType<DiagramParams, DiagramResult, void>('netpolLens/diagram');

/** Client -> server: re-read every file of the workspace from disk (parameters, if any, are ignored). */
export interface ReindexResult {
  /** Files in the index afterwards. */
  readonly files: number;
}
export const ReindexRequest = new RequestType0<ReindexResult, void>('netpolLens/reindex');

/**
 * Client -> server: what the current manifests change in connectivity compared with a base version
 * (e.g. Git HEAD). `base` lists the files whose base text differs from the current one: `text`
 * null means the file does not exist in the base. Files not listed are the same on both sides.
 */
export interface DiffParams {
  readonly base: ReadonlyArray<{ readonly uri: string; readonly text: string | null }>;
  /** Keep only changes with an end in this namespace. */
  readonly namespace?: string;
  /** Title of the Markdown report (e.g. "Connectivity: working tree vs HEAD"). */
  readonly title?: string;
}
export interface DiffResult {
  /** The report: a heading, a summary line, a table of changes. */
  readonly markdown: string;
  /** Number of changed connections plus added and removed workloads (0: nothing changed). */
  readonly changes: number;
}
export const DiffRequest = new RequestType<DiffParams, DiffResult, void>('netpolLens/diff');

/**
 * Client -> server: whether the workspace is trusted (VS Code's Restricted Mode), sent when the user
 * grants trust. The first answer comes with initialize (`initializationOptions.trusted`; absent:
 * trusted, for editors without Restricted Mode). Kustomize and Helm environments are rendered only
 * in a trusted workspace.
 */
export interface WorkspaceTrust {
  readonly trusted: boolean;
}
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrust>('netpolLens/workspaceTrust');
