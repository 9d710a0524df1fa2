// The Markdown and phrasing helpers that hovers, CodeLens and inlay hints share (features/markdown.ts,
// features/phrasing.ts, features/policySummary.ts).
import { strict as assert } from 'node:assert';
import { bullets, code, esc, workloadLine } from '../../../server/src/features/markdown';
import { countAddresses, labelsText, peerWords, portsWords } from '../../../server/src/features/phrasing';
import { allowsPhrase } from '../../../server/src/features/policySummary';
import { workspace } from './support';

describe('features/markdown', () => {
  it('escapes the characters Markdown reads, and line breaks', () => {
    assert.equal(esc('a*b_c`d[e]<f>|g~h\\i'), 'a\\*b\\_c\\`d\\[e\\]\\<f\\>\\|g\\~h\\\\i');
    assert.equal(esc('one\r\ntwo\nthree'), 'one two three');
  });

  it('writes inline code that survives backticks', () => {
    assert.equal(code('app=web'), '`app=web`');
    assert.equal(code('a`b'), '`` a`b ``');
    assert.equal(code('x\ny'), '`x y`');
  });

  it('caps bullet lists with "and N more"', () => {
    assert.deepEqual(
      bullets([1, 2, 3], (n) => `n${n}`, 2),
      ['- n1', '- n2', '- … and 1 more'],
    );
    assert.deepEqual(
      bullets([1, 2], (n) => `n${n}`, 2),
      ['- n1', '- n2'],
    );
  });

  it('links a workload to the line of its name, with its kind and file name', () => {
    const ws = workspace({
      'my app.yaml':
        'kind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n',
    });
    const [w] = ws.world.workloads;
    assert.equal(workloadLine(w), '[shop/web](file:///ws/my%20app.yaml#L3) Deployment · my app.yaml');
  });
});

describe('features/phrasing and policy summaries', () => {
  const ws = workspace(`kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
        - podSelector: {matchLabels: {app: web}}
        - podSelector: {matchLabels: {app: ghost}}
      ports:
        - port: 53
          protocol: UDP
`);
  const p = ws.world.policies[0];

  it('phrases peers, ports, labels and address counts', () => {
    const [ip, pods] = p.egress[0].peers!;
    assert.equal(peerWords(ip, 'shop').what, 'addresses in 10.0.0.0/8 except 10.1.0.0/16');
    assert.match(peerWords(pods, 'shop').what, /in namespace `shop`$/);
    assert.equal(portsWords(p.egress[0].ports), 'on UDP 53');
    assert.equal(portsWords(undefined), 'on every port of every protocol');
    assert.equal(labelsText({}), 'no labels');
    assert.equal(labelsText({ app: 'web', tier: 'a' }), 'app=web, tier=a');
    assert.equal(countAddresses(0n, 0n), '1 address');
    assert.equal(countAddresses(0n, (1n << 64n) - 1n), '2^64 addresses');
  });

  it('sums up what a policy allows per isolated direction', () => {
    // egress rules without policyTypes: Ingress and Egress; no ingress rule
    assert.equal(allowsPhrase(ws.world, p), 'allows no ingress / to 2 destinations + 1 peer matching no workload');
  });
});
