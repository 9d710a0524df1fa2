// The step runner of the UI specs (the same one smoke.spec.ts writes out): each step is timed and
// screenshotted; after a failure the logs are printed and the later steps are skipped; results.json
// holds the steps for test/e2e/run.mjs.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from './launcher';

export const STEP_TIMEOUT = Number(process.env.NETPOL_E2E_STEP_TIMEOUT_MS ?? 60_000);

export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  detail?: string;
  error?: string;
  screenshot?: string;
}

export interface Steps {
  /** Runs `body` as the next step unless an earlier one failed. */
  step(name: string, body: () => Promise<string | void>): Promise<void>;
  /** Writes results.json and prints the summary; the exit status (0: every step passed). */
  finish(extra?: Record<string, unknown>): number;
}

/** Empties `dir` of an earlier run's screenshots, logs and results. */
export function cleanArtifacts(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) {
    if (/\.(png|log|json)$/.test(f) || f === 'vscode-logs') rmSync(path.join(dir, f), { recursive: true, force: true });
  }
}

export function createSteps(
  spec: string,
  artifacts: string,
  current: () => { page?: Page; server?: CodeServer },
): Steps {
  const results: StepResult[] = [];
  let failed = false;
  const t0 = Date.now();
  const step = async (name: string, body: () => Promise<string | void>): Promise<void> => {
    const n = String(results.length + 1).padStart(2, '0');
    const slug = `${n}-${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80)}`;
    if (failed) {
      results.push({ name, status: 'skipped', ms: 0 });
      console.log(`  - ${name} (skipped)`);
      return;
    }
    const start = Date.now();
    try {
      const detail = await body();
      const ms = Date.now() - start;
      const { page } = current();
      const shot = page ? path.join(artifacts, `${slug}.png`) : undefined;
      if (shot) await page!.screenshot({ path: shot });
      results.push({
        name,
        status: 'passed',
        ms,
        ...(detail ? { detail } : {}),
        ...(shot ? { screenshot: shot } : {}),
      });
      console.log(`  ✔ ${name} (${ms} ms)${detail ? `: ${JSON.stringify(detail)}` : ''}`);
    } catch (err) {
      failed = true;
      const ms = Date.now() - start;
      const { page, server } = current();
      const shot = page ? path.join(artifacts, `${slug}-FAILED.png`) : undefined;
      if (shot) await page!.screenshot({ path: shot }).catch(() => undefined);
      const message = (err as Error).message
        // eslint-disable-next-line no-control-regex -- strips Playwright's ANSI colours
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .slice(0, 8)
        .join('\n')
        .trimEnd();
      results.push({ name, status: 'failed', ms, error: message, ...(shot ? { screenshot: shot } : {}) });
      // The logs first and the failure last: CI keeps the tail of the output.
      if (server) {
        console.log(`    --- code-server log (last 20 lines) ---\n${indent(server.logTail(20))}`);
        console.log(
          `    --- extension host log (last 20 lines) ---\n${indent(server.vscodeLogTail(/exthost\.log$/, 20))}`,
        );
        console.log(
          `    --- netpol-lens output (last 20 lines) ---\n${indent(server.vscodeLogTail(/netpol.?lens[^/]*\.log$/i, 20))}`,
        );
      }
      console.log(`  ✘ ${name} (${ms} ms)\n${indent(message)}`);
      if (shot) console.log(`    screenshot: ${shot}`);
    }
  };
  const finish = (extra: Record<string, unknown> = {}): number => {
    const count = (s: StepResult['status']): number => results.filter((r) => r.status === s).length;
    const summary = { spec, ...extra, totalMs: Date.now() - t0, steps: results };
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify(summary, null, 2));
    for (const r of results.filter((x) => x.status === 'failed')) {
      console.log(`${spec}: FAILED ${r.name}: ${r.error?.split('\n')[0] ?? ''}`);
    }
    console.log(
      `${spec}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped in ${summary.totalMs} ms (artifacts: ${artifacts})`,
    );
    return count('failed') || count('skipped') || !results.length ? 1 : 0;
  };
  return { step, finish };
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
