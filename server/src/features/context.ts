// The small context every editor feature takes: the file asked about, the index's world and
// settings, and the request's cancellation.

import type { World } from '../analysis/world';
import type { ManifestFile } from '../model/document';
import type { NetpolSettings } from '../settings';

/** Cancellation as the LSP gives it (a plain object in tests). */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
}

/** What every feature takes: the file asked about, the world and settings of the index. */
export interface FeatureContext {
  readonly file: ManifestFile;
  readonly world: World;
  readonly settings: NetpolSettings;
  /** Every file of the workspace (in path order). */
  readonly files: readonly ManifestFile[];
  /** The URI of a rule's documentation page (docs/rules/<ID>.md), when known. */
  readonly ruleDoc?: (id: string) => string | undefined;
  readonly token?: CancelToken;
}
