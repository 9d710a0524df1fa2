// The inventory's label indexes (issue 10, item 3): a namespace or pod selector is tested against the
// candidates of its most selective requirement instead of every namespace or workload, with the
// same answers in the same order as a scan.
import { strict as assert } from 'node:assert';
import { inventoryOf } from '../../server/src/analysis/inventory';
import type { NormPeer } from '../../server/src/analysis/policy';
import { makeSelector, matches, type Requirement, type Selector } from '../../server/src/analysis/selectors';
import type { World } from '../../server/src/analysis/world';
import { readSettings } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { randomWorkspace, rng } from '../support/randomWorkspace';

function worldOf(files: Record<string, string>): World {
  const idx = new WorkspaceIndex({ settings: readSettings({}) });
  for (const [u, t] of Object.entries(files)) idx.setFile(u, t);
  return idx.world();
}

function randomSelector(r: () => number): Selector {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const keys = ['app', 'tier', 'env', 'team', 'kubernetes.io/metadata.name'];
  const vals = ['x', 'w', 'z', 'q', 'a', 'b', 'c'];
  const reqs: Requirement[] = [];
  for (let i = Math.floor(r() * 4); i > 0; i--) {
    const op = pick(['In', 'In', 'In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
    const values = op === 'In' || op === 'NotIn' ? vals.filter(() => r() < 0.3).concat(pick(vals)) : [];
    reqs.push({ key: pick(keys), op, values });
  }
  return makeSelector(reqs);
}

describe('inventory label indexes', () => {
  it('match the same namespaces and workloads, in the same order, as a scan (random worlds and selectors)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const docs = randomWorkspace(seed).split('---\n');
      // workloads of one namespace in two files, namespaces first seen in a mixed order
      const world = worldOf({
        'file:///ws/b.yaml': docs.slice(docs.length >> 1).join('---\n') || 'kind: List\nitems: []\n',
        'file:///ws/a.yaml': docs.slice(0, docs.length >> 1).join('---\n'),
      });
      const inv = inventoryOf(world);
      const r = rng(seed);
      for (let i = 0; i < 60; i++) {
        const sel = randomSelector(r);
        const namespaces = [...world.namespaces.values()].filter((n) => matches(sel, n.labels));
        assert.deepEqual(inv.namespacesMatching(sel), namespaces, `seed ${seed} ${sel.key}`);
        const order = [...new Set(world.workloads.map((w) => w.namespace))];
        const workloads = order.flatMap((ns) =>
          world.workloads.filter((w) => w.namespace === ns && matches(sel, w.labels)),
        );
        assert.deepEqual(inv.workloadsMatchingAnywhere(sel), workloads, `seed ${seed} ${sel.key}`);
        // a peer of namespaces and pods: namespace by namespace (in name order), world order within
        const nsSel = randomSelector(r);
        const peer = { kind: 'pods', index: 0, node: undefined, namespaceSelector: nsSel, podSelector: sel };
        const expected = [...world.namespaces.values()]
          .filter((n) => matches(nsSel, n.labels))
          .flatMap((n) => world.workloads.filter((w) => w.namespace === n.name && matches(sel, w.labels)));
        assert.deepEqual(inv.peerWorkloads(peer as unknown as NormPeer, 'a'), expected, `seed ${seed} peer`);
      }
    }
  });

  it('tests a selector by name against one namespace, and a pod selector against the workloads with its label', () => {
    const docs: string[] = [];
    for (let i = 0; i < 400; i++) {
      docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${i}\n  labels:\n    team: t${i % 10}\n`);
      for (const app of [`a${i}`, 'common']) {
        docs.push(
          `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${app}\n  namespace: ns-${i}\n  labels:\n    app: ${app}\n`,
        );
      }
    }
    const world = worldOf({ 'file:///ws/all.yaml': docs.join('---\n') });
    const inv = inventoryOf(world);
    const byName = (i: number): Selector =>
      makeSelector([{ key: 'kubernetes.io/metadata.name', op: 'In', values: [`ns-${i}`] }]);
    for (let i = 0; i < 400; i++) {
      assert.deepEqual(
        inv.namespacesMatching(byName(i)).map((n) => n.name),
        [`ns-${i}`],
      );
    }
    // a scan would test 400 x 400 namespaces
    assert.equal(inv.stats.candidates, 400);
    const team = makeSelector([
      { key: 'team', op: 'In', values: ['t3'] },
      { key: 'kubernetes.io/metadata.name', op: 'Exists', values: [] },
    ]);
    assert.equal(inv.namespacesMatching(team).length, 40);
    assert.equal(inv.stats.candidates, 440, 'the 40 namespaces of team t3, not the 400 with a name');
    inv.stats.candidates = 0;
    for (let i = 0; i < 400; i++) {
      const found = inv.workloadsMatchingAnywhere(makeSelector([{ key: 'app', op: 'In', values: [`a${i}`] }]));
      assert.deepEqual(
        found.map((w) => w.key),
        [`ns-${i}/a${i}[Pod]`],
      );
    }
    // a scan would test 400 x 800 workloads
    assert.equal(inv.stats.candidates, 400);
    const common = inv.workloadsMatchingAnywhere(makeSelector([{ key: 'app', op: 'In', values: ['common'] }]));
    assert.equal(common.length, 400);
    assert.deepEqual(
      common.slice(0, 2).map((w) => w.namespace),
      ['ns-0', 'ns-1'],
    );
  });
});
