// The config file of `netpol-lens check` (.netpol-lens.json / .yaml / .yml): where it is looked
// for, how it is read and what it may contain.
//
// It is looked for in the first analysed folder and its parents, but no higher than the root of
// the Git repository that holds the folder (the folder with `.git`), or, outside a repository,
// than the working directory; a folder in neither is searched alone. A config file in a parent
// such as /tmp or the home folder would otherwise change the rules without anyone noticing. The
// file is read like a manifest (a regular file, at most 1 MB) and checked against
// schemas/netpol-lens-config.schema.json (generated from package.json): an unknown key or a value
// out of range is a usage error, not a silent default.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import schema from '../../../schemas/netpol-lens-config.schema.json';
import { unsafeFlags } from '../environments/flags';
import { RULES } from '../rules/registry';
import { type NetpolSettings, readSettings } from '../settings';
import { readTextFileSync } from '../workspace/read';
import { UsageError } from './args';

export const CONFIG_FILES = ['.netpol-lens.json', '.netpol-lens.yaml', '.netpol-lens.yml'];
const MAX_CONFIG_BYTES = 1 << 20;

export interface Config {
  readonly settings: NetpolSettings;
  /** The file read, when there is one. */
  readonly path?: string;
  /** The folders searched, nearest first. */
  readonly searched: readonly string[];
  /** Things worth a warning that do not stop the command (unknown rule ids). */
  readonly warnings: readonly string[];
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function inside(dir: string, base: string): boolean {
  const rel = path.relative(base, dir);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The folders to search, from `start` up to the repository root or the working directory. */
export function searchFolders(start: string, cwd: string): string[] {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  let repo: string | undefined;
  for (let d = dir; ; d = path.dirname(d)) {
    if (exists(path.join(d, '.git'))) {
      repo = d;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  const stop = repo ?? (inside(dir, cwd) ? path.resolve(cwd) : dir);
  const out = [dir];
  for (let d = dir; d !== stop && path.dirname(d) !== d;) {
    d = path.dirname(d);
    out.push(d);
  }
  return out;
}

// ---- checking against the JSON schema (the subset of JSON Schema it uses) ----------------------

interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
}

function shown(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const ARTICLE: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
};

function typeOk(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    default:
      return typeof v === type;
  }
}

function range(s: Schema): string {
  const parts = [
    s.minimum !== undefined ? `at least ${s.minimum}` : '',
    s.maximum !== undefined ? `at most ${s.maximum}` : '',
  ];
  return parts.filter(Boolean).join(' and ');
}

/** The first problem of `v` against `s`, or undefined. */
function problem(v: unknown, s: Schema, where: string): string | undefined {
  const name = where || 'the file';
  if (s.type && !typeOk(v, s.type)) {
    const bounded = (s.type === 'number' || s.type === 'integer') && typeof v === 'number' && !Number.isNaN(v);
    return `${name} must be ${ARTICLE[s.type] ?? s.type}${bounded && range(s) ? ` ${range(s)}` : ''} (got ${shown(v)})`;
  }
  if (s.enum && !s.enum.includes(v)) return `${name} must be one of ${s.enum.join(', ')} (got ${shown(v)})`;
  if (
    typeof v === 'number' &&
    ((s.minimum !== undefined && v < s.minimum) || (s.maximum !== undefined && v > s.maximum))
  ) {
    return `${name} must be ${range(s)} (got ${shown(v)})`;
  }
  if (Array.isArray(v) && s.items) {
    for (let i = 0; i < v.length; i++) {
      const p = problem(v[i], s.items, `${where}[${i}]`);
      if (p) return p;
    }
  }
  if (typeOk(v, 'object') && (s.properties || s.additionalProperties !== undefined)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const key = where ? `${where}.${k}` : k;
      const sub =
        s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (!sub) {
        if (s.additionalProperties === false) {
          return `unknown setting "${key}" (known: ${Object.keys(s.properties ?? {}).join(', ')})`;
        }
        continue;
      }
      const p = problem(x, sub, key);
      if (p) return p;
    }
  }
  return undefined;
}

/** Checks a parsed config file; returns its settings object (unwrapped from `netpolLens:`) or throws. */
export function validateConfig(raw: unknown, file: string): Record<string, unknown> {
  const [body] = (schema as unknown as { oneOf: Schema[] }).oneOf;
  const fail = (why: string): never => {
    throw new UsageError(`config ${file}: ${why}`);
  };
  if (raw === null || raw === undefined) return {};
  if (!typeOk(raw, 'object')) {
    return fail('the file must be a mapping of settings (see schemas/netpol-lens-config.schema.json)');
  }
  let settings = raw as Record<string, unknown>;
  if ('netpolLens' in settings) {
    const extra = Object.keys(settings).filter((k) => k !== 'netpolLens');
    if (extra.length) fail(`unknown setting "${extra[0]}" next to netpolLens`);
    if (settings.netpolLens === null) return {};
    if (!typeOk(settings.netpolLens, 'object')) {
      fail(`netpolLens must be a mapping (got ${shown(settings.netpolLens)})`);
    }
    settings = settings.netpolLens as Record<string, unknown>;
  }
  const p = problem(settings, body, '');
  if (p) fail(p);
  return settings;
}

/**
 * A config file comes with the repository, so a pull request can change it: it may not name the
 * programs that render environments (the environment variables NETPOL_LENS_KUBECTL,
 * NETPOL_LENS_KUSTOMIZE and NETPOL_LENS_HELM do, and the editor's settings), and its environment
 * flags are limited to those that run nothing and read nothing outside the repository
 * (environments/flags.ts).
 */
function checkRenderSettings(settings: Record<string, unknown>, display: string): void {
  if (settings.render !== undefined) {
    throw new UsageError(
      `config ${display}: render programs cannot be set in a config file, which comes with the repository; ` +
        'set NETPOL_LENS_KUBECTL, NETPOL_LENS_KUSTOMIZE or NETPOL_LENS_HELM in the environment instead',
    );
  }
  const entries = Array.isArray(settings.environments) ? (settings.environments as Record<string, unknown>[]) : [];
  entries.forEach((e, i) => {
    const flags = Array.isArray(e?.flags) ? (e.flags as unknown[]).map(String) : [];
    // an entry may tune a kustomization or a chart: a flag passes when it is safe for either program
    const bad = unsafeFlags('kustomize', flags).filter((f) => unsafeFlags('helm', [f]).length);
    if (bad.length) {
      throw new UsageError(
        `config ${display}: environments[${i}].flags: ${bad.map((f) => JSON.stringify(f)).join(', ')} ` +
          'may not come from a config file (it could run programs or read files outside the repository); ' +
          'allowed: see docs/environments.md',
      );
    }
  });
}

function readConfig(file: string, display: string): { settings: NetpolSettings; warnings: string[] } {
  const r = readTextFileSync(file, MAX_CONFIG_BYTES);
  if ('error' in r) throw new UsageError(`cannot read config ${display}: ${r.error}`);
  if ('tooLarge' in r) throw new UsageError(`config ${display} is larger than ${MAX_CONFIG_BYTES >> 20} MB`);
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(r.text) : parseYaml(r.text);
  } catch (e) {
    throw new UsageError(`cannot parse config ${display}: ${(e as Error).message.split('\n')[0]}`);
  }
  const settings = validateConfig(raw, display);
  checkRenderSettings(settings, display);
  const rules = typeOk(settings.rules, 'object') ? Object.keys(settings.rules as object) : [];
  const warnings = rules
    .filter((id) => !RULES.has(id.toUpperCase()))
    .map((id) => `config ${display}: unknown rule ${id} (the rule list: docs/rules/README.md)`);
  return { settings: readSettings(settings), warnings };
}

/**
 * The settings for `check`: from `explicit` (--config) when given, else from the first config
 * file in searchFolders(start). `show` turns a path into what messages print.
 */
export function loadConfig(
  start: string,
  explicit: string | undefined,
  show: (p: string) => string = (p) => p,
  cwd = process.cwd(),
): Config {
  if (explicit) return { ...readConfig(explicit, explicit), path: explicit, searched: [] };
  const searched = searchFolders(start, cwd);
  for (const dir of searched) {
    for (const name of CONFIG_FILES) {
      const p = path.join(dir, name);
      if (exists(p)) return { ...readConfig(p, show(p)), path: p, searched };
    }
  }
  return { settings: readSettings({}), searched, warnings: [] };
}
