#!/usr/bin/env node
// The engine benchmark (issue 2 item 4): `npm run bench [-- --runs N] [-- --profile]`.
//
// Assumes dist/ is built (`npm run build`); builds nothing itself. Generates the `engine` and `big`
// presets of scripts/gen-workspace.mjs under bench-out/ when they are missing or stale, then runs
// each measurement N times (default 3), each in a fresh child process started with
// `node --expose-gc`, round-robin so that load changes spread over all measurements:
//
//   yaml    the floor: `parseAllDocuments` of the `yaml` package on big.yaml (this script, --child-yaml)
//   engine  the engine preset through scripts/bench-engine.ts (tsx, server/src): parse, then the
//           analysis after parsing (buildWorld + computeConnectivity + listing every allowed
//           connection with its port set) and the process's peak RSS (VmHWM)
//   engine-big  the same on big.yaml (a breakdown of what the CLI does on that file)
//   cli     `node dist/cli.js connectivity --format json bench-out/big.yaml -o /dev/null`, wall time
//
// Prints a table of medians against the targets and writes bench-out/bench.json. With --profile it
// also records CPU profiles (node --cpu-prof) of one CLI run and one engine run under
// bench-out/profiles/ and prints the functions with the most self time.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------------------ child: the floor

function vmHwmMb() {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
}

async function childYaml(file) {
  const { parseAllDocuments } = await import('yaml');
  const t0 = performance.now();
  const text = fs.readFileSync(file, 'utf8');
  const t1 = performance.now();
  const docs = parseAllDocuments(text);
  const t2 = performance.now();
  const documents = Array.isArray(docs) ? docs.length : 0;
  const errors = Array.isArray(docs) ? docs.reduce((n, d) => n + d.errors.length, 0) : 1;
  process.stdout.write(
    `${JSON.stringify({ documents, errors, readMs: Math.round((t1 - t0) * 10) / 10, parseMs: Math.round((t2 - t1) * 10) / 10, peakRssMb: vmHwmMb() })}\n`,
  );
}

// ------------------------------------------------------------------------------ parent

const TARGETS = { analysisMs: 2000, peakRssMb: 500, cliRatio: 1.5 };

function usage() {
  return `usage: node scripts/bench.mjs [--runs N] [--only yaml,engine,engine-big,cli] [--regen] [--profile] [--wait-idle S] [--out FILE]
  --runs N     repetitions of each measurement (default 3); medians are reported
  --only LIST  run only these measurements
  --regen      regenerate the inputs even if they are up to date
  --profile    also record CPU profiles of one CLI run and one engine run and summarise them
  --wait-idle S  before each run, wait up to S seconds until other processes use < 0.3 cores
  --out FILE   where to write the results (default bench-out/bench.json)
`;
}

