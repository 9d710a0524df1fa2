// Language-server benchmark: drives the BUILT server (dist/server.js) over stdio as an editor
// does, on generated workspaces (scripts/gen-workspace.mjs presets medium, big, many).
//
//   npm run bench:lsp [-- --runs N] [--skip open,edit,many,hover]
//
// Measures (medians over N runs): open -> first diagnostics of the 9.6 MB file (against a bare
// `yaml` parse of the same file, measured here too); a one-line edit -> fresh diagnostics on the
// 1.6 MB and 9.6 MB files (debounce included); the cold index of 2,000 files until every file
// has diagnostics; an edit -> diagnostics in that workspace; hover and completion latency (p50,
// p95); the server's peak RSS per scenario (VmHWM). Writes bench-out/bench-lsp.json.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { LspClient } from '../test/support/lspClient';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'bench-out');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 7;
const skip = new Set(args.includes('--skip') ? args[args.indexOf('--skip') + 1].split(',') : []);
/** `--edit-kind Service` edits a Service port, `--edit-kind Deployment` a pod label, instead of a policy port. */
const editKind = args.includes('--edit-kind') ? args[args.indexOf('--edit-kind') + 1] : 'NetworkPolicy';

function ensure(preset: string, p: string): void {
  if (!existsSync(p)) {
    execFileSync(process.execPath, [path.join(root, 'scripts/gen-workspace.mjs'), '--preset', preset, '--quiet'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
}

function hwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * A line in the middle of the file to edit: a numeric port of a NetworkPolicy rule, toggled (the
 * typical edit while writing policies). `kind` picks a Service port instead (an edit that changes
 * what every namespace's checks read).
 */
function editTarget(text: string, kind = 'NetworkPolicy'): { line: number; a: string; b: string } {
  const lines = text.split('\n');
  let current = '';
  let inTemplate = false;
  for (let i = 0; i < lines.length; i++) {
    const k = /^kind:\s*(\w+)/.exec(lines[i]);
    if (k) {
      current = k[1];
      inTemplate = false;
    }
    if (/^ {2}template:/.test(lines[i])) inTemplate = true;
    if (i < Math.floor(lines.length / 2) || current !== kind) continue;
    if (kind === 'Deployment') {
      // a pod label of the template: what selectors read
      const v = /^(\s+)version: (\S+)\s*$/.exec(lines[i]);
      if (v && inTemplate) return { line: i, a: lines[i], b: `${v[1]}version: ${v[2]}-next` };
      continue;
    }
    const m = /^(\s+)(?:- )?port: (\d+)\s*$/.exec(lines[i]);
    if (m) return { line: i, a: lines[i], b: lines[i].replace(/\d+\s*$/, String(Number(m[2]) + 1)) };
  }
  throw new Error(`no ${kind} port line to edit`);
}

async function withServer<T>(
  rootDir: string | null,
  fn: (c: LspClient) => Promise<T>,
): Promise<{ result: T; peakMb: number }> {
  const c = new LspClient(path.join(root, 'dist/server.js'), ['--max-old-space-size=4096']);
  try {
    await c.initialize(rootDir ? pathToFileURL(rootDir).toString() : null);
    await c.waitForStatus(undefined, 600000);
    const result = await fn(c);
    return { result, peakMb: hwmMb(c.proc.pid!) };
  } finally {
    await c.shutdown();
  }
}

async function openAndEdit(file: string, label: string, results: Record<string, unknown>): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(path.join(os.tmpdir(), `netpol-bench-${label}.yaml`)).toString();
  const openMs: number[] = [];
  const editMs: number[] = [];
  let peak = 0;
  let diagCount = 0;
  for (let run = 0; run < Math.max(3, Math.ceil(runs / 2)); run++) {
    const { result, peakMb } = await withServer(null, async (c) => {
      const t0 = performance.now();
      await c.open(uri, text, 1);
      const first = await c.waitForDiagnostics((p) => p.uri === uri && p.version === 1, 600000);
      const open = performance.now() - t0;
      diagCount = first.diagnostics.length;
      const target = editTarget(text, editKind);
      const edits: number[] = [];
      for (let i = 0; i < runs * 2; i++) {
        const v = i + 2;
        const newLine = i % 2 === 0 ? target.b : target.a;
        const oldLen = (i % 2 === 0 ? target.a : target.b).length;
        const t1 = performance.now();
        await c.change(uri, v, [
          {
            range: { start: { line: target.line, character: 0 }, end: { line: target.line, character: oldLen } },
            text: newLine,
          },
        ]);
        await c.waitForDiagnostics((p) => p.uri === uri && p.version === v, 120000);
        edits.push(performance.now() - t1);
      }
      return { open, edits };
    });
    openMs.push(result.open);
    editMs.push(...result.edits);
    peak = Math.max(peak, peakMb);
  }
  results[label] = {
    editedKind: editKind,
    bytes: statSync(file).size,
    diagnostics: diagCount,
    openToFirstDiagnosticsMs: r1(median(openMs)),
    editToDiagnosticsMedianMs: r1(median(editMs)),
    editP95Ms: r1(pct(editMs, 95)),
    peakRssMb: peak,
    samples: { open: openMs.map(r1), edit: editMs.map(r1) },
  };
  console.log(
    `${label}: open->diagnostics ${r1(median(openMs))} ms, edit->diagnostics median ${r1(median(editMs))} ms (p95 ${r1(pct(editMs, 95))}), peak RSS ${peak} MB`,
  );
}

function listFiles(dir: string): string[] {
  const outFiles: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) outFiles.push(p);
    }
  };
  walk(dir);
  return outFiles.sort();
}

