// Protocol-level tests: the BUILT server (dist/server.js) over stdio, as any LSP client runs it.
import { strict as assert } from 'node:assert';
import { readFileSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { LspClient, type Published } from '../support/lspClient';
import { type DiskWorkspace, diskWorkspace } from '../support/workspace';

const root = path.resolve(__dirname, '../..');

function codes(p: Published | undefined): string[] {
  return (p?.diagnostics ?? []).map((d) => String(d.code)).sort();
}

describe('language server over stdio: diagnostics', function () {
  this.timeout(60000);
  let ws: DiskWorkspace;
  let c: LspClient;
  let uri: (rel: string) => string;

  before(async () => {
    ws = diskWorkspace({}, { copyOf: path.join(root, 'examples'), prefix: 'netpol-lsp-' });
    uri = ws.uri;
    c = new LspClient();
    const init = (await c.initialize(ws.rootUri)) as {
      capabilities: Record<string, unknown>;
      serverInfo: { name: string };
    };
    assert.equal(init.serverInfo.name, 'netpol-lens');
    assert.ok(init.capabilities.hoverProvider !== undefined);
    const status = await c.waitForStatus();
    assert.ok((status.policies as number) >= 10, JSON.stringify(status));
    await c.waitForDiagnostics((p) => p.uri === uri('shop/policies.yaml'));
  });

  after(async () => {
    await c?.shutdown();
    ws?.remove();
  });

  it('publishes the deliberate mistakes of the demo workspace at start-up', async () => {
    await c.waitForDiagnostics((p) => p.uri === uri('payments/policies.yaml'));
    assert.ok(codes(c.diagnostics.get(uri('shop/policies.yaml'))).includes('NPP11'));
    const pay = codes(c.diagnostics.get(uri('payments/policies.yaml')));
    for (const id of ['NPP01', 'NPP03', 'NPP10']) assert.ok(pay.includes(id), `${id} in ${pay}`);
    const d = c.diagnostics.get(uri('shop/policies.yaml'))!.diagnostics.find((x) => x.code === 'NPP11')!;
    assert.equal(d.source, 'netpol-lens');
    assert.equal(d.severity, 2);
    assert.match((d as { codeDescription?: { href: string } }).codeDescription?.href ?? '', /docs\/rules\/NPP11\.md$/);
    assert.ok((d as { relatedInformation?: unknown[] }).relatedInformation?.length, 'NPP11 points at the Service');
  });

  it('re-publishes an edited document with its version, re-parsing incrementally', async () => {
    const u = uri('edited.yaml');
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  podSelector: {}\n  egress:\n    - to:\n        - podSelector: {}\n';
    await c.open(u, text, 1);
    const first = await c.waitForDiagnostics((p) => p.uri === u && p.version === 1);
    assert.ok(codes(first).includes('NPP03'), codes(first).join());
    // add policyTypes: [Egress] with an incremental change after line 6
    await c.change(u, 2, [
      {
        range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } },
        text: '  policyTypes: [Egress]\n',
      },
    ]);
    const second = await c.waitForDiagnostics((p) => p.uri === u && p.version === 2);
    assert.ok(!codes(second).includes('NPP03'), codes(second).join());
    await c.close(u);
  });

  it('updates policies in other files when a workload label changes (cross-file)', async () => {
    const wl = uri('shop/workloads.yaml');
    const pol = uri('shop/policies.yaml');
    const before = codes(c.diagnostics.get(pol));
    assert.ok(!before.includes('NPP37'));
    const text = readFileSync(ws.path('shop/workloads.yaml'), 'utf8');
    // the catalog pods lose their app=catalog label: the catalog policy selects nothing
    await c.open(
      wl,
      text.replace('        app: catalog\n        tier: backend', '        app: katalog\n        tier: backend'),
      1,
    );
    const after = await c.waitForDiagnostics((p) => p.uri === pol && codes(p).includes('NPP37'));
    assert.ok(codes(after).includes('NPP37'));
    await c.open(wl, text, 2);
    await c.change(wl, 3, [{ text }]);
    await c.close(wl);
    await c.waitForDiagnostics((p) => p.uri === pol && !codes(p).includes('NPP37'));
  });

  it("does not send a file's diagnostics again when an edit elsewhere leaves them unchanged", async () => {
    const pol = uri('payments/policies.yaml');
    const wl = uri('shop/workloads.yaml');
    const text = readFileSync(ws.path('shop/workloads.yaml'), 'utf8');
    const before = c.publishCount.get(pol) ?? 0;
    assert.ok(before >= 1);
    // a comment-only edit of another namespace's workloads: the sweep re-checks, nothing changes
    await c.open(wl, `# a comment\n${text}`, 1);
    await c.waitForDiagnostics((p) => p.uri === wl && p.version === 1);
    // a label edit in the same file does change the shop policies' diagnostics: they are sent
    const shopPol = uri('shop/policies.yaml');
    const shopBefore = c.publishCount.get(shopPol) ?? 0;
    await c.change(wl, 2, [
      {
        text: `# a comment\n${text.replace('        app: catalog\n        tier: backend', '        app: katalog\n        tier: backend')}`,
      },
    ]);
    await c.waitForDiagnostics((p) => p.uri === shopPol && codes(p).includes('NPP37'));
    assert.ok((c.publishCount.get(shopPol) ?? 0) > shopBefore);
    // the sweep that re-published shop/policies.yaml visited payments/ too (files in path order)
    assert.equal(c.publishCount.get(pol), before, 'payments/policies.yaml was sent again with the same diagnostics');
    await c.change(wl, 3, [{ text }]);
    await c.close(wl);
    await c.waitForDiagnostics((p) => p.uri === shopPol && !codes(p).includes('NPP37'));
  });

  it('answers netpolLens/diff: the connectivity changes from a base version of some files', async () => {
    const pol = uri('payments/policies.yaml');
    const now = readFileSync(ws.path('payments/policies.yaml'), 'utf8');
    // the base allowed nothing into the payments database: the current file adds db-from-api
    const base = now
      .split('\n---\n')
      .filter((d) => !d.includes('name: db-from-api'))
      .join('\n---\n');
    assert.notEqual(base, now);
    const r = await c.request<{ markdown: string; changes: number }>('netpolLens/diff', {
      base: [{ uri: pol, text: base }],
      title: 'Connectivity: working tree vs HEAD',
    });
    assert.ok(r.changes >= 1, JSON.stringify(r));
    assert.match(r.markdown, /^## Connectivity: working tree vs HEAD\n\n\d+ added, \d+ removed, \d+ changed/);
    assert.match(
      r.markdown,
      /\| added \| payments\/payments-api\\\[Deployment\\\] \| payments\/payments-db\\\[StatefulSet\\\] \| nothing \| TCP 5432 \|/,
    );
    const same = await c.request<{ markdown: string; changes: number }>('netpolLens/diff', {
      base: [{ uri: pol, text: now }],
    });
    assert.equal(same.changes, 0);
    assert.match(same.markdown, /No change in connectivity/);
    const bad = await c.request<{ changes: number }>('netpolLens/diff', { base: 'nonsense' });
    assert.equal(bad.changes, 0, 'malformed parameters compare the workspace with itself');
  });

  it('follows file creation and deletion on disk', async () => {
    const u = ws.write(
      'new-policy.yaml',
      'apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: old\n  namespace: shop\nspec:\n  podSelector: {}\n',
    );
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: u, type: 1 }] });
    const got = await c.waitForDiagnostics((x) => x.uri === u);
    assert.ok(codes(got).includes('NPP45'));
    unlinkSync(ws.path('new-policy.yaml'));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: u, type: 3 }] });
    const gone = await c.waitForDiagnostics((x) => x.uri === u && x.diagnostics.length === 0);
    assert.equal(gone.diagnostics.length, 0);
  });

  it('says once that other policy kinds are not analysed', async () => {
    const u = uri('cilium.yaml');
    await c.open(
      u,
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: c\nspec:\n  endpointSelector: {}\n',
      1,
    );
    const got = await c.waitForDiagnostics((x) => x.uri === u);
    assert.deepEqual(codes(got), ['NPX01']);
    await c.close(u);
  });

  it('returns both policyTypes quick fixes for NPP03', async () => {
    const u = uri('payments/policies.yaml');
    const d = c.diagnostics.get(u)!.diagnostics.find((x) => x.code === 'NPP03')!;
    const actions = await c.request<
      Array<{ title: string; edit: { changes: Record<string, Array<{ newText: string }>> } }>
    >('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.some((t) => t.includes('[Egress]')),
      titles.join('|'),
    );
    assert.ok(
      titles.some((t) => t.includes('[Ingress, Egress]')),
      titles.join('|'),
    );
    const text = actions[0].edit.changes[u][0].newText;
    assert.match(text, /policyTypes:\n\s+- Egress/);
  });

  it('skips files above the size limit with one information diagnostic', async () => {
    const big = `# padding\n${'#'.repeat(1100 * 1024)}\n`;
    const u = uri('big.yaml');
    // a new size limit makes the server read the settings, then index the workspace again
    let rescanned = c.waitForStatus((s) => s.ready === true, 60000, false);
    await c.configure({ maxFileSizeMB: 1 });
    await rescanned;
    await c.open(u, big, 1);
    const got = await c.waitForDiagnostics((x) => x.uri === u);
    assert.deepEqual(codes(got), ['NPX02']);
    assert.equal(got.diagnostics[0].severity, 3);
    await c.close(u);
    rescanned = c.waitForStatus((s) => s.ready === true, 60000, false);
    await c.configure({});
    await rescanned;
  });

  it('honours rule settings sent by the client', async () => {
    await c.configure({ rules: { NPP11: 'off' } });
    const u = uri('shop/policies.yaml');
    const got = await c.waitForDiagnostics((x) => x.uri === u && !codes(x).includes('NPP11'));
    assert.ok(!codes(got).includes('NPP11'));
    await c.configure({});
    await c.waitForDiagnostics((x) => x.uri === u && codes(x).includes('NPP11'));
  });
});
