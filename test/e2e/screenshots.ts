// The README's screenshots (`npm run screenshots`, i.e. `node test/e2e/run.mjs screenshots`): the
// packaged extension in code-server, driven like the UI specs, in a Git repository holding a copy
// of examples/, at one fixed window size (lib/shots.ts). Writes the PNGs named in lib/shots.ts to
// --out (default docs/images/); not part of `npm test`, which must not rewrite docs/images.
//
// Flags: --vsix FILE | --extension-folder DIR, --out DIR, --artifacts DIR (logs and step shots).
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import {
  gotoPosition,
  launchBrowser,
  netpolStatusItem,
  quickOpen,
  runCommand,
  webviewFrame,
  type Browser,
} from './lib/browser';
import { createGitRepo, GIT_SETTINGS, type GitRepo } from './lib/gitRepo';
import { e2eDir, exitOnSignals, extensionFromFlags, startCodeServer, type CodeServer } from './lib/launcher';
import { IMAGES_DIR, MAX_SHOT_BYTES, SHOT_SIZE, SHOTS } from './lib/shots';
import { cleanArtifacts, createSteps, STEP_TIMEOUT } from './lib/steps';

const NAME = 'screenshots';
/** Where the pointer rests: the empty part of the activity bar (no tooltip there). */
const PARK = { x: 24, y: 520 };

/** Calm, repeatable pictures: no minimap, a steady cursor, the default dark theme. */
const SHOT_SETTINGS: Record<string, unknown> = {
  ...GIT_SETTINGS,
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.minimap.enabled': false,
  'editor.cursorBlinking': 'solid',
  'editor.stickyScroll.enabled': false,
  'editor.renderWhitespace': 'none',
  'workbench.editor.enablePreview': false,
  'scm.showActionButton': false,
  'git.blame.statusBarItem.enabled': false,
  'markdown.preview.fontSize': 12, // the report's table fits beside the editor
};

const { values: opts } = parseArgs({
  strict: false,
  options: {
    vsix: { type: 'string' },
    'extension-folder': { type: 'string' },
    out: { type: 'string' },
    artifacts: { type: 'string' },
  },
});

/**
 * 1-based line and column of the first line of `file` whose trimmed text starts with (`exact`: is)
 * `start`, after the first line that is `after` (trimmed) when given.
 */
function lineOf(file: string, start: string, exact = false, after?: string): { line: number; column: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.trim() === after) + 1;
  const i = lines.findIndex((l, k) => k >= from && (exact ? l.trim() === start : l.trim().startsWith(start)));
  if (i < 0) throw new Error(`${file} has no line starting with "${start}"`);
  return { line: i + 1, column: lines[i].indexOf(start) + 1 };
}

