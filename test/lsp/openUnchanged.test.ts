// Opening the files the index already has costs next to nothing (issue 10, item 2): the BUILT server
// (dist/server.js; run `node esbuild.mjs` first) over stdio, with its work counted through
// `netpolLens/workCounters` (worlds built, documents checked, sweeps, model changes), never timed.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  IdleWorkCountersRequest,
  type WorkCounters,
  WorkCountersRequest,
} from '../../server/src/handlers/workCounters';
import { LspClient } from '../support/lspClient';

const root = path.resolve(__dirname, '../..');

function manifests(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...manifests(p));
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out.sort();
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('language server over stdio: opening files the index already has', function () {
  this.timeout(60000);
  let dir: string;
  let files: string[];
  let c: LspClient;
  const uri = (f: string): string => pathToFileURL(f).toString();
  const counters = (): Promise<WorkCounters> => c.conn.sendRequest(WorkCountersRequest);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-open-'));
    cpSync(path.join(root, 'examples'), dir, { recursive: true });
    files = manifests(dir);
    c = new LspClient();
    await c.initialize(uri(dir), {
      workspace: {
        configuration: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        codeLens: { refreshSupport: true },
        inlayHint: { refreshSupport: true },
      },
    });
    await c.waitForStatus();
    // the environments of examples/ (storefront, charts) render in the background
    await c.conn.sendRequest(IdleWorkCountersRequest);
    for (const f of files) await c.waitForDiagnostics((p) => p.uri === uri(f));
    // the start-up sweep is over once nothing more is published
    let before = -1;
    for (let n = (await counters()).diagnosticsPublished; n !== before; n = (await counters()).diagnosticsPublished) {
      before = n;
      await settle(100);
    }
  });

  after(async () => {
    await c?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes an opened file for its version from the cache: no rebuild, no check, no sweep, no refresh', async () => {
    const start = await counters();
    for (const [i, f] of files.entries()) {
      const before = c.diagnostics.get(uri(f))!;
      await c.open(uri(f), readFileSync(f, 'utf8'), i + 1);
      const opened = await c.waitForDiagnostics((p) => p.uri === uri(f) && p.version === i + 1);
      assert.deepEqual(opened.diagnostics, before.diagnostics, path.relative(dir, f));
    }
    const end = await counters();
    assert.equal(end.worldBuilds, start.worldBuilds, 'worlds built');
    assert.equal(end.documentsChecked, start.documentsChecked, 'documents checked');
    assert.equal(end.sweeps, start.sweeps, 'sweeps over the workspace');
    assert.equal(end.modelChanges, start.modelChanges, 'model changes');
    assert.equal(end.diagnosticsPublished - start.diagnosticsPublished, files.length, 'one publish per opened file');
  });

  it('keeps the indexed text when an unchanged file is closed: nothing recomputed, nothing cleared', async () => {
    const before = await c.request<{ namespaces: string[] }>('netpolLens/namespaces', {});
    assert.ok(before.namespaces.includes('payments'), before.namespaces.join(', '));
    const start = await counters();
    const published = new Map(files.map((f) => [f, c.publishCount.get(uri(f))]));
    for (const f of files) await c.close(uri(f));
    // a close re-reads the file from disk (it may have changed while the editor had it open): give
    // the reads time to finish, then nothing must have happened
    await settle(500);
    const end = await counters();
    assert.deepEqual(end, start);
    for (const f of files) assert.equal(c.publishCount.get(uri(f)), published.get(f), path.relative(dir, f));
    // the closed files are still part of the model
    const { namespaces } = await c.request<{ namespaces: string[] }>('netpolLens/namespaces', {});
    assert.deepEqual(namespaces, before.namespaces);
  });

  it('recomputes nothing when the watcher reports files saved with the text the index has', async () => {
    const start = await counters();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: files.map((f) => ({ uri: uri(f), type: 2 })),
    });
    await settle(500);
    assert.deepEqual(await counters(), start);
  });

  it('rebuilds when an opened text differs from the index, and when a closed file changed on disk', async () => {
    const f = path.join(dir, 'shop/policies.yaml');
    const text = readFileSync(f, 'utf8');
    let before = await counters();
    await c.open(uri(f), `# edited in the editor\n${text}`, 1);
    await c.waitForDiagnostics((p) => p.uri === uri(f) && p.version === 1);
    let after = await counters();
    assert.equal(after.worldBuilds, before.worldBuilds + 1);
    assert.ok(after.sweeps > before.sweeps);
    // the file changes on disk while open (the editor's text wins), then is closed: the disk wins
    before = after;
    writeFileSync(f, text.replace(/^kind: NetworkPolicy$/m, 'kind: NetworkPolicy\n# changed on disk'));
    await c.close(uri(f));
    for (let i = 0; i < 100 && (await counters()).worldBuilds === before.worldBuilds; i++) await settle(20);
    after = await counters();
    assert.equal(after.worldBuilds, before.worldBuilds + 1);
  });
});