function parseArgs(argv) {
  const o = {
    runs: 3,
    only: null,
    regen: false,
    profile: false,
    waitIdle: 0,
    out: path.join(ROOT, 'bench-out', 'bench.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') {
      o.runs = Number(argv[++i]);
      if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs needs a positive integer');
    } else if (a === '--only') {
      o.only = new Set(
        String(argv[++i] ?? '')
          .split(',')
          .filter(Boolean),
      );
      const bad = [...o.only].filter((k) => !['yaml', 'engine', 'engine-big', 'cli'].includes(k));
      if (bad.length || !o.only.size)
        throw new Error(
          `--only takes a list of yaml, engine, engine-big, cli${bad.length ? ` (not ${bad.join(', ')})` : ''}`,
        );
    } else if (a === '--regen') o.regen = true;
    else if (a === '--profile') o.profile = true;
    else if (a === '--wait-idle') {
      o.waitIdle = Number(argv[++i]);
      if (!Number.isFinite(o.waitIdle) || o.waitIdle < 0) throw new Error('--wait-idle needs a number of seconds');
    } else if (a === '--out') o.out = path.resolve(argv[++i] ?? '');
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

const GNU_TIME = ['/usr/bin/time'].find((p) => {
  try {
    return spawnSync(p, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
});

/** Busy and total CPU time of the whole machine so far (ms), from /proc/stat. */
function machineCpu() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const hz = 100; // USER_HZ
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busyMs: ((total - idle) * 1000) / hz, totalMs: (total * 1000) / hz };
  } catch {
    return null;
  }
}

/** CPU use of other processes (in cores) over `ms` milliseconds. */
function othersLoad(ms) {
  const a = machineCpu();
  const t0 = performance.now();
  while (performance.now() - t0 < ms) spawnSync('sleep', ['0.1']);
  const b = machineCpu();
  if (!a || !b) return 0;
  return (b.busyMs - a.busyMs) / (performance.now() - t0);
}

/** Waits (at most `maxS` seconds) until other processes use less than `cores` CPU cores. */
function waitIdle(maxS, cores = 0.3) {
  if (!maxS) return null;
  const t0 = performance.now();
  let load = othersLoad(1000);
  while (load > cores && performance.now() - t0 < maxS * 1000) load = othersLoad(1000);
  return Math.round(load * 100) / 100;
}

/**
 * Runs a command; returns wall ms, stdout, and (with GNU time) the peak RSS (MB) and the CPU time
 * (user + sys, ms) of the child, and how many cores other processes used meanwhile (`contention`).
 */
function run(cmd, args, { env } = {}) {
  const rssFile = path.join(os.tmpdir(), `netpol-bench-${process.pid}.rss`);
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const c0 = machineCpu();
  const t0 = performance.now();
  const r = spawnSync(file, argv, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  const wallMs = performance.now() - t0;
  const c1 = machineCpu();
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${(r.stderr ?? '').split('\n').slice(-15).join('\n')}`,
    );
  let peakRssMb = null;
  let cpuMs = null;
  if (GNU_TIME) {
    try {
      const [kb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      if (Number.isFinite(kb)) peakRssMb = Math.round(kb / 102.4) / 10;
      if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = Math.round((user + sys) * 1000);
      fs.rmSync(rssFile, { force: true });
    } catch {
      /* no figure */
    }
  }
  const contention =
    c0 && c1 && cpuMs !== null ? Math.max(0, Math.round(((c1.busyMs - c0.busyMs - cpuMs) / wallMs) * 100) / 100) : null;
  return { wallMs: Math.round(wallMs * 10) / 10, stdout: r.stdout, stderr: r.stderr, peakRssMb, cpuMs, contention };
}

function lastJsonLine(s) {
  const line = s.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`unexpected output: ${line.slice(0, 200)}`);
  }
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  cpu = cpu.replace(/\s+/g, ' ').trim();
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpu,
    memTotalMb: Math.round(os.totalmem() / 1048576),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function sizeOf(target) {
  const st = fs.statSync(target);
  if (!st.isDirectory()) return { files: 1, bytes: st.size };
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(e.name)) {
        files++;
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(target);
  return { files, bytes };
}

function newestMtime(dir) {
  let newest = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

// ---- CPU profile summary

/** Self time per function (ms) from a .cpuprofile, the top `n`, plus totals per file. */
export function summariseProfile(file, n = 15) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
  const self = new Map();
  const { samples, timeDeltas } = prof;
  for (let i = 0; i < samples.length; i++)
    self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  const byFn = new Map();
  const byFile = new Map();
  let total = 0;
  // bundles (dist/*.js) are mapped back to their sources through their .map files
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      let sm = null;
      try {
        if (file.startsWith(path.join(ROOT, 'dist') + path.sep) && fs.existsSync(`${file}.map`))
          sm = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
      } catch {
        sm = null;
      }
      maps.set(file, sm);
    }
    return maps.get(file);
  };
  for (const [id, ms] of self) {
    const cf = byId.get(id).callFrame;
    const abs = cf.url ? cf.url.replace(/^file:\/\//, '') : '';
    let url = abs ? path.relative(ROOT, abs) : '';
    let line = cf.lineNumber + 1;
    const sm = abs ? mapOf(abs) : null;
    if (sm) {
      const e = sm.findEntry(cf.lineNumber, cf.columnNumber);
      if (e && e.originalSource) {
        url = path.relative(ROOT, path.resolve(path.dirname(abs), e.originalSource.replace(/^file:\/\//, '')));
        line = e.originalLine + 1;
      }
    }
    const key = `${cf.functionName || '(anonymous)'} ${url ? `${url}:${line}` : ''}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
    const fk = url ? url.replace(/^node_modules\/([^/]+)\/.*/, 'node_modules/$1') : cf.functionName || '(native)';
    byFile.set(fk, (byFile.get(fk) ?? 0) + ms);
    total += ms;
  }
  const top = [...byFn]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms), pct: Math.round((1000 * ms) / total) / 10 }));
  const files = [...byFile]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([f, ms]) => ({ file: f, ms: Math.round(ms), pct: Math.round((1000 * ms) / total) / 10 }));
  return { totalMs: Math.round(total), top, files };
}

