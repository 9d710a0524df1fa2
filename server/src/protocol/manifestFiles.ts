// Which files are manifests and which folders are never entered: part of the contract between the
// client and the server (the client's comparison with Git sends the same files the server reads), and
// the one definition for the CLI, the scan and watchers, and `diff --git-base`.

/** A manifest file name: .yaml, .yml or .json (any case). */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Folders never scanned: dependencies and version-control metadata. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Folders are scanned this many levels deep at most (deeper ones are reported as skipped). */
export const MAX_FOLDER_DEPTH = 64;

export function isManifestName(name: string): boolean {
  return MANIFEST_FILE.test(name);
}

/** Is some segment of a '/'-separated relative path a skipped folder? */
export function inSkippedFolder(relPath: string): boolean {
  return relPath.split('/').some((s) => SKIPPED_FOLDERS.has(s));
}
