// The diagram with admin policies (docs/semantics.md D.3): arrows an admin Accept allows and arrows
// an admin policy denies (although NetworkPolicies alone allow them) in their own style, with the
// admin rules behind them; the NetworkPolicies-only view; the legend.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { computeConnectivity } from '../../server/src/analysis/connectivity';
import { buildDiagram } from '../../server/src/diagram/mermaid';
import type { DiagramEdge, DiagramResult, DiagramTiers } from '../../server/src/protocol/diagram';
import { DIAGRAM_LEGEND } from '../../server/src/protocol/diagramMarkdown';
import { worldOf } from '../support/workspace';

function diagramOf(c: string, namespace: string, tiers?: DiagramTiers): DiagramResult {
  const dir = path.resolve(__dirname, '../fixtures/admin', c, 'manifests');
  const texts: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) texts[f] = readFileSync(path.join(dir, f), 'utf8');
  const world = worldOf(texts);
  return buildDiagram(world, computeConnectivity(world), { namespace, ...(tiers ? { tiers } : {}) });
}

function edge(d: DiagramResult, from: string, to: string): DiagramEdge | undefined {
  const title = (id: string): string => d.nodes[id]?.title ?? id;
  return Object.values(d.edges).find((e) => title(e.from) === from && title(e.to) === to);
}

/** The linkStyle line that styles the arrow (by its index in the edge map). */
function styleOf(d: DiagramResult, e: DiagramEdge): string {
  const i = Object.keys(d.edges).indexOf(e.id);
  const line = d.mermaid
    .split('\n')
    .find((l) => l.startsWith('  linkStyle ') && l.split(' ')[3].split(',').includes(`${i}`));
  return line ?? '';
}

describe('diagram: the admin tiers (docs/semantics.md D.3)', () => {
  it('draws traffic an admin Deny takes away as a red crossed arrow with the deny rule', () => {
    const d = diagramOf('v1-anp-deny-ingress', 'secure');
    // every workload of namespace apps is denied alike: one arrow from "any pod in apps"
    const e = edge(d, 'any pod in apps', 'vault');
    assert.ok(e, JSON.stringify(Object.values(d.edges).map((x) => [x.from, x.to])));
    assert.equal(e.kind, 'denied');
    assert.equal(e.admin, 'denied');
    assert.equal(e.ports, 'all');
    assert.deepEqual(
      e.rules.map((r) => `${r.namespace}/${r.policy} ${r.tier} ${r.direction} ${r.rule}`),
      ['AdminNetworkPolicy/protect-secure Admin ingress 0'],
    );
    assert.match(d.mermaid, /g_ns_apps_\w+ --x\|"all"\| w_vault_\w+/);
    assert.match(styleOf(d, e), /stroke:#dc2626/);
    assert.match(d.mermaid, /%% admin tiers: thick purple: .*red dashed with a cross/);
    // no NetworkPolicy isolates vault: open, except what the red arrows take away
    const open = edge(d, 'anywhere', 'vault')!;
    assert.equal(open.kind, 'open');
    assert.ok(open.notes.some((n) => /red arrows show what they deny/.test(n)));
  });

  it('draws traffic an admin Accept allows in its own style, with the accept rule and a note', () => {
    const d = diagramOf('v2-per-port-split', 'b');
    const e = edge(d, 'client', 'api')!;
    assert.equal(e.kind, 'connection');
    assert.equal(e.admin, 'accepted');
    assert.equal(e.ports, 'TCP 80');
    assert.deepEqual(
      e.rules.map((r) => `${r.namespace}/${r.policy} ${r.tier} ${r.rule} ${r.ports}`),
      ['ClusterNetworkPolicy/split Admin 0 TCP 80'],
    );
    assert.ok(e.notes.some((n) => /TCP 80: allowed by ClusterNetworkPolicy split ingress rule accept-80/.test(n)));
    assert.match(styleOf(d, e), /stroke:#7c3aed/);
    // cache is open (no NetworkPolicy): the baseline Deny of TCP 443 from namespace a is a red arrow
    const cache = edge(d, 'any pod in a', 'cache')!;
    assert.equal(cache.kind, 'denied');
    assert.equal(cache.ports, 'TCP 443');
    assert.deepEqual(
      cache.rules.map((r) => `${r.namespace}/${r.policy} ${r.tier}`),
      ['ClusterNetworkPolicy/baseline-443 Baseline'],
    );
    // NetworkPolicies decide the group arrow: unchanged
    assert.equal(edge(d, 'any pod in a', 'api')!.admin, undefined);
  });

  it('draws denied outside addresses with the rules of both tiers that deny them', () => {
    const d = diagramOf('v1-networks-ipv4', 'a');
    const denied = Object.values(d.edges).filter((e) => e.kind === 'denied');
    assert.ok(denied.length >= 1);
    const policies = new Set(denied.flatMap((e) => e.rules.map((r) => `${r.namespace}/${r.policy}`)));
    assert.deepEqual([...policies].sort(), ['AdminNetworkPolicy/egress-control', 'BaselineAdminNetworkPolicy/default']);
    assert.ok(denied.every((e) => d.nodes[e.to].kind === 'ip' && e.direction === 'egress'));
  });

  it('the NetworkPolicies-only view ignores the admin policies', () => {
    const d = diagramOf('v1-anp-deny-ingress', 'secure', 'networkpolicies');
    assert.ok(Object.values(d.edges).every((e) => e.kind !== 'denied' && !e.admin));
    assert.doesNotMatch(d.mermaid, /admin tiers|--x/);
    const vault = Object.values(d.nodes).find((n) => n.title === 'vault')!;
    assert.deepEqual(vault.open, { ingress: true, egress: true });
    // without admin policies both views are the same diagram
    const plain = worldOf(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  namespace: x\nspec:\n  template:\n    metadata:\n      labels: {app: a}\n',
    );
    const conn = computeConnectivity(plain);
    assert.equal(
      buildDiagram(plain, conn, { namespace: 'x', tiers: 'networkpolicies' }).mermaid,
      buildDiagram(plain, conn, { namespace: 'x' }).mermaid,
    );
  });

  it('notes a partial denial on the arrow that the pair already has', () => {
    const deploy = (n: string, ns: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: ${ns}\nspec:\n  template:\n    metadata:\n      labels: {app: ${n}}\n`;
    const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-a\n  namespace: b\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: a\n`;
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: no-443\nspec:\n  priority: 1\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Deny\n      from:\n        - namespaces: {}\n      ports:\n        - portNumber: {port: 443}\n`;
    const world = worldOf([deploy('x', 'a'), deploy('y', 'b'), np, anp].join('---\n'));
    const d = buildDiagram(world, computeConnectivity(world), { namespace: 'b' });
    const e = edge(d, 'any pod in a', 'y')!;
    assert.equal(e.kind, 'connection');
    assert.ok(
      e.notes.includes('The admin tiers deny TCP 443 here, which NetworkPolicies alone would allow'),
      e.notes.join('\n'),
    );
    assert.ok(Object.values(d.edges).every((x) => x.kind !== 'denied'));
  });

  it('has a legend entry for each admin style', () => {
    assert.ok(DIAGRAM_LEGEND.some((l) => /purple.*admin Accept/.test(l)));
    assert.ok(DIAGRAM_LEGEND.some((l) => /red dashed arrow with a cross: denied by an admin policy/.test(l)));
  });
});
