// The one builder of test workspaces. In memory: inline YAML files parsed in path order (as the
// workspace index and the CLI read them) and the world built from them. On disk: the same files,
// or a copy of a directory, in a temporary folder, for the tests that drive the built server.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildWorld, type World, type WorldOptions } from '../../server/src/analysis/world';
import { type ManifestFile, parseFile } from '../../server/src/model/document';

/** Where inline files live unless a test says otherwise. */
export const WS_ROOT = 'file:///ws/';

/** Inline files by relative path; a bare string is one file `a.yaml`. */
export type Files = Readonly<Record<string, string>> | string;

export function fileMap(files: Files): Readonly<Record<string, string>> {
  return typeof files === 'string' ? { 'a.yaml': files } : files;
}

export interface WorkspaceOptions extends WorldOptions {
  /** URI prefix of the files (default `file:///ws/`). */
  readonly root?: string;
  /** Read the files in the order given rather than in path order. */
  readonly keepOrder?: boolean;
}

export interface TestWorkspace {
  /** The parsed files, in the order the world was built from. */
  readonly files: ManifestFile[];
  /** File names in the same order. */
  readonly names: readonly string[];
  readonly world: World;
  uri(name: string): string;
  /** The parsed file of a name; throws for a name that is not in the workspace. */
  file(name: string): ManifestFile;
}

export function buildWorkspace(files: Files, opts: WorkspaceOptions = {}): TestWorkspace {
  const map = fileMap(files);
  const root = opts.root ?? WS_ROOT;
  const names = opts.keepOrder ? Object.keys(map) : Object.keys(map).sort();
  const parsed = names.map((name) => parseFile(`${root}${name}`, map[name]));
  const byName = new Map(names.map((n, i) => [n, parsed[i]]));
  const world = buildWorld(parsed, { defaultNamespace: opts.defaultNamespace });
  return {
    files: parsed,
    names,
    world,
    uri: (name) => `${root}${name}`,
    file(name: string): ManifestFile {
      const f = byName.get(name);
      if (!f) throw new Error(`no file ${name} in the workspace (${names.join(', ')})`);
      return f;
    },
  };
}

/** The world of inline files (see buildWorkspace). */
export function worldOf(files: Files, opts: WorkspaceOptions = {}): World {
  return buildWorkspace(files, opts).world;
}

export interface DiskWorkspace {
  readonly dir: string;
  /** The folder's `file://` URI (no trailing slash). */
  readonly rootUri: string;
  uri(rel: string): string;
  path(rel: string): string;
  /** Writes a file (creating folders); returns its URI. */
  write(rel: string, text: string): string;
  /** Deletes the folder and everything in it. */
  remove(): void;
}

/** A temporary folder with a copy of directory `copyOf` (if given), then the inline files. */
export function diskWorkspace(files: Files = {}, opts: { copyOf?: string; prefix?: string } = {}): DiskWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), opts.prefix ?? 'netpol-lens-'));
  const ws: DiskWorkspace = {
    dir,
    rootUri: pathToFileURL(dir).toString(),
    uri: (rel) => pathToFileURL(path.join(dir, rel)).toString(),
    path: (rel) => path.join(dir, rel),
    write(rel: string, text: string): string {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
      return ws.uri(rel);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  if (opts.copyOf) cpSync(opts.copyOf, dir, { recursive: true });
  const map = fileMap(files);
  for (const name of Object.keys(map)) ws.write(name, map[name]);
  return ws;
}
