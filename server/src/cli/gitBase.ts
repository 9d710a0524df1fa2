// `netpol-lens diff --git-base REF PATH`: the base side read from Git (the manifests under PATH as
// they are at REF), so that CI can compare a pull request with its base branch without a second
// checkout. Uses the `git` command without a shell, each call with a timeout and an output cap:
// REF is resolved once (`--end-of-options` before it, so that it can never be read as an option)
// and every later call names the commit and the blobs by their object ids. Only regular files
// (not symbolic links or submodules) of at most the size limit are read. Errors become usage
// errors with git's first line.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildWorld, type World } from '../analysis/world';
import { type ManifestFile, parseFile } from '../model/document';
import { DEFAULT_MAX_FILE_SIZE, type Skipped } from '../workspace/files';
import { inSkippedFolder, isManifestName } from '../protocol/manifestFiles';
import { UsageError } from './args';
import { isInsideRel } from './load';

const TIMEOUT_MS = 60_000;
const MAX_LISTING = 64 << 20;

function git(cwd: string, args: readonly string[], maxBuffer = MAX_LISTING): string {
  const r = spawnSync('git', ['--literal-pathspecs', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer,
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    shell: false,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('--git-base needs git: git is not installed');
    if (code === 'ETIMEDOUT') {
      throw new UsageError(`--git-base: git ${args[0]} took longer than ${TIMEOUT_MS / 1000} s`);
    }
    if (code === 'ENOBUFS') throw new UsageError(`--git-base: the output of git ${args[0]} is too large`);
    throw new UsageError(`--git-base: git ${args[0]}: ${r.error.message}`);
  }
  if (r.status !== 0) {
    throw new UsageError(
      `--git-base: git ${args[0]}: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit status ${r.status}`}`,
    );
  }
  return r.stdout;
}

interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly oid: string;
  readonly size: number;
  readonly name: string;
}

/** `git ls-tree -r -z -l` output: "<mode> <type> <oid> <size>\t<name>" entries. */
function parseTree(out: string): TreeEntry[] {
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, oid, size] = line.slice(0, tab).trim().split(/\s+/);
      return { mode, type, oid, size: Number(size), name: line.slice(tab + 1) };
    });
}

/** The world of the manifests under `target` (a file or directory) at Git revision `ref`. */
export function worldAtGitRef(
  ref: string,
  target: string,
  defaultNamespace?: string,
  maxFileSize = DEFAULT_MAX_FILE_SIZE,
): { world: World; files: number; skipped: Skipped[] } {
  if (!ref || ref.startsWith('-')) throw new UsageError(`--git-base: "${ref}" is not a revision`);
  const abs = path.resolve(target);
  let dir: string;
  try {
    dir = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    dir = path.dirname(abs); // the path may exist at REF only
  }
  const root = git(dir, ['rev-parse', '--show-toplevel']).trim();
  const rel = path.relative(root, abs) || '.';
  if (!isInsideRel(rel)) throw new UsageError(`${target} is not inside the Git repository ${root}`);
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch {
    throw new UsageError(`--git-base: no commit ${ref} in ${root}`);
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new UsageError(`--git-base: no commit ${ref} in ${root}`);
  const relPosix = rel.split(path.sep).join('/');
  // the folders the walker never enters are left out below the path too
  const below = (name: string): string => (relPosix === '.' ? name : name.slice(relPosix.length + 1));
  const entries = parseTree(git(root, ['ls-tree', '-r', '-z', '-l', commit, '--', relPosix]))
    .filter((e) => isManifestName(e.name) && !inSkippedFolder(path.posix.dirname(below(e.name))))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: ManifestFile[] = [];
  const skipped: Skipped[] = [];
  for (const e of entries) {
    if (e.type !== 'blob' || (e.mode !== '100644' && e.mode !== '100755')) {
      skipped.push({ path: e.name, reason: e.mode === '120000' ? 'a symbolic link' : 'not a regular file' });
      continue;
    }
    if (!(e.size <= maxFileSize)) {
      skipped.push({ path: e.name, reason: `larger than the ${+(maxFileSize / 1048576).toFixed(2)} MB limit` });
      continue;
    }
    let text = git(root, ['cat-file', 'blob', e.oid], maxFileSize + 1);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const f = parseFile(pathToFileURL(path.join(root, e.name)).toString(), text);
    if (!f.skipped) files.push(f);
  }
  files.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return { world: buildWorld(files, { defaultNamespace }), files: files.length, skipped };
}

/** At most this many files are written for a copy at a revision (the base side of a rendered diff). */
const MAX_COPY_FILES = 50_000;

/**
 * Writes the regular files under `target` at revision `ref` into a new temporary folder, so that
 * environments can be rendered from the base side (tools never run on anything but a copy or the
 * analysed folder). Returns the copy of `target` and the temporary folder to remove afterwards.
 */
export function copyAtGitRef(
  ref: string,
  target: string,
  maxFileSize = DEFAULT_MAX_FILE_SIZE,
): { dir: string; temp: string; skipped: Skipped[] } {
  if (!ref || ref.startsWith('-')) throw new UsageError(`--git-base: "${ref}" is not a revision`);
  const abs = path.resolve(target);
  const root = git(abs, ['rev-parse', '--show-toplevel']).trim();
  const rel = path.relative(root, abs) || '.';
  if (!isInsideRel(rel)) throw new UsageError(`${target} is not inside the Git repository ${root}`);
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch {
    throw new UsageError(`--git-base: no commit ${ref} in ${root}`);
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new UsageError(`--git-base: no commit ${ref} in ${root}`);
  const relPosix = rel.split(path.sep).join('/');
  const below = (name: string): string => (relPosix === '.' ? name : name.slice(relPosix.length + 1));
  const entries = parseTree(git(root, ['ls-tree', '-r', '-z', '-l', commit, '--', relPosix])).filter(
    (e) => !inSkippedFolder(path.posix.dirname(below(e.name))),
  );
  if (entries.length > MAX_COPY_FILES) {
    throw new UsageError(`--git-base: more than ${MAX_COPY_FILES} files under ${target} at ${ref}`);
  }
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lens-base-'));
  const dir = path.join(temp, 'base');
  fs.mkdirSync(dir);
  const skipped: Skipped[] = [];
  try {
    for (const e of entries) {
      if (e.type !== 'blob' || (e.mode !== '100644' && e.mode !== '100755') || !(e.size <= maxFileSize)) {
        skipped.push({ path: e.name, reason: e.type !== 'blob' ? 'not a regular file' : 'not copied' });
        continue;
      }
      const out = path.join(dir, ...below(e.name).split('/'));
      if (!isInsideRel(path.relative(dir, out))) continue;
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const data = spawnSync('git', ['--literal-pathspecs', 'cat-file', 'blob', e.oid], {
        cwd: root,
        maxBuffer: maxFileSize + 1,
        timeout: TIMEOUT_MS,
        killSignal: 'SIGKILL',
        shell: false,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      });
      if (data.status !== 0 || !data.stdout) throw new UsageError(`--git-base: cannot read ${e.name} at ${ref}`);
      fs.writeFileSync(out, data.stdout);
    }
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
  return { dir, temp, skipped };
}
