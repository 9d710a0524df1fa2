// Layers point one way (docs/architecture.md): handlers -> features/rules/diagram -> analysis ->
// model. Reads every import of server/src and media/src and checks where it points: the engine
// never imports `vscode` (nor any vscode-* package), and no layer imports one above it.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)));
}

/** Module specifiers of import/export-from statements and require() calls. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|\brequire\('([^']+)'\)|\bimport\('([^']+)'\)/g,
  )) {
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return out;
}

/** The layer of a server file: its folder under server/src, or the file name for top-level ones. */
function layerOf(file: string): string {
  const rel = path.relative(path.join(root, 'server/src'), path.join(root, file)).split(path.sep);
  return rel.length > 1 ? rel[0] : rel[0].replace(/\.ts$/, '');
}

// which server layers each layer may import (besides itself and node built-ins / npm packages)
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  schema: [],
  analysis: ['model', 'schema'],
  settings: [],
  protocol: ['diagram', 'settings'],
  rules: ['analysis', 'model', 'schema', 'settings'],
  features: ['analysis', 'model', 'schema', 'settings', 'rules'],
  diagram: ['analysis', 'model'],
  workspace: ['analysis', 'model', 'rules', 'settings'],
  cli: ['analysis', 'diagram', 'model', 'rules', 'settings', 'workspace', 'cli'],
  handlers: ['analysis', 'diagram', 'features', 'model', 'protocol', 'rules', 'settings', 'workspace'],
  server: ['handlers'],
};
/** Layers that may use LSP data types (pure packages, no editor): the features and the handlers. */
const LSP_TYPES_OK = new Set(['features', 'handlers', 'protocol', 'server']);

describe('layers', () => {
  const files = sources('server/src');

  it('finds the sources and their imports', () => {
    assert.ok(files.length > 40, `${files.length} server files`);
    assert.ok(importsOf('server/src/analysis/world.ts').includes('../model/document'));
  });

  it('server code never imports vscode; vscode-languageserver* only in features and handlers', () => {
    for (const f of files) {
      for (const spec of importsOf(f)) {
        assert.notEqual(spec, 'vscode', `${f} imports vscode`);
        if (spec.startsWith('vscode-')) assert.ok(LSP_TYPES_OK.has(layerOf(f)), `${f} (${layerOf(f)}) imports ${spec}`);
      }
    }
  });

  it('each layer imports only the layers below it', () => {
    for (const f of files) {
      const layer = layerOf(f);
      const allowed = ALLOWED[layer];
      assert.ok(allowed, `${f}: layer ${layer} is not in the table (add it to docs/architecture.md and here)`);
      for (const spec of importsOf(f)) {
        if (!spec.startsWith('.') || spec.endsWith('.json')) continue; // package.json: the version
        const target = path.relative(root, path.resolve(path.dirname(path.join(root, f)), spec));
        assert.ok(target.startsWith(`server${path.sep}src`), `${f} imports ${spec} outside server/src`);
        const to = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
        if (to === layer) continue;
        assert.ok(allowed.includes(to), `${f} (${layer}) imports ${spec} (${to})`);
      }
    }
  });

  it('the webview imports no extension or server code and no vscode module', () => {
    for (const f of sources('media/src')) {
      for (const spec of importsOf(f)) {
        assert.ok(!spec.startsWith('vscode'), `${f} imports ${spec}`);
        if (spec.startsWith('.')) {
          assert.ok(
            path.relative(root, path.resolve(path.dirname(path.join(root, f)), spec)).startsWith(`media${path.sep}`) ||
              spec.includes('/server/src/diagram/model'),
            `${f} imports ${spec}`,
          );
        }
      }
    }
  });
});
