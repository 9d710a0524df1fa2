// Environments in the language server (docs/environments.md), against the BUILT server
// (dist/server.js; run `node esbuild.mjs` first) on a copy of examples/: the Kustomize overlays of
// examples/storefront rendered with the real `kubectl kustomize` (required: /usr/bin/kubectl or
// kubectl on the PATH), the chart examples/charts/catalog with the stand-in helm of
// test/fixtures/helm. Findings per environment, merged and placed in the base files; hovers and
// CodeLenses naming the environments; the diagram per environment; NPX09 when a render fails;
// Restricted Mode; and renders only for the environments whose inputs changed.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as protocol from '../../server/src/protocol';
import { LspClient, type Published } from '../support/lspClient';

const root = path.resolve(__dirname, '../..');
const SERVER = path.join(root, 'dist/server.js');
const HELM = path.join(root, 'test/fixtures/helm/helm');

interface Counters {
  renders: number;
  environmentChecks: number;
  environmentUpdates: number;
}

interface Diag {
  code: string;
  message: string;
  range: { start: { line: number } };
}

function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-envs-'));
  cpSync(path.join(root, 'examples'), dir, { recursive: true });
  return dir;
}

async function start(dir: string, init?: Record<string, unknown>, settings: Record<string, unknown> = {}) {
  const c = new LspClient(SERVER);
  c.settings = { render: { helm: HELM }, ...settings };
  await c.initialize(pathToFileURL(dir).toString(), {}, init);
  await c.waitForStatus();
  return c;
}

const idle = (c: LspClient): Promise<Counters> => c.request<Counters>('netpolLens/workCountersWhenIdle', undefined);

function diagnosticsOf(c: LspClient, uri: string): Diag[] {
  return ((c.diagnostics.get(uri) as Published | undefined)?.diagnostics ?? []) as unknown as Diag[];
}

function hoverText(h: unknown): string {
  const c = (h as { contents?: { value?: string } } | null)?.contents;
  return c?.value ?? '';
}

/** Expectations for prod only (one met, one not, one unknown environment), and for every environment. */
const STOREFRONT_EXPECTATIONS = `apiVersion: netpol-lens.dev/v1
kind: ConnectivityExpectations
metadata:
  name: storefront-prod
environments: [storefront/overlays/prod]
expectations:
  - from: storefront-prod/web
    to: storefront-prod/api
    port: 8443
    allowed: true
  - from: storefront-prod/web
    to: storefront-prod/api
    port: 9999
    allowed: true
---
apiVersion: netpol-lens.dev/v1
kind: ConnectivityExpectations
metadata:
  name: storefront-everywhere
expectations:
  - from: storefront-dev/web
    to: storefront-dev/api
    port: 8443
    allowed: true
---
apiVersion: netpol-lens.dev/v1
kind: ConnectivityExpectations
metadata:
  name: nowhere
environments: [storefront/overlays/qa]
expectations: []
`;