async function manyFiles(dir: string, results: Record<string, unknown>): Promise<void> {
  const files = listFiles(dir);
  const cold: number[] = [];
  const edits: number[] = [];
  let peak = 0;
  for (let run = 0; run < 3; run++) {
    const c = new LspClient(path.join(root, 'dist/server.js'));
    try {
      const t0 = performance.now();
      await c.initialize(pathToFileURL(dir).toString());
      await c.waitForStatus(undefined, 600000);
      // every file has been published once
      while ([...c.diagnostics.keys()].length < files.length) await new Promise((r) => setTimeout(r, 5));
      cold.push(performance.now() - t0);
      // edits of a policy file
      const target = files.find((f) => /port: \d+/.test(readFileSync(f, 'utf8')))!;
      const text = readFileSync(target, 'utf8');
      const uri = pathToFileURL(target).toString();
      await c.open(uri, text, 1);
      await c.waitForDiagnostics((p) => p.uri === uri && p.version === 1);
      const t = editTarget(text.split('\n').length > 4 ? text : `${text}\n`);
      for (let i = 0; i < runs * 2; i++) {
        const v = i + 2;
        const t1 = performance.now();
        await c.change(uri, v, [
          {
            range: {
              start: { line: t.line, character: 0 },
              end: { line: t.line, character: (i % 2 === 0 ? t.a : t.b).length },
            },
            text: i % 2 === 0 ? t.b : t.a,
          },
        ]);
        await c.waitForDiagnostics((p) => p.uri === uri && p.version === v);
        edits.push(performance.now() - t1);
      }
      peak = Math.max(peak, hwmMb(c.proc.pid!));
    } finally {
      await c.shutdown();
    }
  }
  results.many = {
    files: files.length,
    coldIndexAllDiagnosticsMs: r1(median(cold)),
    editToDiagnosticsMedianMs: r1(median(edits)),
    editP95Ms: r1(pct(edits, 95)),
    peakRssMb: peak,
    samples: { cold: cold.map(r1), edit: edits.map(r1) },
  };
  console.log(
    `many (${files.length} files): cold index with all diagnostics ${r1(median(cold))} ms, edit->diagnostics median ${r1(median(edits))} ms, peak RSS ${peak} MB`,
  );
}

async function hoverCompletion(file: string, results: Record<string, unknown>): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const uri = pathToFileURL(path.join(os.tmpdir(), 'netpol-bench-hover.yaml')).toString();
  const positions: Array<{ line: number; character: number }> = [];
  for (let i = 0; i < lines.length && positions.length < 400; i += Math.max(1, Math.floor(lines.length / 400))) {
    const col = lines[i].search(/\S/);
    if (col >= 0) positions.push({ line: i, character: col + 1 });
  }
  const { result, peakMb } = await withServer(null, async (c) => {
    await c.open(uri, text, 1);
    await c.waitForDiagnostics((p) => p.uri === uri, 600000);
    const hover: number[] = [];
    const completion: number[] = [];
    for (const position of positions) {
      let t = performance.now();
      await c.request('textDocument/hover', { textDocument: { uri }, position });
      hover.push(performance.now() - t);
      t = performance.now();
      await c.request('textDocument/completion', { textDocument: { uri }, position });
      completion.push(performance.now() - t);
    }
    return { hover, completion };
  });
  results.hover = {
    file: path.relative(root, file),
    requests: positions.length,
    p50Ms: r1(pct(result.hover, 50)),
    p95Ms: r1(pct(result.hover, 95)),
    peakRssMb: peakMb,
  };
  results.completion = {
    requests: positions.length,
    p50Ms: r1(pct(result.completion, 50)),
    p95Ms: r1(pct(result.completion, 95)),
  };
  console.log(
    `hover p50 ${r1(pct(result.hover, 50))} ms p95 ${r1(pct(result.hover, 95))} ms; completion p50 ${r1(pct(result.completion, 50))} ms p95 ${r1(pct(result.completion, 95))} ms (round trip over stdio)`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'dist/server.js'))) {
    console.error('bench-lsp: dist/server.js is missing; run npm run build first');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const big = path.join(out, 'big.yaml');
  const medium = path.join(out, 'medium.yaml');
  const many = path.join(out, 'many');
  ensure('big', big);
  ensure('medium', medium);
  ensure('many', many);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { nproc: os.cpus().length, node: process.version, loadavg: os.loadavg().map(r1) },
  };
  // the floor: the yaml package alone on the big file
  const parse: number[] = [];
  const bigText = readFileSync(big, 'utf8');
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    parseAllDocuments(bigText);
    parse.push(performance.now() - t);
  }
  results.yamlParseBigMs = r1(median(parse));
  console.log(`bare yaml parse of big.yaml: ${r1(median(parse))} ms`);
  if (!skip.has('edit')) {
    await openAndEdit(medium, 'medium', results);
    await openAndEdit(big, 'big', results);
  }
  if (!skip.has('many')) await manyFiles(many, results);
  if (!skip.has('hover')) await hoverCompletion(medium, results);
  results.loadavgEnd = os.loadavg().map(r1);
  writeFileSync(path.join(out, 'bench-lsp.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, path.join(out, 'bench-lsp.json'))}`);
}

main().catch((e) => {
  console.error(`bench-lsp: ${(e as Error).message}`);
  process.exit(1);
});
