// Loading the manifests a command analyses: walk the inputs (workspace/walk.ts), read and parse
// them (workspace/files.ts), build the world, and say on standard error what was skipped.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorld, type World } from '../analysis/world';
import type { ManifestDocument, ManifestFile } from '../model/document';
import { collectManifestPaths, loadManifestFiles, type Skipped } from '../workspace/files';
import { UsageError } from './args';
import { UnknownNamespaceError } from './diagram';
import { say } from './output';

/** Is `rel` (a path.relative result) inside its base? */
export function isInsideRel(rel: string): boolean {
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** A path for messages: relative to the working directory when it is inside it, else absolute. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const abs = path.resolve(file);
  const rel = path.relative(cwd, abs);
  return rel && isInsideRel(rel) ? rel : abs;
}

export interface LoadOptions {
  readonly defaultNamespace?: string;
  /** Leaves out files and folders (`rel`: the path under the input, `abs`: the absolute path). */
  readonly exclude?: (rel: string, abs: string) => boolean;
  /** Bytes. */
  readonly maxFileSize?: number;
  readonly verbose?: boolean;
}

export interface Loaded {
  readonly world: World;
  readonly files: ManifestFile[];
  /** Everything not read, for the JSON and SARIF reports (already said on standard error). */
  readonly skipped: Skipped[];
  readonly pathOf: (uri: string) => string;
  readonly locate: (doc: ManifestDocument, offset: number, uri: string) => string;
}

export function loadInputs(inputs: readonly string[], opts: LoadOptions = {}): Loaded {
  if (!inputs.length) throw new UsageError('no files or directories given');
  const collected = collectManifestPaths(inputs, { exclude: opts.exclude });
  if (collected.errors.length) throw new UsageError(collected.errors[0]);
  const loaded = loadManifestFiles(collected.files, { maxFileSize: opts.maxFileSize });
  const skipped = [...collected.skipped, ...loaded.skipped];
  for (const s of skipped) say(`skipping ${displayPath(s.path)}: ${s.reason}`, 'warning');
  if (opts.verbose) {
    say(
      `read ${loaded.files.length} manifest file${loaded.files.length === 1 ? '' : 's'} ` +
        `(${collected.excluded} excluded, ${skipped.length} skipped)`,
    );
  }
  const world = buildWorld(loaded.files, { defaultNamespace: opts.defaultNamespace });
  const pathOf = (uri: string): string => displayPath(loaded.pathOf.get(uri) ?? fileURLToPath(uri));
  const locate = (doc: ManifestDocument, offset: number, uri: string): string =>
    `${pathOf(uri)}:${doc.positionAt(offset).line + 1}`;
  return { world, files: loaded.files, skipped, pathOf, locate };
}

/** An unknown --namespace is a usage error (the namespaces that do occur are listed). */
export function requireNamespace(namespace: string | undefined, ...worlds: World[]): void {
  if (namespace === undefined || worlds.some((w) => w.namespaces.has(namespace))) return;
  const known = new Set(worlds.flatMap((w) => [...w.namespaces.keys()].filter(Boolean)));
  throw new UsageError(new UnknownNamespaceError(namespace, [...known].sort()).message);
}
