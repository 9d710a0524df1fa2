// Which files are manifests and which folders are never entered: one definition for the CLI, the
// language server's scan and watchers, `diff --git-base` and the client's comparison with Git.
// No Node or editor imports, so that every bundle can use it.

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
