// The start-up scan: every .yaml/.yml/.json file of the workspace folders, honouring exclude
// globs and never entering the skipped folders. Asynchronous (the walker of workspace/walk.ts,
// shared with the CLI), so that the server keeps answering while it indexes.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { GlobSet } from '../workspace/glob';
import { readTextFile } from '../workspace/read';
import { walk } from '../workspace/walk';

export interface ScanOptions {
  readonly exclude: readonly string[];
  readonly maxFileSize: number;
  readonly isCancelled: () => boolean;
}

/** Lists manifest files under a folder URI, sorted. */
export async function listManifests(folderUri: string, opts: ScanOptions): Promise<string[]> {
  let root: string;
  try {
    root = fileURLToPath(folderUri);
  } catch {
    return [];
  }
  const exclude = new GlobSet(opts.exclude);
  const r = await walk([root], { exclude: (rel) => exclude.matches(rel), isCancelled: opts.isCancelled });
  return r.files.map((p) => pathToFileURL(p).toString());
}

/** Reads a file for indexing; null when unreadable. Oversized files come back empty with a flag. */
export async function readManifest(uri: string, maxSize: number): Promise<{ text: string; tooLarge: boolean } | null> {
  let p: string;
  try {
    p = fileURLToPath(uri);
  } catch {
    return null;
  }
  const r = await readTextFile(p, maxSize);
  return 'text' in r ? { text: r.text, tooLarge: false } : 'tooLarge' in r ? { text: '', tooLarge: true } : null;
}
