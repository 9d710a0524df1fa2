// Which workspace and which policy file the editor tests open. Pure file-system code: used by the
// UI spec (node) and by the extension-host suite, so it imports neither playwright nor vscode.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The demo workspace `examples/` when it exists, else our fixture workspace. */
export function defaultWorkspace(projectRoot: string): string {
  const examples = path.join(projectRoot, 'examples');
  if (existsSync(examples) && statSync(examples).isDirectory()) return examples;
  return path.join(projectRoot, 'test', 'e2e', 'fixtures', 'workspace');
}

/**
 * A manifest in `workspace` that should raise NPP03 (docs/semantics.md C.3): a NetworkPolicy document with
 * `egress` rules and neither `ingress` nor `policyTypes`. Text heuristics only (the engine decides for real); returns the path
 * relative to the workspace, or undefined when no file looks like that.
 */
export function findEgressWithoutPolicyTypes(workspace: string): string | undefined {
  for (const file of listManifests(workspace)) {
    const text = readFileSync(path.join(workspace, file), 'utf8');
    for (const doc of text.split(/^---[ \t]*$/m)) {
      if (
        /^kind:\s*NetworkPolicy\s*$/m.test(doc) &&
        /^\s*egress:/m.test(doc) &&
        !/^\s*(policyTypes|ingress):/m.test(doc)
      ) {
        return file;
      }
    }
  }
  return undefined;
}

/** Relative paths of the .yaml/.yml files under `dir`, sorted, skipping dot folders and node_modules. */
export function listManifests(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = rel ? path.join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (/\.ya?ml$/.test(entry.name)) out.push(child);
    }
  };
  walk('');
  return out.sort();
}
