// Listing a workspace folder for environment discovery: every regular file (not only manifests:
// kustomize reads .env files, Helm reads .tpl helpers), '/'-separated and relative, sorted, without
// the folders never scanned (node_modules, .git, ...), links to folders not followed, at most
// MAX_FOLDER_DEPTH deep and MAX_FILES files.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FOLDER_DEPTH, SKIPPED_FOLDERS } from '../protocol/manifestFiles';
import type { FileView } from './discover';

export const MAX_FILES = 200_000;
/** Files larger than this are never read for discovery (kustomization files are small). */
const MAX_READ = 1 << 20;

export function listFilesSync(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, rel: string, depth: number): void => {
    if (depth > MAX_FOLDER_DEPTH || out.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(e.name)) visit(path.join(dir, e.name), r, depth + 1);
      } else if (e.isFile()) out.push(r);
      else if (e.isSymbolicLink()) {
        try {
          if (fs.statSync(path.join(dir, e.name)).isFile()) out.push(r);
        } catch {
          // a broken link
        }
      }
    }
  };
  visit(root, '', 0);
  return out.sort();
}

/** A file view of a folder on disk. */
export function folderView(root: string, files = listFilesSync(root)): FileView {
  return {
    files,
    read(rel) {
      try {
        const p = path.join(root, rel);
        const st = fs.statSync(p);
        if (!st.isFile() || st.size > MAX_READ) return undefined;
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
