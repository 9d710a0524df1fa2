// Layers point one way (docs/architecture.md): server.ts -> handlers -> features/rules/diagram ->
// analysis -> model, with the protocol module (the wire contract) at the bottom. Reads every import
// of server/src, client/src and media/src (with TypeScript's parser, so type-only imports are told
// apart) and checks where it points: the engine never imports `vscode` (nor any vscode-* package),
// no layer imports one above it, there are no import cycles, the client takes only the protocol
// module from the server, and the webview only types from the protocol's webview messages.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)));
}

interface Import {
  /** The module specifier as written. */
  readonly spec: string;
  /** `import type` / `export type` (erased from the bundle). */
  readonly typeOnly: boolean;
  /** For relative imports: the file it resolves to, relative to the repository. */
  readonly target?: string;
}

/** Where a relative specifier of `from` points (a .ts file, or a folder's index.ts). */
function resolve(from: string, spec: string): string {
  const base = path.relative(root, path.resolve(path.dirname(path.join(root, from)), spec));
  if (/\.(ts|json)$/.test(base)) return base;
  try {
    readFileSync(path.join(root, `${base}.ts`));
    return `${base}.ts`;
  } catch {
    return path.join(base, 'index.ts');
  }
}

const cache = new Map<string, Import[]>();

/** Import and export-from declarations, require() and import() calls of a file. */
function importsOf(file: string): Import[] {
  const hit = cache.get(file);
  if (hit) return hit;
  const sf = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    out.push(spec.startsWith('.') ? { spec, typeOnly, target: resolve(file, spec) } : { spec, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, !!node.importClause?.isTypeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  cache.set(file, out);
  return out;
}

/** The layer of a server file: its folder under server/src, or the file name for top-level ones. */
function layerOf(file: string): string {
  const rel = path.relative(path.join(root, 'server/src'), path.join(root, file)).split(path.sep);
  return rel.length > 1 ? rel[0] : rel[0].replace(/\.ts$/, '');
}

// which server layers each layer may import (besides itself and node built-ins / npm packages)
const ALLOWED: Record<string, readonly string[]> = {
  protocol: [],
  model: [],
  schema: [],
  analysis: ['model', 'schema'],
  settings: [],
  rules: ['analysis', 'model', 'schema', 'settings'],
  features: ['analysis', 'model', 'protocol', 'schema', 'settings', 'rules'],
  diagram: ['analysis', 'model', 'protocol'],
  workspace: ['analysis', 'model', 'protocol', 'rules', 'settings'],
  environments: ['analysis', 'model', 'protocol', 'rules', 'settings', 'workspace'],
  cli: ['analysis', 'diagram', 'environments', 'model', 'protocol', 'rules', 'settings', 'workspace', 'cli'],
  handlers: ['analysis', 'diagram', 'environments', 'features', 'model', 'protocol', 'rules', 'settings', 'workspace'],
  server: ['handlers', 'protocol', 'settings', 'workspace'],
};
/** Layers that may use LSP data types (pure packages, no editor): the features and the handlers. */
const LSP_TYPES_OK = new Set(['features', 'handlers', 'protocol', 'server']);
/** Layers that talk to an editor: only they may use protocol files with run-time package imports. */
const EDITOR_SIDE = new Set(['handlers', 'server']);

/** Whether a file, or a file it imports at run time, imports a package at run time (transitively). */
function pullsPackages(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  return importsOf(file).some((i) => !i.typeOnly && (i.target ? pullsPackages(i.target, seen) : true));
}

/** Every file reachable from `file` through imports of any kind (types included). */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of importsOf(file)) if (i.target && /\.ts$/.test(i.target)) reachable(i.target, seen);
  return seen;
}