function profile(label, cmdArgs, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const name = `${label}.cpuprofile`;
  fs.rmSync(path.join(dir, name), { force: true });
  run(process.execPath, ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name, ...cmdArgs]);
  const s = summariseProfile(path.join(dir, name));
  console.log(
    `\nCPU profile: ${label} (${(s.totalMs / 1000).toFixed(2)} s sampled; ${path.relative(ROOT, path.join(dir, name))})`,
  );
  console.log('  self time by function:');
  for (const t of s.top) console.log(`    ${String(t.ms).padStart(6)} ms ${String(t.pct).padStart(5)}%  ${t.fn}`);
  console.log('  self time by file:');
  for (const f of s.files) console.log(`    ${String(f.ms).padStart(6)} ms ${String(f.pct).padStart(5)}%  ${f.file}`);
  return s;
}

// ---- main

async function main(argv) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n${usage()}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(usage());
    return 0;
  }
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) {
    process.stderr.write(
      'bench: dist/cli.js is missing: build first with `npm run build` (the benchmark builds nothing itself).\n',
    );
    return 1;
  }
  if (
    !fs.existsSync(path.join(ROOT, 'node_modules', 'tsx')) ||
    !fs.existsSync(path.join(ROOT, 'node_modules', 'yaml'))
  ) {
    process.stderr.write('bench: node_modules is incomplete (tsx and yaml are needed): run `npm ci` first.\n');
    return 1;
  }
  if (newestMtime(path.join(ROOT, 'server', 'src')) > fs.statSync(cli).mtimeMs) {
    process.stderr.write(
      'bench: warning: server/src has changes newer than dist/cli.js; run `npm run build` for current CLI figures.\n',
    );
  }
  const want = (k) => !o.only || o.only.has(k);

  // inputs
  const gen = await import('./gen-workspace.mjs');
  const inputs = {};
  for (const preset of ['engine', 'big']) {
    const params = gen.presetParams(preset);
    const target = params.single ?? params.dir;
    if (o.regen || !gen.isFresh(params)) {
      process.stderr.write(`bench: generating the ${preset} preset into ${path.relative(ROOT, target)} ...\n`);
      const t0 = performance.now();
      const r = gen.writeWorkspace(params);
      process.stderr.write(
        `bench:   ${r.documents} documents, ${r.files} file(s), ${(r.bytes / 1e6).toFixed(2)} MB in ${Math.round(performance.now() - t0)} ms\n`,
      );
    }
    const { files, bytes } = sizeOf(target);
    inputs[preset] = { path: path.relative(ROOT, target), files, bytes, signature: JSON.parse(gen.signature(params)) };
  }
  const big = inputs.big.path;
  const engineDir = inputs.engine.path;

  const m = machine();
  const loadStart = os.loadavg();
  console.log(
    `netpol-lens benchmark: ${o.runs} run(s) each, medians; ${m.nproc} cores (${m.cpu}), ${(m.memTotalMb / 1024).toFixed(1)} GiB, node ${m.node}`,
  );
  console.log(
    `inputs: engine = ${engineDir}/ (${inputs.engine.files} files, ${(inputs.engine.bytes / 1e6).toFixed(2)} MB); big = ${big} (${(inputs.big.bytes / 1e6).toFixed(2)} MB)`,
  );
  console.log(
    `load average at start: ${loadStart.map((x) => x.toFixed(2)).join(' ')}${GNU_TIME ? '' : ' (no /usr/bin/time: no peak RSS for the CLI)'}`,
  );

  const runs = { yaml: [], engine: [], engineBig: [], cli: [] };
  const tsx = ['--expose-gc', '--import', 'tsx', 'scripts/bench-engine.ts'];
  for (let i = 0; i < o.runs; i++) {
    const note = (r, idle) =>
      `(cpu ${r.cpuMs === null ? '-' : `${(r.cpuMs / 1000).toFixed(2)} s`}, others ${r.contention ?? '-'} cores${idle === null ? '' : `, ${idle} before`})`;
    if (want('yaml')) {
      const idle = waitIdle(o.waitIdle);
      const r = run(process.execPath, ['--expose-gc', SELF, '--child-yaml', big]);
      const j = lastJsonLine(r.stdout);
      runs.yaml.push({
        wallMs: r.wallMs,
        cpuMs: r.cpuMs,
        contention: r.contention,
        ...j,
        peakRssMb: r.peakRssMb ?? j.peakRssMb,
      });
      process.stderr.write(`bench: run ${i + 1}: yaml floor ${(r.wallMs / 1000).toFixed(2)} s ${note(r, idle)}\n`);
    }
    if (want('engine')) {
      const idle = waitIdle(o.waitIdle);
      const r = run(process.execPath, [...tsx, engineDir]);
      const j = lastJsonLine(r.stdout);
      runs.engine.push({ wallMs: r.wallMs, cpuMs: r.cpuMs, contention: r.contention, ...j });
      process.stderr.write(
        `bench: run ${i + 1}: engine analysis ${(j.analysisMs / 1000).toFixed(2)} s, peak RSS ${j.peakRssMb} MB ${note(r, idle)}\n`,
      );
    }
    if (want('engine-big')) {
      const idle = waitIdle(o.waitIdle);
      const r = run(process.execPath, [...tsx, big]);
      const j = lastJsonLine(r.stdout);
      runs.engineBig.push({ wallMs: r.wallMs, cpuMs: r.cpuMs, contention: r.contention, ...j });
      process.stderr.write(
        `bench: run ${i + 1}: engine on big.yaml: parse ${(j.parseMs / 1000).toFixed(2)} s, analysis ${(j.analysisMs / 1000).toFixed(2)} s ${note(r, idle)}\n`,
      );
    }
    if (want('cli')) {
      const idle = waitIdle(o.waitIdle);
      const r = run(process.execPath, [
        '--expose-gc',
        'dist/cli.js',
        'connectivity',
        '--format',
        'json',
        big,
        '-o',
        '/dev/null',
      ]);
      runs.cli.push({ wallMs: r.wallMs, cpuMs: r.cpuMs, contention: r.contention, peakRssMb: r.peakRssMb });
      process.stderr.write(`bench: run ${i + 1}: CLI ${(r.wallMs / 1000).toFixed(2)} s ${note(r, idle)}\n`);
    }
  }

  const med = (list, key) => median(list.map((x) => x[key]));
  const medians = {
    yaml: runs.yaml.length
      ? {
          ...Object.fromEntries(
            ['wallMs', 'cpuMs', 'contention', 'parseMs', 'readMs', 'peakRssMb'].map((k) => [k, med(runs.yaml, k)]),
          ),
          documents: runs.yaml[0].documents,
        }
      : null,
    engine: runs.engine.length
      ? Object.fromEntries(
          [
            'parseMs',
            'worldMs',
            'connectivityMs',
            'listMs',
            'analysisMs',
            'peakRssMb',
            'baselinePeakRssMb',
            'retainedHeapMb',
            'wallMs',
            'cpuMs',
            'contention',
          ].map((k) => [k, med(runs.engine, k)]),
        )
      : null,
    engineBig: runs.engineBig.length
      ? Object.fromEntries(
          [
            'parseMs',
            'worldMs',
            'connectivityMs',
            'listMs',
            'analysisMs',
            'peakRssMb',
            'wallMs',
            'cpuMs',
            'contention',
          ].map((k) => [k, med(runs.engineBig, k)]),
        )
      : null,
    cli: runs.cli.length
      ? Object.fromEntries(['wallMs', 'cpuMs', 'contention', 'peakRssMb'].map((k) => [k, med(runs.cli, k)]))
      : null,
  };
  const counts = (list) =>
    list.length
      ? Object.fromEntries(
          [
            'files',
            'documents',
            'workloads',
            'policies',
            'activePolicies',
            'classes',
            'classPairs',
            'entries',
            'workloadPairs',
            'ipEntries',
            'allPortsEntries',
            'portRanges',
          ].map((k) => [k, list[0][k]]),
        )
      : null;
  const shape = { engine: counts(runs.engine), big: counts(runs.engineBig) };
  const ratio = medians.cli && medians.yaml ? medians.cli.wallMs / medians.yaml.wallMs : null;
  const ratioParse = medians.cli && medians.yaml ? medians.cli.wallMs / medians.yaml.parseMs : null;
  const ratioCpu = medians.cli?.cpuMs && medians.yaml?.cpuMs ? medians.cli.cpuMs / medians.yaml.cpuMs : null;
  const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'PASS' : 'MISSED');
  const pass = {
    analysis: medians.engine ? medians.engine.analysisMs <= TARGETS.analysisMs : null,
    peakRss: medians.engine ? medians.engine.peakRssMb <= TARGETS.peakRssMb : null,
    cliRatio: ratio === null ? null : ratio <= TARGETS.cliRatio,
  };

  // table
  const s = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
  const mb = (x) => (x === null || x === undefined ? '-' : `${Math.round(x)} MB`);
  const rows = [];
  const row = (what, value, target = '', result = '') => rows.push([what, value, target, result]);
  if (medians.yaml) {
    row(`(1) yaml parseAllDocuments, ${path.basename(big)} (${medians.yaml.documents} docs)`, s(medians.yaml.parseMs));
    row('    process wall (node start + read + parse)', s(medians.yaml.wallMs));
    if (medians.yaml.cpuMs !== null) row('    process CPU time (user + sys)', s(medians.yaml.cpuMs));
    row('    peak RSS', mb(medians.yaml.peakRssMb));
  }
  if (medians.engine) {
    const e = medians.engine;
    row(`(2) engine preset: parse (${shape.engine.documents} docs, ${shape.engine.files} files)`, s(e.parseMs));
    row('    analysis after parsing', s(e.analysisMs), `<= ${TARGETS.analysisMs / 1000} s`, verdict(pass.analysis));
    row('      buildWorld', s(e.worldMs));
    row('      computeConnectivity', s(e.connectivityMs));
    row(`      list ${shape.engine.entries} connections (${shape.engine.workloadPairs} pairs)`, s(e.listMs));
    row('    peak RSS, whole process (VmHWM)', mb(e.peakRssMb), `<= ${TARGETS.peakRssMb} MB`, verdict(pass.peakRss));
    row('      of which node + tsx + modules at start', mb(e.baselinePeakRssMb));
    row('      heap retained at the end (after GC)', mb(e.retainedHeapMb));
  }
  if (medians.engineBig) {
    const e = medians.engineBig;
    row(`    same engine on ${path.basename(big)}: parse / analysis`, `${s(e.parseMs)} / ${s(e.analysisMs)}`);
  }
  if (medians.cli) {
    row(`(3) CLI connectivity --format json ${path.basename(big)}, wall`, s(medians.cli.wallMs));
    if (medians.cli.cpuMs !== null) row('    CPU time (user + sys)', s(medians.cli.cpuMs));
    row('    peak RSS', mb(medians.cli.peakRssMb));
    if (ratio !== null) {
      row(
        '    CLI wall / yaml process wall',
        `${ratio.toFixed(2)}x`,
        `<= ${TARGETS.cliRatio}x`,
        verdict(pass.cliRatio),
      );
      row('    CLI wall / yaml parse time alone', `${ratioParse.toFixed(2)}x`);
      if (ratioCpu !== null) row('    CLI CPU time / yaml process CPU time', `${ratioCpu.toFixed(2)}x`);
    }
  }
  const w = [0, 1, 2, 3].map((k) =>
    Math.max(...rows.map((r) => r[k].length), ['measurement', 'median', 'target', 'result'][k].length),
  );
  console.log('');
  console.log(['measurement', 'median', 'target', 'result'].map((h, k) => h.padEnd(w[k])).join('  '));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows)
    console.log(
      r
        .map((c, k) => (k === 1 ? c.padStart(w[k]) : c.padEnd(w[k])))
        .join('  ')
        .trimEnd(),
    );
  const worst = Math.max(
    0,
    ...Object.values(runs)
      .flat()
      .map((r) => r.contention ?? 0),
  );
  if (worst > 0.3)
    console.log(
      `\nnote: other processes used up to ${worst} cores during the runs (see \`contention\` in the JSON); wall times are inflated, CPU times less so.`,
    );

  let profiles;
  if (o.profile) {
    const dir = path.join(ROOT, 'bench-out', 'profiles');
    profiles = {
      cli: profile('cli-big', ['dist/cli.js', 'connectivity', '--format', 'json', big, '-o', '/dev/null'], dir),
      engine: profile('engine', ['--import', 'tsx', 'scripts/bench-engine.ts', engineDir], dir),
    };
  }

  const result = {
    date: new Date().toISOString(),
    command: `node scripts/bench.mjs ${argv.join(' ')}`.trim(),
    machine: { ...m, loadavgStart: loadStart, loadavgEnd: os.loadavg() },
    inputs,
    shape,
    targets: TARGETS,
    medians,
    ratios: { cliWallOverYamlWall: ratio, cliWallOverYamlParse: ratioParse, cliCpuOverYamlCpu: ratioCpu },
    pass,
    runs,
    ...(profiles ? { profiles } : {}),
  };
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), o.out) || o.out}`);
  return 0;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === SELF;
if (!isMain) {
  // imported (summariseProfile): run nothing
} else if (process.argv[2] === '--child-yaml') {
  childYaml(process.argv[3]).catch((e) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exitCode = 1;
  });
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exitCode = 1;
    },
  );
}
