// Typed objects of a document (model/resources.ts): what each kind's reader takes from the YAML,
// leniently (a value of the wrong type reads as absent).
import { strict as assert } from 'node:assert';
import { parseDocument } from '../../server/src/model/document';
import { type K8sObject, objectsOf } from '../../server/src/model/resources';

const read = (text: string): K8sObject[] => objectsOf('file:///ws/a.yaml', parseDocument(text));

function one<T extends K8sObject['type']>(text: string, type: T): K8sObject & { type: T } {
  const objs = read(text);
  assert.equal(objs.length, 1, text);
  assert.equal(objs[0].type, type);
  return objs[0] as K8sObject & { type: T };
}

describe('model resources', () => {
  it('reads Services: selector (none when empty), ports with their target ports, type', () => {
    const s = one(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: web, namespace: shop}',
        'spec:',
        '  selector: {app: web, tier: 1}',
        '  ports:',
        '    - {name: http, port: 80, targetPort: http}',
        '    - {port: 443, targetPort: 8443, protocol: UDP}',
        '    - {port: "53", targetPort: [x]}',
        '    - not-a-map',
        '',
      ].join('\n'),
      'service',
    );
    assert.deepEqual(s.selector, { app: 'web', tier: '1' });
    assert.equal(s.serviceType, 'ClusterIP');
    assert.deepEqual(
      s.ports.map((p) => [p.name, p.port, p.targetPort, p.protocol]),
      [
        ['http', 80, 'http', 'TCP'],
        [undefined, 443, 8443, 'UDP'],
        [undefined, undefined, undefined, 'TCP'],
      ],
    );
    const headless = one('kind: Service\nmetadata: {name: h}\nspec: {selector: {}, type: NodePort}\n', 'service');
    assert.equal(headless.selector, null, 'an empty selector: endpoints are managed by hand');
    assert.equal(headless.serviceType, 'NodePort');
    assert.deepEqual(headless.ports, []);
  });

  it('reads Kustomizations: resources and bases (strings only) and the namespace', () => {
    const k = one(
      'kind: Kustomization\nnamespace: prod\nresources: [a.yaml, 3, "", ../base]\nbases: [old]\n',
      'kustomization',
    );
    assert.deepEqual(k.resources, ['a.yaml', '../base', 'old']);
    assert.equal(k.kustomizeNamespace, 'prod');
    assert.equal(one('kind: Kustomization\nnamespace: 7\n', 'kustomization').kustomizeNamespace, undefined);
  });

  it('reads workloads: pod labels, host network, ports of containers and sidecars, Pod owners', () => {
    const w = one(
      [
        'kind: Pod',
        'metadata:',
        '  name: p',
        '  labels: {app: p}',
        '  ownerReferences: [{kind: Job, name: j}, {kind: ReplicaSet, name: rs, controller: true}]',
        'spec:',
        '  hostNetwork: true',
        '  containers: [{name: c, ports: [{containerPort: 80}, {name: m, containerPort: 9090, protocol: UDP}]}]',
        '  initContainers: [{name: i, ports: [{containerPort: 1}]}]',
        '',
      ].join('\n'),
      'workload',
    );
    assert.deepEqual(w.podLabels, { app: 'p' });
    assert.equal(w.hostNetwork, true);
    assert.deepEqual(w.owner, { kind: 'ReplicaSet', name: 'rs', controller: true });
    assert.deepEqual(
      w.ports.map((p) => [p.container, p.name, p.port, p.protocol]),
      [
        ['c', undefined, 80, 'TCP'],
        ['c', 'm', 9090, 'UDP'],
      ],
    );
    const d = one(
      'kind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {hostNetwork: "true"}}}\n',
      'workload',
    );
    assert.equal(d.hostNetwork, false, 'a string is not true');
    assert.equal(d.owner, undefined, 'only Pods have owners');
    assert.deepEqual(d.podLabels, {});
  });

  it('reads Namespaces, policies, foreign policy kinds, other kinds, and typed Lists', () => {
    assert.deepEqual(one('kind: Namespace\nmetadata: {name: n, labels: {a: b}}\n', 'namespace').labels, { a: 'b' });
    assert.equal(one('kind: NetworkPolicy\nmetadata: {name: x, namespace: 5}\n', 'policy').namespace, '5');
    assert.equal(one('kind: CiliumNetworkPolicy\nmetadata: {name: c}\n', 'other').foreignPolicy, 'Cilium');
    assert.equal(one('kind: ConfigMap\nmetadata: {name: c}\n', 'other').foreignPolicy, undefined);
    const list = read(
      'kind: NamespaceList\nitems:\n  - metadata: {name: a}\n  - x\n  - {kind: Service, metadata: {name: s}}\n',
    );
    assert.deepEqual(
      list.map((o) => [o.type, o.kind, o.name, o.listIndex]),
      [
        ['namespace', 'Namespace', 'a', 0],
        ['service', 'Service', 's', 2],
      ],
    );
    assert.deepEqual(read('kind: List\nitems:\n  - metadata: {name: no-kind}\n'), [], 'a plain List implies no kind');
  });
});
