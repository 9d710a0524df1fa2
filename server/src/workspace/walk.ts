// The folder walker of the CLI and of the language server's scan: manifest files under the given
// files and folders, in sorted order. Written once as a generator that asks for file-system
// operations (walkSteps) and run by a synchronous driver (the CLI) and an asynchronous one (the
// server, which keeps answering requests while it lists a large workspace).
//
// Manifests come from pull requests, so what is read is limited: only regular files (never a
// FIFO, a device or a socket, which would block or never end), links only when their target is
// inside the analysed folders (a link may not make CI print a file from elsewhere on the runner),
// links to folders are not followed (what they point to inside the folders is walked anyway), the
// skipped folders (protocol/manifestFiles.ts) are never entered, and folders deeper than MAX_FOLDER_DEPTH
// are not walked. What is left out for these reasons is listed with the reason; files that are
// not manifests and the skipped folders are passed over silently, and what an exclude pattern
// matches is only counted.

import type { Dirent, Stats } from 'node:fs';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { isManifestName, MAX_FOLDER_DEPTH, SKIPPED_FOLDERS } from '../protocol/manifestFiles';

export interface WalkOptions {
  /** Leaves out a file or folder: `rel` is its '/'-separated path under the input it was found in. */
  readonly exclude?: (rel: string, abs: string) => boolean;
  readonly isCancelled?: () => boolean;
}

/** A file or folder that is not read, and why. */
export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

export interface WalkResult {
  /** Absolute paths of the manifest files, sorted, each once. */
  readonly files: string[];
  /** Inputs that do not exist or cannot be read: a message each. */
  readonly errors: string[];
  readonly skipped: Skipped[];
  /** Files and folders left out by the exclude patterns. */
  readonly excluded: number;
}

interface Request {
  readonly op: 'stat' | 'lstat' | 'realpath' | 'readdir';
  readonly path: string;
}
type Steps<T> = Generator<Request, T, unknown>;

function* ask<T>(req: Request): Steps<T | Error> {
  return (yield req) as T | Error;
}

const NOT_REGULAR = 'not a regular file';
const OUTSIDE = 'a link to a file outside the analysed folders';

function code(e: Error): string {
  const c = (e as NodeJS.ErrnoException).code;
  return c === 'ENOENT' ? 'no such file or directory' : (c ?? e.message);
}

function known(e: Dirent): boolean {
  return (
    e.isDirectory() ||
    e.isFile() ||
    e.isSymbolicLink() ||
    e.isFIFO() ||
    e.isSocket() ||
    e.isBlockDevice() ||
    e.isCharacterDevice()
  );
}

