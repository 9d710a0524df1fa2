// A namespace's labels as the semantics read them (docs/semantics.md B.4): a declared Namespace's
// labels plus kubernetes.io/metadata.name, and the name label alone for a namespace no manifest
// declares. One definition (analysis/evaluate.ts) serves the evaluator, the inventory and the
// connectivity engine.
import { strict as assert } from 'node:assert';
import { computeConnectivity, forEachPair } from '../../server/src/analysis/connectivity';
import { namespaceLabels } from '../../server/src/analysis/world';
import { inventoryOf } from '../../server/src/analysis/inventory';
import { buildWorld, NAME_LABEL } from '../../server/src/analysis/world';
import { parseFile } from '../../server/src/model/document';

const TEXT = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: a}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: jobs}
spec:
  template:
    metadata:
      labels: {app: batch}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-jobs, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: jobs}
`;

describe('namespace labels', () => {
  const world = buildWorld([parseFile('file:///ws/a.yaml', TEXT)]);

  it('are the declared labels plus the name label, or the name label alone', () => {
    assert.equal(NAME_LABEL, 'kubernetes.io/metadata.name');
    assert.deepEqual(namespaceLabels(world, 'shop'), { team: 'a', [NAME_LABEL]: 'shop' });
    assert.deepEqual(namespaceLabels(world, 'jobs'), { [NAME_LABEL]: 'jobs' });
    assert.deepEqual(namespaceLabels(world, 'nowhere'), { [NAME_LABEL]: 'nowhere' });
  });

  it('are the same for the inventory', () => {
    for (const ns of ['shop', 'jobs', 'nowhere']) {
      assert.deepEqual(inventoryOf(world).namespaceLabels(ns), namespaceLabels(world, ns));
    }
  });

  it('let a namespace that only a workload names be selected by its name label in connectivity', () => {
    const pairs: string[] = [];
    forEachPair(computeConnectivity(world), (src, dst) => {
      if (dst.namespace === 'shop') pairs.push(`${src.namespace}/${src.name} -> ${dst.namespace}/${dst.name}`);
    });
    assert.deepEqual(pairs, ['jobs/batch -> shop/web']);
  });
});
