// Language-server benchmark: drives the BUILT server (dist/server.js) over stdio as an editor
// does, on generated workspaces (scripts/gen-workspace.mjs presets medium, big, many, large, copies).
//
//   npm run bench:lsp [-- --runs N] [--skip edit,many,hover,large,copies]
//
// Measures (medians over N runs): open -> first diagnostics of the 9.6 MB file (against a bare
// `yaml` parse of the same file, measured here too); a one-line edit -> fresh diagnostics on the
// 1.6 MB and 9.6 MB files (debounce included); the cold index of 2,000 files until every file
// has diagnostics; an edit -> diagnostics in that workspace; hover and completion latency (p50,
// p95); the server's peak RSS per scenario (VmHWM). On the 26 MB workspace of 8,000 files
// (`large`) and the same 1,500 documents in 4 environment folders (`copies`): the cold index
// against the `yaml` package parsing the same files (in a child process), opening every file one
// by one, edits with every file open, hover, the server's CPU time next to each wall time, and its
// work counters (worlds built, documents checked). Writes bench-out/bench-lsp.json.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { type WorkCounters, WorkCountersRequest } from '../server/src/handlers/workCounters';
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

/** CPU time (user + system) of a process so far, in ms. */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  return (ticks * 1000) / CLK_TCK;
}

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

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

/**
 * The floor of a cold index: the `yaml` package's `parseAllDocuments` over the texts of the same
 * files (read before timing), in a fresh process like the server; wall and CPU time.
 */
function yamlFloor(files: readonly string[]): { wallMs: number; cpuMs: number } {
  const code = `
    import { readFileSync } from 'node:fs';
    import { parseAllDocuments } from 'yaml';
    const texts = JSON.parse(readFileSync(0, 'utf8')).map((f) => readFileSync(f, 'utf8'));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of texts) parseAllDocuments(t);
    const c = process.cpuUsage(c0);
    process.stdout.write(JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    input: JSON.stringify(files),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`yaml floor failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { wallMs: number; cpuMs: number };
}

