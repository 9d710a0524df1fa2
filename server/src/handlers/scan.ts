// The start-up scan: every .yaml/.yml/.json file of the workspace folders, honouring exclude
// globs and never entering node_modules or .git. Asynchronous, in small batches, so that the
// server keeps answering while it indexes.

import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MANIFEST_EXTENSIONS } from '../workspace/files';
import { matchesAny } from '../workspace/glob';

const ALWAYS_SKIP = new Set(['node_modules', '.git', '.hg', '.svn']);

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
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 40 || opts.isCancelled()) return;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      const rel = path.relative(root, p).split(path.sep).join('/');
      if (ent.isDirectory()) {
        if (ALWAYS_SKIP.has(ent.name) || matchesAny(rel, opts.exclude)) continue;
        await walk(p, depth + 1);
      } else if (ent.isFile() && MANIFEST_EXTENSIONS.test(ent.name) && !matchesAny(rel, opts.exclude)) {
        out.push(p);
      }
    }
  };
  await walk(root, 0);
  return out.sort().map((p) => pathToFileURL(p).toString());
}

/** Reads a file for indexing; null when unreadable. Oversized files come back empty with a flag. */
export async function readManifest(uri: string, maxSize: number): Promise<{ text: string; tooLarge: boolean } | null> {
  try {
    const p = fileURLToPath(uri);
    const st = await fs.stat(p);
    if (!st.isFile()) return null;
    if (st.size > maxSize) return { text: '', tooLarge: true };
    let text = await fs.readFile(p, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, tooLarge: false };
  } catch {
    return null;
  }
}
