// Smoke test in a real VS Code: the packaged extension installed into code-server 4.99.4, the
// workbench driven by Playwright with Debian's Chromium. It opens a policy file from the workspace
// and waits for our diagnostic in the Problems panel; with the optional flags it also checks a
// hover and a webview command (the diagram panel, once it exists).
//
// Started by test/e2e/run.mjs (which builds this file into out/test/e2e/specs/). Flags:
//   --vsix FILE | --extension-folder DIR   the extension to install (one is required)
//   --workspace DIR        folder to open (default: examples/, else test/e2e/fixtures/workspace)
//   --file REL             file to open (default: first policy with egress rules and no policyTypes)
//   --expect TEXT          text of the Problems row to wait for (default NPP03)
//   --hover-word WORD --hover-expect TEXT         hover WORD in the editor, expect TEXT in the hover
//   --command TITLE [--webview-expect TEXT]       run a palette command that opens a webview with an SVG
//   --artifacts DIR        screenshots, logs, results.json (default test/e2e/artifacts/smoke)
// Exit status 0 when every step passed, 1 otherwise; results.json holds steps, status and timings.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser, quickOpen, runCommand, webviewFrame, type Browser } from '../lib/browser';
import { e2eDir, exitOnSignals, startCodeServer, type CodeServer } from '../lib/launcher';
import { defaultWorkspace, findEgressWithoutPolicyTypes } from '../lib/workspace';

const SPEC = 'smoke';
const STEP_TIMEOUT = Number(process.env.NETPOL_E2E_STEP_TIMEOUT_MS ?? 60_000);

