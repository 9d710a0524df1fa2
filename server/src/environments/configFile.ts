// The `environments` entries of a workspace folder's config file (`.netpol-lens.json`,
// `.netpol-lens.yaml`, `.netpol-lens.yml`), for the language server: the nearest file from the
// folder up to its repository root, as `netpol-lens` looks for it (cli/config.ts, which also
// validates the whole file). The file comes with the repository, so the same limits apply: its
// `render` key is ignored (the editor's restricted netpolLens.render.* settings name the programs)
// and an entry with a flag that could run programs or read files elsewhere is left out
// (environments/flags.ts). Problems are returned as warnings, never thrown.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type EnvironmentSetting, readSettings } from '../settings';
import { readTextFileSync } from '../workspace/read';
import { unsafeFlags } from './flags';

const CONFIG_FILES = ['.netpol-lens.json', '.netpol-lens.yaml', '.netpol-lens.yml'];
const MAX_CONFIG_BYTES = 1 << 20;

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The config file for a folder: the nearest one from the folder up to the repository root (or the folder alone). */
export function findConfigFile(folder: string): string | undefined {
  const dirs: string[] = [];
  for (let d = path.resolve(folder); ; d = path.dirname(d)) {
    dirs.push(d);
    if (exists(path.join(d, '.git')) || path.dirname(d) === d) break;
  }
  // no repository above the folder: only the folder itself
  if (!exists(path.join(dirs[dirs.length - 1], '.git'))) dirs.splice(1);
  for (const d of dirs) for (const n of CONFIG_FILES) if (exists(path.join(d, n))) return path.join(d, n);
  return undefined;
}

/** The environments entries of the folder's config file, and what was wrong with it. */
export function configEnvironments(folder: string): {
  entries: EnvironmentSetting[];
  warnings: string[];
  file?: string;
} {
  const file = findConfigFile(folder);
  if (!file) return { entries: [], warnings: [] };
  const r = readTextFileSync(file, MAX_CONFIG_BYTES);
  if (!('text' in r)) return { entries: [], warnings: [`config ${file} cannot be read`], file };
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(r.text) : parseYaml(r.text);
  } catch (e) {
    return { entries: [], warnings: [`cannot parse config ${file}: ${(e as Error).message.split('\n')[0]}`], file };
  }
  let body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (body.netpolLens && typeof body.netpolLens === 'object') body = body.netpolLens as Record<string, unknown>;
  const warnings: string[] = [];
  if (body.render !== undefined) {
    warnings.push(`config ${file}: render programs cannot be set in a config file; netpolLens.render.* names them`);
  }
  const entries = readSettings({ environments: body.environments }).environments.filter((e) => {
    const flags = e.flags ?? [];
    const bad = unsafeFlags('kustomize', flags).filter((f) => unsafeFlags('helm', [f]).length);
    if (bad.length) {
      warnings.push(`config ${file}: environment ${e.path} left out: flags ${bad.join(', ')} are not allowed`);
    }
    return !bad.length;
  });
  return { entries, warnings, file };
}
