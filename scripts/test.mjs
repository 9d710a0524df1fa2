#!/usr/bin/env node
// `npm test`: everything CI checks, in order, with one closing line "N passed, M failed".
//
//   node scripts/test.mjs [--only STAGE[,STAGE]] [--skip STAGE[,STAGE]]
//   stages: build, types, lint (ESLint and Prettier's check), grammar, unit (mocha: unit, conformance, protocol tests),
//           webview (panel in headless Chromium), ext (mocha in the VS Code extension host),
//           e2e (UI in code-server with Playwright)
//
// The browser and editor stages need Debian's chromium and code-server 4.99.4
// (`bash test/e2e/setup.sh` installs them). Without them, they are skipped locally with a note;
// under CI (CI=true) or with NETPOL_REQUIRE_E2E=1 a missing dependency fails the run.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const listArg = (flag) => {
  const i = args.indexOf(flag);
  return i === -1 ? null : (args[i + 1] ?? '').split(',').filter(Boolean);
};
const only = listArg('--only');
const skip = listArg('--skip') ?? [];
const strict = process.env.CI === 'true' || process.env.NETPOL_REQUIRE_E2E === '1';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
const summary = [];

function want(stage) {
  return (!only || only.includes(stage)) && !skip.includes(stage);
}

/** Runs a command, streaming output; parses "N passed, M failed[, K skipped]" if present. */
function run(stage, cmd, argv, opts = {}) {
  const t0 = Date.now();
  process.stdout.write(`\n=== ${stage}: ${[cmd, ...argv].join(' ')}\n`);
  const r = spawnSync(cmd, argv, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, FORCE_COLOR: '0' },
    ...opts,
  });
  process.stdout.write(r.stdout ?? '');
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const m = [...(r.stdout ?? '').matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/gm)].pop();
  if (m) {
    totals.passed += Number(m[1]);
    totals.failed += Number(m[2]);
    totals.skipped += Number(m[3] ?? 0);
  }
  const ok = r.status === 0;
  if (!ok) {
    failedStages.push(stage);
    if (!m) totals.failed += 1;
  } else if (!m) totals.passed += 1;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${stage} (${secs} s)${m ? `: ${m[1]} passed, ${m[2]} failed` : ''}`);
  for (const l of (r.stdout ?? '').split('\n').filter((x) => /\bFLAKY\b/.test(x)))
    summary.push(`       ${l.trim().slice(0, 300)}`);
  if (!ok) {
    // what failed, repeated in the summary: CI keeps only the tail of the output
    const lines = (r.stdout ?? '')
      .split('\n')
      .filter((l) => /✘|\bFAILED\b|^\s+\d+\) \S|AssertionError|^\s*Error:/.test(l));
    for (const l of lines.slice(0, 8)) summary.push(`       ${l.trim().slice(0, 300)}`);
  }
  return ok;
}

function skipStage(stage, why) {
  if (strict) {
    failedStages.push(stage);
    totals.failed += 1;
    summary.push(`FAIL ${stage}: ${why} (required under CI)`);
  } else {
    totals.skipped += 1;
    summary.push(`skip ${stage}: ${why}`);
  }
}

const node = process.execPath;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (want('build')) run('build', node, ['esbuild.mjs']);
if (want('types')) {
  run('types', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  if (existsSync(path.join(root, 'media', 'tsconfig.json')))
    run('types (webview)', bin('tsc'), ['-p', 'media/tsconfig.json', '--noEmit']);
}
if (want('lint')) {
  run('lint', bin('eslint'), ['--max-warnings', '0', '.']);
  run('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
}
if (want('grammar') && existsSync(path.join(root, 'scripts', 'build-grammar.mjs')))
  run('grammar', node, ['scripts/build-grammar.mjs', '--check']);
if (want('unit')) {
  const specs = ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/lsp/**/*.test.ts'];
  run('unit', bin('mocha'), ['--config', '.mocharc.json', ...specs.flatMap((s) => ['--spec', s])]);
}
const chromium = existsSync('/usr/bin/chromium');
const codeServer = existsSync(
  path.join(root, 'test', 'e2e', 'code-server-host', 'node_modules', '.bin', 'code-server'),
);
if (want('webview') && existsSync(path.join(root, 'test', 'webview'))) {
  if (chromium) run('webview', bin('mocha'), ['--config', '.mocharc.json', 'test/webview/panel.test.ts']);
  else skipStage('webview', 'no /usr/bin/chromium (bash test/e2e/setup.sh)');
}
if (want('ext') && existsSync(path.join(root, 'test', 'e2e', 'run.mjs'))) {
  if (chromium && codeServer) run('ext', node, ['test/e2e/run.mjs', 'ext', '--no-build']);
  else skipStage('ext', 'code-server or chromium missing (bash test/e2e/setup.sh)');
}
if (want('e2e') && existsSync(path.join(root, 'test', 'e2e', 'run.mjs'))) {
  if (chromium && codeServer) {
    // examples/payments/policies.yaml: the NPP03 diagnostic, a hover, and the diagram panel
    run('e2e', node, [
      'test/e2e/run.mjs',
      'ui',
      '--no-build',
      '--file',
      'payments/policies.yaml',
      '--expect',
      'NPP03',
      '--hover-word',
      'podSelector',
      '--hover-expect',
      'workload',
      '--command',
      'NetworkPolicy Lens: Show Traffic Diagram',
      '--webview-expect',
      'payments-api',
    ]);
  } else skipStage('e2e', 'code-server or chromium missing (bash test/e2e/setup.sh)');
}

process.stdout.write(`\n=== summary\n${summary.join('\n')}\n`);
if (failedStages.length) process.stdout.write(`failed stages: ${failedStages.join(', ')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exitCode = failedStages.length ? 1 : 0;
