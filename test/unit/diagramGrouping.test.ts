// Grouping in the diagram: group arrows (one rule allowing a whole set of peers), the namespace's
// units (twin classes merged) and peer nodes.
import { strict as assert } from 'node:assert';
import { computeConnectivity } from '../../server/src/analysis/connectivity';
import type { NormPeer, NormPolicy, NormRule } from '../../server/src/analysis/policy';
import type { Workload, World } from '../../server/src/analysis/world';
import { diagramContext } from '../../server/src/diagram/context';
import { groupContains, groupOf, namedNamespace } from '../../server/src/diagram/groups';
import { buildUnits, groupPeers, type PeerRelation, representatives, unitClass } from '../../server/src/diagram/units';
import { worldOf } from '../support/workspace';

const deploy = (ns: string, name: string, labels: string, ports = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {template: {metadata: {labels: {${labels}}}, spec: {containers: [{name: c, image: i${ports ? `, ports: [${ports}]` : ''}}]}}}\n`;

const FILES = {
  'ns.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ext, labels: {team: x}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: x}}
`,
  'workloads.yaml': [
    ...[1, 2, 3, 4, 5].map((i) => deploy('app', `web${i}`, `app: web, v: "${i}"`)),
    deploy('app', 'api', 'app: api', '{name: http, containerPort: 8080}'),
    deploy('ext', 'client1', 'app: client, x: "1"'),
    deploy('ext', 'client2', 'app: client, x: "2"'),
    deploy('ext', 'batch', 'app: batch'),
    deploy('other', 'client3', 'app: client'),
  ].join('---\n'),
  'policies.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: app}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: x}}
          podSelector: {matchLabels: {app: client}}
      ports: [{port: 80}]
    - {}
  egress:
    - to: [{namespaceSelector: {}}]
      ports: [{port: 53, protocol: UDP}]
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ext}}}]
      ports: [{port: 9090}]
    - to: [{podSelector: {matchLabels: {app: ghost}}}]
      ports: [{port: 1234}]
    - to: [{namespaceSelector: {matchLabels: {team: x}}}]
      ports: [{port: 443}]
    - to: [{podSelector: {}}]
      ports: [{port: http}]
    - to: [{podSelector: {matchLabels: {app: api}}}]
    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
    - to: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [other]}]}}]
      ports: [{port: 7000}]
