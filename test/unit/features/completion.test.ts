import { strict as assert } from 'node:assert';
import type { CompletionItem } from 'vscode-languageserver-types';
import { evaluatePair, wl } from '../../../server/src/analysis/evaluate';
import { containsPort } from '../../../server/src/analysis/ports';
import { completion } from '../../../server/src/features/completion';
import { files, policy } from './fixture';
import { worldOf } from '../../support/workspace';
import { workspace } from './support';

function items(text: string, extra: Record<string, string> = {}, name = 'p.yaml'): CompletionItem[] {
  const ws = workspace(files({ [name]: text, ...extra }));
  return completion(ws.ctx(ws.at), ws.pos).items;
}

const labels = (xs: CompletionItem[]): string[] => xs.map((i) => i.label);
const newText = (xs: CompletionItem[], label: string): string => {
  const it = xs.find((i) => i.label === label);
  assert.ok(it, `no item ${label} in ${labels(xs).join(', ')}`);
  return (it.textEdit as { newText: string }).newText;
};

describe('features/completion: keys', () => {
  it('spec keys, without the ones already written (even below the cursor)', () => {
    const xs = items(policy('p', '  podSelector: {}\n  <|>\n  egress: []\n'));
    assert.deepEqual(labels(xs), ['policyTypes', 'ingress']);
    assert.equal(newText(xs, 'policyTypes'), 'policyTypes:\n  - ${1|Ingress,Egress|}');
    assert.equal(newText(xs, 'ingress'), 'ingress:\n  - $0');
  });

  it('keys of rules, peers, ipBlocks, ports and selectors', () => {
    assert.deepEqual(labels(items(policy('p', '  ingress:\n    - <|>\n'))), ['from', 'ports']);
    assert.deepEqual(labels(items(policy('p', '  egress:\n    - ports: []\n      <|>\n'))), ['to']);
    assert.deepEqual(labels(items(policy('p', '  ingress:\n    - from:\n        - <|>\n'))), [
      'podSelector',
      'namespaceSelector',
      'ipBlock',
    ]);
    assert.deepEqual(labels(items(policy('p', '  ingress:\n    - from:\n        - ipBlock:\n            <|>\n'))), [
      'cidr',
      'except',
    ]);
    assert.deepEqual(labels(items(policy('p', '  ingress:\n    - ports:\n        - port: 80\n          <|>\n'))), [
      'protocol',
      'endPort',
    ]);
    assert.deepEqual(labels(items(policy('p', '  podSelector:\n    <|>\n'))), ['matchLabels', 'matchExpressions']);
    assert.deepEqual(labels(items(policy('p', '  podSelector:\n    matchExpressions:\n      - <|>\n'))), [
      'key',
      'operator',
      'values',
    ]);
  });

  it("follows the file's indentation style for lists", () => {
    const flush =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - podSelector: {}\n  <|>\n';
    assert.equal(newText(items(flush), 'egress'), 'egress:\n- $0');
  });

  it('works on a half-typed key that the parser merges with the next line', () => {
    const xs = items(policy('p', '  podSelector: {}\n  pol<|>\n  ingress:\n    - from: []\n'));
    assert.deepEqual(labels(xs), ['policyTypes', 'egress']);
    const r = (xs[0].textEdit as { range: { start: { character: number }; end: { character: number } } }).range;
    assert.deepEqual([r.start.character, r.end.character], [2, 5]);
  });

  it('works after a tab in the indentation', () => {
    assert.deepEqual(labels(items(policy('p', '  podSelector:\n\tmatchLabels: {}\n  ingress:\n    - <|>\n'))), [
      'from',
      'ports',
    ]);
  });

  it('offers nothing in JSON files and Helm templates', () => {
    assert.deepEqual(items('{"kind": "NetworkPolicy", "spec": {<|>}}', {}, 'p.json'), []);
    assert.deepEqual(items('kind: NetworkPolicy\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  <|>\n'), []);
  });
});

describe('features/completion: values', () => {
  it('policyTypes, protocol and operator enums', () => {
    assert.deepEqual(labels(items(policy('p', '  policyTypes:\n    - Ingress\n    - <|>\n'))), ['Egress']);
    assert.deepEqual(
      labels(items(policy('p', '  policyTypes: [Ingress, <|>\n'))),
      ['Egress'],
      'Ingress is already there',
    );
    assert.deepEqual(labels(items(policy('p', '  ingress:\n    - ports:\n        - protocol: <|>\n'))), [
      'TCP',
      'UDP',
      'SCTP',
    ]);
    assert.deepEqual(
      labels(items(policy('p', '  podSelector:\n    matchExpressions:\n      - key: app\n        operator: <|>\n'))),
      ['In', 'NotIn', 'Exists', 'DoesNotExist'],
    );
    assert.deepEqual(labels(items(policy('p', '  ingress:\n    - ports:\n        - protocol:<|>\n'))).length, 3);
    assert.equal(newText(items(policy('p', '  ingress:\n    - ports:\n        - protocol:<|>\n')), 'UDP'), ' UDP');
  });

  it('metadata.namespace: the namespaces of the workspace', () => {
    // `default` is there because this very policy, without a namespace yet, is analysed in it
    assert.deepEqual(
      labels(items('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: <|>\n')),
      ['default', 'kube-system', 'pay', 'shop'],
    );
  });
});

