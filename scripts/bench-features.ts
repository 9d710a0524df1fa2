// Latency of hover and completion (and, over LSP, inlay hints for 60-line ranges) on a generated
// workspace (issue 4: <= 10 ms p95).
//
//   npx tsx scripts/bench-features.ts [--preset engine|big|medium|many] [--requests N] [--seed N] [--out FILE] [--lsp [--server F]]
//
// In process, through the same code the language server runs: the manifests are loaded into a
// WorkspaceIndex (as the server's scan does), then hover and completion are called at random
// positions of random documents (policies mostly, some workloads and namespaces), one request at a
// time, each timed with performance.now(). Scenarios:
//
//   hover / completion           the index is up to date (the world and its caches are built): what
//                                every request after the first one after an edit costs
//   after an edit                a one-character edit first; timed apart: index.setFile (re-parses
//                                the document), the world rebuild (index.world(), the index's cost),
//                                completion as the first request on the new world (per-world
//                                caches), and completion on the previous world
//
// With --lsp the same requests go through the BUILT server (dist/server.js, `npm run build` first)
// over stdio, as an editor sends them: the workspace folder is indexed by the server's scan, the
// target files are opened, and each request is timed from send to response (JSON-RPC included).
// The edit scenario there is a one-character incremental didChange immediately followed by a
// completion request: the latency a user sees while typing (the server's world rebuild included,
// unless the index offers its last world); the server gets --idle ms (default 1000) after each edit.
//
// The workspace comes from scripts/gen-workspace.mjs (generated under bench-out/ when missing).
// Prints p50/p95/max per scenario and writes JSON (default bench-out/features.json).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { completion } from '../server/src/features/completion';
import type { FeatureContext } from '../server/src/features/context';
import { hover } from '../server/src/features/hover';
import { type ManifestFile, parseFile } from '../server/src/model/document';
import { isDocumentSeparator } from '../server/src/model/lines';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { collectManifestPaths } from '../server/src/workspace/files';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { rng } from '../test/support/randomWorkspace';

const ROOT = path.resolve(__dirname, '..');

const PRESETS: Record<string, string> = {
  engine: 'bench-out/engine',
  big: 'bench-out/big.yaml',
  medium: 'bench-out/medium.yaml',
  many: 'bench-out/many',
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

interface Target {
  readonly uri: string;
  readonly line: number;
  readonly character: number;
}

interface Picker {
  pick(): Target;
  pickEnd(): Target;
}

/** Random positions on the keys and values of policy documents (80%) and of workloads / namespaces. */
function picker(files: readonly ManifestFile[], rand: () => number): Picker {
  const policyDocs: Array<{ f: ManifestFile; d: number }> = [];
  const otherDocs: Array<{ f: ManifestFile; d: number }> = [];
  for (const f of files) {
    f.documents.forEach((d, i) => {
      if (/^kind:\s*NetworkPolicy/m.test(d.text)) policyDocs.push({ f, d: i });
      else if (/^kind:\s*(Deployment|StatefulSet|DaemonSet|Namespace|Pod|CronJob|Job|ReplicaSet)/m.test(d.text)) {
        otherDocs.push({ f, d: i });
      }
    });
  }
  const lineCache = new Map<string, string[]>();
  const linesOf = (f: ManifestFile): string[] => {
    let l = lineCache.get(f.uri);
    if (!l) lineCache.set(f.uri, (l = f.text.split('\n')));
    return l;
  };
  const pick = (): Target => {
    const pool = rand() < 0.8 || !otherDocs.length ? policyDocs : otherDocs;
    const { f, d } = pool[Math.floor(rand() * pool.length)];
    const doc = f.documents[d];
    const lines = doc.text.split('\n');
    for (let tries = 0; tries < 20; tries++) {
      const l = Math.floor(rand() * lines.length);
      const t = lines[l];
      if (!t.trim() || t.trim().startsWith('#') || isDocumentSeparator(t)) continue;
      const first = t.length - t.trimStart().length;
      const character = first + Math.floor(rand() * Math.max(1, t.length - first));
      return { uri: f.uri, line: doc.startLine + l, character };
    }
    return { uri: f.uri, line: doc.startLine, character: 0 };
  };
  const byUri = new Map(files.map((f) => [f.uri, f]));
  const pickEnd = (): Target => {
    const t = pick();
    const lineText = linesOf(byUri.get(t.uri)!)[t.line] ?? '';
    return { ...t, character: lineText.replace(/\r$/, '').length };
  };
  return { pick, pickEnd };
}

const row = (name: string, xs: number[]): Record<string, number | string> => ({
  scenario: name,
  n: xs.length,
  p50: r2(pct(xs, 50)),
  p95: r2(pct(xs, 95)),
  max: r2(Math.max(...xs)),
});

function printRows(rows: Array<Record<string, number | string>>): void {
  process.stdout.write(
    `\n${'scenario'.padEnd(26)}${'n'.padStart(6)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}${'max ms'.padStart(10)}\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${String(r.scenario).padEnd(26)}${String(r.n).padStart(6)}${String(r.p50).padStart(10)}${String(r.p95).padStart(10)}${String(r.max).padStart(10)}\n`,
    );
  }
}

