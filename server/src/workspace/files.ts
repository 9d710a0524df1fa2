// Reading manifests from disk for the CLI and the server's start-up index: directories are
// scanned recursively for .yaml/.yml/.json files (never node_modules or .git), in sorted path
// order.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ManifestFile, parseFile, type ParseOptions } from '../model/document';

export const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface CollectResult {
  readonly files: string[];
  /** Inputs that cannot be read: a message each. */
  readonly errors: string[];
  /** Inputs that are skipped (not a manifest extension). */
  readonly warnings: string[];
}

/** Expands files and directories into a sorted list of manifest paths. */
export function collectManifestPaths(inputs: readonly string[]): CollectResult {
  const files = new Set<string>();
  const errors: string[] = [];
  const warnings: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 64) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      warnings.push(`cannot read directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) walk(p, depth + 1);
      } else if ((ent.isFile() || ent.isSymbolicLink()) && MANIFEST_EXTENSIONS.test(ent.name)) {
        files.add(path.resolve(p));
      }
    }
  };
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push(
        `cannot read ${input}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? (e as Error).message)}`,
      );
      continue;
    }
    if (st.isDirectory()) walk(input, 0);
    else if (MANIFEST_EXTENSIONS.test(input)) files.add(path.resolve(input));
    else warnings.push(`skipping ${input}: not a .yaml, .yml or .json file`);
  }
  return { files: [...files].sort(), errors, warnings };
}

export interface LoadedFiles {
  readonly files: ManifestFile[];
  readonly warnings: string[];
  /** Path of each file's uri, for messages. */
  readonly pathOf: Map<string, string>;
}

/** Reads and parses manifest files. Unreadable or non-YAML files are skipped with a warning. */
export function loadManifestFiles(paths: readonly string[], opts: ParseOptions = {}): LoadedFiles {
  const files: ManifestFile[] = [];
  const warnings: string[] = [];
  const pathOf = new Map<string, string>();
  const max = opts.maxFileSize ?? 32 * 1024 * 1024;
  for (const p of paths) {
    let text: string;
    try {
      const st = fs.statSync(p);
      if (st.size > max) {
        warnings.push(`skipping ${p}: larger than the ${Math.round(max / 1048576)} MB limit`);
        continue;
      }
      text = fs.readFileSync(p, 'utf8');
    } catch (e) {
      warnings.push(`skipping ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const uri = pathToFileURL(p).toString();
    const f = parseFile(uri, text, opts);
    if (f.skipped) {
      warnings.push(`skipping ${p}: ${f.skipped}`);
      continue;
    }
    const docs = f.documents;
    if (docs.length && docs.every((d) => d.kind === 'invalid')) {
      const first = docs[0].syntaxErrors[0];
      const pos = first ? docs[0].positionAt(first.s) : { line: 0, character: 0 };
      warnings.push(`skipping ${p}: not valid YAML or JSON (line ${pos.line + 1}: ${first?.message ?? 'parse error'})`);
      continue;
    }
    pathOf.set(uri, p);
    files.push(f);
  }
  return { files, warnings, pathOf };
}
