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

/**
 * Client -> server: what the current manifests change in connectivity compared with a base version
 * (e.g. Git HEAD). `base` lists the files whose base text differs from the current one: `text`
 * null means the file does not exist in the base. Files not listed are the same on both sides.
 */
export const DiffRequest = 'netpolLens/diff';
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

export type { NetpolSettings };