describe('features/completion: labels from the workspace', () => {
  it("podSelector label keys come from the workloads of the policy's namespace", () => {
    const xs = items(policy('p', '  podSelector:\n    matchLabels:\n      <|>\n'));
    assert.deepEqual(labels(xs), ['app', 'tier']);
    assert.equal(newText(xs, 'app'), 'app: ');
  });

  it('podSelector label values, most used first', () => {
    assert.deepEqual(labels(items(policy('p', '  podSelector:\n    matchLabels:\n      tier: <|>\n'))), [
      'back',
      'front',
    ]);
    assert.deepEqual(labels(items(policy('p', '  podSelector: {matchLabels: {tier: <|>\n'))), ['back', 'front']);
  });

  it('namespaceSelector keys and values come from the namespaces', () => {
    assert.deepEqual(
      labels(
        items(
          policy(
            'p',
            '  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              <|>\n',
          ),
        ),
      ).sort(),
      ['env', 'kubernetes.io/metadata.name', 'team'],
    );
    assert.deepEqual(
      labels(
        items(
          policy(
            'p',
            '  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: <|>\n',
          ),
        ),
      ).sort(),
      ['payments', 'storefront'],
    );
  });

  it("a peer podSelector next to a namespaceSelector offers the labels of those namespaces' workloads", () => {
    const spec =
      '  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: payments\n          podSelector:\n            matchLabels:\n              app: <|>\n';
    assert.deepEqual(labels(items(policy('p', spec))), ['ledger']);
  });

  it('matchExpressions: keys as values, and the values of the chosen key', () => {
    assert.deepEqual(labels(items(policy('p', '  podSelector:\n    matchExpressions:\n      - key: <|>\n'))).sort(), [
      'app',
      'tier',
    ]);
    assert.deepEqual(
      labels(
        items(
          policy(
            'p',
            '  podSelector:\n    matchExpressions:\n      - key: tier\n        operator: In\n        values:\n          - <|>\n',
          ),
        ),
      ),
      ['back', 'front'],
    );
  });

  it('quotes values that YAML would not read as strings', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: q\n  labels:\n    pci: "true"\n';
    const xs = items(
      policy(
        'p',
        '  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              pci: <|>\n',
      ),
      { 'q.yaml': ns },
    );
    assert.equal(newText(xs, 'true'), '"true"');
  });

  it('workload template labels: keys and values that selectors use', () => {
    const p = policy(
      'p',
      '  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              role: frontend\n',
    );
    const w =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        <|>\n';
    assert.deepEqual(labels(items(w, { 'p.yaml': p }, 'w.yaml')).sort(), ['app', 'role']);
    const v = w.replace('<|>', 'role: <|>');
    assert.deepEqual(labels(items(v, { 'p.yaml': p }, 'w.yaml')), ['frontend']);
    assert.deepEqual(
      labels(
        items('apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n      <|>\n', {}, 'w.yaml'),
      ),
      ['labels'],
    );
  });

  it('Namespace labels: keys and values that namespaceSelectors use', () => {
    const p = policy(
      'p',
      '  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: payments\n',
    );
    const n = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: new\n  labels:\n    <|>\n';
    assert.deepEqual(labels(items(n, { 'p.yaml': p }, 'n.yaml')), ['team']);
    assert.deepEqual(labels(items(n.replace('<|>', 'team: <|>'), { 'p.yaml': p }, 'n.yaml')), ['payments']);
  });
});

describe('features/completion: named ports', () => {
  it('ingress: the named ports of the selected workloads', () => {
    const xs = items(
      policy(
        'p',
        '  podSelector:\n    matchLabels:\n      tier: back\n  ingress:\n    - ports:\n        - port: <|>\n',
      ),
    );
    const named = xs.filter((i) => !/^\d+$/.test(i.label));
    assert.deepEqual(labels(named), ['grpc', 'http', 'pg']);
    assert.equal(named.find((i) => i.label === 'http')?.detail, 'TCP 8081 on api');
    assert.ok(labels(xs).includes('5432'), 'container port numbers too');
  });

  it('egress: the named ports of the destination workloads, for the written protocol', () => {
    const spec = (proto: string): string =>
      `  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              team: payments\n      ports:\n        - ${proto}port: <|>\n`;
    assert.deepEqual(labels(items(policy('p', spec(''))).filter((i) => !/^\d+$/.test(i.label))), ['http']);
    const udp = policy(
      'p',
      spec('protocol: UDP\n          ').replace('- protocol: UDP\n          port', '- protocol: UDP\n          port'),
    );
    assert.deepEqual(
      labels(items(udp)).filter((l) => !/^\d+$/.test(l)),
      ['syslog'],
    );
  });
});

