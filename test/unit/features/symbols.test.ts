import { strict as assert } from 'node:assert';
import type { DocumentSymbol } from 'vscode-languageserver-types';
import { SymbolKind } from 'vscode-languageserver-types';
import { documentSymbols, workspaceSymbols } from '../../../server/src/features/symbols';
import { files, policy } from './fixture';
import { workspace } from './support';

function outline(s: DocumentSymbol, depth = 0): string[] {
  const out = [`${'  '.repeat(depth)}${s.name} — ${s.detail ?? ''}`];
  for (const c of s.children ?? []) out.push(...outline(c, depth + 1));
  return out;
}

function contains(outer: DocumentSymbol['range'], inner: DocumentSymbol['range']): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }): boolean =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

describe('features/symbols', () => {
  const p1 = policy(
    'web-policy',
    `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: payments
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.1.0.0/16]
      ports:
        - port: http
        - protocol: UDP
          port: 5000
          endPort: 5010
  egress:
    - {}
`,
  );
  const p2 = policy('deny', '  podSelector: {}\n  policyTypes: [Ingress]\n  egress:\n    - {}\n', 'pay');

  it('outlines policies with podSelector, policyTypes, rules, peers and ports', () => {
    const ws = workspace(files({ 'p.yaml': `${p1}---\n${p2}` }));
    const syms = documentSymbols(ws.ctx('p.yaml'));
    assert.deepEqual(
      syms.map((s) => s.kind),
      [SymbolKind.Class, SymbolKind.Class],
    );
    assert.deepEqual(outline(syms[0]), [
      'web-policy — NetworkPolicy · shop · Ingress, Egress',
      '  podSelector — pods with app=web',
      '  policyTypes — Ingress, Egress',
      '  ingress — 1 rule',
      '    rule 1 — from 2 peers · TCP http, UDP 5000-5010',
      '      from 1 — every pod in namespaces with team=payments',
      '      from 2 — ipBlock 10.0.0.0/8 except 10.1.0.0/16',
      '      ports — TCP http, UDP 5000-5010',
      '  egress — 1 rule',
      '    rule 1 — to anywhere · all ports',
    ]);
    assert.deepEqual(outline(syms[1]).slice(0, 1), ['deny — NetworkPolicy · pay · Ingress']);
    assert.ok(outline(syms[1]).includes('  egress — 1 rule (ignored)'));
    // every selection range lies inside its range, every child inside its parent
    const check = (s: DocumentSymbol): void => {
      assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection outside range`);
      for (const c of s.children ?? []) {
        assert.ok(contains(s.range, c.range), `${c.name} outside ${s.name}`);
        check(c);
      }
    };
    syms.forEach(check);
    assert.equal(syms[0].selectionRange.start.line, 3, 'the name is the selection');
    assert.equal(syms[1].range.start.line, 26, 'after the --- line');
  });

  it('lists the other objects of a file too', () => {
    const ws = workspace(files({}));
    const syms = documentSymbols(ws.ctx('workloads.yaml'));
    assert.deepEqual(
      syms.map((s) => `${s.name} ${s.detail}`),
      [
        'web Deployment · shop',
        'api Deployment · shop',
        'db StatefulSet · shop',
        'ledger Deployment · pay',
        'coredns Deployment · kube-system',
        'cleanup CronJob · shop',
        'agent DaemonSet · shop',
      ],
    );
    assert.deepEqual(
      documentSymbols(ws.ctx('ns.yaml')).map((s) => [s.name, s.kind]),
      [
        ['shop', SymbolKind.Namespace],
        ['pay', SymbolKind.Namespace],
      ],
    );
  });

  it('does not throw on broken documents', () => {
    for (const t of [
      policy('p', '  podSelector: {}\n  pol\n  ingress:\n    - from: []\n'),
      policy('p', '  ingress:\n    - from:\n        - \n'),
      'kind: NetworkPolicy\nspec: [\n',
      '{{ x }}',
    ]) {
      const ws = workspace(files({ 'p.yaml': t }));
      assert.ok(Array.isArray(documentSymbols(ws.ctx('p.yaml'))));
    }
  });

  it('workspace symbols: policies by name, best matches first', () => {
    const ws = workspace(files({ 'p.yaml': `${p1}---\n${p2}`, 'q.yaml': policy('deny-all', '  podSelector: {}\n') }));
    const r = workspaceSymbols(ws.ctx('p.yaml'), 'deny');
    assert.deepEqual(
      r.map((s) => `${s.containerName}/${s.name}`),
      ['pay/deny', 'shop/deny-all'],
    );
    assert.equal(r[0].location.uri, 'file:///ws/p.yaml');
    assert.equal(r[0].location.range.start.line, 29, 'at metadata.name');
    assert.deepEqual(
      workspaceSymbols(ws.ctx('p.yaml'), 'wbply').map((s) => s.name),
      ['web-policy'],
      'fuzzy',
    );
    assert.equal(workspaceSymbols(ws.ctx('p.yaml'), '').length, 3);
    assert.deepEqual(workspaceSymbols(ws.ctx('p.yaml'), 'zzz'), []);
  });
});