describe('layers', () => {
  const server = sources('server/src');
  const client = sources('client/src');
  const media = sources('media/src');
  const protocol = server.filter((f) => layerOf(f) === 'protocol');

  it('finds the sources and their imports', () => {
    assert.ok(server.length > 40, `${server.length} server files`);
    assert.ok(importsOf('server/src/analysis/world.ts').some((i) => i.target === 'server/src/model/document.ts'));
    const webview = importsOf('media/src/main.ts').find((i) => i.spec.includes('protocol'));
    assert.deepEqual(webview, {
      spec: '../../server/src/protocol/webview',
      typeOnly: true,
      target: 'server/src/protocol/webview.ts',
    });
    assert.ok(protocol.includes('server/src/protocol/index.ts'), protocol.join(', '));
  });

  it('server code never imports vscode; vscode-languageserver* only in features and handlers', () => {
    for (const f of server) {
      for (const { spec } of importsOf(f)) {
        assert.notEqual(spec, 'vscode', `${f} imports vscode`);
        if (spec.startsWith('vscode-')) assert.ok(LSP_TYPES_OK.has(layerOf(f)), `${f} (${layerOf(f)}) imports ${spec}`);
      }
    }
  });

  it('each layer imports only the layers below it', () => {
    for (const f of server) {
      const layer = layerOf(f);
      const allowed = ALLOWED[layer];
      assert.ok(allowed, `${f}: layer ${layer} is not in the table (add it to docs/architecture.md and here)`);
      for (const { spec, target } of importsOf(f)) {
        if (!target || target.endsWith('.json')) continue; // package.json: the version
        assert.ok(target.startsWith(`server${path.sep}src`), `${f} imports ${spec} outside server/src`);
        const to = layerOf(target);
        if (to === layer) continue;
        assert.ok(allowed.includes(to), `${f} (${layer}) imports ${spec} (${to})`);
      }
    }
  });

  it('the protocol module: wire types without run-time imports, the typed methods apart', () => {
    // only index.ts (the request/notification objects) needs a package at run time (vscode-jsonrpc)
    assert.deepEqual(
      protocol.filter((f) => pullsPackages(f)),
      ['server/src/protocol/index.ts'],
    );
    assert.deepEqual(
      importsOf('server/src/protocol/index.ts')
        .filter((i) => !i.target)
        .map((i) => i.spec),
      ['vscode-jsonrpc'],
    );
    // the engine (the CLI bundles it) takes wire types and formats, never the method objects
    for (const f of server.filter((x) => !EDITOR_SIDE.has(layerOf(x)) && layerOf(x) !== 'protocol')) {
      for (const { spec, target, typeOnly } of importsOf(f)) {
        if (target && layerOf(target) === 'protocol' && !typeOnly) {
          assert.ok(!pullsPackages(target), `${f} imports ${spec}, which pulls run-time packages`);
        }
      }
    }
  });

  it('the client imports nothing of the server but the protocol module', () => {
    for (const f of client) {
      for (const { spec, target } of importsOf(f)) {
        if (!target) continue;
        assert.ok(
          target.startsWith(`client${path.sep}src${path.sep}`) ||
            target.startsWith(`server${path.sep}src${path.sep}protocol${path.sep}`),
          `${f} imports ${spec}`,
        );
      }
    }
  });

  it("the webview imports only types of the protocol's webview messages, and no vscode module", () => {
    const webview = `server${path.sep}src${path.sep}protocol${path.sep}webview.ts`;
    for (const f of media) {
      for (const { spec, target, typeOnly } of importsOf(f)) {
        assert.ok(!spec.startsWith('vscode'), `${f} imports ${spec}`);
        if (!target || target.startsWith(`media${path.sep}`)) continue;
        assert.ok(target === webview && typeOnly, `${f} imports ${spec}${typeOnly ? '' : ' (not type-only)'}`);
      }
    }
    // and what that file reaches stays inside the protocol module, types only
    for (const f of reachable(webview)) {
      assert.equal(layerOf(f), 'protocol', `${webview} reaches ${f}`);
      for (const i of importsOf(f)) assert.ok(i.typeOnly, `${f} imports ${i.spec} at run time`);
      assert.doesNotMatch(readFileSync(path.join(root, f), 'utf8'), /^export (const|function|class|let|enum)/m, f);
    }
  });

  // Run-time imports only: a type-only import is erased by the compiler and cannot make modules
  // wait on each other (the diagram's context.ts names the types of the stages that use it).
  it('no run-time import cycles in the server or the client', () => {
    const files = [...server, ...client];
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const i of importsOf(f)) if (!i.typeOnly && i.target?.endsWith('.ts')) visit(i.target, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(cycles, []);
  });
});