describe('features/completion: snippets', () => {
  it('offers the common policies at the top of an empty document', () => {
    const xs = items('<|>');
    assert.deepEqual(
      labels(xs).filter((l) => l.startsWith('NetworkPolicy:')),
      [
        'NetworkPolicy: default-deny ingress',
        'NetworkPolicy: default-deny all',
        'NetworkPolicy: allow DNS egress',
        'NetworkPolicy: allow from same namespace',
        'NetworkPolicy: allow from a namespace by name',
      ],
    );
    assert.ok(labels(xs).includes('apiVersion'));
    assert.deepEqual(
      labels(items(policy('p', '  podSelector: {}\n').replace('apiVersion', '<|>apiVersion'))).filter((l) =>
        l.startsWith('NetworkPolicy'),
      ),
      [],
    );
  });

  /** The snippet with every placeholder replaced by its default, parsed as a policy. */
  function expand(label: string): string {
    const t = newText(items('<|>'), label);
    return t
      .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\d/g, '');
  }

  it('every snippet is a valid policy', () => {
    for (const l of [
      'NetworkPolicy: default-deny ingress',
      'NetworkPolicy: default-deny all',
      'NetworkPolicy: allow DNS egress',
      'NetworkPolicy: allow from same namespace',
      'NetworkPolicy: allow from a namespace by name',
    ]) {
      const w = worldOf({ 's.yaml': expand(l) });
      assert.equal(w.policies.length, 1, l);
      assert.ok(w.policies[0].valid, `${l}: ${w.policies[0].findings.map((f) => f.message).join('; ')}`);
    }
  });

  it('the DNS snippet allows UDP and TCP 53 to the configured DNS pods', () => {
    const text = expand('NetworkPolicy: allow DNS egress').replace('namespace: default', 'namespace: shop');
    assert.ok(text.includes('namespace: shop'));
    const ws = workspace(files({ 's.yaml': text }));
    const p = ws.world.policies.find((x) => x.name === 'allow-dns-egress')!;
    assert.deepEqual([...p.types], ['Egress']);
    const web = ws.world.workloads.find((w) => w.name === 'web')!;
    const dns = ws.world.workloads.find((w) => w.name === 'coredns')!;
    const v = evaluatePair(ws.world, wl(web), wl(dns));
    assert.ok(containsPort(v.egress!.allowed, 'UDP', 53) && containsPort(v.egress!.allowed, 'TCP', 53));
    assert.ok(!containsPort(v.egress!.allowed, 'TCP', 80));
  });

  it('the DNS snippet follows the netpolLens.dns settings', () => {
    const ws = workspace(
      { 'a.yaml': '<|>' },
      { dns: { namespace: 'infra-dns', podLabels: { app: 'unbound' }, port: 5353 } },
    );
    const t = newText(completion(ws.ctx('a.yaml'), ws.pos).items, 'NetworkPolicy: allow DNS egress');
    for (const part of [
      'kubernetes.io/metadata.name: infra-dns',
      'app: unbound',
      'protocol: UDP\n          port: 5353',
      'protocol: TCP\n          port: 5353',
    ]) {
      assert.ok(t.includes(part), `${part} in\n${t}`);
    }
  });

  it("the namespace placeholder offers the workspace's namespaces", () => {
    const t = newText(items('<|>'), 'NetworkPolicy: allow from a namespace by name');
    assert.match(t, /namespace: \$\{2\|default,kube-system,pay,shop\|\}/);
    assert.match(t, /kubernetes\.io\/metadata\.name: \$\{3\|/);
  });
});

describe('features/completion: connectivity expectations', () => {
  const head = 'apiVersion: netpol-lens.dev/v1\nkind: ConnectivityExpectations\nmetadata:\n  name: c\nexpectations:\n';
  const at = (body: string): CompletionItem[] => {
    const ws = workspace(files({ 'e.yaml': head + body }));
    return completion(ws.ctx('e.yaml'), ws.pos).items;
  };

  it('offers the entry keys (without those written), workload references and true/false', () => {
    assert.deepEqual(labels(at('  - <|>')), ['from', 'to', 'port', 'allowed']);
    assert.deepEqual(labels(at('  - from: shop/web\n    <|>')), ['to', 'port', 'allowed']);
    const refs = labels(at('  - from: <|>'));
    for (const r of ['shop/web', 'shop/api', 'shop/db', 'kube-system/coredns']) {
      assert.ok(refs.includes(r), `${r} in ${refs.join(', ')}`);
    }
    assert.equal(newText(at('  - from: shop/web\n    to:<|>'), 'shop/db'), ' shop/db');
    assert.deepEqual(labels(at('  - from: shop/web\n    allowed: <|>')), ['true', 'false']);
  });
});
