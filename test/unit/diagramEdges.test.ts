// The diagram's arrows: explanations from the connectivity's isolating policies (the same as the
// pair-by-pair evaluator's on the whole world), one arrow per pair, ids and replies, and messages.
import { strict as assert } from 'node:assert';
import { computeConnectivity } from '../../server/src/analysis/connectivity';
import { evaluateDirection, evaluatePair, isolatingPolicies, wl } from '../../server/src/analysis/evaluate';
import { PortSetTable } from '../../server/src/analysis/ports';
import { parseFile } from '../../server/src/model/document';
import { buildWorld } from '../../server/src/analysis/world';
import { EdgeSet, finishEdges, type PendingEdge } from '../../server/src/diagram/edges';
import { Explainer } from '../../server/src/diagram/explain';
import type { DiagramRuleRef } from '../../server/src/protocol/diagram';
import { DiagramPorts } from '../../server/src/diagram/portSets';
import { diagramStats, namespaceMessages } from '../../server/src/diagram/summary';
import { randomWorkspace } from '../support/randomWorkspace';

const refKey = (r: DiagramRuleRef): string =>
  `${r.namespace}/${r.policy} ${r.direction}[${r.rule}]${r.peer === undefined ? '' : `.${r.peer}`} ${r.ports}`;

describe('diagram explanations', () => {
  it('finds the same isolating policies and rules as the evaluator on the whole world (60 random worlds)', () => {
    let pairs = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const world = buildWorld([parseFile(`file:///r/${seed}.yaml`, randomWorkspace(seed))]);
      const conn = computeConnectivity(world);
      const explain = new Explainer(world, conn, new DiagramPorts(conn));
      for (const w of world.workloads) {
        for (const d of ['Ingress', 'Egress'] as const) {
          assert.deepEqual(explain.isolating(w, d), isolatingPolicies(world, w, d), `seed ${seed} ${w.key} ${d}`);
        }
      }
      for (const s of world.workloads) {
        for (const t of world.workloads) {
          if (s === t) continue;
          const got = explain.pair([s], [t], PortSetTable.ALL);
          const v = evaluatePair(world, wl(s), wl(t));
          const want = [v.egress!, v.ingress!].flatMap((part) => part.matches.map((m) => explain.ruleRef(m)));
          assert.deepEqual(got.rules.map(refKey), [...new Set(want)].map(refKey), `seed ${seed} ${s.key} -> ${t.key}`);
          const open = [v.egress!, v.ingress!].filter((part) => !part.isolatedBy.length).length;
          assert.equal(got.notes.length, open, 'a note for each end that is not isolated');
          pairs++;
        }
        const probe = { kind: 'ip', family: 4, ip: 0x0a000001n } as const;
        for (const d of ['Ingress', 'Egress'] as const) {
          const got = explain.addresses([s], d, probe, PortSetTable.ALL).rules.map(refKey);
          const want = evaluateDirection(world, d, s, probe).matches.map((m) => refKey(explain.ruleRef(m)));
          assert.deepEqual(got, want, `seed ${seed} ${s.key} ${d} 10.0.0.1`);
        }
      }
    }
    assert.ok(pairs > 1000, `${pairs} pairs`);
  });
});

