import { strict as assert } from 'node:assert';
import type { World } from '../../server/src/analysis/world';
import { pickNamespace } from '../../server/src/diagram/namespace';
import { worldOf } from '../support/workspace';

const deploy = (ns: string, name: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {template: {metadata: {labels: {app: ${name}}}}}\n`;
const policy = (ns: string, name: string, extra = ''): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {podSelector: {}${extra}}\n`;
const namespace = (name: string): string => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
const service = (ns: string, name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {selector: {app: x}, ports: [{port: 80}]}\n`;

const sortedNamespaces = (w: World): string[] => [...w.namespaces.keys()].filter((n) => n !== '').sort();
const pick = (w: World, params: Parameters<typeof pickNamespace>[2]): ReturnType<typeof pickNamespace> =>
  pickNamespace(w, sortedNamespaces(w), params);

describe('pickNamespace (which namespace a diagram is about)', () => {
  const world = worldOf({
    'a.yaml': [deploy('alpha', 'one'), deploy('beta', 'two'), deploy('beta', 'three')].join('---\n'),
    'b.yaml': [policy('alpha', 'p'), deploy('beta', 'four')].join('---\n'),
    'c.yaml': [namespace('gamma'), namespace('delta'), service('alpha', 's1'), service('alpha', 's2')].join('---\n'),
    'd.yaml': [deploy('gamma', 'g'), deploy('delta', 'd')].join('---\n'),
  });

  it('1. takes the requested namespace when the world has it, whatever the document', () => {
    assert.deepEqual(pick(world, { namespace: 'beta', uri: 'file:///ws/b.yaml' }), { ns: 'beta' });
    assert.deepEqual(pick(world, { namespace: 'gamma' }), { ns: 'gamma' });
  });

  it('2. else the namespace the document is mostly about: policies count 2, workloads and Namespaces 1', () => {
    // two beta workloads against one alpha workload
    assert.equal(pick(world, { uri: 'file:///ws/a.yaml' }).ns, 'beta');
    // one alpha policy (2) against one beta workload (1)
    assert.equal(pick(world, { uri: 'file:///ws/b.yaml' }).ns, 'alpha');
    // Namespace objects count for themselves, Services count nothing; a tie goes to the first name
    assert.equal(pick(world, { uri: 'file:///ws/c.yaml' }).ns, 'delta');
    assert.equal(pick(world, { uri: 'file:///ws/d.yaml' }).ns, 'delta');
  });

  it('says why a requested namespace was not drawn, and falls back to the document', () => {
    const r = pick(world, { namespace: 'gone', uri: 'file:///ws/a.yaml' });
    assert.deepEqual(r, { ns: 'beta', note: 'Namespace "gone" is not in the workspace any more.' });
    const long = 'n'.repeat(100);
    const note = pick(world, { namespace: long }).note!;
    assert.ok(note.includes(`"${'n'.repeat(62)}…"`), note);
  });

  it('3. else the first namespace with a policy and a workload, with a workload, or at all', () => {
    for (const params of [{}, { uri: 'file:///ws/unknown.yaml' }, { namespace: '' }]) {
      // a document with no objects, an empty name: no request
      const r = pick(world, params);
      assert.equal(r.ns, 'alpha', JSON.stringify(params));
      assert.equal(r.note, undefined);
    }
    // an invalid policy does not take part in connectivity: it does not make its namespace first
    const invalid = worldOf({
      'x.yaml': [
        deploy('aa', 'w'),
        policy('aa', 'broken', ', policyTypes: [Sideways]'),
        deploy('bb', 'w'),
        policy('bb', 'ok'),
      ].join('---\n'),
    });
    assert.equal(pick(invalid, {}).ns, 'bb');
    const noPolicy = worldOf({ 'x.yaml': [namespace('aa'), deploy('bb', 'w')].join('---\n') });
    assert.equal(pick(noPolicy, {}).ns, 'bb', 'the first with a workload');
    const onlyNamespaces = worldOf({ 'x.yaml': [namespace('zz'), namespace('yy')].join('---\n') });
    assert.equal(pick(onlyNamespaces, {}).ns, 'yy', 'the first namespace');
    assert.deepEqual(pick(worldOf({}), { namespace: 'x' }), {
      ns: '',
      note: 'Namespace "x" is not in the workspace any more.',
    });
  });
});
