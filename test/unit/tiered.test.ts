// The tiered model (docs/semantics.md D.1): both API versions read into TieredPolicy, List
// wrappers, the order of a tier, and the structural errors that leave a policy out.
import { strict as assert } from 'node:assert';
import { allowedPorts } from '../../server/src/analysis/evaluate';
import { describePorts } from '../../server/src/analysis/ports';
import { tieredRuleLabel } from '../../server/src/analysis/tiered';
import { worldOf } from '../support/workspace';

const ns = (n: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`;
const deploy = (n: string, namespace: string, port = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${n}\n    spec:\n      containers:\n        - name: c\n${port}`;

function anp(name: string, priority: string, action: string, extra = ''): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: ${name}
spec:
  priority: ${priority}
  subject:
    namespaces:
      matchLabels:
        kubernetes.io/metadata.name: b
  ingress:
    - name: r
      action: ${action}
      from:
        - namespaces: {}${extra}
`;
}

describe('tiered model (docs/semantics.md D.1)', () => {
  it('reads all three kinds into one model, Allow as Accept, each in its tier', () => {
    const w = worldOf(
      [
        anp('first', '10', 'Allow'),
        `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: default\nspec:\n  subject:\n    namespaces: {}\n  egress:\n    - action: Deny\n      to:\n        - networks: [10.0.0.0/8, '2001:db8::/32']\n`,
        `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: cnp\nspec:\n  tier: Baseline\n  priority: 3\n  subject:\n    pods:\n      podSelector: {}\n  ingress:\n    - action: Pass\n      from:\n        - pods:\n            podSelector: {matchLabels: {app: x}}\n      protocols:\n        - sctp: {destinationPort: {range: {start: 10, end: 20}}}\n        - destinationNamedPort: dns\n`,
      ].join('---\n'),
    );
    assert.deepEqual(
      w.tieredPolicies.map((p) => [p.kind, p.tier, p.priority, p.valid]),
      [
        ['AdminNetworkPolicy', 'Admin', 10, true],
        ['BaselineAdminNetworkPolicy', 'Baseline', undefined, true],
        ['ClusterNetworkPolicy', 'Baseline', 3, true],
      ],
    );
    assert.equal(w.tieredPolicies[0].ingress[0].action, 'Accept');
    assert.equal(tieredRuleLabel(w.tieredPolicies[0].ingress[0]), 'ingress rule r (rule 1)');
    const banp = w.tieredPolicies[1].egress[0].peers[0];
    assert.ok(banp.kind === 'networks' && banp.cidrs.map((c) => c.family).join() === '4,6');
    const cnp = w.tieredPolicies[2].ingress[0];
    assert.deepEqual(
      cnp.ports?.map((p) =>
        p.kind === 'range' ? `${p.protocol} ${p.from}-${p.to}` : p.kind === 'named' ? p.name : '-',
      ),
      ['SCTP 10-20', 'dns'],
    );
    // the Baseline CNP comes before the BANP, whatever the file order
    assert.deepEqual(
      w.baselineTier.map((p) => p.kind),
      ['ClusterNetworkPolicy', 'BaselineAdminNetworkPolicy'],
    );
  });

  it('reads the items of a List, and orders a tier by priority, then name', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${[
      anp('zeta', '5', 'Deny'),
      anp('alpha', '5', 'Pass'),
      anp('early', '1', 'Allow'),
    ]
      .map((d) => `  - ${d.trimEnd().replace(/\n/g, '\n    ')}`)
      .join('\n')}\n`;
    const w = worldOf(list);
    assert.deepEqual(
      w.adminTier.map((p) => p.name),
      ['early', 'alpha', 'zeta'],
    );
  });

  for (const [what, doc] of [
    ['a priority above 1000', anp('p', '1001', 'Deny')],
    ['a quoted priority', anp('p', '"10"', 'Deny')],
    ['Accept in v1alpha1', anp('p', '10', 'Accept')],
    [
      'a networks peer in an ingress rule',
      anp('p', '10', 'Deny').replace('- namespaces: {}', '- networks: [10.0.0.0/8]'),
    ],
    [
      'a peer with two fields',
      anp('p', '10', 'Deny').replace('- namespaces: {}', '- {namespaces: {}, pods: {podSelector: {}}}'),
    ],
    ['a port out of range', anp('p', '10', 'Deny', '\n      ports:\n        - portNumber: {port: 70000}')],
    [
      'a BaselineAdminNetworkPolicy not named default',
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: base\nspec:\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Deny\n      from:\n        - namespaces: {}\n`,
    ],
    [
      'Allow in v1alpha2, and a bad tier',
      `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: c\nspec:\n  tier: admin\n  priority: 1\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Allow\n      from:\n        - namespaces: {}\n`,
    ],
    [
      'a v1alpha2 range whose start is not below its end',
      `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: c\nspec:\n  tier: Admin\n  priority: 1\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Deny\n      from:\n        - namespaces: {}\n      protocols:\n        - tcp: {destinationPort: {range: {start: 80, end: 80}}}\n`,
    ],
    ['the wrong apiVersion', anp('p', '10', 'Deny').replace('v1alpha1', 'v1alpha2')],
  ] as const) {
    it(`takes no part with ${what}`, () => {
      const text = [ns('a'), ns('b'), deploy('x', 'a'), deploy('y', 'b'), doc].join('---\n');
      const w = worldOf(text);
      assert.equal(w.tieredPolicies.length, 1);
      assert.equal(w.tieredPolicies[0].valid, false, `errors: ${w.tieredPolicies[0].errors.join('; ')}`);
      assert.ok(w.tieredPolicies[0].errors.length > 0);
      const [x, y] = w.workloads;
      assert.equal(
        describePorts(allowedPorts(w, { kind: 'workload', w: x }, { kind: 'workload', w: y })),
        'All Connections',
      );
    });
  }

  it('keeps a policy whose pods peer has no podSelector, read as every pod (AV08)', () => {
    const doc = anp('p', '10', 'Deny').replace(
      '- namespaces: {}',
      '- pods:\n            namespaceSelector:\n              matchLabels:\n                kubernetes.io/metadata.name: a',
    );
    const w = worldOf([ns('a'), ns('b'), deploy('x', 'a'), deploy('y', 'b'), doc].join('---\n'));
    assert.equal(w.tieredPolicies[0].valid, true);
    const [x, y] = w.workloads;
    assert.equal(
      describePorts(allowedPorts(w, { kind: 'workload', w: x }, { kind: 'workload', w: y })),
      'No Connections',
    );
    // the NetworkPolicies-only view ignores it
    assert.equal(
      describePorts(allowedPorts(w, { kind: 'workload', w: x }, { kind: 'workload', w: y }, { tiers: false })),
      'All Connections',
    );
  });

  it('an ANP v1alpha1 portRange with start above end matches nothing; a named port takes its protocol', () => {
    const port =
      '          ports:\n            - name: dns\n              containerPort: 53\n              protocol: UDP\n';
    const doc = anp(
      'p',
      '10',
      'Deny',
      '\n      ports:\n        - portRange: {start: 90, end: 80}\n        - namedPort: dns',
    );
    const w = worldOf([ns('a'), ns('b'), deploy('x', 'a'), deploy('y', 'b', port), doc].join('---\n'));
    const [x, y] = w.workloads;
    assert.equal(
      describePorts(allowedPorts(w, { kind: 'workload', w: x }, { kind: 'workload', w: y })),
      'SCTP 1-65535,TCP 1-65535,UDP 1-52,54-65535',
    );
  });
});
