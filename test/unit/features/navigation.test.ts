import { strict as assert } from 'node:assert';
import type { Location } from 'vscode-languageserver-types';
import { definition, references } from '../../../server/src/features/navigation';
import { files, policy } from './fixture';
import { workspace } from './support';

/** Locations as `file:line` (1-based), sorted. */
function where(locs: Location[]): string[] {
  return locs.map((l) => `${l.uri.replace('file:///ws/', '')}:${l.range.start.line + 1}`).sort();
}

function def(extra: Record<string, string>): string[] {
  const ws = workspace(files(extra));
  return where(definition(ws.ctx(ws.at), ws.pos));
}

function refs(extra: Record<string, string>, includeDeclaration = false): string[] {
  const ws = workspace(files(extra));
  return where(references(ws.ctx(ws.at), ws.pos, includeDeclaration));
}

// lines of the fixture: the pod labels maps of web, api, db, ledger (workloads.yaml)
const API = 'workloads.yaml:30';
const DB = 'workloads.yaml:50';
const LEDGER = 'workloads.yaml:68';

describe('features/navigation: definition', () => {
  it("from spec.podSelector to the selected workloads' pod labels", () => {
    assert.deepEqual(def({ 'p.yaml': policy('p', '  podSelector:\n    matchLabels:\n      tier: <|>back\n') }), [
      API,
      DB,
    ]);
  });

  it('from a pod peer to its workloads; from a namespaceSelector to the Namespace manifests', () => {
    const spec =
      '  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              env: <|>prod\n          podSelector:\n            matchLabels:\n              app: ledger\n';
    assert.deepEqual(def({ 'p.yaml': policy('p', spec) }), ['ns.yaml:12', 'ns.yaml:4']);
    assert.deepEqual(
      def({
        'p.yaml': policy('p', spec.replace('env: <|>prod', 'env: prod').replace('app: ledger', 'app: <|>ledger')),
      }),
      [LEDGER],
    );
    assert.deepEqual(
      def({
        'p.yaml': policy(
          'p',
          spec
            .replace('env: <|>prod', 'env: prod')
            .replace('        - namespaceSelector', '        <|>- namespaceSelector'),
        ),
      }),
      [LEDGER],
    );
  });

  it('a namespace-only peer goes to the namespaces', () => {
    const spec =
      '  ingress:\n    - from:\n        - <|>namespaceSelector:\n            matchLabels:\n              team: payments\n';
    assert.deepEqual(def({ 'p.yaml': policy('p', spec) }), ['ns.yaml:12']);
  });

  it('from a named port to the container ports it resolves to', () => {
    const spec =
      '  podSelector: {}\n  egress:\n    - to:\n        - namespaceSelector: {}\n      ports:\n        - port: <|>http\n';
    assert.deepEqual(def({ 'p.yaml': policy('p', spec) }), [
      'workloads.yaml:16',
      'workloads.yaml:36',
      'workloads.yaml:73',
    ]);
  });

  it('from metadata.namespace to the Namespace manifest', () => {
    assert.deepEqual(
      def({ 'p.yaml': policy('p', '  podSelector: {}\n').replace('namespace: shop', 'namespace: <|>shop') }),
      ['ns.yaml:4'],
    );
  });

  it('nothing for ipBlocks or outside policies, and no throw on broken text', () => {
    assert.deepEqual(
      def({ 'p.yaml': policy('p', '  ingress:\n    - from:\n        - ipBlock:\n            cidr: <|>10.0.0.0/8\n') }),
      [],
    );
    assert.deepEqual(def({ 'p.yaml': policy('p', '  podSelector: {matchLabels: {app: <|>\n') }), []);
    assert.deepEqual(def({ 'p.yaml': policy('p', '  podSelector: {}\n  pol<|>\n  ingress: []\n') }), []);
  });
});

describe('features/navigation: references', () => {
  const selects = policy('selects-back', '  podSelector:\n    matchLabels:\n      tier: back\n');
  const peer = policy(
    'to-db',
    '  podSelector: {}\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: db\n',
    'shop',
  );
  const fromPay = policy(
    'from-pay',
    '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: payments\n',
  );

  it("from a workload's labels to the policies that select it and the peers that match it", () => {
    const w =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db2\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: <|>db\n        tier: back\n';
    // a.yaml selects it (tier=back), b.yaml selects every pod of shop and its peer matches app=db
    assert.deepEqual(refs({ 'a.yaml': selects, 'b.yaml': peer, 'w.yaml': w }), ['a.yaml:7', 'b.yaml:10', 'b.yaml:7']);
    assert.deepEqual(refs({ 'a.yaml': selects, 'b.yaml': peer, 'w.yaml': w }, true), [
      'a.yaml:7',
      'b.yaml:10',
      'b.yaml:7',
      'w.yaml:10',
    ]);
  });

  it('a peer in another namespace matches through its namespaceSelector', () => {
    const ledger =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  <|>name: ledger2\n  namespace: pay\nspec:\n  template:\n    metadata:\n      labels:\n        app: x\n';
    assert.deepEqual(refs({ 'c.yaml': fromPay, 'w.yaml': ledger }), ['c.yaml:10']);
  });

  it('from a Namespace to the namespaceSelectors that match it and the policies in it', () => {
    const inPay = policy('in-pay', '  podSelector: {}\n', 'pay');
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: <|>pay2\n  labels:\n    team: payments\n';
    assert.deepEqual(refs({ 'c.yaml': fromPay, 'd.yaml': inPay, 'n.yaml': ns }), ['c.yaml:10']);
    const pay = ns.replace('pay2', 'pay');
    // the fixture declares pay too; the later file replaces it
    assert.deepEqual(refs({ 'c.yaml': fromPay, 'd.yaml': inPay, 'z.yaml': pay }), ['c.yaml:10', 'd.yaml:5']);
  });

  it('nothing elsewhere', () => {
    assert.deepEqual(refs({ 'a.yaml': selects.replace('podSelector:', '<|>podSelector:') }), []);
  });
});