`,
};

const world: World = worldOf(FILES);
const conn = computeConnectivity(world);
const policy = (name: string): NormPolicy => world.activePolicies.find((p) => p.name === name)!;
const workload = (name: string): Workload => world.workloads.find((w) => w.name === name)!;
const web = policy('web');
const egress = (i: number): { rule: NormRule; peer: NormPeer | undefined } => ({
  rule: web.egress[i],
  peer: web.egress[i].peers?.[0],
});
/** The first peer of egress rule `i`, which is a pods peer. */
const podsPeer = (i: number): Extract<NormPeer, { kind: 'pods' }> => {
  const peer = egress(i).peer;
  assert.ok(peer?.kind === 'pods');
  return peer;
};
const none = (): boolean => false;

describe('diagram grouping: group arrows', () => {
  it('finds the group a peer stands for, or none for peers drawn one by one', () => {
    const key = (i: number, matchesNothing = none): string | undefined =>
      groupOf(egress(i).rule, egress(i).peer, 'app', matchesNothing)?.key;
    assert.equal(groupOf(web.ingress[1], undefined, 'app', none)?.kind, 'anywhere', 'a rule without peers');
    assert.equal(key(0), 'cluster');
    assert.equal(key(1), 'ns:ext', 'a namespace by name');
    assert.equal(key(3)?.startsWith('sel:'), true, 'a namespace selector');
    assert.equal(key(4), 'ns:app', 'podSelector {}: the policy namespace');
    assert.equal(key(5), undefined, 'particular pods: their workloads are drawn');
    assert.equal(key(6), undefined, 'ipBlocks: drawn from address segments');
    assert.equal(key(7), 'ns:other', 'a namespace by matchExpressions In [one name]');
    const ghost = groupOf(egress(2).rule, egress(2).peer, 'app', () => true)!;
    assert.deepEqual(
      [ghost.kind, ghost.namespace, ghost.pods?.key],
      ['unmatched', 'app', podsPeer(2).podSelector!.key],
    );
    const ingressPeer = web.ingress[0].peers![0];
    const unmatchedSel = groupOf(web.ingress[0], ingressPeer, 'app', () => true)!;
    assert.equal(unmatchedSel.kind, 'unmatched');
    assert.equal(unmatchedSel.namespace, undefined);
    assert.ok(unmatchedSel.selector, 'pods in namespaces chosen by labels');
  });

  it('reads a namespace name from a selector only when it names exactly one', () => {
    const sel = (i: number) => podsPeer(i).namespaceSelector!;
    assert.equal(namedNamespace(sel(1)), 'ext');
    assert.equal(namedNamespace(sel(7)), 'other');
    assert.equal(namedNamespace(sel(3)), undefined);
    assert.equal(namedNamespace(sel(0)), undefined);
  });

  it('knows which workloads a group contains', () => {
    const def = (i: number) => groupOf(egress(i).rule, egress(i).peer, 'app', none)!;
    assert.ok(groupContains(world, def(0), workload('api')));
    assert.ok(groupContains(world, def(1), workload('batch')));
    assert.ok(!groupContains(world, def(1), workload('api')));
    assert.ok(groupContains(world, def(3), workload('client3')), 'namespace other has team=x');
    assert.ok(!groupContains(world, def(3), workload('api')));
    assert.ok(
      !groupContains(
        world,
        groupOf(egress(2).rule, egress(2).peer, 'app', () => true)!,
        workload('api'),
      ),
    );
  });

  it('labels the group arrows of a class with their ports, and says which ports of a pair they cover', () => {
    const ctx = diagramContext(world, conn, 'app', true);
    const c = conn.classOf[workload('web1').id];
    const labels = ctx.groups.of(c, 'Egress').map((g) => `${g.def.key.replace(/^sel:.*/, 'sel')} = ${g.label}`);
    assert.deepEqual(labels, [
      'cluster = UDP 53',
      `none:Napp:${podsPeer(2).podSelector!.key} = TCP 1234`,
      'ns:app = named TCP http',
      'ns:ext = TCP 9090',
      'ns:other = TCP 7000',
      'sel = TCP 443',
    ]);
    assert.deepEqual(
      ctx.groups.of(c, 'Ingress').map((g) => `${g.def.key} = ${g.label}`),
      ['anywhere = all'],
    );
    // to api (namespace app): the cluster group (UDP 53) and "any pod in app" on http = 8080
    assert.equal(ctx.ports.label(ctx.groups.covered(c, 'Egress', workload('api'))), 'TCP 8080,UDP 53');
    // to batch (ext, team=x): cluster, ns:ext and the team=x selector
    assert.equal(ctx.ports.label(ctx.groups.covered(c, 'Egress', workload('batch'))), 'TCP 443,9090,UDP 53');
    // api is not isolated: nothing is covered by group arrows, everything is drawn as open
    assert.equal(ctx.groups.covered(conn.classOf[workload('api').id], 'Ingress', workload('web1')), 0);
    assert.equal(ctx.groups.anywhereIpPorts(c, 'Egress'), 0, 'no egress rule without peers');
    assert.equal(ctx.ports.label(ctx.groups.anywhereIpPorts(c, 'Ingress')), 'all');
  });
});

describe('diagram grouping: units and peers', () => {
  it('merges twin classes into one unit, and keeps each workload apart without merging', () => {
    const merged = buildUnits(diagramContext(world, conn, 'app', true));
    assert.deepEqual(
      merged.list.map((u) => u.members.map((w) => w.name).join('+')),
      ['api', 'web1+web2+web3+web4+web5'],
    );
    const webUnit = merged.list[1];
    assert.match(webUnit.id, /^m_web1_[a-z0-9]+$/);
    assert.match(merged.list[0].id, /^w_api_[a-z0-9]+$/);
    assert.equal(webUnit.classes.length, 5);
    for (const c of webUnit.classes) assert.deepEqual(merged.ofClass.get(c), [webUnit]);
    const ctx = diagramContext(world, conn, 'app', false);
    const apart = buildUnits(ctx);
    assert.deepEqual(
      apart.list.map((u) => u.members.map((w) => w.name).join('+')),
      ['api', 'web1', 'web2', 'web3', 'web4', 'web5'],
    );
    for (const u of apart.list) assert.equal(unitClass(ctx, u), conn.classOf[u.members[0].id]);
  });

  it('represents a unit by one workload of each class, at most four', () => {
    const ctx = diagramContext(world, conn, 'app', true);
    const webUnit = buildUnits(ctx).list[1];
    assert.deepEqual(
      representatives(ctx, webUnit.members).map((w) => w.name),
      ['web1', 'web2', 'web3', 'web4'],
    );
    const twoOfOneClass = [workload('client3'), workload('client3'), workload('batch')];
    assert.deepEqual(
      representatives(ctx, twoOfOneClass).map((w) => w.name),
      ['client3', 'batch'],
    );
  });

  it('draws peers of one namespace with the same arrows as one node, sorted by namespace and name', () => {
    for (const merge of [true, false]) {
      const ctx = diagramContext(world, conn, 'app', merge);
      const [api, webUnit] = buildUnits(ctx).list;
      const rel = (dir: 'Ingress' | 'Egress', ports: number): PeerRelation[] => [
        { unit: webUnit, dir, ports },
        { unit: api, dir: 'Egress', ports: 1 },
      ];
      const cls = (name: string): number => conn.classOf[workload(name).id];
      const groups = groupPeers(
        ctx,
        new Map([
          [cls('client3'), rel('Ingress', 2)],
          [cls('batch'), rel('Ingress', 3)],
          [cls('client2'), rel('Ingress', 2)],
          [cls('client1'), rel('Ingress', 2)],
        ]),
      );
      assert.deepEqual(
        groups.map((g) => g.workloads.map((w) => `${w.namespace}/${w.name}`).join('+')),
        merge
          ? ['ext/batch', 'ext/client1+ext/client2', 'other/client3']
          : ['ext/batch', 'ext/client1', 'ext/client2', 'other/client3'],
      );
    }
  });
});
