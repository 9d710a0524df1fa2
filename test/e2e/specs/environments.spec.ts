// Environments in a real VS Code (code-server 4.99.4, driven by Playwright; docs/environments.md):
// on a copy of examples/, whose Kustomize overlays the language server renders with the real
// `kubectl kustomize` (and its chart with the stand-in helm of test/fixtures/helm), a hover in a
// base file names the environments, and the diagram's environment picker switches between the
// overlays storefront/overlays/dev and storefront/overlays/prod, and the diagram changes with it.
//
// Started by test/e2e/run.mjs like every spec (the flags it passes to all specs are accepted; this
// spec uses only --vsix / --extension-folder and --artifacts). Exit status 0 when every step
// passed; results.json holds the steps and their timings.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { FrameLocator, Page } from 'playwright-core';
import { launchBrowser, quickInput, quickOpen, runCommand, webviewFrame, type Browser } from '../lib/browser';
import { e2eDir, exitOnSignals, extensionFromFlags, startCodeServer, type CodeServer } from '../lib/launcher';

const SPEC = 'environments';
const STEP_TIMEOUT = Number(process.env.NETPOL_E2E_STEP_TIMEOUT_MS ?? 60_000);
const BASE_FILE = 'storefront/base/policies.yaml';

interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  detail?: string;
  error?: string;
  screenshot?: string;
}

const { values: opts } = parseArgs({
  strict: false,
  options: {
    vsix: { type: 'string' },
    'extension-folder': { type: 'string' },
    artifacts: { type: 'string' },
  },
});

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** 1-based line and column of `text` at the start of a line of `file`. */
function lineOf(file: string, text: string): { line: number; column: number } {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const i = lines.findIndex((l) => l.startsWith(text));
  if (i < 0) throw new Error(`"${text}" is not in ${file}`);
  return { line: i + 1, column: text.length - text.trimStart().length + 3 };
}

