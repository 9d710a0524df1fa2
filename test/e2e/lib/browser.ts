// Debian's Chromium driven by playwright-core, with a throwaway profile and XDG dirs so that
// nothing is written under $HOME (docs/testing.md, sections 3 and 5).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.NETPOL_E2E_CHROMIUM ?? '/usr/bin/chromium';

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console messages and page errors of every page, in order. */
  readonly console: string[];
  /** Writes the console lines to `file`. */
  saveConsole(file: string): void;
  close(): Promise<void>;
}

export interface BrowserOptions {
  headless?: boolean;
  viewport?: { width: number; height: number };
}

/** Profile roots of browsers not closed yet; removed when the process exits without close(). */
const liveRoots = new Set<string>();
process.once('exit', () => {
  for (const r of liveRoots) {
    try {
      rmSync(r, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});

export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run bash test/e2e/setup.sh (apt-get install chromium)`);
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-chromium-'));
  liveRoots.add(root);
  const profile = path.join(root, 'profile');
  const xdg = path.join(root, 'xdg');
  mkdirSync(profile);
  mkdirSync(xdg);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: options.headless ?? process.env.NETPOL_E2E_HEADED !== '1',
      viewport: options.viewport ?? { width: 1600, height: 1000 },
      env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_CACHE_HOME: xdg, HOME: root } as Record<string, string>,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    liveRoots.delete(root);
    throw err;
  }
  const lines: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    console: lines,
    saveConsole: (file) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, lines.join('\n') + '\n');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
      liveRoots.delete(root);
    },
  };
}

/** The Quick Open / command palette text box (a checkbox in the same widget also matches `input`). */
export function quickInput(page: Page) {
  return page.locator('.quick-input-widget input.input');
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P). `relPath` is relative to the workspace folder
 * ("payments/policies.yaml"); the row is picked by file name and, when there is one, its folder,
 * so that same-named files in other folders are not taken.
 */
export async function quickOpen(page: Page, relPath: string, timeout = 60_000): Promise<void> {
  const parts = relPath.split(/[\\/]/);
  const base = parts.pop() ?? relPath;
  const dir = parts.join('/');
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ timeout });
  await quickInput(page).fill(relPath);
  let row = page.locator('.quick-input-list .monaco-list-row', { hasText: base });
  if (dir) row = row.filter({ hasText: dir });
  await row.first().waitFor({ timeout });
  await row.first().click();
  await page
    .locator(`.tabs-container .tab.active[aria-label*="${cssString(base)}"]`)
    .first()
    .waitFor({ timeout });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** Runs a command from the palette by its title. */
export async function runCommand(page: Page, title: string, timeout = 30_000): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await quickInput(page).waitFor({ timeout });
  await quickInput(page).fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
}

/** Inner frame of the active webview: outer iframe.webview.ready -> #active-frame (docs/testing.md, section 3). */
export function webviewFrame(page: Page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}

/** Puts the cursor of the active editor at a 1-based line and column (Quick Open ":line:column"). */
export async function gotoPosition(page: Page, line: number, column: number, timeout = 60_000): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ timeout });
  await quickInput(page).fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout });
}

/** The status-bar item of netpol-lens (its text is "N policies" once the workspace is indexed). */
export function netpolStatusItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: /\d+ polic(y|ies)/ }).first();
}