function isInside(real: string, roots: readonly string[]): boolean {
  return roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

class Walk {
  readonly files = new Set<string>();
  readonly errors: string[] = [];
  readonly skipped: Skipped[] = [];
  excluded = 0;
  roots: string[] = [];

  constructor(private readonly opts: WalkOptions) {}

  /** A manifest-named entry that is a link: read only when its target is a regular file inside the roots. */
  *link(p: string): Steps<void> {
    const real = yield* ask<string>({ op: 'realpath', path: p });
    if (real instanceof Error) return void this.skipped.push({ path: p, reason: 'a broken link' });
    if (!isInside(real, this.roots)) return void this.skipped.push({ path: p, reason: OUTSIDE });
    const st = yield* ask<Stats>({ op: 'stat', path: real });
    if (st instanceof Error) return void this.skipped.push({ path: p, reason: code(st) });
    if (st.isFile()) this.files.add(path.resolve(p));
    else this.skipped.push({ path: p, reason: NOT_REGULAR });
  }

  *dir(dir: string, base: string, depth: number): Steps<void> {
    if (this.opts.isCancelled?.()) return;
    if (depth > MAX_FOLDER_DEPTH) {
      return void this.skipped.push({ path: dir, reason: `nested more than ${MAX_FOLDER_DEPTH} folders deep` });
    }
    const entries = yield* ask<Dirent[]>({ op: 'readdir', path: dir });
    if (entries instanceof Error) {
      return void this.skipped.push({ path: dir, reason: `cannot read the folder: ${code(entries)}` });
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      let ent: Dirent | Stats = e;
      if (!known(e)) {
        // the file system did not say what the entry is
        const st = yield* ask<Stats>({ op: 'lstat', path: p });
        if (st instanceof Error) continue;
        ent = st;
      }
      const folder = ent.isDirectory();
      if (folder ? SKIPPED_FOLDERS.has(e.name) : !isManifestName(e.name)) continue;
      if (this.opts.exclude?.(path.relative(base, p).split(path.sep).join('/'), p)) {
        this.excluded++;
        continue;
      }
      if (folder) yield* this.dir(p, base, depth + 1);
      else if (ent.isFile()) this.files.add(path.resolve(p));
      else if (ent.isSymbolicLink()) yield* this.link(p);
      else this.skipped.push({ path: p, reason: NOT_REGULAR });
    }
  }

  /** A file or folder named on the command line. */
  *input(input: string, st: Stats): Steps<void> {
    if (st.isDirectory()) return yield* this.dir(input, input, 0);
    if (!isManifestName(input)) {
      return void this.skipped.push({ path: input, reason: 'not a .yaml, .yml or .json file' });
    }
    const l = yield* ask<Stats>({ op: 'lstat', path: input });
    if (!(l instanceof Error) && l.isSymbolicLink()) return yield* this.link(input);
    if (st.isFile()) this.files.add(path.resolve(input));
    else this.skipped.push({ path: input, reason: NOT_REGULAR });
  }
}

/** The walk as a sequence of file-system requests; the drivers below answer them. */
export function* walkSteps(inputs: readonly string[], opts: WalkOptions = {}): Steps<WalkResult> {
  const w = new Walk(opts);
  const found: Array<[string, Stats]> = [];
  for (const input of inputs) {
    const st = yield* ask<Stats>({ op: 'stat', path: input });
    if (st instanceof Error) {
      w.errors.push(`cannot read ${input}: ${code(st)}`);
      continue;
    }
    // links may point anywhere inside the folders given, or inside the folder of a file given
    const root = yield* ask<string>({ op: 'realpath', path: st.isDirectory() ? input : path.dirname(input) });
    if (!(root instanceof Error)) w.roots.push(root);
    found.push([input, st]);
  }
  for (const [input, st] of found) yield* w.input(input, st);
  return { files: [...w.files].sort(), errors: w.errors, skipped: w.skipped, excluded: w.excluded };
}

function answerSync(req: Request): unknown {
  try {
    switch (req.op) {
      case 'stat':
        return fs.statSync(req.path);
      case 'lstat':
        return fs.lstatSync(req.path);
      case 'realpath':
        return fs.realpathSync(req.path);
      case 'readdir':
        return fs.readdirSync(req.path, { withFileTypes: true });
    }
  } catch (e) {
    return e as Error;
  }
}

async function answer(req: Request): Promise<unknown> {
  try {
    switch (req.op) {
      case 'stat':
        return await fsp.stat(req.path);
      case 'lstat':
        return await fsp.lstat(req.path);
      case 'realpath':
        return await fsp.realpath(req.path);
      case 'readdir':
        return await fsp.readdir(req.path, { withFileTypes: true });
    }
  } catch (e) {
    return e as Error;
  }
}

/** Walks synchronously (the CLI). */
export function walkSync(inputs: readonly string[], opts: WalkOptions = {}): WalkResult {
  const steps = walkSteps(inputs, opts);
  let r = steps.next();
  while (!r.done) r = steps.next(answerSync(r.value));
  return r.value;
}

/** Walks with asynchronous file-system calls (the language server). */
export async function walk(inputs: readonly string[], opts: WalkOptions = {}): Promise<WalkResult> {
  const steps = walkSteps(inputs, opts);
  let r = steps.next();
  while (!r.done) r = steps.next(await answer(r.value));
  return r.value;
}