describe('diagram arrows', () => {
  const edge = (from: string, to: string, more: Partial<PendingEdge> = {}): PendingEdge => ({
    from,
    to,
    kind: 'connection',
    direction: 'internal',
    ports: 'TCP 80',
    rules: [],
    notes: [],
    ...more,
  });

  it('keeps one arrow per pair of nodes, merging labels, kinds and reasons', () => {
    const set = new EdgeSet();
    set.add(edge('a', 'b', { kind: 'open', ports: 'all', notes: ['open'] }));
    set.add(edge('a', 'b', { notes: ['rule'], explain: () => ({ rules: [], notes: ['first'] }) }));
    set.add(edge('b', 'a'));
    set.add(edge('b', 'a', { explain: () => ({ rules: [], notes: ['second'] }) }));
    set.add(edge('b', 'a', { explain: () => ({ rules: [], notes: ['third'] }) }));
    const all = [...set.values()];
    assert.equal(all.length, 2);
    assert.deepEqual([all[0].ports, all[0].kind], ['all + TCP 80', 'connection']);
    assert.deepEqual([all[1].ports, all[1].kind], ['TCP 80', 'connection'], 'the same label once');
    set.explainAll();
    assert.deepEqual(all[0].notes, ['open', 'rule', 'first']);
    assert.deepEqual(all[1].notes, ['second', 'third'], 'both explanations, in order');
    assert.equal(all[0].explain, undefined);
    set.delete(all[1]);
    assert.ok(!set.has('b', 'a') && set.has('a', 'b'));
  });

  it('orders arrows ingress, internal, egress, then by ends, and adds a reply only where no arrow goes back', () => {
    const set = new EdgeSet();
    set.add(edge('w_b', 'x_1', { direction: 'egress' }));
    set.add(edge('w_b', 'w_a'));
    set.add(edge('w_a', 'w_b'));
    set.add(edge('g_any', 'w_b', { direction: 'ingress', kind: 'open', ports: 'all' }));
    set.add(edge('m_c', 'm_c'));
    const plain = finishEdges(set, false);
    assert.deepEqual(
      [...plain.edges.values()].map((e) => `${e.from}>${e.to}`),
      ['g_any>w_b', 'm_c>m_c', 'w_a>w_b', 'w_b>w_a', 'w_b>x_1'],
    );
    assert.equal(plain.replies, 0);
    const withReplies = finishEdges(set, true);
    const replies = [...withReplies.edges.values()].filter((e) => e.kind === 'reply');
    assert.deepEqual(
      replies.map((e) => `${e.from}>${e.to} answers ${withReplies.edges.get(e.replyOf!)!.from}`),
      ['w_b>g_any answers g_any', 'x_1>w_b answers w_b'],
    );
    assert.equal(withReplies.replies, 2);
    for (const [id, e] of withReplies.edges) {
      assert.equal(e.id, id);
      assert.equal(e.mermaidId, `L_${e.from}_${e.to}_0`);
      assert.match(id, e.kind === 'reply' ? /^r_[a-z0-9]+$/ : /^e_[a-z0-9]+$/);
    }
    assert.deepEqual([...finishEdges(set, true).edges.keys()], [...withReplies.edges.keys()], 'the same ids again');
  });
});

describe('diagram messages and stats', () => {
  it('says what is missing or ignored in the namespace', () => {
    assert.deepEqual(namespaceMessages('', 0, { valid: 0, invalid: 0 }), [
      'No Kubernetes namespaces or workloads found in the workspace.',
    ]);
    assert.deepEqual(namespaceMessages('a', 0, { valid: 1, invalid: 0 }), ['No workloads in namespace a.']);
    assert.deepEqual(namespaceMessages('a', 2, { valid: 0, invalid: 0 }), [
      'No NetworkPolicy in namespace a: no workload is isolated, so every workload accepts and opens all connections.',
    ]);
    assert.deepEqual(namespaceMessages('a', 2, { valid: 0, invalid: 1 }), [
      'The NetworkPolicy of namespace a is invalid and ignored: no workload is isolated.',
    ]);
    assert.deepEqual(namespaceMessages('a', 2, { valid: 0, invalid: 3 }), [
      'The 3 NetworkPolicies of namespace a are invalid and ignored: no workload is isolated.',
    ]);
    assert.deepEqual(namespaceMessages('a', 2, { valid: 2, invalid: 1 }), [
      '1 of the 3 NetworkPolicies of namespace a is invalid and ignored.',
    ]);
    assert.deepEqual(namespaceMessages('a', 2, { valid: 1, invalid: 2 }), [
      '2 of the 3 NetworkPolicies of namespace a are invalid and ignored.',
    ]);
    assert.deepEqual(namespaceMessages('a', 2, { valid: 1, invalid: 0 }), []);
  });

  it('counts solid arrows apart from replies, and the workloads that share a node', () => {
    const s = diagramStats({
      workloads: 7,
      policies: { valid: 2, invalid: 1 },
      nodes: 9,
      edges: 12,
      replies: 5,
      unitSizes: [1, 3, 1, 2],
      ms: 1.26,
    });
    assert.deepEqual(s, {
      workloads: 7,
      policies: 2,
      invalidPolicies: 1,
      nodes: 9,
      edges: 7,
      replies: 5,
      mergedWorkloads: 5,
      ms: 1.3,
    });
  });
});
