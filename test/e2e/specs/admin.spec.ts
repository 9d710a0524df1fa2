// The admin tiers in a real VS Code (code-server 4.99.4, driven by Playwright; docs/semantics.md D):
// on a copy of examples/ with one ClusterNetworkPolicy added (Admin tier, priority 10: Accept from
// monitoring and Deny from payments-api into payments-db), a hover on an admin rule names its
// action, and the traffic diagram of namespace payments draws the admin decisions in their own
// styles (purple: accepted by an admin rule; red dashed with a cross: denied by an admin policy
// although NetworkPolicies allow it). The panel's Policies control switches to "NetworkPolicies
// only", where the admin arrows are gone.
//
// Started by test/e2e/run.mjs like every spec (it uses --vsix / --extension-folder and
// --artifacts). Exit status 0 when every step passed; results.json holds the steps.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { FrameLocator, Page } from 'playwright-core';
import { gotoPosition, launchBrowser, quickOpen, runCommand, webviewFrame, type Browser } from '../lib/browser';
import { e2eDir, exitOnSignals, extensionFromFlags, startCodeServer, type CodeServer } from '../lib/launcher';
import { cleanArtifacts, createSteps, STEP_TIMEOUT } from '../lib/steps';

const SPEC = 'admin';
const FILE = 'admin/cluster-policies.yaml';
const POLICY = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: protect-payments-db
spec:
  tier: Admin
  priority: 10
  subject:
    pods:
      namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: payments
      podSelector:
        matchLabels:
          app: payments-db
  ingress:
    - name: accept-monitoring
      action: Accept
      from:
        - namespaces:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
    - name: deny-payments-api
      action: Deny
      from:
        - pods:
            namespaceSelector:
              matchLabels:
                kubernetes.io/metadata.name: payments
            podSelector:
              matchLabels:
                app: payments-api
`;
/** The colours of emit.ts's link styles for the admin arrows. */
const ACCEPTED = '#7c3aed';
const DENIED = '#dc2626';

const { values: opts } = parseArgs({
  strict: false,
  options: {
    vsix: { type: 'string' },
    'extension-folder': { type: 'string' },
    artifacts: { type: 'string' },
  },
});

/** The style attributes of the diagram's arrows, once the same on two reads in a row. */
async function arrowStyles(frame: FrameLocator, tiers: string): Promise<string[]> {
  const deadline = Date.now() + STEP_TIMEOUT;
  let last = '';
  while (Date.now() < deadline) {
    const ns = await frame.locator('#namespace').inputValue();
    const chosen = await frame.locator('#tiers').inputValue();
    const styles = await frame
      .locator('#diagram svg path')
      .evaluateAll((ps) => ps.map((p) => (p.getAttribute('style') ?? '').toLowerCase()).filter((s) => s));
    const text = styles.join('\n');
    if (ns === 'payments' && chosen === tiers && styles.length && text === last) return styles;
    last = text;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`the diagram of payments (${tiers}) did not settle`);
}

async function main(): Promise<number> {
  const projectRoot = path.dirname(path.dirname(e2eDir()));
  const artifacts = path.resolve(String(opts.artifacts ?? path.join(e2eDir(), 'artifacts', SPEC)));
  cleanArtifacts(artifacts);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-admin-'));
  const workspace = path.join(tmp, 'examples');
  cpSync(path.join(projectRoot, 'examples'), workspace, { recursive: true });
  mkdirSync(path.join(workspace, 'admin'));
  writeFileSync(path.join(workspace, FILE), POLICY);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const { step, finish } = createSteps(SPEC, artifacts, () => ({ page, server }));

  console.log(`${SPEC}: workspace ${workspace}`);
  try {
    await step('code-server starts with the extension installed', async () => {
      const ext = extensionFromFlags(opts);
      server = await startCodeServer({ extensions: [ext], artifacts });
      return server.url;
    });

    await step('workbench loads and opens the ClusterNetworkPolicy', async () => {
      browser = await launchBrowser();
      page = browser.page;
      await page.goto(server!.folderUrl(workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: STEP_TIMEOUT });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: STEP_TIMEOUT });
      await quickOpen(page, FILE, STEP_TIMEOUT);
    });

    await step('a hover on the Deny action says what it does', async () => {
      const lines = readFileSync(path.join(workspace, FILE), 'utf8').split('\n');
      const line = lines.findIndex((l) => l.trim() === 'action: Deny') + 1;
      const column = lines[line - 1].indexOf('Deny') + 2;
      const hover = page!.locator('.monaco-hover:not(.hidden)').first();
      const deadline = Date.now() + STEP_TIMEOUT * 2;
      let seen = '';
      while (Date.now() < deadline) {
        await page!.keyboard.press('Escape');
        await gotoPosition(page!, line, column, STEP_TIMEOUT);
        await runCommand(page!, 'Show or Focus Hover', STEP_TIMEOUT);
        try {
          await hover.waitFor({ timeout: 5_000 });
          seen = (await hover.innerText()).replace(/\s*\n\s*/g, ' | ');
          if (/Deny/.test(seen) && /NetworkPolic/i.test(seen)) return seen.slice(0, 300);
        } catch {
          // no hover yet (the server is still indexing)
        }
        await page!.waitForTimeout(1_000);
      }
      throw new Error(`no hover on the Deny action; last seen: ${JSON.stringify(seen)}`);
    });

    await step('the diagram of payments draws the admin accept and deny in their own styles', async () => {
      await page!.keyboard.press('Escape');
      await page!.mouse.move(5, 500);
      await runCommand(page!, 'Show Traffic Diagram', STEP_TIMEOUT);
      const frame = webviewFrame(page!);
      await frame.locator('#namespace option[value="payments"]').waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
      await frame.locator('#namespace').selectOption('payments');
      const styles = await arrowStyles(frame, 'all');
      const accepted = styles.filter((s) => s.includes(ACCEPTED)).length;
      const denied = styles.filter((s) => s.includes(DENIED)).length;
      if (!accepted || !denied) {
        throw new Error(`expected admin arrows (accepted ${accepted}, denied ${denied}): ${styles.join(' | ')}`);
      }
      const legend = (await frame.locator('.legend').innerText()).replace(/\s*\n\s*/g, ' | ');
      if (!/allowed by an admin policy/.test(legend) || !/denied by an admin policy/.test(legend)) {
        throw new Error(`the legend lacks the admin entries: ${legend}`);
      }
      return `${accepted} accepted, ${denied} denied arrows; legend: ${legend}`;
    });

    await step('"NetworkPolicies only" draws no admin arrows', async () => {
      const frame = webviewFrame(page!);
      await frame.locator('#tiers').selectOption('networkpolicies');
      const styles = await arrowStyles(frame, 'networkpolicies');
      const admin = styles.filter((s) => s.includes(ACCEPTED) || s.includes(DENIED));
      if (admin.length) throw new Error(`admin arrows left: ${admin.join(' | ')}`);
      await frame.locator('#tiers').selectOption('all');
      const back = await arrowStyles(frame, 'all');
      if (!back.some((s) => s.includes(DENIED))) throw new Error('switching back does not draw the admin deny again');
      return `${styles.length} arrows without admin styles; back to all tiers: ${back.length} arrows`;
    });
  } finally {
    browser?.saveConsole(path.join(artifacts, 'browser-console.log'));
    await browser?.close();
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return finish({ workspace: 'examples/ with a ClusterNetworkPolicy', file: FILE });
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