describe('language server: Kustomize and Helm environments', function () {
  this.timeout(120000);
  let dir: string;
  let c: LspClient;
  const uri = (rel: string): string => pathToFileURL(path.join(dir, rel)).toString();

  before(async () => {
    dir = workspace();
    writeFileSync(path.join(dir, 'tests/storefront-expectations.yaml'), STOREFRONT_EXPECTATIONS);
    c = await start(dir);
    await idle(c);
  });

  after(async () => {
    await c?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('checks each environment on its own and merges the findings in the base file, naming the environments', async () => {
    const base = uri('storefront/base/policies.yaml');
    const p = await c.waitForDiagnostics((x) => x.uri === base && x.diagnostics.some((d) => d.code === 'NPX10'));
    const diags = p.diagnostics as unknown as Diag[];
    const trap = diags.find((d) => d.code === 'NPX10')!;
    assert.match(trap.message, /^\[storefront\/overlays\/dev, storefront\/overlays\/prod\] /);
    assert.match(trap.message, /storefront\/base\/kustomization\.yaml/);
    // per environment: the DNS finding names each overlay's own namespace
    const dns = diags.filter((d) => d.code === 'NPP10');
    assert.ok(dns.length > 0);
    assert.ok(dns.every((d) => d.message.includes('storefront-dev/') && d.message.includes('storefront-prod/')));
    // no finding caused by two overlays of one base, and no missing namespace where the overlays set it
    for (const rel of ['storefront/base/policies.yaml', 'storefront/base/workloads.yaml']) {
      const codes = diagnosticsOf(c, uri(rel)).map((d) => d.code);
      for (const code of ['NPP34', 'NPP35', 'NPX06']) assert.ok(!codes.includes(code), `${rel}: ${codes.join()}`);
    }
    // the plain manifests are checked as before: nothing of the environments reaches them
    const { namespaces } = await c.conn.sendRequest(protocol.NamespacesRequest, {});
    assert.ok(!namespaces.some((n) => n.startsWith('storefront')), namespaces.join());
  });

  it('says in a hover and a CodeLens of a base file what the object is in each environment', async () => {
    const rel = 'storefront/base/policies.yaml';
    const text = readFileSync(path.join(dir, rel), 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('  name: api-from-web'));
    assert.ok(line > 0);
    const h = await c.request('textDocument/hover', {
      textDocument: { uri: uri(rel) },
      position: { line, character: 4 },
    });
    const value = hoverText(h);
    assert.match(value, /selects 1 workload in storefront\/overlays\/dev, 1 in storefront\/overlays\/prod/);
    assert.match(value, /`storefront-prod\/api-from-web` selects 1 workload \(api\)/);
    const lenses = await c.request<Array<{ command: { title: string; arguments: unknown[] } }>>(
      'textDocument/codeLens',
      {
        textDocument: { uri: uri(rel) },
      },
    );
    const titles = lenses.map((l) => l.command.title);
    assert.ok(
      titles.includes('selects 2 workloads in storefront/overlays/dev, 2 in storefront/overlays/prod'),
      titles.join('\n'),
    );
    const diagramLens = lenses.find((l) => l.command.title.startsWith('storefront/overlays/prod: '))!;
    assert.deepEqual(diagramLens.command.arguments, [
      { namespace: 'storefront-prod', environment: 'storefront/overlays/prod' },
    ]);
    // the selected workloads are listed in the base file, where they are written
    const selected = lenses.find((l) => l.command.title.startsWith('selects 2'))!.command.arguments[1] as Array<{
      uri: string;
      label: string;
    }>;
    assert.ok(selected.length === 4 && selected.every((s) => s.uri === uri('storefront/base/workloads.yaml')));
  });

  it('draws the diagram of the environment asked for, with its locations in the source files', async () => {
    const dev = await c.conn.sendRequest(protocol.DiagramRequest, { environment: 'storefront/overlays/dev' });
    const prod = await c.conn.sendRequest(protocol.DiagramRequest, { environment: 'storefront/overlays/prod' });
    assert.deepEqual(dev.environments, [
      '.',
      'charts/catalog',
      'charts/catalog@values-prod.yaml',
      'storefront/overlays/dev',
      'storefront/overlays/prod',
    ]);
    assert.equal(dev.environment, 'storefront/overlays/dev');
    assert.deepEqual([dev.namespace, prod.namespace], ['storefront-dev', 'storefront-prod']);
    assert.notEqual(dev.mermaid, prod.mermaid);
    // the prod-only monitoring component allows one more source
    assert.ok(Object.keys(prod.edges).length > Object.keys(dev.edges).length);
    const locs = Object.values(dev.nodes).flatMap((n) => n.locations.map((l) => l.uri));
    assert.ok(locs.length && locs.every((u) => u.startsWith(uri('storefront/'))), locs.join());
    // without an environment: the plain manifests, as before
    const plain = await c.conn.sendRequest(protocol.DiagramRequest, { uri: uri('shop/policies.yaml') });
    assert.equal(plain.environment, '.');
    assert.equal(plain.namespace, 'shop');
    // a base file's diagram is that of the first environment that renders it
    const fromBase = await c.conn.sendRequest(protocol.DiagramRequest, { uri: uri('storefront/base/policies.yaml') });
    assert.equal(fromBase.environment, 'storefront/overlays/dev');
  });

  it('checks connectivity expectations in the environments they name (default: all)', async () => {
    const u = uri('tests/storefront-expectations.yaml');
    const p = await c.waitForDiagnostics((x) => x.uri === u && x.diagnostics.length > 0);
    const got = (p.diagnostics as unknown as Diag[]).map(
      (d) => `${d.range.start.line} ${d.code} ${d.message.slice(0, 90)}`,
    );
    assert.deepEqual(got.sort(), [
      '10 NPX07 [storefront/overlays/prod] Expected storefront-prod/web → storefront-prod/api to be allowe',
      // without environments: only dev has storefront-dev/*, so it is checked there, and 8443 is prod's
      '20 NPX07 [storefront/overlays/dev] Expected storefront-dev/web → storefront-dev/api to be allowed o',
      '29 NPX08 No environment storefront/overlays/qa in this workspace folder (environments: ., charts/ca',
    ]);
    // the demo's own contracts (about the plain manifests) still hold in every environment they can be checked in
    assert.deepEqual(diagnosticsOf(c, uri('tests/connectivity-expectations.yaml')), []);
  });

  it('compares with a base version environment by environment', async () => {
    const rel = 'storefront/base/policies.yaml';
    const text = readFileSync(path.join(dir, rel), 'utf8');
    // in the base version, web reached the api on 9090 instead of 8080
    const baseText = text.replace(/port: 8080/g, 'port: 9090');
    assert.notEqual(baseText, text);
    const d = await c.conn.sendRequest(protocol.DiffRequest, {
      base: [{ uri: uri(rel), text: baseText }],
      title: 'Since HEAD',
    });
    assert.match(d.markdown, /^## Since HEAD — \. \(plain manifests\)\n+No change in connectivity\.$/m);
    for (const env of ['storefront/overlays/dev', 'storefront/overlays/prod']) {
      const part = d.markdown.split(`## Since HEAD — ${env}\n`)[1]?.split('\n## ')[0] ?? '';
      assert.match(
        part,
        new RegExp(`storefront-${env.endsWith('dev') ? 'dev' : 'prod'}/web`),
        `${env}:\n${d.markdown}`,
      );
      assert.match(part, /TCP 8080/);
    }
    assert.match(
      d.markdown,
      /Unchanged \(no file they read differs\): charts\/catalog, charts\/catalog@values-prod\.yaml\./,
    );
    assert.ok(d.changes >= 2);
  });

  it('re-renders only the environments whose inputs changed, and the edited file first', async () => {
    const rel = 'storefront/base/policies.yaml';
    const u = uri(rel);
    const text = readFileSync(path.join(dir, rel), 'utf8');
    const before = await idle(c);
    // an unsaved edit: no render (the tools read the disk), the edited file's diagnostics at once
    await c.open(u, text, 1);
    await c.waitForDiagnostics((p) => p.uri === u && p.version === 1);
    const edited = `${text}\n# edited\n`;
    await c.change(u, 2, [{ text: edited }]);
    const p2 = await c.waitForDiagnostics((p) => p.uri === u && p.version === 2);
    assert.ok((p2.diagnostics as unknown as Diag[]).some((d) => d.code === 'NPX10'));
    assert.equal((await idle(c)).renders, before.renders);
    // saved: the two overlays that read the base render again, the charts do not
    writeFileSync(path.join(dir, rel), edited);
    await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
    let after = await idle(c);
    assert.equal(after.renders, before.renders + 2);
    // an overlay's own kustomization: only that overlay
    const dev = path.join(dir, 'storefront/overlays/dev/kustomization.yaml');
    writeFileSync(dev, `${readFileSync(dev, 'utf8')}# touched\n`);
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(dev).toString(), type: 2 }],
    });
    const more = await idle(c);
    assert.equal(more.renders, after.renders + 1);
    // the same text saved again: nothing renders, nothing is checked
    after = more;
    await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
    const same = await idle(c);
    assert.equal(same.renders, after.renders);
    assert.equal(same.environmentChecks, after.environmentChecks);
    await c.close(u);
  });

  it('reports a failed render once on the Chart.yaml, with the fix (NPX09)', async () => {
    const chart = uri('charts/catalog/Chart.yaml');
    await c.configure({ render: { helm: path.join(dir, 'no-such-helm') } });
    const p = await c.waitForDiagnostics((x) => x.uri === chart && x.diagnostics.some((d) => d.code === 'NPX09'));
    const npx09 = (p.diagnostics as unknown as Diag[]).filter((d) => d.code === 'NPX09');
    assert.equal(npx09.length, 1);
    assert.match(npx09[0].message, /\[charts\/catalog\] Environment charts\/catalog was not rendered: /);
    assert.match(npx09[0].message, /\[charts\/catalog@values-prod\.yaml\] Environment charts\/catalog@values-prod/);
    assert.match(npx09[0].message, /netpolLens\.render\.helm/);
    // the rest keeps working: the overlays' findings are still there
    await idle(c);
    const base = uri('storefront/base/policies.yaml');
    await c.waitForDiagnostics((x) => x.uri === base && x.diagnostics.some((d) => d.code === 'NPX10'));
    await c.configure({ render: { helm: HELM } });
    await c.waitForDiagnostics((x) => x.uri === chart && !x.diagnostics.some((d) => d.code === 'NPX09'), 60000, false);
  });
});