/** Moves the cursor with Quick Open ":line:column" and asks for the hover until `want` shows. */
async function hoverUntil(page: Page, at: { line: number; column: number }, want: RegExp): Promise<string> {
  const deadline = Date.now() + STEP_TIMEOUT * 2;
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  let seen = '';
  while (Date.now() < deadline) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await quickInput(page).waitFor({ timeout: STEP_TIMEOUT });
    await quickInput(page).fill(`:${at.line}:${at.column}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
    await runCommand(page, 'Show or Focus Hover', STEP_TIMEOUT);
    try {
      await hover.waitFor({ timeout: 5_000 });
      seen = (await hover.innerText()).replace(/\s*\n\s*/g, ' | ');
      if (want.test(seen)) return seen;
    } catch {
      // no hover yet (the server is still indexing or rendering)
    }
    await page.waitForTimeout(1_000);
  }
  throw new Error(`no hover matching ${want} at Ln ${at.line}, Col ${at.column}; last seen: ${JSON.stringify(seen)}`);
}

/** Picks an environment in the diagram's picker and waits for its namespace to be drawn. */
async function pickEnvironment(frame: FrameLocator, env: string, namespace: string): Promise<string> {
  const picker = frame.locator('#environment');
  await picker.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  await frame.locator(`#environment option[value="${env}"]`).waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
  await picker.selectOption(env);
  // the toolbar may follow the answer before the new SVG is drawn: wait for the SVG of that
  // namespace, the same on two reads in a row
  const deadline = Date.now() + STEP_TIMEOUT;
  let last = '';
  while (Date.now() < deadline) {
    const ns = await frame.locator('#namespace').inputValue();
    const chosen = await picker.inputValue();
    // the labels only: the SVG's own <style> names its element id, new on every render
    const labels = await frame
      .locator('#diagram svg .nodeLabel, #diagram svg .edgeLabel, #diagram svg .cluster-label')
      .allTextContents();
    const text = labels
      .map((l) => l.trim())
      .filter((l) => l)
      .join(' | ');
    if (ns === namespace && chosen === env && text.includes(`namespace ${namespace}`) && text === last) return text;
    last = text;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`the diagram did not switch to ${env} (namespace ${namespace})`);
}

async function main(): Promise<number> {
  const projectRoot = path.dirname(path.dirname(e2eDir()));
  const artifacts = path.resolve(str(opts.artifacts) ?? path.join(e2eDir(), 'artifacts', SPEC));
  mkdirSync(artifacts, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-envs-'));
  const workspace = path.join(tmp, 'examples');
  cpSync(path.join(projectRoot, 'examples'), workspace, { recursive: true });
  const results: StepResult[] = [];
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let failed = false;
  const t0 = Date.now();

  const step = async (name: string, body: () => Promise<string | void>): Promise<void> => {
    const slug = `${String(results.length + 1).padStart(2, '0')}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    if (failed) {
      results.push({ name, status: 'skipped', ms: 0 });
      console.log(`  - ${name} (skipped)`);
      return;
    }
    const start = Date.now();
    try {
      const detail = await body();
      const shot = page ? path.join(artifacts, `${slug}.png`) : undefined;
      if (shot) await page!.screenshot({ path: shot });
      results.push({ name, status: 'passed', ms: Date.now() - start, ...(detail ? { detail } : {}) });
      console.log(`  ✔ ${name} (${Date.now() - start} ms)${detail ? `: ${JSON.stringify(detail)}` : ''}`);
    } catch (err) {
      failed = true;
      const shot = page ? path.join(artifacts, `${slug}-FAILED.png`) : undefined;
      if (shot) await page!.screenshot({ path: shot }).catch(() => undefined);
      const message = (err as Error).message
        // eslint-disable-next-line no-control-regex -- strips Playwright's ANSI colours
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .slice(0, 8)
        .join('\n');
      results.push({ name, status: 'failed', ms: Date.now() - start, error: message });
      if (server) {
        console.log(`    --- netpol-lens output ---\n${server.vscodeLogTail(/netpol.?lens[^/]*\.log$/i, 30)}`);
      }
      console.log(`  ✘ ${name}\n    ${message}`);
    }
  };

  console.log(`${SPEC}: workspace ${workspace}`);
  try {
    await step('code-server starts with the extension and the stand-in helm', async () => {
      const ext = extensionFromFlags(opts);
      server = await startCodeServer({
        extensions: [ext],
        artifacts,
        settings: { 'netpolLens.render.helm': path.join(projectRoot, 'test/fixtures/helm/helm') },
      });
      return server.url;
    });

    await step('workbench loads and opens the base file', async () => {
      browser = await launchBrowser();
      page = browser.page;
      await page.goto(server!.folderUrl(workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: STEP_TIMEOUT });
      await quickOpen(page, BASE_FILE, STEP_TIMEOUT);
    });

    await step('a hover in the base file names the environments', async () => {
      const at = lineOf(path.join(workspace, BASE_FILE), '  name: api-from-web');
      return hoverUntil(page!, at, /selects 1 workload in storefront\/overlays\/dev, 1 in storefront\/overlays\/prod/);
    });

    let dev = '';
    await step('the diagram opens with an environment picker', async () => {
      await page!.keyboard.press('Escape');
      await page!.mouse.move(5, 500);
      await runCommand(page!, 'Show Traffic Diagram', STEP_TIMEOUT);
      const frame = webviewFrame(page!);
      dev = await pickEnvironment(frame, 'storefront/overlays/dev', 'storefront-dev');
      const options = await frame.locator('#environment option').allTextContents();
      return options.join(', ');
    });

    await step('the picker switches to the prod overlay, and the diagram changes', async () => {
      const frame = webviewFrame(page!);
      const prod = await pickEnvironment(frame, 'storefront/overlays/prod', 'storefront-prod');
      if (prod === dev) throw new Error('the prod diagram is the same as the dev one');
      // prod's monitoring component lets Prometheus in: a peer the dev overlay does not have
      if (!/monitoring/.test(prod) || /monitoring/.test(dev)) {
        throw new Error(
          `expected a monitoring peer in prod only; prod: ${prod.slice(0, 200)}; dev: ${dev.slice(0, 200)}`,
        );
      }
      const back = await pickEnvironment(frame, 'storefront/overlays/dev', 'storefront-dev');
      if (back !== dev) throw new Error('switching back to dev does not draw the dev diagram again');
      return `dev ${dev.length} characters of SVG text, prod ${prod.length}`;
    });
  } finally {
    browser?.saveConsole(path.join(artifacts, 'browser-console.log'));
    await browser?.close();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }

  const count = (s: StepResult['status']): number => results.filter((r) => r.status === s).length;
  const summary = { spec: SPEC, workspace, totalMs: Date.now() - t0, steps: results };
  writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify(summary, null, 2));
  console.log(`${SPEC}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
  return count('failed') || count('skipped') ? 1 : 0;
}

exitOnSignals();
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`${SPEC}: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