interface StepResult { name: string; status: 'passed' | 'failed' | 'skipped'; ms: number; detail?: string; error?: string; screenshot?: string }

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    'extension-folder': { type: 'string' },
    workspace: { type: 'string' },
    file: { type: 'string' },
    expect: { type: 'string', default: 'NPP03' },
    'hover-word': { type: 'string' },
    'hover-expect': { type: 'string' },
    command: { type: 'string' },
    'webview-expect': { type: 'string' },
    artifacts: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const projectRoot = path.dirname(path.dirname(e2eDir()));
  const artifacts = path.resolve(opts.artifacts ?? path.join(e2eDir(), 'artifacts', SPEC));
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts)) {
    if (/\.(png|log|json)$/.test(f) || f === 'vscode-logs') rmSync(path.join(artifacts, f), { recursive: true, force: true });
  }
  const workspace = path.resolve(opts.workspace ?? defaultWorkspace(projectRoot));
  const expected = opts.expect ?? 'NPP03';
  const results: StepResult[] = [];
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let failed = false;
  const t0 = Date.now();

  const step = async (name: string, body: () => Promise<string | void>): Promise<void> => {
    const n = String(results.length + 1).padStart(2, '0');
    const slug = `${n}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
    if (failed) {
      results.push({ name, status: 'skipped', ms: 0 });
      console.log(`  - ${name} (skipped)`);
      return;
    }
    const start = Date.now();
    try {
      const detail = await body();
      const ms = Date.now() - start;
      const shot = page ? path.join(artifacts, `${slug}.png`) : undefined;
      if (shot) await page!.screenshot({ path: shot });
      results.push({ name, status: 'passed', ms, ...(detail ? { detail } : {}), ...(shot ? { screenshot: shot } : {}) });
      console.log(`  ✔ ${name} (${ms} ms)${detail ? `: ${JSON.stringify(detail)}` : ''}`);
    } catch (err) {
      failed = true;
      const ms = Date.now() - start;
      const shot = page ? path.join(artifacts, `${slug}-FAILED.png`) : undefined;
      if (shot) await page!.screenshot({ path: shot }).catch(() => undefined);
      // eslint-disable-next-line no-control-regex -- strips Playwright's ANSI colours
      const message = (err as Error).message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').slice(0, 8).join('\n').trimEnd();
      results.push({ name, status: 'failed', ms, error: message, ...(shot ? { screenshot: shot } : {}) });
      console.log(`  ✘ ${name} (${ms} ms)\n${indent(message)}`);
      if (shot) console.log(`    screenshot: ${shot}`);
      if (server) {
        console.log(`    --- code-server log (last 20 lines) ---\n${indent(server.logTail(20))}`);
        console.log(`    --- extension host log (last 20 lines) ---\n${indent(server.vscodeLogTail(/exthost\.log$/, 20))}`);
        console.log(`    --- netpol-lens output (last 20 lines) ---\n${indent(server.vscodeLogTail(/netpol.?lens[^/]*\.log$/i, 20))}`);
      }
    }
  };

  console.log(`${SPEC}: workspace ${workspace}`);
  const file = opts.file ?? findEgressWithoutPolicyTypes(workspace);
  try {
    await step('code-server starts with the extension installed', async () => {
      const ext = opts.vsix ? { vsix: path.resolve(opts.vsix) }
        : opts['extension-folder'] ? { folder: path.resolve(opts['extension-folder']) } : undefined;
      if (!ext) throw new Error('pass --vsix FILE or --extension-folder DIR');
      if (!file) throw new Error(`no policy with egress rules and no policyTypes in ${workspace}; pass --file`);
      server = await startCodeServer({ extensions: [ext], artifacts });
      return `${server.url}, install ${server.timings.installMs} ms, ready ${server.timings.readyMs} ms`;
    });

    await step('workbench loads', async () => {
      browser = await launchBrowser();
      page = browser.page;
      await page.goto(server!.folderUrl(workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: STEP_TIMEOUT });
    });

    await step(`opens ${file ?? 'the policy file'}`, async () => {
      await quickOpen(page!, file!, STEP_TIMEOUT);
      await page!.locator('.monaco-editor .view-lines').first().waitFor({ timeout: STEP_TIMEOUT });
    });

    await step(`lists ${expected} in the Problems panel`, async () => {
      await page!.keyboard.press('Control+Shift+M');
      // the whole workspace's problems are listed (a virtual list): filter down to the expected ones
      const filter = page!.getByPlaceholder(/^Filter \(e\.g\. text/).first();
      await filter.waitFor({ timeout: STEP_TIMEOUT });
      await filter.fill(expected);
      const row = page!.locator('.markers-panel .monaco-list-row', { hasText: expected }).first();
      await row.waitFor({ timeout: STEP_TIMEOUT });
      const text = (await row.innerText()).replace(/\s*\n\s*/g, ' | ');
      if (!/netpol-lens/.test(text)) throw new Error(`the Problems row does not name the source netpol-lens: ${text}`);
      return text;
    });

    await step('the Problems row reveals a squiggle in the editor', async () => {
      await page!.locator('.markers-panel .monaco-list-row', { hasText: expected }).first().click();
      const squiggle = page!.locator('.editor-group-container.active .monaco-editor .squiggly-error, '
        + '.editor-group-container.active .monaco-editor .squiggly-warning, '
        + '.editor-group-container.active .monaco-editor .squiggly-info').first();
      await squiggle.waitFor({ timeout: STEP_TIMEOUT });
      const position = page!.locator('#status\\.editor\\.selection');
      return (await position.count()) ? `cursor at ${(await position.first().innerText()).trim()}` : undefined;
    });

    if (opts['hover-word']) {
      const word = opts['hover-word'];
      const want = opts['hover-expect'] ?? '';
      await step(`hover on "${word}" shows ${JSON.stringify(want)}`, async () => {
        const token = page!.locator('.editor-group-container.active .monaco-editor .view-line span span', { hasText: new RegExp(`^${escapeRegExp(word)}$`) }).first();
        await page!.keyboard.press('Escape');
        await token.scrollIntoViewIfNeeded({ timeout: STEP_TIMEOUT });
        const box = await token.boundingBox();
        if (!box) throw new Error(`the token "${word}" is not visible`);
        // move in small steps: the editor shows its hover after mouse moves over the word
        await page!.mouse.move(box.x + 2, box.y + box.height / 2);
        await page!.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
        const hover = page!.locator('.monaco-hover:not(.hidden)', { hasText: want }).first();
        await hover.waitFor({ timeout: STEP_TIMEOUT });
        const text = (await hover.innerText()).replace(/\s*\n\s*/g, ' | ');
        return text.length > 200 ? `${text.slice(0, 200)}…` : text;
      });
    }

    if (opts.command) {
      const title = opts.command;
      const want = opts['webview-expect'];
      await step(`command "${title}" opens a webview with an SVG`, async () => {
        await page!.keyboard.press('Escape');
        await page!.mouse.move(5, 500); // keeps the hover out of the screenshots
        await runCommand(page!, title, STEP_TIMEOUT);
        const frame = webviewFrame(page!);
        // A failing command shows a modal dialog instead of the webview: report its text at once.
        const dialog = page!.locator('.monaco-dialog-box').first();
        const outcome = await Promise.race([
          frame.locator('svg').first().waitFor({ timeout: STEP_TIMEOUT }).then(() => 'svg'),
          dialog.waitFor({ timeout: STEP_TIMEOUT }).then(() => 'dialog', () => new Promise<string>(() => undefined)),
        ]);
        if (outcome === 'dialog') throw new Error(`the command failed: ${(await dialog.innerText()).replace(/\s*\n\s*/g, ' | ')}`);
        const text = (await frame.locator('body').innerText()).replace(/\s*\n\s*/g, ' | ');
        if (want && !text.includes(want)) throw new Error(`the webview does not show ${JSON.stringify(want)}: ${text}`);
        return text.length > 200 ? `${text.slice(0, 200)}…` : text;
      });
    }
  } finally {
    browser?.saveConsole(path.join(artifacts, 'browser-console.log'));
    await browser?.close();
    await server?.stop();
  }

  const count = (s: StepResult['status']): number => results.filter((r) => r.status === s).length;
  const summary = { spec: SPEC, workspace, file, expected, totalMs: Date.now() - t0, steps: results };
  writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify(summary, null, 2));
  console.log(`${SPEC}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped in ${summary.totalMs} ms (artifacts: ${artifacts})`);
  return count('failed') || count('skipped') ? 1 : 0;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

exitOnSignals();
main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`${SPEC}: ${(err as Error).message}`);
  process.exitCode = 1;
});