describe('language server: environments in Restricted Mode', function () {
  this.timeout(120000);
  let dir: string;
  let c: LspClient;
  const messages: string[] = [];

  before(async () => {
    dir = workspace();
    c = new LspClient(SERVER);
    c.conn.onNotification('window/showMessage', (m: { message: string }) => messages.push(m.message));
    c.settings = { render: { helm: HELM } };
    await c.initialize(pathToFileURL(dir).toString(), {}, { trusted: false });
    await c.waitForStatus();
  });

  after(async () => {
    await c?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders nothing, says so once, and analyses every file as a plain manifest', async () => {
    const base = pathToFileURL(path.join(dir, 'storefront/base/policies.yaml')).toString();
    const component = pathToFileURL(
      path.join(dir, 'storefront/components/monitoring/allow-monitoring.yaml'),
    ).toString();
    // as before environments: the component's policy has no namespace of its own
    const p = await c.waitForDiagnostics((x) => x.uri === component && x.diagnostics.length > 0);
    assert.deepEqual(
      (p.diagnostics as unknown as Diag[]).map((d) => d.code),
      ['NPP34'],
    );
    assert.ok(!diagnosticsOf(c, base).some((d) => d.code === 'NPX10'));
    const h = await c.request('textDocument/hover', {
      textDocument: { uri: base },
      position: { line: 3, character: 2 },
    });
    assert.doesNotMatch(hoverText(h), /Environments/);
    const counters = await idle(c);
    assert.equal(counters.renders, 0);
    assert.equal(messages.filter((m) => m.includes('Restricted Mode')).length, 1);
    const d = await c.conn.sendRequest(protocol.DiagramRequest, {});
    assert.equal(d.environments, undefined);
    // trust granted: the environments render
    await c.conn.sendNotification(protocol.WorkspaceTrustNotification, { trusted: true });
    await c.waitForDiagnostics((x) => x.uri === base && x.diagnostics.some((d) => d.code === 'NPX10'), 60000, false);
    assert.ok((await idle(c)).renders >= 4);
    // prod sets the component's namespace: no NPP34 any more
    await c.waitForDiagnostics((x) => x.uri === component && x.diagnostics.length === 0, 30000);
    assert.equal(messages.filter((m) => m.includes('Restricted Mode')).length, 1);
  });
});