async function main(): Promise<number> {
  const projectRoot = path.dirname(path.dirname(e2eDir()));
  const outDir = path.resolve(String(opts.out ?? path.join(projectRoot, IMAGES_DIR)));
  const artifacts = path.resolve(String(opts.artifacts ?? path.join(e2eDir(), 'artifacts', NAME)));
  cleanArtifacts(artifacts);
  let repo: GitRepo | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const { step, finish } = createSteps(NAME, artifacts, () => ({ page, server }));
  const written: string[] = [];
  /** Writes the PNG; `visible`: what must still show when it is taken (e.g. a hover that a stray event may close). */
  const save = async (shot: { file: string }, visible?: Locator): Promise<string> => {
    const file = path.join(outDir, shot.file);
    if (!visible) await page!.mouse.move(PARK.x, PARK.y); // no tooltip or hover under the pointer
    await page!.screenshot({ path: file });
    if (visible && !(await visible.isVisible())) throw new Error(`${shot.file}: the picture lost ${visible}`);
    const bytes = statSync(file).size;
    if (bytes > MAX_SHOT_BYTES) throw new Error(`${shot.file} is ${bytes} bytes (at most ${MAX_SHOT_BYTES})`);
    written.push(file);
    return `${path.relative(projectRoot, file)}: ${Math.round(bytes / 1024)} KB`;
  };
  const file = (rel: string): string => path.join(repo!.dir, rel);

  try {
    await step('code-server starts in a Git repository of the examples', async () => {
      const ext = extensionFromFlags(opts);
      repo = createGitRepo(path.join(projectRoot, 'examples'), 'examples');
      server = await startCodeServer({ extensions: [ext], artifacts, settings: SHOT_SETTINGS, env: repo.env });
      browser = await launchBrowser({ viewport: { ...SHOT_SIZE } });
      page = browser.page;
      await page.goto(server.folderUrl(repo.dir));
      await netpolStatusItem(page).waitFor({ timeout: STEP_TIMEOUT });
    });

    await step(`diagnostics and the quick fix menu: ${SHOTS.diagnostics.file}`, async () => {
      await quickOpen(page!, 'payments/policies.yaml', STEP_TIMEOUT);
      await page!.mouse.move(PARK.x, PARK.y);
      await page!.keyboard.press('Control+Shift+M');
      const filter = page!.getByPlaceholder(/^Filter \(e\.g\. text/).first();
      await filter.waitFor({ timeout: STEP_TIMEOUT });
      await filter.fill('NPP03');
      const row = page!.locator('.markers-panel .monaco-list-row', { hasText: 'NPP03' }).first();
      await row.waitFor({ timeout: STEP_TIMEOUT });
      await row.click();
      await page!.locator('.editor-group-container.active .monaco-editor .squiggly-warning').first().waitFor();
      await page!.keyboard.press('Control+1'); // the editor gets the focus (the Problems row kept it)
      await page!.keyboard.press('Control+.');
      await page!.locator('.action-widget', { hasText: 'policyTypes' }).first().waitFor({ timeout: STEP_TIMEOUT });
      await page!.waitForTimeout(500);
      return save(SHOTS.diagnostics);
    });

    await step(`a policyTypes hover: ${SHOTS.hover.file}`, async () => {
      await page!.keyboard.press('Escape');
      await quickOpen(page!, 'shop/policies.yaml', STEP_TIMEOUT);
      await page!.mouse.move(PARK.x, PARK.y);
      await page!.keyboard.press('Control+J'); // the panel closes
      // the frontend policy's policyTypes (ingress and egress rules)
      const at = lineOf(file('shop/policies.yaml'), 'policyTypes:', false, 'name: frontend');
      await gotoPosition(page!, at.line, at.column + 2, STEP_TIMEOUT);
      const hover = page!.locator('.monaco-hover:not(.hidden)', { hasText: 'Effective policyTypes' }).first();
      for (let attempt = 1; ; attempt++) {
        await runCommand(page!, 'Show or Focus Hover', STEP_TIMEOUT);
        await hover.waitFor({ timeout: STEP_TIMEOUT });
        await page!.waitForTimeout(500); // the hover fades in
        try {
          return await save(SHOTS.hover, hover);
        } catch (err) {
          if (attempt === 3) throw err;
          await page!.keyboard.press('Escape');
        }
      }
    });

    await step(`the traffic diagram: ${SHOTS.diagram.file}`, async () => {
      await page!.keyboard.press('Escape');
      await page!.keyboard.press('Control+B'); // the side bar closes: room for the diagram
      await runCommand(page!, 'Show Traffic Diagram', STEP_TIMEOUT);
      const frame = webviewFrame(page!);
      await frame.locator('body[data-mermaid="rendered"] #diagram svg').first().waitFor({ timeout: STEP_TIMEOUT });
      await page!.waitForTimeout(800);
      return save(SHOTS.diagram);
    });

    await step(`the Git comparison report: ${SHOTS.gitCompare.file}`, async () => {
      await runCommand(page!, 'View: Close All Editors', STEP_TIMEOUT);
      await quickOpen(page!, 'shop/policies.yaml', STEP_TIMEOUT);
      await page!.mouse.move(PARK.x, PARK.y);
      const at = lineOf(file('shop/policies.yaml'), '- port: 80', true); // the catalog policy's port
      await gotoPosition(page!, at.line, at.column + 8, STEP_TIMEOUT);
      await page!.keyboard.press('Shift+End');
      await page!.keyboard.type('8080');
      await page!.keyboard.press('Escape');
      await page!.keyboard.press('Control+S');
      await page!.keyboard.press('Control+Shift+G');
      await page!.locator('.scm-view .monaco-list-row', { hasText: 'policies.yaml' }).first().waitFor();
      await runCommand(page!, 'Compare Connectivity with Git HEAD', STEP_TIMEOUT);
      await webviewFrame(page!).locator('tr', { hasText: 'shop/catalog' }).first().waitFor({ timeout: STEP_TIMEOUT });
      await page!.keyboard.press('Control+B'); // the side bar closes: room for the whole table
      await page!.waitForTimeout(800);
      return save(SHOTS.gitCompare);
    });
  } finally {
    browser?.saveConsole(path.join(artifacts, 'browser-console.log'));
    await browser?.close();
    await server?.stop();
    repo?.remove();
  }
  return finish({ out: outDir, written: written.map((f) => path.relative(projectRoot, f)) });
}

exitOnSignals();
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`${NAME}: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
