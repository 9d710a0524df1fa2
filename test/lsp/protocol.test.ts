// The custom protocol (server/src/protocol/index.ts) against the BUILT server (dist/server.js; run
// `node esbuild.mjs` first): the method names other editors rely on, every custom request answered
// through the typed objects, malformed parameters, the notifications, and one answer to "which
// namespace is this document about" for the namespace list and the diagram.
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import * as protocol from '../../server/src/protocol';
import * as commands from '../../server/src/protocol/commands';
import { LspClient } from '../support/lspClient';
import { until } from '../support/wait';

const root = path.resolve(__dirname, '../..');
const SERVER = path.join(root, 'dist/server.js');

/** The typed request and notification objects the protocol module exports, by export name. */
function signatures(): Array<{ name: string; method: string; kind: string; params: number }> {
  return Object.entries(protocol)
    .flatMap(([name, v]) => {
      if (!(v instanceof RequestType || v instanceof RequestType0 || v instanceof NotificationType)) return [];
      const kind = v instanceof NotificationType ? 'notification' : 'request';
      return [{ name, method: v.method, kind, params: v.numberOfParams }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('the custom protocol', () => {
  it('names each custom method once, as other editors call it', () => {
    assert.deepEqual(signatures(), [
      { name: 'DiagramRequest', method: 'netpolLens/diagram', kind: 'request', params: 1 },
      { name: 'DiffRequest', method: 'netpolLens/diff', kind: 'request', params: 1 },
      { name: 'IndexStatusNotification', method: 'netpolLens/indexStatus', kind: 'notification', params: 1 },
      { name: 'ModelChangedNotification', method: 'netpolLens/modelChanged', kind: 'notification', params: 1 },
      { name: 'NamespacesRequest', method: 'netpolLens/namespaces', kind: 'request', params: 1 },
      { name: 'ReindexRequest', method: 'netpolLens/reindex', kind: 'request', params: 0 },
      {
        name: 'WorkspaceTrustNotification',
        method: 'netpolLens/workspaceTrust',
        kind: 'notification',
        params: 1,
      },
    ]);
    assert.equal(protocol.SETTINGS_SECTION, 'netpolLens');
  });

  it('the settings section and the commands are the ones package.json declares', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> }; commands: Array<{ command: string }> };
    };
    const keys = Object.keys(pkg.contributes.configuration.properties);
    assert.ok(keys.length > 10);
    for (const k of keys) assert.ok(k.startsWith(`${protocol.SETTINGS_SECTION}.`), k);
    const declared = pkg.contributes.commands.map((x) => x.command);
    assert.deepEqual(
      Object.values(commands).filter((v) => !declared.includes(v)),
      [],
    );
    assert.deepEqual(Object.values(commands).sort(), ['netpolLens.showDiagram', 'netpolLens.showSelectedWorkloads']);
  });
});

