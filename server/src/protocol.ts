// The wire contract between the client (and other editors) and the server: custom requests and
// notifications, and the settings section. The client imports this file; keep it free of server
// internals beyond plain types.

import type { NetpolSettings } from './settings';

export const SETTINGS_SECTION = 'netpolLens';

/** Server -> client: index progress and size (status bar; tests wait for `ready`). */
export const IndexStatusNotification = 'netpolLens/indexStatus';
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

/** Server -> client: the cluster model changed (the diagram refreshes). */
export const ModelChangedNotification = 'netpolLens/modelChanged';
export interface ModelChanged {
  readonly version: number;
}

/** Client -> server: the namespaces of the workspace, and the one of a document. */
export const NamespacesRequest = 'netpolLens/namespaces';
export interface NamespacesParams {
  readonly uri?: string;
  readonly position?: { line: number; character: number };
}
export interface NamespacesResult {
  readonly namespaces: string[];
  /** The namespace of the document (at the position, when given). */
  readonly active?: string;
}

/** Client -> server: the Mermaid diagram of a namespace (see server/src/diagram/model.ts). */
export const DiagramRequest = 'netpolLens/diagram';

/** Client -> server: re-read every file of the workspace from disk. */
export const ReindexRequest = 'netpolLens/reindex';

export type { NetpolSettings };
