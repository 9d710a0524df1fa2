// The workspace index answers a file's diagnostics with the same array while nothing they come from
// changed, so that the diagnostics scheduler can skip a file by reference (issue 10, item 2), and
// with a new array when a file that related locations point into changed (its lines move).
import { strict as assert } from 'node:assert';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { readSettings } from '../../server/src/settings';

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: a\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n';
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
const WORKLOAD =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: a\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: c\n          ports:\n            - containerPort: 8080\n';
// uses the Service port 80 instead of the pod's 8080: NPP11, with the Service as related location
const POLICY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: 80\n';
const OTHER = (port: number): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: q\n  namespace: b\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: ${port}\n`;

describe('workspace index: unchanged diagnostics are the same array', () => {
  function index(): WorkspaceIndex {
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    idx.setFile('file:///ws/svc.yaml', `${CONFIG_MAP}---\n${SERVICE}`);
    idx.setFile('file:///ws/web.yaml', WORKLOAD);
    idx.setFile('file:///ws/pol.yaml', POLICY);
    idx.setFile('file:///ws/other.yaml', OTHER(80));
    return idx;
  }

  it('returns the same array while nothing the file depends on changed, without checking again', () => {
    const idx = index();
    const first = idx.findings('file:///ws/pol.yaml');
    assert.ok(first.some((f) => f.rule === 'NPP11' && f.related?.[0]?.uri === 'file:///ws/svc.yaml'));
    assert.equal(idx.findings('file:///ws/pol.yaml'), first);
    const checked = idx.stats.checked;
    // a policy of another namespace changes: a new world, nothing of namespace a to re-check
    idx.setFile('file:///ws/other.yaml', OTHER(81));
    assert.equal(idx.findings('file:///ws/pol.yaml'), first);
    assert.equal(idx.stats.checked, checked);
    // the same text again changes nothing at all
    const worlds = idx.stats.worlds;
    idx.setFile('file:///ws/pol.yaml', POLICY);
    assert.equal(idx.isCurrent(), true);
    assert.equal(idx.findings('file:///ws/pol.yaml'), first);
    assert.equal(idx.stats.worlds, worlds);
  });

  it('returns a new array when the file of a related location changed, though its findings are cached', () => {
    const idx = index();
    const first = idx.findings('file:///ws/pol.yaml');
    const line = (): number => {
      const r = idx.findings('file:///ws/pol.yaml').find((f) => f.rule === 'NPP11')!.related![0];
      return r.doc.positionAt(r.s).line;
    };
    const before = line();
    const checked = idx.stats.checked;
    // the document above the Service grows: the Service document moves two lines down, its text is the same
    idx.setFile('file:///ws/svc.yaml', `${CONFIG_MAP}  labels:\n    a: b\n---\n${SERVICE}`);
    const second = idx.findings('file:///ws/pol.yaml');
    assert.equal(idx.stats.checked, checked, 'the findings themselves are reused');
    assert.notEqual(second, first, 'but the array is new: the related range moved');
    assert.deepEqual(
      second.map((f) => f.rule),
      first.map((f) => f.rule),
    );
    assert.equal(line(), before + 2);
    assert.equal(idx.findings('file:///ws/pol.yaml'), second);
  });

  it('returns a new array when the settings change', () => {
    const idx = index();
    const first = idx.findings('file:///ws/pol.yaml');
    idx.updateOptions({ settings: readSettings({ rules: { NPP11: 'off' } }) });
    const second = idx.findings('file:///ws/pol.yaml');
    assert.notEqual(second, first);
    assert.ok(!second.some((f) => f.rule === 'NPP11'));
  });
});
