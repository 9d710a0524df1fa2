// "Compare Connectivity with Git HEAD" the way a user runs it, in code-server with VS Code's Git
// extension enabled: the workspace is a Git repository (a copy of examples/, committed), a policy
// is edited in the editor and saved, Source Control lists the change, and the command run from the
// command palette opens a report that shows the connection the edit adds. On the way, the
// status-bar item's quick pick must offer the command.
//
// Started by test/e2e/run.mjs (built into out/test/e2e/specs/). Flags:
//   --vsix FILE | --extension-folder DIR   the extension to install (one is required)
//   --artifacts DIR        screenshots, logs, results.json (default test/e2e/artifacts/git)
// Other flags of run.mjs are accepted and ignored. Exit status 0 when every step passed.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import {
  gotoPosition,
  launchBrowser,
  netpolStatusItem,
  quickInput,
  quickOpen,
  runCommand,
  webviewFrame,
  type Browser,
} from '../lib/browser';
import { createGitRepo, GIT_SETTINGS, type GitRepo } from '../lib/gitRepo';
import { e2eDir, exitOnSignals, extensionFromFlags, startCodeServer, type CodeServer } from '../lib/launcher';
import { cleanArtifacts, createSteps, STEP_TIMEOUT } from '../lib/steps';

const SPEC = 'git';
/** The edit: the catalog policy's port 80 (the Service's port, rule NPP11) becomes the pods' 8080. */
const FILE = 'shop/policies.yaml';
const FROM = '- port: 80';
const TO = '8080';
const COMMAND = 'Compare Connectivity with Git HEAD';

const { values: opts } = parseArgs({
  strict: false,
  options: {
    vsix: { type: 'string' },
    'extension-folder': { type: 'string' },
    artifacts: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const projectRoot = path.dirname(path.dirname(e2eDir()));
  const artifacts = path.resolve(String(opts.artifacts ?? path.join(e2eDir(), 'artifacts', SPEC)));
  cleanArtifacts(artifacts);
  let repo: GitRepo | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const { step, finish } = createSteps(SPEC, artifacts, () => ({ page, server }));

  try {
    await step('a Git repository with the examples committed', async () => {
      repo = createGitRepo(path.join(projectRoot, 'examples'));
      const lines = readFileSync(path.join(repo.dir, FILE), 'utf8').split('\n');
      if (lines.filter((l) => l.trim() === FROM).length !== 1) throw new Error(`${FILE} has no single "${FROM}"`);
      return `${repo.dir}: ${repo.git('log', '--oneline').trim()}`;
    });

    await step('code-server starts with Git enabled and the extension installed', async () => {
      const ext = extensionFromFlags(opts);
      server = await startCodeServer({ extensions: [ext], artifacts, settings: { ...GIT_SETTINGS }, env: repo!.env });
      return server.url;
    });

    await step('workbench loads and the extension indexes the workspace', async () => {
      browser = await launchBrowser();
      page = browser.page;
      await page.goto(server!.folderUrl(repo!.dir));
      await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT });
      await netpolStatusItem(page).waitFor({ timeout: STEP_TIMEOUT });
      return (await netpolStatusItem(page).innerText()).trim();
    });

    await step('the status-bar item offers the command in a quick pick', async () => {
      await netpolStatusItem(page!).click();
      const rows = page!.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: COMMAND }).first().waitFor({ timeout: STEP_TIMEOUT });
      const labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0].trim());
      for (const want of ['Show Traffic Diagram', COMMAND]) {
        if (!labels.some((l) => l.includes(want))) {
          throw new Error(`the quick pick lacks "${want}": ${labels.join(' | ')}`);
        }
      }
      await page!.keyboard.press('Escape');
      await quickInput(page!).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
      return labels.join(' | ');
    });

    await step(`edits ${FILE} in the editor and saves it`, async () => {
      await quickOpen(page!, FILE, STEP_TIMEOUT);
      const lines = readFileSync(path.join(repo!.dir, FILE), 'utf8').split('\n');
      const line = lines.findIndex((l) => l.trim() === FROM) + 1;
      const column = lines[line - 1].indexOf(FROM) + FROM.length - 1; // on the "80"
      await gotoPosition(page!, line, column, STEP_TIMEOUT);
      await page!.keyboard.press('Shift+End');
      await page!.keyboard.type(TO);
      await page!.keyboard.press('Escape'); // a suggestion widget, if one opened
      await page!.keyboard.press('Control+S');
      const deadline = Date.now() + STEP_TIMEOUT;
      while (!readFileSync(path.join(repo!.dir, FILE), 'utf8').includes(`- port: ${TO}\n`)) {
        if (Date.now() > deadline) throw new Error(`${FILE} was not saved with port ${TO}`);
        await page!.waitForTimeout(200);
      }
      return repo!.git('diff', '--stat').trim();
    });

    await step('Source Control lists the changed file', async () => {
      await page!.keyboard.press('Control+Shift+G');
      const row = page!.locator('.scm-view .monaco-list-row', { hasText: path.basename(FILE) }).first();
      await row.waitFor({ timeout: STEP_TIMEOUT });
      return (await row.innerText()).replace(/\s*\n\s*/g, ' ');
    });

    await step(`"${COMMAND}" from the command palette reports the added connection`, async () => {
      await runCommand(page!, COMMAND, STEP_TIMEOUT);
      const frame = webviewFrame(page!);
      await frame.getByText('Connectivity: working tree vs HEAD').first().waitFor({ timeout: STEP_TIMEOUT });
      const row = frame.locator('tr', { hasText: 'shop/catalog' }).first();
      await row.waitFor({ timeout: STEP_TIMEOUT });
      const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
      const want = ['added', 'shop/frontend[Deployment]', 'shop/catalog[StatefulSet]', 'nothing', `TCP ${TO}`];
      if (JSON.stringify(cells) !== JSON.stringify(want)) {
        throw new Error(`the report row is ${JSON.stringify(cells)}, expected ${JSON.stringify(want)}`);
      }
      const summary = (await frame.locator('body').innerText()).split('\n').find((l) => /\d+ added/.test(l));
      if (!summary?.startsWith('1 added, 0 removed, 0 changed')) throw new Error(`summary: ${summary}`);
      return `${summary}: ${cells.join(' | ')}`;
    });
  } finally {
    browser?.saveConsole(path.join(artifacts, 'browser-console.log'));
    await browser?.close();
    await server?.stop();
    repo?.remove();
  }
  const code = finish({ workspace: 'examples/ in a Git repository', file: FILE });
  return code;
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
