// What the API server rejects in AdminNetworkPolicy, BaselineAdminNetworkPolicy and
// ClusterNetworkPolicy objects (docs/semantics.md D.2), and which of those errors take a policy out
// of the analysis (docs/semantics.md D.1: adminValidationErrors, the engine's question).
import { strict as assert } from 'node:assert';
import { adminValidationErrors } from '../../../server/src/analysis/adminValidity';
import { parseFile } from '../../../server/src/model/document';
import type { PMap } from '../../../server/src/model/tree';
import { RULES } from '../../../server/src/rules/registry';
import { adminCases } from './cases/admin';
import { runCases, yaml } from './helpers';

describe('rules: admin-tier validation', () => {
  runCases(adminCases);

  it('numbers NPA rules after the validation rules AV01-AV26 of docs/semantics.md D.2', () => {
    const ids = [...RULES.keys()].filter((id) => id.startsWith('NPA'));
    assert.equal(ids.length, 26);
    for (const id of ids) assert.match(RULES.get(id)!.reference ?? '', new RegExp(`^D\\.2 AV${id.slice(3)}$`));
  });
});

/** The errors that take each object of a YAML stream (or of a List) out of the analysis, as rule ids. */
function removing(text: string): string[][] {
  const file = parseFile('file:///ws/a.yaml', text);
  return file.documents.map((d) => {
    const root = d.tree as PMap;
    const items = root.entries.find((e) => e.key === 'items')?.value;
    if (items && items.t === 'seq') {
      return items.items.flatMap((it) => adminValidationErrors(it as PMap, d, true).map((f) => f.rule));
    }
    return adminValidationErrors(root, d).map((f) => `${f.rule} ${JSON.stringify(d.text.slice(f.s, f.e))}`);
  });
}

describe('adminValidationErrors: which errors leave an admin policy out (docs/semantics.md D.1)', () => {
  const head = 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: guard}\n';

  it('keeps a valid policy, and one with unknown fields, duplicate keys or a missing pods selector', () => {
    assert.deepEqual(
      removing(
        [
          `${head}spec: {priority: 1, subject: {namespaces: {}}}`,
          `${head}spec: {priority: 1, colour: red, subject: {namespaces: {}}}`,
          `${head}spec:\n  priority: 1\n  priority: 2\n  subject: {namespaces: {}}`,
          `${head}spec: {priority: 1, subject: {pods: {namespaceSelector: {}}}}`,
        ].join('\n---\n'),
      ),
      [[], [], [], []],
    );
  });

  it('removes a policy with a validation error or a wrong type, with the ranges of the errors', () => {
    assert.deepEqual(
      removing(
        [
          `${head}spec: {priority: 1001, subject: {namespaces: {}}}`,
          `${head}spec: {priority: "1", subject: {namespaces: {}}}`,
          yaml(`
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: guard}
            spec:
              tier: Admin
              priority: 1
              subject: {namespaces: {}}
              ingress:
                - {action: Allow, from: [{namespaces: {}}]}
          `),
        ].join('\n---\n'),
      ),
      [['NPA05 "1001"'], ['NPA26 "\\"1\\""'], ['NPA11 "Allow"']],
    );
  });

  it('reads List items, counts YAML syntax errors, and gives no errors for other kinds', () => {
    const list = yaml(`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: policy.networking.k8s.io/v1alpha1
          kind: BaselineAdminNetworkPolicy
          metadata: {name: other}
          spec: {subject: {namespaces: {}}}
        - apiVersion: policy.networking.k8s.io/v1alpha1
          kind: BaselineAdminNetworkPolicy
          metadata: {name: default}
          spec: {subject: {namespaces: {}}}
    `);
    assert.deepEqual(removing(list), [['NPA03']]);
    const broken = parseFile('file:///ws/b.yaml', `${head}spec: {priority: 1, subject: {namespaces: {}}\n`);
    const d = broken.documents[0];
    assert.ok(d.syntaxErrors.length > 0);
    assert.ok(d.tree && d.tree.t === 'map', 'the broken document still has a tree');
    assert.equal(adminValidationErrors(d.tree, d)[0]?.rule, 'NPX03');
    const np = parseFile(
      'file:///ws/c.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\n',
    );
    assert.deepEqual(adminValidationErrors(np.documents[0].tree as PMap, np.documents[0]), []);
  });
});