/** Waits until the server has published diagnostics for every file (its start-up sweep). */
async function allPublished(c: LspClient, files: readonly string[]): Promise<void> {
  const uris = files.map((f) => pathToFileURL(f).toString());
  for (;;) {
    if (uris.every((u) => c.diagnostics.has(u))) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A policy file in the middle of the workspace, and the line of a numeric port in it to toggle. */
function policyEdit(files: readonly string[]): { file: string; text: string; edit: ReturnType<typeof editTarget> } {
  for (let i = Math.floor(files.length / 2); i < files.length; i++) {
    const text = readFileSync(files[i], 'utf8');
    if (!/^kind: NetworkPolicy/m.test(text)) continue;
    try {
      // editTarget looks in the second half of a file: put the policy there
      return { file: files[i], text, edit: editTarget(text) };
    } catch {
      continue;
    }
  }
  throw new Error('no policy with a numeric port to edit');
}

interface LargeRun {
  coldMs: number;
  coldCpuMs: number;
  openAllMs: number;
  openAllCpuMs: number;
  edits: number[];
  editCpuMs: number[];
  hover: number[];
  peakMb: number;
  rssAfterOpenMb: number;
  counters: { afterCold: WorkCounters; afterOpen: WorkCounters; afterEdits: WorkCounters };
}

/** One server on a large workspace: cold index, open every file, edit with all open, hover. */
async function largeRun(dir: string, files: readonly string[]): Promise<LargeRun> {
  const c = new LspClient(path.join(root, 'dist/server.js'));
  try {
    const pid = c.proc.pid!;
    const t0 = performance.now();
    await c.initialize(pathToFileURL(dir).toString());
    await c.waitForStatus(undefined, 1200000);
    await allPublished(c, files);
    const coldMs = performance.now() - t0;
    const coldCpuMs = cpuMs(pid);
    const afterCold = await c.conn.sendRequest(WorkCountersRequest);
    // an editor opening every file one after another, each until its diagnostics for version 1
    const t1 = performance.now();
    for (const f of files) {
      const uri = pathToFileURL(f).toString();
      await c.open(uri, readFileSync(f, 'utf8'), 1);
      await c.waitForDiagnostics((p) => p.uri === uri && p.version === 1, 600000);
    }
    const openAllMs = performance.now() - t1;
    const openAllCpuMs = cpuMs(pid) - coldCpuMs;
    const afterOpen = await c.conn.sendRequest(WorkCountersRequest);
    const rssAfterOpenMb = Math.round(
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024,
    );
    // edits of a policy's port with every file open, each until the edited file's diagnostics
    const target = policyEdit(files);
    const uri = pathToFileURL(target.file).toString();
    const edits: number[] = [];
    const editCpuMs: number[] = [];
    for (let i = 0; i < runs * 2; i++) {
      const v = i + 2;
      const c0 = cpuMs(pid);
      const te = performance.now();
      await c.change(uri, v, [
        {
          range: {
            start: { line: target.edit.line, character: 0 },
            end: { line: target.edit.line, character: (i % 2 === 0 ? target.edit.a : target.edit.b).length },
          },
          text: i % 2 === 0 ? target.edit.b : target.edit.a,
        },
      ]);
      await c.waitForDiagnostics((p) => p.uri === uri && p.version === v, 120000);
      edits.push(performance.now() - te);
      // the sweep over the other files runs on: let it finish before the next edit (its CPU is counted)
      await settled(c);
      editCpuMs.push(cpuMs(pid) - c0);
    }
    const afterEdits = await c.conn.sendRequest(WorkCountersRequest);
    const hover = await hoverAround(c, files);
    return {
      coldMs,
      coldCpuMs,
      openAllMs,
      openAllCpuMs,
      edits,
      editCpuMs,
      hover,
      peakMb: hwmMb(pid),
      rssAfterOpenMb,
      counters: { afterCold, afterOpen, afterEdits },
    };
  } finally {
    await c.shutdown();
  }
}

/** Waits until the server's work counters stand still for 300 ms (the sweep after an edit is over). */
async function settled(c: LspClient): Promise<void> {
  let last = '';
  for (;;) {
    const w = await c.conn.sendRequest(WorkCountersRequest);
    const now = `${w.documentsChecked} ${w.documentsCached} ${w.diagnosticsPublished} ${w.sweeps}`;
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Hover round trips at 400 positions spread over the policies of 40 open files. */
async function hoverAround(c: LspClient, files: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  const step = Math.max(1, Math.floor(files.length / 40));
  for (let i = 0; i < files.length && times.length < 400; i += step) {
    const uri = pathToFileURL(files[i]).toString();
    const lines = readFileSync(files[i], 'utf8').split('\n');
    const every = Math.max(1, Math.floor(lines.length / 10));
    for (let l = 0; l < lines.length && times.length < 400; l += every) {
      const col = lines[l].search(/\S/);
      if (col < 0) continue;
      const t = performance.now();
      await c.request('textDocument/hover', { textDocument: { uri }, position: { line: l, character: col + 1 } });
      times.push(performance.now() - t);
    }
  }
  return times;
}

/**
 * The 26 MB / 8,000-file workspace (`large`) or the duplicate-heavy one (`copies`): a few servers,
 * each from a cold start to edits with every file open (see largeRun), and the `yaml` floor before
 * each. For `copies`, also the cold index of one environment folder alone (the cost of copies).
 */
async function largeWorkspace(label: string, dir: string, results: Record<string, unknown>): Promise<void> {
  const files = listFiles(dir);
  const n = Math.max(1, Math.ceil(runs / 3));
  const floors: Array<{ wallMs: number; cpuMs: number }> = [];
  const rs: LargeRun[] = [];
  const loads: number[][] = [];
  for (let i = 0; i < n; i++) {
    loads.push(os.loadavg().map(r1));
    floors.push(yamlFloor(files));
    rs.push(await largeRun(dir, files));
  }
  const med = (f: (r: LargeRun) => number): number => r1(median(rs.map(f)));
  const floorWall = median(floors.map((f) => f.wallMs));
  const floorCpu = median(floors.map((f) => f.cpuMs));
  const edits = rs.flatMap((r) => r.edits);
  const hover = rs.flatMap((r) => r.hover);
  const entry: Record<string, unknown> = {
    files: files.length,
    bytes: files.reduce((b, f) => b + statSync(f).size, 0),
    runs: n,
    loadavgAtStart: loads,
    yamlParseMs: r1(floorWall),
    yamlParseCpuMs: r1(floorCpu),
    coldIndexAllDiagnosticsMs: med((r) => r.coldMs),
    coldIndexCpuMs: med((r) => r.coldCpuMs),
    coldOverYamlWall: Math.round((median(rs.map((r) => r.coldMs)) / floorWall) * 100) / 100,
    coldOverYamlCpu: Math.round((median(rs.map((r) => r.coldCpuMs)) / floorCpu) * 100) / 100,
    openAllMs: med((r) => r.openAllMs),
    openAllCpuMs: med((r) => r.openAllCpuMs),
    editToDiagnosticsMedianMs: r1(median(edits)),
    editP95Ms: r1(pct(edits, 95)),
    editCpuMedianMs: r1(median(rs.flatMap((r) => r.editCpuMs))),
    hoverP50Ms: r1(pct(hover, 50)),
    hoverP95Ms: r1(pct(hover, 95)),
    rssAfterOpenMb: Math.max(...rs.map((r) => r.rssAfterOpenMb)),
    peakRssMb: Math.max(...rs.map((r) => r.peakMb)),
    counters: rs[0].counters,
    samples: {
      cold: rs.map((r) => r1(r.coldMs)),
      coldCpu: rs.map((r) => r1(r.coldCpuMs)),
      yaml: floors.map((f) => r1(f.wallMs)),
      yamlCpu: floors.map((f) => r1(f.cpuMs)),
      openAll: rs.map((r) => r1(r.openAllMs)),
      edit: edits.map(r1),
    },
  };
  if (label === 'copies') entry.oneCopy = await oneCopy(path.join(dir, 'dev'), n);
  results[label] = entry;
  console.log(
    `${label} (${files.length} files): cold index ${entry.coldIndexAllDiagnosticsMs} ms (CPU ${entry.coldIndexCpuMs} ms) = ${entry.coldOverYamlWall}x the yaml parse (${entry.yamlParseMs} ms; CPU ${entry.coldOverYamlCpu}x); ` +
      `open all ${entry.openAllMs} ms (CPU ${entry.openAllCpuMs} ms); edit->diagnostics median ${entry.editToDiagnosticsMedianMs} ms (p95 ${entry.editP95Ms}); ` +
      `hover p95 ${entry.hoverP95Ms} ms; peak RSS ${entry.peakRssMb} MB`,
  );
}

/** Cold index of one environment folder alone, for the cost of its copies. */
async function oneCopy(dir: string, n: number): Promise<Record<string, unknown>> {
  const files = listFiles(dir);
  const cold: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = new LspClient(path.join(root, 'dist/server.js'));
    try {
      const t0 = performance.now();
      await c.initialize(pathToFileURL(dir).toString());
      await c.waitForStatus(undefined, 600000);
      await allPublished(c, files);
      cold.push(performance.now() - t0);
      cpu.push(cpuMs(c.proc.pid!));
    } finally {
      await c.shutdown();
    }
  }
  return { files: files.length, coldIndexAllDiagnosticsMs: r1(median(cold)), coldIndexCpuMs: r1(median(cpu)) };
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
  if (!skip.has('large')) {
    ensure('large', path.join(out, 'large'));
    await largeWorkspace('large', path.join(out, 'large'), results);
  }
  if (!skip.has('copies')) {
    ensure('copies', path.join(out, 'copies'));
    await largeWorkspace('copies', path.join(out, 'copies'), results);
  }
  results.loadavgEnd = os.loadavg().map(r1);
  writeFileSync(path.join(out, 'bench-lsp.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, path.join(out, 'bench-lsp.json'))}`);
}

main().catch((e) => {
  console.error(`bench-lsp: ${(e as Error).message}`);
  process.exit(1);
});
