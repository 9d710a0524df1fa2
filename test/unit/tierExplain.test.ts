// Explanations through the admin tiers (docs/semantics.md D.5): `explain` names the deciding tier,
// policy, rule, priority and location; a pass names the policy that passed it and what decided
// next; the expectation hover walks the tiers in order.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { explainText } from '../../server/src/cli/explain';
import { hover } from '../../server/src/features/hover';
import { files } from './features/fixture';
import { hoverText, workspace } from './features/support';
import { worldOf } from '../support/workspace';

const casesDir = path.resolve(__dirname, '../fixtures/admin');

function caseWorld(c: string): ReturnType<typeof worldOf> {
  const dir = path.join(casesDir, c, 'manifests');
  const texts: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) texts[f] = readFileSync(path.join(dir, f), 'utf8');
  return worldOf(texts);
}

function explain(c: string, from: string, to: string, port?: number): string {
  const world = caseWorld(c);
  const find = (ref: string): { kind: 'workload'; w: (typeof world.workloads)[number] } => {
    const w = world.workloads.find((x) => `${x.namespace}/${x.name}` === ref);
    assert.ok(w, `no workload ${ref}`);
    return { kind: 'workload', w };
  };
  const locate = (_doc: unknown, offset: number, uri: string): string =>
    `${uri.slice(uri.lastIndexOf('/') + 1)}@${offset}`;
  return explainText(world, find(from), find(to), locate, port ? { port, protocol: 'TCP' } : undefined).text;
}

