// Manifest-level conventions (docs/semantics.md 0) and the model's handling of files.
import { strict as assert } from 'node:assert';
import { buildWorkspace, worldOf } from '../support/workspace';

const keys = (w: ReturnType<typeof worldOf>): string[] => w.workloads.map((x) => x.key).sort();

describe('world (docs/semantics.md 0 conventions)', () => {
  it('names Pods after their controller owner, merges them, and keeps the first pod labels', () => {
    const w = worldOf(`
apiVersion: v1
kind: Pod
metadata: {name: a-1, namespace: n, labels: {app: a}, ownerReferences: [{kind: ReplicaSet, name: a-rs, controller: true}]}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: a-2, namespace: n, labels: {app: a, extra: x}, ownerReferences: [{kind: ReplicaSet, name: a-rs, controller: true}]}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: static, namespace: n, ownerReferences: [{kind: Node, name: node-1, controller: true}]}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: n, ownerReferences: [{name: owner-without-kind, controller: true}]}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: n, ownerReferences: [{kind: ReplicaSet, name: not-controller}]}
spec: {containers: [{name: c}]}
`);
    assert.deepEqual(keys(w), ['n/a-rs[ReplicaSet]', 'n/owner-without-kind[Pod]', 'n/q[Pod]', 'n/static[Pod]']);
    const a = w.workloads.find((x) => x.name === 'a-rs')!;
    assert.deepEqual(a.labels, { app: 'a' });
    assert.equal(a.sources.length, 2);
    assert.equal(a.labelConflicts.length, 1);
  });

  it('reads every workload kind from its pod template (CronJob: jobTemplate)', () => {
    const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'];
    const docs = kinds.map(
      (k) =>
        `apiVersion: apps/v1\nkind: ${k}\nmetadata: {name: ${k.toLowerCase()}, namespace: n}\nspec:\n  template:\n    metadata: {labels: {k: ${k.toLowerCase()}}}\n    spec: {containers: [{name: c, ports: [{name: http, containerPort: 80}]}]}\n`,
    );
    docs.push(
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cron, namespace: n}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {k: cron}}\n        spec: {initContainers: [{name: side, restartPolicy: Always, ports: [{name: side, containerPort: 9}]}, {name: init, ports: [{name: nope, containerPort: 1}]}], containers: [{name: c}]}\n',
    );
    const w = worldOf(docs.join('---\n'));
    assert.equal(w.workloads.length, 7);
    for (const x of w.workloads) assert.equal(x.labels.k, x.name);
    const cron = w.workloads.find((x) => x.kind === 'CronJob')!;
    assert.deepEqual(
      cron.ports.map((p) => p.name),
      ['side'],
      'restartable init containers (sidecars) serve ports; others do not',
    );
    assert.equal(w.workloads.find((x) => x.kind === 'Job')!.ports[0].port, 80);
  });

  it('defaults the namespace, labels namespaces by name, and creates undeclared ones', () => {
    const w = worldOf(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {team: x, kubernetes.io/metadata.name: wrong}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {metadata: {labels: {x: y}}}}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: b}\nspec: {podSelector: {}}\n',
      { defaultNamespace: 'dflt' },
    );
    assert.deepEqual(w.namespaces.get('a')!.labels, { team: 'x', 'kubernetes.io/metadata.name': 'a' });
    assert.deepEqual(w.namespaces.get('b')!.labels, { 'kubernetes.io/metadata.name': 'b' });
    assert.equal(w.workloads[0].namespace, 'dflt');
    assert.ok(w.namespaces.has('dflt'));
  });

  it('reads files in path order; a later object with the same kind, namespace and name replaces an earlier one', () => {
    const p = (port: number): string =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: n}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: ${port}}]}]\n`;
    const w = worldOf({ 'b.yaml': p(2), 'a.yaml': p(1) });
    assert.equal(w.policies.length, 1);
    assert.equal(w.policies[0].ingress[0].ports![0].port, 2);
    assert.equal(w.replaced.length, 1);
    assert.match(w.replaced[0].replaced.uri, /a\.yaml$/);
  });

  it('expands List, typed lists whose items omit kind, and JSON', () => {
    const w = worldOf({
      'l.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'NamespaceList',
        items: [{ metadata: { name: 'x', labels: { a: 'b' } } }],
      }),
      'p.yaml':
        'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p, namespace: x}\n    spec: {containers: [{name: c}]}\n  - 5\n',
    });
    assert.deepEqual(w.namespaces.get('x')!.labels, { a: 'b', 'kubernetes.io/metadata.name': 'x' });
    assert.deepEqual(keys(w), ['x/p[Pod]']);
  });

  it('gives the resources of a kustomization its namespace (the outermost kustomization wins)', () => {
    const dep = (name: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ignored}\nspec: {template: {metadata: {labels: {app: ${name}}}}}\n`;
    const w = worldOf({
      'kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: outer\nresources:\n  - base\n  - app.yaml\n',
      'app.yaml': dep('app'),
      'base/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: inner\nresources: [db.yaml]\n',
      'base/db.yaml': dep('db'),
      'other.yaml': dep('other'),
    });
    assert.deepEqual(keys(w), ['ignored/other[Deployment]', 'outer/app[Deployment]', 'outer/db[Deployment]']);
  });

  it('leaves Helm templates and non-Kubernetes YAML alone', () => {
    const ws = buildWorkspace(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n---\nfoo: bar\n---\n- 1\n---\n# only a comment\n',
    );
    assert.deepEqual(
      ws.files[0].documents.map((d) => d.kind),
      ['template', 'other', 'other', 'empty'],
    );
    assert.equal(ws.world.objects.length, 0);
  });
});
