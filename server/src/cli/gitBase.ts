// `netpol-lens diff --git-base REF PATH`: the base side read from Git (the manifests under PATH as
// they are at REF), so that CI can compare a pull request with its base branch without a second
// checkout. Uses the `git` command; errors become usage errors with git's first line.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildWorld, type World } from '../analysis/world';
import { type ManifestFile, parseFile } from '../model/document';
import { UsageError } from './args';

const MANIFEST = /\.(ya?ml|json)$/i;

function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) {
    throw new UsageError(
      `--git-base needs git: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : r.error.message}`,
    );
  }
  if (r.status !== 0) {
    throw new UsageError(
      `git ${args[0]}: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit status ${r.status}`}`,
    );
  }
  return r.stdout;
}

/** The world of the manifests under `target` (a file or directory) at Git revision `ref`. */
export function worldAtGitRef(ref: string, target: string, defaultNamespace?: string): { world: World; files: number } {
  const abs = path.resolve(target);
  let dir: string;
  try {
    dir = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    dir = path.dirname(abs); // the path may exist at REF only
  }
  const root = git(dir, ['rev-parse', '--show-toplevel']).trim();
  const rel = path.relative(root, abs) || '.';
  if (rel.startsWith('..')) throw new UsageError(`${target} is not inside the Git repository ${root}`);
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--git-base: no commit ${ref} in ${root}`);
  }
  const names = git(root, ['ls-tree', '-r', '-z', '--name-only', ref, '--', rel])
    .split('\0')
    .filter((n) => n && MANIFEST.test(n))
    .sort();
  const files: ManifestFile[] = [];
  for (const n of names) {
    let text = git(root, ['show', `${ref}:${n}`]);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const f = parseFile(pathToFileURL(path.join(root, n)).toString(), text);
    if (!f.skipped) files.push(f);
  }
  files.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  return { world: buildWorld(files, { defaultNamespace }), files: files.length };
}
