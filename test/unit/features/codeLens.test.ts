import { strict as assert } from 'node:assert';
import { codeLenses, type SelectedWorkload } from '../../../server/src/features/codeLens';
import { files, policy } from './fixture';
import { workspace } from './support';

function lenses(text: string, extra: Record<string, string> = {}) {
  const ws = workspace(files({ 'p.yaml': text, ...extra }));
  return codeLenses(ws.ctx('p.yaml'));
}

const titles = (text: string, extra: Record<string, string> = {}): string[] =>
  lenses(text, extra).map((l) => l.command!.title);

describe('features/codeLens', () => {
  it('default deny all: selects every workload, isolates both ways, allows nothing', () => {
    assert.deepEqual(titles(policy('deny', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n')), [
      'selects 5 workloads',
      'isolates ingress, egress · allows no ingress / no egress',
    ]);
  });

  it('counts sources and destinations (workloads and IP blocks, without duplicates)', () => {
    const spec = `  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: back
        - podSelector:
            matchLabels:
              app: db
        - ipBlock:
            cidr: 192.168.0.0/16
  egress:
    - to:
        - namespaceSelector: {}
`;
    assert.deepEqual(titles(policy('web', spec)), [
      'selects 1 workload',
      'isolates ingress, egress · allows from 3 sources / to 7 destinations',
    ]);
  });

  it('counts peers that match no workload of the workspace apart (their pods may live elsewhere)', () => {
    const spec = `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: ghost
        - podSelector:
            matchLabels:
              tier: back
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              team: nobody
          podSelector:
            matchLabels:
              app: x
`;
    assert.deepEqual(titles(policy('g', spec)), [
      'selects 1 workload',
      'isolates ingress, egress · allows from 2 sources + 1 peer matching no workload / to 1 peer matching no workload',
    ]);
  });

  it('rules without peers allow from anywhere; a policy that selects nothing says so', () => {
    assert.deepEqual(
      titles(
        policy(
          'any',
          '  podSelector:\n    matchLabels:\n      app: nothing\n  ingress:\n    - ports:\n        - port: 80\n',
        ),
      ),
      ['selects no workload', 'isolates ingress · allows from anywhere'],
    );
  });

  it('an invalid policy is marked', () => {
    assert.deepEqual(titles(policy('bad', '  podSelector: {}\n  policyTypes: [Ingres]\n')), [
      'selects 5 workloads',
      'isolates nothing · invalid: not applied',
    ]);
  });

  it('sends the commands and arguments the client expects', () => {
    const ls = lenses(
      `# a comment\n${policy('web', '  podSelector:\n    matchLabels:\n      tier: back\n  policyTypes: [Ingress]\n')}`,
    );
    assert.equal(ls.length, 2);
    assert.deepEqual(ls[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
    const c0 = ls[0].command!;
    assert.equal(c0.command, 'netpolLens.showSelectedWorkloads');
    assert.equal(c0.arguments![0], 'file:///ws/p.yaml');
    const locs = c0.arguments![1] as SelectedWorkload[];
    assert.deepEqual(
      locs.map((l) => `${l.label} ${l.uri}:${l.range.start.line + 1}`),
      ['shop/api (Deployment) file:///ws/workloads.yaml:30', 'shop/db (StatefulSet) file:///ws/workloads.yaml:50'],
    );
    assert.deepEqual(c0.arguments![2], { line: 1, character: 0 });
    const c1 = ls[1].command!;
    assert.equal(c1.command, 'netpolLens.showDiagram');
    assert.deepEqual(c1.arguments, [{ namespace: 'shop' }]);
  });

  it('one pair of lenses per policy, also in Lists; none for other objects', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: networking.k8s.io/v1\n    kind: NetworkPolicy\n    metadata:\n      name: a\n      namespace: pay\n    spec:\n      podSelector: {}\n  - apiVersion: networking.k8s.io/v1\n    kind: NetworkPolicy\n    metadata:\n      name: b\n      namespace: pay\n    spec:\n      podSelector: {}\n`;
    const ls = lenses(list);
    assert.deepEqual(
      ls.map((l) => l.range.start.line),
      [3, 3, 10, 10],
    );
    const ws = workspace(files({}));
    assert.deepEqual(codeLenses(ws.ctx('workloads.yaml')), []);
  });
});

describe('features/codeLens: connectivity expectations', () => {
  it('counts the entries that hold, fail and cannot be checked', () => {
    const text =
      'apiVersion: netpol-lens.dev/v1\nkind: ConnectivityExpectations\nmetadata:\n  name: c\nexpectations:\n' +
      '  - {from: shop/web, to: shop/api, allowed: true}\n' +
      '  - {from: shop/web, to: shop/db, allowed: false}\n' +
      '  - {from: shop/nope, to: shop/db, allowed: true}\n';
    const ls = lenses(text, {
      'deny.yaml': policy('deny', '  podSelector:\n    matchLabels:\n      app: db\n  policyTypes: [Ingress]\n'),
    });
    assert.deepEqual(
      ls.map((l) => [l.range.start.line, l.command!.title, l.command!.command]),
      [[0, '2 of 3 expectations met · 1 cannot be checked', 'workbench.actions.view.problems']],
    );
    const failing = lenses(text.replace('to: shop/db, allowed: false', 'to: shop/db, allowed: true'), {
      'deny.yaml': policy('deny', '  podSelector:\n    matchLabels:\n      app: db\n  policyTypes: [Ingress]\n'),
    });
    assert.equal(failing[0].command!.title, '1 of 3 expectations met · 1 not met · 1 cannot be checked');
  });
});
