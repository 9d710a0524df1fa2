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
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser, quickInput, quickOpen, runCommand, webviewFrame, type Browser } from '../lib/browser';
import { e2eDir, exitOnSignals, extensionFromFlags, startCodeServer, type CodeServer } from '../lib/launcher';
import { cleanArtifacts, createSteps, STEP_TIMEOUT } from '../lib/steps';
import { defaultWorkspace, findEgressWithoutPolicyTypes } from '../lib/workspace';

/** The little of the DOM that runs in the page here (the project compiles without the DOM lib). */
interface DomNode {
  readonly ownerDocument: { getAnimations(): DomAnimation[] };
  contains(other: DomNode): boolean;
}
interface DomAnimation {
  readonly effect: { readonly target?: DomNode | null; getComputedTiming(): { iterations?: number } } | null;
  readonly finished: Promise<unknown>;
}

const SPEC = 'smoke';

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
  cleanArtifacts(artifacts);
  const workspace = path.resolve(opts.workspace ?? defaultWorkspace(projectRoot));
  const expected = opts.expect ?? 'NPP03';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const { step, finish } = createSteps(SPEC, artifacts, () => ({ page, server }));

  console.log(`${SPEC}: workspace ${workspace}`);
  const file = opts.file ?? findEgressWithoutPolicyTypes(workspace);
  try {
    await step('code-server starts with the extension installed', async () => {
      const ext = extensionFromFlags(opts);
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
      const squiggle = page!
        .locator(
          '.editor-group-container.active .monaco-editor .squiggly-error, ' +
            '.editor-group-container.active .monaco-editor .squiggly-warning, ' +
            '.editor-group-container.active .monaco-editor .squiggly-info',
        )
        .first();
      await squiggle.waitFor({ timeout: STEP_TIMEOUT });
      const position = page!.locator('#status\\.editor\\.selection');
      return (await position.count()) ? `cursor at ${(await position.first().innerText()).trim()}` : undefined;
    });

    if (opts['hover-word']) {
      const word = opts['hover-word'];
      const want = opts['hover-expect'] ?? '';
      await step(`hover on "${word}" shows ${JSON.stringify(want)}`, async () => {
        // Keyboard only: the cursor goes to the word's first occurrence in the file on disk (Quick
        // Open ":line:column"), then "Show or Focus Hover" runs; neither depends on mouse positions
        // or on how the editor split the line into tokens. The hover is asked again until the text
        // arrives (the server may still be indexing the workspace).
        const at = findWord(path.join(workspace, file!), word);
        if (!at) throw new Error(`"${word}" does not occur in ${file}`);
        const deadline = Date.now() + STEP_TIMEOUT;
        const hover = page!.locator('.monaco-hover:not(.hidden)', { hasText: want }).first();
        let seen = '';
        for (let attempt = 1; Date.now() < deadline; attempt++) {
          await page!.keyboard.press('Escape');
          await page!.keyboard.press('Control+P');
          await quickInput(page!).waitFor({ timeout: STEP_TIMEOUT });
          await quickInput(page!).fill(`:${at.line}:${at.column}`);
          await page!.keyboard.press('Enter');
          await page!.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
          await runCommand(page!, 'Show or Focus Hover', STEP_TIMEOUT);
          try {
            await hover.waitFor({ timeout: Math.max(1_000, Math.min(5_000 * attempt, deadline - Date.now())) });
            const text = (await hover.innerText()).replace(/\s*\n\s*/g, ' | ');
            // the hover fades in: let its animations (and its containers') end before the screenshot
            await hover.evaluate((el: DomNode) =>
              Promise.all(
                el.ownerDocument
                  .getAnimations()
                  .filter((a: DomAnimation) => {
                    const target = a.effect?.target;
                    const finite = a.effect?.getComputedTiming().iterations !== Infinity;
                    return finite && !!target && (target.contains(el) || el.contains(target));
                  })
                  .map((a: DomAnimation) => a.finished.catch(() => undefined)),
              ),
            );
            return `Ln ${at.line}, Col ${at.column}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
          } catch {
            seen = (
              await page!
                .locator('.monaco-hover:not(.hidden)')
                .allInnerTexts()
                .catch(() => [] as string[])
            )
              .join(' / ')
              .replace(/\s*\n\s*/g, ' | ');
          }
        }
        const cursor = page!.locator('#status\\.editor\\.selection');
        const where = (await cursor.count()) ? (await cursor.first().innerText()).trim() : 'unknown';
        throw new Error(
          `no hover with ${JSON.stringify(want)} at Ln ${at.line}, Col ${at.column} (cursor ${where}); ` +
            `visible hover: ${seen ? JSON.stringify(seen.slice(0, 300)) : 'none'}`,
        );
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
          frame
            .locator('svg')
            .first()
            .waitFor({ timeout: STEP_TIMEOUT })
            .then(() => 'svg'),
          dialog.waitFor({ timeout: STEP_TIMEOUT }).then(
            () => 'dialog',
            () => new Promise<string>(() => undefined),
          ),
        ]);
        if (outcome === 'dialog') {
          throw new Error(`the command failed: ${(await dialog.innerText()).replace(/\s*\n\s*/g, ' | ')}`);
        }
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

  return finish({ workspace, file, expected });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line and column of a character inside the first whole-word occurrence of `word` in `file`. */
function findWord(file: string, word: string): { line: number; column: number } | undefined {
  const re = new RegExp(`(^|[^\\w-])(${escapeRegExp(word)})(?![\\w-])`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i]);
    if (m) return { line: i + 1, column: m.index + m[1].length + 2 };
  }
  return undefined;
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