async function lspMain(preset: string, input: string, requests: number, seed: number, out: string): Promise<number> {
  const serverPath = path.resolve(ROOT, arg('server', 'dist/server.js'));
  if (!fs.existsSync(serverPath)) {
    process.stderr.write('bench-features: dist/server.js is missing: run `npm run build` first\n');
    return 2;
  }
  // the server indexes a folder: a single-file preset gets a folder of its own
  let folder = input;
  if (fs.statSync(input).isFile()) {
    folder = path.join(ROOT, 'bench-out', `lsp-${preset}`);
    const copy = path.join(folder, path.basename(input));
    if (!fs.existsSync(copy) || fs.statSync(copy).mtimeMs < fs.statSync(input).mtimeMs) {
      fs.mkdirSync(folder, { recursive: true });
      fs.copyFileSync(input, copy);
    }
  }
  const { LspClient } = await import('../test/support/lspClient');
  const client = new LspClient(serverPath);
  try {
    const t0 = performance.now();
    await client.initialize(pathToFileURL(folder).toString());
    const status = await client.waitForStatus((s) => s.ready === true, 600000);
    process.stdout.write(
      `${preset} (lsp): ${String(status.files)} files, ${String(status.documents)} documents, ${String(status.workloads)} workloads, ${String(status.policies)} policies; indexed in ${Math.round(performance.now() - t0)} ms\n`,
    );
    // the same files, parsed here only to choose positions
    const files = collectManifestPaths([folder]).files.map((p) =>
      parseFile(pathToFileURL(p).toString(), fs.readFileSync(p, 'utf8')),
    );
    const texts = new Map(files.map((f) => [f.uri, f.text]));
    const { pick, pickEnd } = picker(files, rng(seed));
    const opened = new Set<string>();
    const open = async (uri: string): Promise<void> => {
      if (opened.has(uri)) return;
      opened.add(uri);
      await client.open(uri, texts.get(uri)!);
    };
    const timeReq = async (method: string, params: unknown): Promise<number> => {
      const a = performance.now();
      await client.request(method, params);
      return performance.now() - a;
    };
    for (let i = 0; i < 30; i++) {
      const t = pick();
      await open(t.uri);
      await client.request('textDocument/hover', { textDocument: { uri: t.uri }, position: t });
    }
    const hoverMs: number[] = [];
    const complMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t = pick();
      await open(t.uri);
      hoverMs.push(
        await timeReq('textDocument/hover', {
          textDocument: { uri: t.uri },
          position: { line: t.line, character: t.character },
        }),
      );
    }
    for (let i = 0; i < requests; i++) {
      const t = pickEnd();
      await open(t.uri);
      complMs.push(
        await timeReq('textDocument/completion', {
          textDocument: { uri: t.uri },
          position: { line: t.line, character: t.character },
        }),
      );
    }
    // inlay hints for a screenful (60 lines) around the picked position, as an editor asks
    const hintMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t = pick();
      await open(t.uri);
      const start = Math.max(0, t.line - 30);
      hintMs.push(
        await timeReq('textDocument/inlayHint', {
          textDocument: { uri: t.uri },
          range: { start: { line: start, character: 0 }, end: { line: start + 60, character: 0 } },
        }),
      );
    }
    const typeMs: number[] = [];
    const versions = new Map<string, number>();
    const edits = Math.min(requests, 100);
    const idleMs = Number(arg('idle', '1000'));
    for (let i = 0; i < edits; i++) {
      const t = pickEnd();
      await open(t.uri);
      const v = (versions.get(t.uri) ?? 1) + 1;
      versions.set(t.uri, v + 1);
      const at = { line: t.line, character: t.character };
      const a = performance.now();
      await client.change(t.uri, v, [{ range: { start: at, end: at }, text: 'x' }]);
      await client.request('textDocument/completion', {
        textDocument: { uri: t.uri },
        position: { line: t.line, character: t.character + 1 },
      });
      typeMs.push(performance.now() - a);
      await client.change(t.uri, v + 1, [
        { range: { start: at, end: { line: t.line, character: t.character + 1 } }, text: '' },
      ]);
      // let the server finish the diagnostics pass of the edit (--idle ms) before the next keystroke
      await client.request('textDocument/hover', { textDocument: { uri: t.uri }, position: at });
      await new Promise((r) => setTimeout(r, idleMs));
    }
    const rows = [
      row('hover (lsp)', hoverMs),
      row('completion (lsp)', complMs),
      row('inlay hints, 60 lines (lsp)', hintMs),
      row('keystroke+completion (lsp)', typeMs),
    ];
    printRows(rows);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify({ preset, mode: 'lsp', status, requests, seed, node: process.version, results: rows }, null, 2)}\n`,
    );
    process.stdout.write(`\nTarget: hover and completion <= 10 ms p95. wrote ${path.relative(ROOT, out)}\n`);
    return 0;
  } finally {
    await client.shutdown();
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(
      'usage: npx tsx scripts/bench-features.ts [--preset engine|big|medium|many] [--requests N] [--seed N] [--out FILE] [--lsp [--server dist/server.js]]\n',
    );
    return 0;
  }
  const preset = arg('preset', 'engine');
  const rel = PRESETS[preset];
  if (!rel) {
    process.stderr.write(`unknown preset ${preset}\n`);
    return 2;
  }
  const requests = Number(arg('requests', '500'));
  const seed = Number(arg('seed', '1'));
  const lsp = process.argv.includes('--lsp');
  const out = path.resolve(ROOT, arg('out', `bench-out/features-${preset}${lsp ? '-lsp' : ''}.json`));
  const input = path.join(ROOT, rel);
  if (!fs.existsSync(input)) {
    process.stdout.write(`generating the ${preset} workspace...\n`);
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/gen-workspace.mjs'), '--preset', preset, '--quiet'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    if (r.status !== 0 || !fs.existsSync(input)) {
      process.stderr.write('bench-features: cannot generate the workspace\n');
      return 2;
    }
  }
  if (lsp) return lspMain(preset, input, requests, seed, out);
  const paths = collectManifestPaths([input]).files;
  const index = new WorkspaceIndex({ settings: DEFAULT_SETTINGS });
  const t0 = performance.now();
  for (const p of paths) index.setFile(pathToFileURL(p).toString(), fs.readFileSync(p, 'utf8'));
  const t1 = performance.now();
  const world0 = index.world();
  const t2 = performance.now();
  const files = index.allFiles();
  const docs = files.reduce((n, f) => n + f.documents.length, 0);
  process.stdout.write(
    `${preset}: ${files.length} files, ${docs} documents, ${world0.workloads.length} workloads, ${world0.policies.length} policies; load ${Math.round(t1 - t0)} ms, world ${Math.round(t2 - t1)} ms\n`,
  );

  const rand = rng(seed);
  const ctxOf = (uri: string): FeatureContext => ({
    file: index.getFile(uri)!,
    world: index.world(),
    settings: index.settings,
    files: index.allFiles(),
  });

  const { pick, pickEnd } = picker(files, rand);

  const timeIt = (fn: () => unknown): number => {
    const a = performance.now();
    fn();
    return performance.now() - a;
  };

  // warm-up (JIT, first-use caches of the world)
  for (let i = 0; i < 50; i++) {
    const t = pick();
    hover(ctxOf(t.uri), t);
    completion(ctxOf(t.uri), pickEnd());
  }

  const hoverMs: number[] = [];
  let hovers = 0;
  for (let i = 0; i < requests; i++) {
    const t = pick();
    let h: unknown = null;
    hoverMs.push(
      timeIt(() => {
        h = hover(ctxOf(t.uri), t);
      }),
    );
    if (h) hovers++;
  }
  const complMs: number[] = [];
  let items = 0;
  for (let i = 0; i < requests; i++) {
    const t = pickEnd();
    complMs.push(
      timeIt(() => {
        items += completion(ctxOf(t.uri), t).items.length;
      }),
    );
  }
  // a keystroke (one character appended to a line), then completion there. Timed separately: the
  // edit (setFile re-parses the document), the world rebuild (index.world()), completion as the
  // first request on the rebuilt world (it pays the per-world caches), and completion on the
  // previous world (what the server does when the index offers its last world while a rebuild is
  // pending; see FeatureHandlers.completion)
  const editMs: number[] = [];
  const rebuildMs: number[] = [];
  const firstMs: number[] = [];
  const staleMs: number[] = [];
  const edits = Math.min(requests, 100);
  for (let i = 0; i < edits; i++) {
    const t = pickEnd();
    const f = index.getFile(t.uri)!;
    const text = f.text;
    const before = index.world();
    const lines = text.split('\n');
    const edited = [...lines.slice(0, t.line), `${lines[t.line]}x`, ...lines.slice(t.line + 1)].join('\n');
    const at = { line: t.line, character: t.character + 1 };
    editMs.push(timeIt(() => index.setFile(t.uri, edited)));
    staleMs.push(
      timeIt(() =>
        completion(
          { file: index.getFile(t.uri)!, world: before, settings: index.settings, files: index.allFiles() },
          at,
        ),
      ),
    );
    rebuildMs.push(timeIt(() => index.world()));
    firstMs.push(timeIt(() => completion(ctxOf(t.uri), at)));
    index.setFile(t.uri, text);
    index.world();
  }

  const rows = [
    row('hover', hoverMs),
    row('completion', complMs),
    row('edit: setFile', editMs),
    row('edit: world rebuild', rebuildMs),
    row('completion, new world', firstMs),
    row('completion, last world', staleMs),
  ];
  printRows(rows);
  process.stdout.write(
    `\n${hovers}/${requests} hovers had content; ${Math.round(items / requests)} completion items on average. Target: hover and completion <= 10 ms p95.\n`,
  );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `${JSON.stringify({ preset, files: files.length, documents: docs, workloads: world0.workloads.length, policies: world0.policies.length, requests, seed, node: process.version, results: rows }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${path.relative(ROOT, out)}\n`);
  return 0;
}

main().then(
  (c) => {
    process.exitCode = c;
  },
  (e: unknown) => {
    process.stderr.write(`bench-features: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