describe('language server over stdio: the custom protocol', function () {
  this.timeout(60000);
  let dir: string;
  let c: LspClient;
  let uri: (rel: string) => string;

  before(async () => {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`node esbuild.mjs\` first`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-protocol-'));
    // the demo workspace: its Kustomize and Helm environments (examples/storefront, examples/charts)
    // are rendered, so their files are not part of the plain manifests these answers are about
    cpSync(path.join(root, 'examples'), dir, { recursive: true });
    uri = (rel) => pathToFileURL(path.join(dir, rel)).toString();
    c = new LspClient(SERVER);
    await c.initialize(pathToFileURL(dir).toString());
    await c.waitForStatus();
  });

  after(async () => {
    await c?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers every custom request through the typed objects', async () => {
    const requests = signatures().filter((s) => s.kind === 'request');
    const asked: string[] = [];
    const shop = uri('shop/policies.yaml');

    const ns = await c.conn.sendRequest(protocol.NamespacesRequest, { uri: shop });
    asked.push(protocol.NamespacesRequest.method);
    assert.deepEqual(ns, { namespaces: ['kube-system', 'monitoring', 'payments', 'shop'], active: 'shop' });

    const diagram = await c.conn.sendRequest(protocol.DiagramRequest, { uri: shop });
    asked.push(protocol.DiagramRequest.method);
    assert.equal(diagram.namespace, 'shop');
    assert.match(diagram.mermaid, /^flowchart LR$/m);

    const diff = await c.conn.sendRequest(protocol.DiffRequest, { base: [], title: 'Nothing' });
    asked.push(protocol.DiffRequest.method);
    assert.equal(diff.changes, 0);
    assert.match(diff.markdown, /^## Nothing\n/);

    const reindex = await c.conn.sendRequest(protocol.ReindexRequest);
    asked.push(protocol.ReindexRequest.method);
    assert.equal(reindex.files, c.lastStatus?.files);
    // 10 plain manifests and the 12 YAML files the environments read (kustomizations, chart files)
    assert.equal(reindex.files, 22);

    assert.deepEqual(asked.sort(), requests.map((r) => r.method).sort(), 'a new request needs a case here');
  });

  it('draws the admin tiers in the diagram, or NetworkPolicies only when asked', async () => {
    const admin = uri('admin-deny-shop.yaml');
    await c.open(
      admin,
      [
        'apiVersion: policy.networking.k8s.io/v1alpha1',
        'kind: AdminNetworkPolicy',
        'metadata:',
        '  name: deny-into-shop',
        'spec:',
        '  priority: 1',
        '  subject:',
        '    namespaces:',
        '      matchLabels:',
        '        kubernetes.io/metadata.name: shop',
        '  ingress:',
        '    - action: Deny',
        '      from:',
        '        - namespaces: {}',
        '',
      ].join('\n'),
    );
    const all = await until('a denied arrow in the diagram of shop', async () => {
      const d = await c.conn.sendRequest(protocol.DiagramRequest, { namespace: 'shop' });
      return Object.values(d.edges).some((e) => e.kind === 'denied') && d;
    });
    assert.ok(
      Object.values(all.edges).some((e) => e.admin === 'denied' && e.rules.some((r) => r.policy === 'deny-into-shop')),
    );
    const np = await c.conn.sendRequest(protocol.DiagramRequest, { namespace: 'shop', tiers: 'networkpolicies' });
    assert.ok(Object.values(np.edges).every((e) => e.kind !== 'denied' && !e.admin));
    await c.close(admin);
  });

  it("names the protocol's commands in its CodeLenses", async () => {
    const shop = uri('shop/policies.yaml');
    await c.open(shop, readFileSync(path.join(dir, 'shop/policies.yaml'), 'utf8'));
    const lenses = await c.request<Array<{ command?: { command: string } }>>('textDocument/codeLens', {
      textDocument: { uri: shop },
    });
    const named = new Set(lenses.map((l) => l.command?.command));
    assert.deepEqual([...named].sort(), [commands.SHOW_DIAGRAM_COMMAND, commands.SHOW_SELECTED_COMMAND].sort());
    await c.close(shop);
  });

  it('gives the namespace list and the diagram the same answer to "which namespace is this document about"', async () => {
    for (const rel of [
      'namespaces.yaml',
      'shop/services.yaml',
      'payments/workloads.yaml',
      'kube-system/coredns.yaml',
      'tests/connectivity-expectations.yaml',
      'not-indexed.yaml',
    ]) {
      const { active } = await c.conn.sendRequest(protocol.NamespacesRequest, { uri: uri(rel) });
      const { namespace } = await c.conn.sendRequest(protocol.DiagramRequest, { uri: uri(rel) });
      assert.ok(active, rel);
      assert.equal(active, namespace, rel);
    }
    // the object at a position wins: the Namespace manifest of payments in a file of four
    const lines = readFileSync(path.join(dir, 'namespaces.yaml'), 'utf8').split('\n');
    const line = lines.indexOf('  name: payments');
    assert.ok(line > 0);
    const at = await c.conn.sendRequest(protocol.NamespacesRequest, {
      uri: uri('namespaces.yaml'),
      position: { line, character: 2 },
    });
    assert.equal(at.active, 'payments');
    // without a document there is no active namespace
    assert.equal((await c.conn.sendRequest(protocol.NamespacesRequest, {})).active, undefined);
  });

  it('reads malformed parameters as absent, and says so when parameters are missing', async () => {
    const fallback = await c.conn.sendRequest(protocol.DiagramRequest, {});
    const odd = await c.request<protocol.DiagramResult>(protocol.DiagramRequest.method, {
      namespace: 5,
      uri: { not: 'a string' },
      merge: 'no',
      showReplies: 1,
    });
    assert.equal(odd.namespace, fallback.namespace);
    assert.equal(odd.stats.replies, 0);
    const ns = await c.request<protocol.NamespacesResult>(protocol.NamespacesRequest.method, {
      uri: 7,
      position: 'top',
    });
    assert.equal(ns.active, undefined);
    assert.equal(
      (await c.request<protocol.DiagramResult>(protocol.DiagramRequest.method, null)).namespace,
      fallback.namespace,
    );
    await assert.rejects(c.conn.sendRequest(protocol.DiagramRequest.method), /defines 1 params but received none/);
    // re-index takes no parameters, and ignores any (the extension once sent {})
    assert.equal((await c.request<protocol.ReindexResult>(protocol.ReindexRequest.method, {})).files, 22);
    // and the server keeps answering
    assert.equal((await c.conn.sendRequest(protocol.DiagramRequest, { namespace: 'payments' })).namespace, 'payments');
  });

  it('tells the client that the model changed after an edit (netpolLens/modelChanged)', async () => {
    const versions: number[] = [];
    let heard!: () => void;
    const once = new Promise<void>((r) => (heard = r));
    c.conn.onNotification(protocol.ModelChangedNotification, (p) => {
      versions.push(p.version);
      heard();
    });
    const u = uri('edited.yaml');
    await c.open(u, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: edited\n');
    await once;
    assert.ok(versions.length >= 1 && versions.every((v) => Number.isInteger(v) && v > 0), versions.join());
    const { namespaces } = await c.conn.sendRequest(protocol.NamespacesRequest, {});
    assert.ok(namespaces.includes('edited'), namespaces.join());
  });
});
