// The built server with hostile exclude patterns in its settings (workspace settings apply in
// Restricted Mode): a bad pattern is reported to the user once and skipped, a pattern that would
// backtrack forever does not stop indexing, and the valid patterns still apply.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const POD = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x}\nspec: {containers: [{name: c}]}\n`;

describe('language server over stdio: exclude patterns', function () {
  this.timeout(60000);
  let dir: string;
  let c: LspClient;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-lsp-exclude-'));
    mkdirSync(path.join(dir, 'skip'));
    writeFileSync(path.join(dir, 'skip', 'x.yaml'), POD('skipped'));
    writeFileSync(path.join(dir, 'keep.yaml'), POD('kept'));
    writeFileSync(path.join(dir, `${'a'.repeat(60)}.yaml`), POD('long'));
  });

  after(async () => {
    await c?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a bad pattern once, skips it, and indexes with the others', async () => {
    c = new LspClient();
    const messages: string[] = [];
    c.conn.onNotification('window/showMessage', (m: { message: string }) => messages.push(m.message));
    c.settings = { exclude: ['[z-a]', '*a*a*a*a*a*a*a*a*a*a*b', 'skip/**'] };
    c.filesExclude = { '{a,b': true };
    await c.initialize(pathToFileURL(dir).toString());
    const status = await c.waitForStatus((s) => s.ready === true, 20000);
    assert.equal(status.files, 2, JSON.stringify(status));
    await c.request('netpolLens/reindex', {});
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(messages.filter((m) => m.includes('[z-a]')).length, 1, messages.join('\n'));
    assert.deepEqual(messages.filter((m) => m.includes('{a,b')).length, 1, messages.join('\n'));
    assert.match(messages.join('\n'), /the exclude pattern "\[z-a\]" is ignored: the range z-a is out of order/);
  });
});
