// Reading manifests from disk for the CLI: the files and folders given are walked (walk.ts: the
// same walker as the language server's scan) and each manifest is read with the size cap
// (read.ts) and parsed, in sorted path order.

import { pathToFileURL } from 'node:url';
import { type ManifestFile, parseFile, type ParseOptions } from '../model/document';
import { readTextFileSync } from './read';
import { type Skipped, type WalkOptions, walkSync } from './walk';

export type { Skipped } from './walk';

/** The default size limit of a manifest file (the netpolLens.maxFileSizeMB default). */
export const DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024;

export interface CollectResult {
  readonly files: string[];
  /** Inputs that cannot be read: a message each. */
  readonly errors: string[];
  /** Files and folders that are not read (not a manifest, not a regular file, a link out...). */
  readonly skipped: Skipped[];
  /** Files and folders left out by exclude patterns. */
  readonly excluded: number;
}

/** Expands files and directories into a sorted list of manifest paths. */
export function collectManifestPaths(inputs: readonly string[], opts: WalkOptions = {}): CollectResult {
  return walkSync(inputs, opts);
}

export interface LoadedFiles {
  readonly files: ManifestFile[];
  readonly skipped: Skipped[];
  /** Path of each file's uri, for messages. */
  readonly pathOf: Map<string, string>;
}

/** Reads and parses manifest files. Unreadable or non-YAML files are skipped with the reason. */
export function loadManifestFiles(paths: readonly string[], opts: ParseOptions = {}): LoadedFiles {
  const files: ManifestFile[] = [];
  const skipped: Skipped[] = [];
  const pathOf = new Map<string, string>();
  const max = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  for (const p of paths) {
    const r = readTextFileSync(p, max);
    if ('tooLarge' in r) {
      skipped.push({ path: p, reason: `larger than the ${+(max / 1048576).toFixed(2)} MB limit` });
      continue;
    }
    if ('error' in r) {
      skipped.push({ path: p, reason: r.error });
      continue;
    }
    const uri = pathToFileURL(p).toString();
    const f = parseFile(uri, r.text, opts);
    if (f.skipped) {
      skipped.push({ path: p, reason: f.skipped });
      continue;
    }
    const docs = f.documents;
    if (docs.length && docs.every((d) => d.kind === 'invalid')) {
      const first = docs[0].syntaxErrors[0];
      const pos = first ? docs[0].positionAt(first.s) : { line: 0, character: 0 };
      skipped.push({
        path: p,
        reason: `not valid YAML or JSON (line ${pos.line + 1}: ${first?.message ?? 'parse error'})`,
      });
      continue;
    }
    pathOf.set(uri, p);
    files.push(f);
  }
  return { files, skipped, pathOf };
}
