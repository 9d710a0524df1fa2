// Protocol-level tests of the editor features through the BUILT server (dist/server.js; run
// `npm run build` first): hover, completion (also on a document broken mid-edit), definition,
// references, symbols and CodeLens, as an editor sends them over stdio.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../support/lspClient';
import { type DiskWorkspace, diskWorkspace } from '../support/workspace';
import { NAMESPACES, WORKLOADS, policy } from '../unit/features/fixture';

const SERVER = path.resolve(__dirname, '../../dist/server.js');

interface Hover {
  contents: { kind: string; value: string };
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface CompletionList {
  isIncomplete: boolean;
  items: Array<{ label: string; textEdit?: { newText: string } }>;
}
interface Loc {
  uri: string;
  range: { start: { line: number; character: number } };
}

const POLICY = policy(
  'web',
  `  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: back
      ports:
        - port: http
`,
);

describe('lsp: editor features through the built server', function () {
  this.timeout(60000);
  let client: LspClient;
  let ws: DiskWorkspace;
  let root: string;
  let uri: string;

  before(async function () {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first`);
    ws = diskWorkspace(
      { 'ns.yaml': NAMESPACES, 'workloads.yaml': WORKLOADS, 'policy.yaml': POLICY },
      { prefix: 'netpol-lens-features-' },
    );
    root = ws.rootUri;
    uri = ws.uri('policy.yaml');
    client = new LspClient(SERVER);
    await client.initialize(root);
    await client.waitForStatus((s) => s.ready === true && s.files === 3);
    await client.open(uri, POLICY);
  });

  after(async () => {
    await client?.shutdown();
    ws?.remove();
  });

  it('announces the feature capabilities', async () => {
    const c2 = new LspClient(SERVER);
    try {
      const r = (await c2.initialize(null)) as { capabilities: Record<string, unknown> };
      for (const cap of [
        'hoverProvider',
        'completionProvider',
        'definitionProvider',
        'referencesProvider',
        'documentSymbolProvider',
        'workspaceSymbolProvider',
        'codeLensProvider',
        'inlayHintProvider',
      ]) {
        assert.ok(r.capabilities[cap], cap);
      }
    } finally {
      await c2.shutdown();
    }
  });

  it('hover on podSelector: the selected workload as a link to its file, with the hovered range', async () => {
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 4 },
    });
    assert.ok(h, 'a hover');
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /\*\*podSelector\*\*: pods with app=web in namespace `shop`/);
    assert.ok(h.contents.value.includes(`[shop/web](${root}/workloads.yaml#L4) Deployment`), h.contents.value);
    assert.deepEqual(h.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 13 } });
  });

  it('hover on policyTypes and on a named port', async () => {
    const t = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 10, character: 8 },
    });
    assert.match(t.contents.value, /Egress is not listed: outgoing connections stay open/);
    const p = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 17, character: 17 },
    });
    assert.match(p.contents.value, /named port `http` \(TCP\)/);
    assert.match(p.contents.value, /TCP 8080 on \[shop\/web\]/);
  });

  it('no hover where there is nothing to explain', async () => {
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 2 },
    });
    assert.equal(h, null);
  });

  it('completion: label values of the workspace and named ports', async () => {
    const v = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 15, character: 20 },
    });
    assert.deepEqual(
      v.items.map((i) => i.label),
      ['back', 'front'],
    );
    const ports = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 17, character: 16 },
    });
    assert.ok(ports.items.some((i) => i.label === 'http'));
  });

  it('completion on a document broken mid-edit', async () => {
    const broken = POLICY.replace('  policyTypes:\n', '  eg\n  policyTypes:\n');
    await client.change(uri, 2, [{ text: broken }]);
    const r = await client.request<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 9, character: 4 },
    });
    assert.deepEqual(
      r.items.map((i) => i.label),
      ['egress'],
    );
    assert.equal(r.items[0].textEdit?.newText, 'egress:\n  - $0');
    // and a hover there does not fail
    const h = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 9, character: 3 },
    });
    assert.ok(h === null || typeof h.contents.value === 'string');
    await client.change(uri, 3, [{ text: POLICY }]);
  });

  it('definition, references, symbols and CodeLens', async () => {
    const d = await client.request<Loc[]>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 15, character: 20 },
    });
    assert.deepEqual(d.map((l) => `${path.basename(l.uri)}:${l.range.start.line + 1}`).sort(), [
      'workloads.yaml:30',
      'workloads.yaml:50',
    ]);
    const wl = `${root}/workloads.yaml`;
    const refs = await client.request<Loc[]>('textDocument/references', {
      textDocument: { uri: wl },
      position: { line: 9, character: 10 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      refs.map((l) => `${path.basename(l.uri)}:${l.range.start.line + 1}`),
      ['policy.yaml:7'],
    );
    const syms = await client.request<Array<{ name: string; children?: unknown[] }>>('textDocument/documentSymbol', {
      textDocument: { uri },
    });
    assert.equal(syms[0].name, 'web');
    const ws = await client.request<Array<{ name: string }>>('workspace/symbol', { query: 'web' });
    assert.deepEqual(
      ws.map((s) => s.name),
      ['web'],
    );
    const lenses = await client.request<Array<{ command: { title: string; command: string } }>>(
      'textDocument/codeLens',
      { textDocument: { uri } },
    );
    assert.deepEqual(
      lenses.map((l) => l.command.title),
      ['selects 1 workload', 'isolates ingress · allows from 2 sources'],
    );
  });

  it('inlay hints: defaulted policyTypes and named-port numbers, asked again after another file changes', async () => {
    const text = POLICY.replace('  policyTypes:\n    - Ingress\n', '');
    const d2 = diskWorkspace({ 'workloads.yaml': WORKLOADS, 'policy.yaml': text }, { prefix: 'netpol-lens-hints-' });
    const c = new LspClient(SERVER);
    try {
      const r2 = d2.rootUri;
      await c.initialize(r2, {
        workspace: { configuration: true, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
      });
      await c.waitForStatus((s) => s.ready === true && s.files === 2);
      const u = `${r2}/policy.yaml`;
      await c.open(u, text);
      const range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };
      type Hint = { position: { line: number; character: number }; label: string };
      const labels = async (): Promise<string[]> =>
        (await c.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri: u }, range })).map(
          (h) => `${h.position.line}:${h.position.character} ${h.label}`,
        );
      // spec: is line 5; `- port: http` is the last line
      const portLine = text.split('\n').findIndex((l) => l.includes('port: http'));
      const portEnd = text.split('\n')[portLine].length;
      assert.deepEqual(await labels(), ['5:5 policyTypes: [Ingress]', `${portLine}:${portEnd} → 8080`]);
      // web's http port changes in another file: the server asks the editor to fetch hints again
      const hintsBefore = c.serverRequests.get('workspace/inlayHint/refresh') ?? 0;
      const lensesBefore = c.serverRequests.get('workspace/codeLens/refresh') ?? 0;
      const wl = `${r2}/workloads.yaml`;
      await c.open(wl, WORKLOADS.replace('containerPort: 8080', 'containerPort: 8088'));
      // each fails when no such request comes
      await c.waitForServerRequest('workspace/inlayHint/refresh', hintsBefore, 10000);
      await c.waitForServerRequest('workspace/codeLens/refresh', lensesBefore, 10000);
      assert.deepEqual(await labels(), ['5:5 policyTypes: [Ingress]', `${portLine}:${portEnd} → 8088`]);
    } finally {
      await c.shutdown();
      d2.remove();
    }
  });
});