describe('explanations through the admin tiers (docs/semantics.md D.5)', () => {
  it('names the Admin Deny that decides, with its priority and location, before any NetworkPolicy', () => {
    const t = explain('v1-anp-deny-ingress', 'apps/client', 'secure/vault', 5432);
    assert.match(
      t.split('\n')[0],
      /^TCP 5432 from apps\/client\[Deployment\] to secure\/vault\[Deployment\]: DENIED by AdminNetworkPolicy protect-secure ingress rule deny-from-apps \(rule 1, priority 10\) before any NetworkPolicy is consulted$/,
    );
    assert.match(
      t,
      /TCP 5432: DENIED by AdminNetworkPolicy protect-secure .*\(anp\.yaml@\d+\) before any NetworkPolicy/,
    );
  });

  it('says which policy passed a port down and what decided next, port by port', () => {
    const t = explain('v2-per-port-split', 'a/client', 'b/cache');
    assert.match(
      t,
      /TCP 80: ALLOWED by ClusterNetworkPolicy split ingress rule accept-80 \(rule 1, Admin tier, priority 10\)/,
    );
    assert.match(
      t,
      /TCP 443: passed by ClusterNetworkPolicy split ingress rule pass-443 .* to the NetworkPolicies and the Baseline tier/,
    );
    assert.match(
      t,
      /TCP 443: no NetworkPolicy isolates b\/cache\[Deployment\] for ingress: DENIED by ClusterNetworkPolicy baseline-443 ingress rule deny-443-from-a \(rule 1, Baseline tier, priority 10\)/,
    );
    assert.match(
      t,
      /TCP 1-79,81-442,444-65535.*: no rule of the Admin tier, no NetworkPolicy and no Baseline rule matches: allowed by default/,
    );
    const api = explain('v2-per-port-split', 'a/client', 'b/api', 443);
    assert.match(
      api.split('\n')[0],
      /: ALLOWED: passed by ClusterNetworkPolicy split ingress rule pass-443 .*, then allowed by NetworkPolicy b\/api-np ingress rule 1$/,
    );
  });

  it('says where a passed port ends when nothing below decides it', () => {
    const t = explain('v1-anp-pass-banp-decides', 'shared/monitor', 'tenant/app');
    assert.match(t, /All Connections: passed by AdminNetworkPolicy delegate ingress rule pass-from-shared/);
    assert.match(
      t,
      /All Connections: no NetworkPolicy isolates tenant\/app\[Deployment\] for ingress and no Baseline rule matches: allowed by default/,
    );
    assert.doesNotMatch(t, /Ingress to tenant[^\n]*\n(?:[^\n]*\n)*?[^\n]*no rule of the Admin tier/);
  });

  it('lists a NetworkPolicy rule that the Admin tier overrides', () => {
    const deploy = (n: string, ns: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: ${ns}\nspec:\n  template:\n    metadata:\n      labels: {app: ${n}}\n`;
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: no-80\nspec:\n  priority: 3\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Deny\n      from:\n        - namespaces: {}\n      ports:\n        - portNumber: {port: 80}\n`;
    const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-a\n  namespace: b\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector: {}\n`;
    const world = worldOf([deploy('x', 'a'), deploy('y', 'b'), anp, np].join('---\n'));
    const [x, y] = world.workloads;
    const t = explainText(world, { kind: 'workload', w: x }, { kind: 'workload', w: y }, () => 'here').text;
    assert.match(t, /^a\/x\[Deployment\] => b\/y\[Deployment\]: SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535\n/);
    assert.match(
      t,
      /TCP 80: DENIED by AdminNetworkPolicy no-80 ingress rule 1 \(priority 3\) \(here\) before any NetworkPolicy/,
    );
    assert.match(t, /TCP 80: b\/from-a ingress rule 1 would allow it, but the Admin tier decided first \(overridden\)/);
    assert.match(
      t,
      /decided by the NetworkPolicies that isolate b\/y\[Deployment\] for ingress: allowed by b\/from-a ingress rule 1/,
    );
  });

  it('says that domainNames are not resolved', () => {
    const world = caseWorld('v2-domain-names-not-resolved');
    const w = world.workloads.find((x) => world.tieredPolicies.some((p) => p.egress.length) && x.name === 'web')!;
    const t = explainText(world, { kind: 'workload', w }, { kind: 'ip', family: 4, ip: 0x5db8d822n }, () => 'x').text;
    assert.match(t, /matches domainNames, which netpol-lens cannot resolve: traffic to those names may be accepted/);
  });

  it('keeps the NetworkPolicy-only explanation when the workspace has no admin policy', () => {
    const world = worldOf(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  namespace: x\nspec:\n  template:\n    metadata:\n      labels: {app: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n  namespace: x\nspec:\n  template:\n    metadata:\n      labels: {app: b}\n',
    );
    const [a, b] = world.workloads;
    const plain = explainText(world, { kind: 'workload', w: a }, { kind: 'workload', w: b }, () => 'x', {
      port: 80,
      protocol: 'TCP',
    }).text;
    assert.match(plain, /^x\/a\[Deployment\] => x\/b\[Deployment\] TCP 80: ALLOWED\n/);
    assert.doesNotMatch(plain, /tier/);
  });

  it('the expectation hover walks the tiers in order', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: block-db
spec:
  priority: 7
  subject:
    pods:
      namespaceSelector: {}
      podSelector:
        matchLabels:
          app: db
  ingress:
    - name: deny-web
      action: Deny
      from:
        - pods:
            namespaceSelector: {}
            podSelector:
              matchLabels:
                app: web
`;
    const head =
      'apiVersion: netpol-lens.dev/v1\nkind: ConnectivityExpectations\nmetadata:\n  name: c\nexpectations:\n';
    const ws = workspace(
      files({
        'e.yaml': `${head}  - from: shop/web\n    to: shop/d<|>b\n    port: 5432\n    allowed: true\n`,
        'anp.yaml': anp,
      }),
    );
    const text = hoverText(hover(ws.ctx('e.yaml'), ws.pos));
    assert.match(text, /\*\*not met\*\*/);
    assert.match(text, /Ingress to `shop\/db` \(from `shop\/web`\): allows .*; in the order of the tiers:/);
    assert.match(
      text,
      /- All Connections: DENIED by AdminNetworkPolicy block-db ingress rule deny-web \(rule 1, priority 7\)/,
    );
  });
});
