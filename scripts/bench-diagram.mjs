#!/usr/bin/env node
// Diagram benchmark (issue 5, item 6): a namespace of 200 workloads and 300 arrows.
//
//   npm run bench:diagram [-- --runs N]
//
// (1) the Mermaid generator (`buildDiagram`, pure) on the tiered and ring namespaces of
// test/webview/worlds.ts, best and median of N runs after a warm-up; (2) the panel's render in
// headless Chromium (the webview test's large case, run with N dagre renders; needs
// `bash test/e2e/setup.sh` for chromium), wall time and the renderer processes' CPU time.
// Prints a summary against the 2 s target and writes bench-out/bench-diagram.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Math.max(2, Number(args[args.indexOf('--runs') + 1]) || 7);
const TARGET_MS = 2000;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const out = { date: new Date().toISOString(), runs, loadAverage: os.loadavg()[0], targetMs: TARGET_MS };

// (1) generator (scripts/bench-diagram-gen.ts through tsx)
const gen = spawnSync(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'scripts/bench-diagram-gen.ts'), String(runs)],
  { cwd: root, encoding: 'utf8' },
);
if (gen.status !== 0) {
  process.stderr.write(gen.stderr);
  process.exit(1);
}
out.generatorMs = JSON.parse(gen.stdout.trim().split('\n').pop());
for (const [name, ms] of Object.entries(out.generatorMs)) {
  console.log(
    `generator ${name}: best ${Math.min(...ms).toFixed(1)} ms, median ${median(ms).toFixed(1)} ms (${runs} runs)`,
  );
}

// (2) render in Chromium
if (!existsSync(process.env.NETPOL_E2E_CHROMIUM ?? '/usr/bin/chromium')) {
  console.log('render: skipped (no chromium; run bash test/e2e/setup.sh)');
} else {
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/mocha/bin/mocha.js'),
      '--spec',
      'test/webview/panel.test.ts',
      '--grep',
      '200 workloads',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NETPOL_BENCH_RENDER_RUNS: String(runs) },
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  const t = JSON.parse(readFileSync(path.join(root, 'test/webview/artifacts/timings.json'), 'utf8'));
  out.render = t.large;
  for (const [name, v] of Object.entries(t.large ?? {})) {
    const dagre = Object.entries(v.layouts)
      .filter(([k, x]) => (k === 'dagre' || k.startsWith('dagre #')) && x.state === 'rendered')
      .map(([, x]) => x);
    const later = dagre.slice(1);
    const wall = later.map((x) => x.ms);
    const cpu = later.map((x) => x.cpuMs).filter((x) => x !== undefined);
    console.log(
      `render ${name} (dagre, ${later.length} runs after the first): wall best ${Math.min(...wall)} ms, median ${median(wall)} ms; renderer CPU best ${Math.min(...cpu)} ms, median ${median(cpu)} ms; target ${TARGET_MS} ms: ${median(wall) <= TARGET_MS ? 'met (median)' : Math.min(...wall) <= TARGET_MS ? 'met (best only)' : 'MISSED'}`,
    );
  }
}
mkdirSync(path.join(root, 'bench-out'), { recursive: true });
writeFileSync(path.join(root, 'bench-out', 'bench-diagram.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench-out/bench-diagram.json');
