// The one way a manifest file on disk enters the index (start-up scan, re-index, a closed document
// going back to its file, file watcher events): read with the size limit of the settings; a file
// above it is recorded as skipped (it gets one information diagnostic); a file that cannot be read
// (gone, a folder, no permission) leaves the index.

import type { WorkspaceIndex } from '../workspace/index';
import { type ManifestText, readManifest, readManifestSync } from './scan';

/** The file names the server indexes (by extension; editors also send yaml/json documents by language). */

/**
 * - `indexed`: the text is in the index
 * - `skipped`: larger than `maxFileSizeMB`, recorded without its text
 * - `removed`: unreadable, and removed from the index
 * - `unreadable`: unreadable, and it was not in the index
 * - `superseded`: `stillWanted` said no once the file was read (the editor opened it meanwhile);
 *   the index is unchanged
 */
export type ManifestLoad = 'indexed' | 'skipped' | 'removed' | 'unreadable' | 'superseded';

/** Reads a manifest file into the index (see above). */
export async function loadManifest(
  index: WorkspaceIndex,
  uri: string,
  stillWanted: () => boolean = () => true,
): Promise<ManifestLoad> {
  return applyManifest(index, uri, await readManifest(uri, maxBytes(index)), stillWanted);
}

/** The same with a synchronous read (the start-up scan, which yields between files itself). */
export function loadManifestSync(index: WorkspaceIndex, uri: string): ManifestLoad {
  return applyManifest(index, uri, readManifestSync(uri, maxBytes(index)));
}

const maxBytes = (index: WorkspaceIndex): number => index.settings.maxFileSizeMB * 1024 * 1024;

/** Puts what was read into the index. */
function applyManifest(
  index: WorkspaceIndex,
  uri: string,
  read: ManifestText,
  stillWanted: () => boolean = () => true,
): ManifestLoad {
  const maxMB = index.settings.maxFileSizeMB;
  if (!stillWanted()) return 'superseded';
  if (!read) return index.deleteFile(uri) ? 'removed' : 'unreadable';
  if (read.tooLarge) {
    index.setSkipped(uri, `it is larger than ${maxMB} MB`);
    return 'skipped';
  }
  index.setFile(uri, read.text);
  return 'indexed';
}
