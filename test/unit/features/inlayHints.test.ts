import { strict as assert } from 'node:assert';
import type { InlayHint } from 'vscode-languageserver-types';
import { inlayHints } from '../../../server/src/features/inlayHints';
import { files, policy } from './fixture';
import { workspace } from './support';

function hints(
  text: string,
  range?: Parameters<typeof inlayHints>[1],
): Array<{ line: number; character: number; label: string; tooltip: string }> {
  const ws = workspace(files({ 'p.yaml': text }));
  return inlayHints(ws.ctx('p.yaml'), range).map((h: InlayHint) => ({
    line: h.position.line,
    character: h.position.character,
    label: String(h.label),
    tooltip: typeof h.tooltip === 'string' ? h.tooltip : (h.tooltip?.value ?? ''),
  }));
}

/** Line and the column just after `text` on its first line containing it. */
function after(doc: string, text: string, from = 0): { line: number; character: number } {
  const lines = doc.split('\n');
  for (let i = from; i < lines.length; i++) {
    const c = lines[i].indexOf(text);
    if (c !== -1) return { line: i, character: c + text.length };
  }
  throw new Error(`no ${text}`);
}

describe('features/inlayHints', () => {
  it('shows the defaulted policyTypes after spec: (Ingress, Egress with egress rules), none when written', () => {
    const text = policy(
      'egress-only',
      '  podSelector:\n    matchLabels:\n      app: web\n  egress:\n    - to:\n        - podSelector: {}\n',
    );
    const h = hints(text);
    assert.equal(h.length, 1);
    assert.equal(h[0].label, 'policyTypes: [Ingress, Egress]');
    assert.deepEqual({ line: h[0].line, character: h[0].character }, after(text, 'spec:'));
    assert.match(h[0].tooltip, /defaulted to Ingress, Egress because egress rules are present/);
    const ingressOnly = hints(policy('deny', '  podSelector: {}\n'));
    assert.deepEqual(
      ingressOnly.map((x) => x.label),
      ['policyTypes: [Ingress]'],
    );
    assert.deepEqual(hints(policy('written', '  podSelector: {}\n  policyTypes: [Egress]\n')), []);
    // an empty list is defaulted too
    assert.deepEqual(
      hints(policy('empty', '  podSelector: {}\n  policyTypes: []\n')).map((x) => x.label),
      ['policyTypes: [Ingress]'],
    );
  });

  it("resolves named ports on the rule's destinations: the selected pods for ingress, the peers for egress", () => {
    const spec = `  podSelector:
    matchLabels:
      tier: back
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - port: http
        - port: grpc
        - port: nope
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: db
      ports:
        - port: pg
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
      ports:
        - port: http
`;
    const text = policy('named', spec);
    const h = hints(text);
    const at = (label: string): { line: number; character: number } => {
      const x = h.find((y) => y.label === label);
      assert.ok(x, `a hint ${label} (have ${h.map((y) => y.label).join(' ; ')})`);
      return { line: x.line, character: x.character };
    };
    // tier=back selects api (http 8081, grpc 7070) and db (pg 5432)
    assert.deepEqual(at('→ 8081 (not on 1 of 2 workloads)'), after(text, 'port: http'));
    assert.deepEqual(at('→ 7070 (not on 1 of 2 workloads)'), after(text, 'port: grpc'));
    assert.deepEqual(at('→ resolves nowhere'), after(text, 'port: nope'));
    assert.deepEqual(at('→ 5432'), after(text, 'port: pg'));
    assert.deepEqual(
      at('→ nothing: ipBlock destinations have no named ports'),
      after(text, 'port: http', after(text, 'ipBlock').line),
    );
    assert.match(h.find((x) => x.label === '→ 5432')!.tooltip, /TCP 5432 on/);
  });

  it('gives only the hints of the documents in the requested range, and none for other kinds', () => {
    const a = policy('a', '  podSelector: {}\n');
    const b = policy('b', '  podSelector: {}\n');
    const text = `${a}---\n${b}`;
    const second = text.split('\n').findIndex((l) => l.includes('name: b'));
    const h = hints(text, { start: { line: second, character: 0 }, end: { line: second + 3, character: 0 } });
    assert.equal(h.length, 1);
    assert.ok(h[0].line > second);
    assert.equal(hints(text).length, 2);
    assert.deepEqual(hints('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'), []);
  });

  it('places the policyTypes hint at the end of the spec line in JSON, before a CR in CRLF files', () => {
    const json =
      '{\r\n  "apiVersion": "networking.k8s.io/v1",\r\n  "kind": "NetworkPolicy",\r\n  "metadata": {"name": "j", "namespace": "shop"},\r\n  "spec": {\r\n    "podSelector": {}\r\n  }\r\n}\r\n';
    const ws = workspace(files({ 'p.json': json }));
    const h = inlayHints(ws.ctx('p.json'));
    assert.equal(h.length, 1);
    assert.deepEqual(h[0].position, { line: 4, character: '  "spec": {'.length });
    const crlf = hints(policy('c', '  podSelector: {}\n').replace(/\n/g, '\r\n'));
    assert.deepEqual(
      crlf.map((x) => [x.line, x.character]),
      [[5, 'spec:'.length]],
    );
  });

  it("double-clicking the policyTypes hint writes it in the file's style (its text edits)", () => {
    const apply = (
      text: string,
      edits: Array<{
        range: { start: { line: number; character: number }; end: { line: number; character: number } };
        newText: string;
      }>,
    ): string => {
      const lines = text.split('\n');
      const off = (p: { line: number; character: number }): number =>
        lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      let out = text;
      for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) {
        out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
      }
      return out;
    };
    const text = policy(
      'egress-only',
      '  podSelector:\n    matchLabels:\n      app: web\n  egress:\n    - to:\n        - podSelector: {}\n',
    );
    const ws = workspace(files({ 'p.yaml': text }));
    const [h] = inlayHints(ws.ctx('p.yaml'));
    assert.ok(h.textEdits?.length);
    assert.equal(
      apply(text, h.textEdits!),
      policy(
        'egress-only',
        '  podSelector:\n    matchLabels:\n      app: web\n  policyTypes:\n    - Ingress\n    - Egress\n  egress:\n    - to:\n        - podSelector: {}\n',
      ),
    );
    // a flow-style spec gets a flow entry
    const flow = policy('f', '').replace('spec:\n', 'spec: {podSelector: {}}\n');
    const [hf] = inlayHints(workspace(files({ 'p.yaml': flow })).ctx('p.yaml'));
    assert.match(apply(flow, hf.textEdits!), /spec: \{policyTypes: \[Ingress\], podSelector: \{\}\}/);
  });

  it('leaves out each kind of hint when its setting is off', () => {
    const text = policy(
      's',
      '  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n    - ports:\n        - port: http\n',
    );
    const labels = (settings: { policyTypes: boolean; namedPorts: boolean }): string[] => {
      const ws = workspace(files({ 'p.yaml': text }), { inlayHints: settings });
      return inlayHints(ws.ctx('p.yaml')).map((h) => String(h.label));
    };
    assert.deepEqual(labels({ policyTypes: true, namedPorts: true }), ['policyTypes: [Ingress]', '→ 8080']);
    assert.deepEqual(labels({ policyTypes: false, namedPorts: true }), ['→ 8080']);
    assert.deepEqual(labels({ policyTypes: true, namedPorts: false }), ['policyTypes: [Ingress]']);
  });

  it('never throws on broken or half-typed policies', () => {
    for (const t of [
      policy('x', '  podSelector:\n  ingress:\n    - ports:\n        - port:\n'),
      policy('x', '  ingress: 3\n'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec: [1, 2]\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\nspec:\n  egress:\n    - ports:\n        - port: {a: 1}\n',
    ]) {
      assert.doesNotThrow(() => hints(t));
    }
  });
});
