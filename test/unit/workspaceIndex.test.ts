// The workspace index re-parses only the edited document and re-checks only what depends on it.
import { strict as assert } from 'node:assert';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { readSettings } from '../../server/src/settings';

function ns(name: string, policies: number): string {
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`];
  docs.push(
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: ${name}\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: c\n          ports:\n            - name: http\n              containerPort: 8080\n`,
  );
  for (let i = 0; i < policies; i++) {
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p${i}\n  namespace: ${name}\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: ${8000 + i}\n`,
    );
  }
  return docs.join('---\n');
}

describe('workspace index (incremental)', () => {
  const text = `${ns('a', 5)}---\n${ns('b', 5)}`;
  const uri = 'file:///ws/all.yaml';

  it('re-parses only the edited document and keeps the others', () => {
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    const before = idx.setFile(uri, text).documents;
    const after = idx.setFile(uri, text.replace('port: 8003', 'port: 9003')).documents;
    assert.equal(after.length, before.length);
    const changed = after.filter((d, i) => d !== before[i]);
    assert.equal(changed.length, 1);
    assert.match(changed[0].text, /port: 9003/);
    // moved documents keep their trees and report positions at their new place
    const line5 = after[5].startLine;
    const moved = idx.setFile(uri, `# a comment line\n${text.replace('port: 8003', 'port: 9003')}`).documents;
    assert.equal(
      moved.filter((d, i) => d !== after[i]).length,
      1,
      'only the first chunk (which gained the comment) is new',
    );
    assert.equal(moved[5], after[5]);
    assert.equal(moved[5].startLine, line5 + 1);
    assert.equal(moved[5].positionAt(0).line, line5 + 1);
  });

  it('re-checks only the documents of the edited policy namespace', () => {
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    idx.setFile(uri, text);
    idx.findings(uri);
    const docs = idx.getFile(uri)!.documents.length;
    assert.equal(idx.stats.checked, docs);
    idx.stats.checked = 0;
    idx.setFile(uri, text.replace('port: 8003', 'port: 9003'));
    idx.findings(uri);
    // namespace a: its Namespace document and its 5 policies; nothing of namespace b
    assert.equal(idx.stats.checked, 6);
  });

  it('re-checks what looks at a namespace whose workload labels change, and reuses workloads otherwise', () => {
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    idx.setFile(uri, text);
    idx.findings(uri);
    const w1 = idx.world();
    idx.setFile(uri, text.replace('port: 8001', 'port: 9001'));
    const w2 = idx.world();
    assert.notEqual(w1, w2);
    assert.equal(w2.workloads, w1.workloads, 'a policy edit keeps the workload objects');
    idx.stats.checked = 0;
    idx.setFile(uri, text.replace('app: web\n    spec', 'app: api\n    spec'));
    const w3 = idx.world();
    assert.notEqual(w3.workloads, w2.workloads);
    const f = idx.findings(uri);
    // namespace a: its Namespace, its (edited) Deployment and its 5 policies; namespace b is untouched
    assert.equal(idx.stats.checked, 7);
    assert.ok(
      f.some((x) => x.rule === 'NPP37'),
      'policies of namespace a now select nothing',
    );
  });

  it('re-checks after a Service edit only the policies that send traffic into its namespace', () => {
    const svc = (ns: string, port: number): string =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ${ns}\nspec:\n  selector:\n    app: web\n  ports:\n    - port: ${port}\n      targetPort: http\n`;
    const egress =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: b\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: a\n      ports:\n        - port: 80\n';
    const base = `${text}---\n${svc('a', 80)}---\n${svc('b', 80)}---\n${egress}`;
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    idx.setFile(uri, base);
    const before = idx.findings(uri);
    assert.ok(
      before.some((f) => f.rule === 'NPP11'),
      'the egress policy uses the Service port 80 of namespace a',
    );
    idx.stats.checked = 0;
    idx.setFile(
      uri,
      base.replace(
        `namespace: a\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80`,
        `namespace: a\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 81`,
      ),
    );
    const after = idx.findings(uri);
    // namespace a's 5 policies, the egress policy of b that reaches a, and the edited Service itself
    assert.equal(idx.stats.checked, 7);
    assert.ok(!after.some((f) => f.rule === 'NPP11'), 'port 80 is no longer a Service port');
  });

  it('checks connectivity expectations again after an edit in any other file', () => {
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    const dep = (n: string): string =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${n}\n    spec:\n      containers:\n        - name: c\n          ports:\n            - containerPort: 5432\n`;
    idx.setFile('file:///ws/w.yaml', `${dep('web')}---\n${dep('db')}`);
    const pol = (from: string): string =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: ${from}\n`;
    idx.setFile('file:///ws/p.yaml', pol('api'));
    const exp = 'file:///ws/x.yaml';
    idx.setFile(
      exp,
      'apiVersion: netpol-lens.dev/v1\nkind: ConnectivityExpectations\nmetadata:\n  name: c\nexpectations:\n  - from: shop/web\n    to: shop/db\n    port: 5432\n    allowed: true\n',
    );
    assert.deepEqual(
      idx.findings(exp).map((f) => f.rule),
      ['NPX07'],
    );
    idx.setFile('file:///ws/p.yaml', pol('web'));
    assert.deepEqual(
      idx.findings(exp).map((f) => f.rule),
      [],
      'the expectation holds once the policy allows web',
    );
    idx.setFile(
      'file:///ws/p2.yaml',
      pol('web')
        .replace('name: db', 'name: deny')
        .replace(/ingress:[\s\S]*$/, 'ingress: []\n')
        .replace('app: db', 'app: web')
        .replace('  podSelector:\n', '  policyTypes: [Egress]\n  podSelector:\n'),
    );
    assert.deepEqual(
      idx.findings(exp).map((f) => f.rule),
      ['NPX07'],
      'a new policy in a new file that isolates web for egress breaks it again',
    );
  });
});
