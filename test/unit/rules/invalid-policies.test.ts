// A policy the API server would reject takes no part in connectivity: the cluster would not
// have it. Checked for the positive case of every error rule, and end to end on traffic.
//
// Deliberate exception (analysis/validate.ts): unknown fields (NPP44, NPP43) and duplicate keys
// (NPP30) are reported as errors, because strict field validation (kubectl's default) rejects
// them, but the policy stays in the analysis as a lenient client would apply it (without the
// unknown field, with the last duplicate value).

import { strict as assert } from 'node:assert';
import { adminObjects } from '../../../server/src/analysis/adminKinds';
import { adminValidationErrors } from '../../../server/src/analysis/adminValidity';
import { computeConnectivity, pairPorts } from '../../../server/src/analysis/connectivity';
import { allowedPorts, wl } from '../../../server/src/analysis/evaluate';
import { describePorts } from '../../../server/src/analysis/ports';
import { RULES } from '../../../server/src/rules/registry';
import { ALL_CASES } from './cases';
import { BASE_URI, deployment, docs, policy, run, type Files } from './helpers';

const LENIENT = new Set(['NPP30', 'NPP43', 'NPP44']);
/**
 * Admin-tier cases whose error leaves the policy in the analysis (docs/semantics.md D.1): a
 * missing `pods` selector (read as {}) and unknown fields; a wrong type (also NPA26) removes it.
 */
const ADMIN_KEPT = new Set([
  'NPA08',
  'NPA26: ports in a ClusterNetworkPolicy rule',
  'NPA26: tier in an AdminNetworkPolicy',
]);
/** Errors about connectivity expectations (ConnectivityExpectations documents), not policies. */
const NOT_ABOUT_POLICIES = new Set(['NPX07', 'NPX08']);

function policiesOf(files: Files, target: string | undefined, settings: Record<string, unknown> | undefined) {
  const r = run(files, settings);
  const names = typeof files === 'string' ? ['a.yaml'] : Object.keys(files).sort();
  const uri = `${BASE_URI}${target ?? names[0]}`;
  return { world: r.world, mine: r.world.policies.filter((p) => p.obj.uri === uri) };
}

describe('rules: invalid policies take no part in connectivity', () => {
  const errorCases = ALL_CASES.filter(
    (c) => c.kind === 'fires' && !c.produce && RULES.get(c.id)?.severity === 'error' && !NOT_ABOUT_POLICIES.has(c.id),
  );

  it('covers every error rule about policies', () => {
    const ids = [...RULES.values()]
      .filter((r) => r.severity === 'error' && !NOT_ABOUT_POLICIES.has(r.id))
      .map((r) => r.id);
    const tested = new Set(errorCases.map((c) => c.id));
    assert.deepEqual(
      ids.filter((id) => !tested.has(id)),
      [],
    );
  });

  /** Cases about an admin-tier policy: every NPA rule, and the document-level rules shown on one. */
  const isAdminCase = (c: (typeof errorCases)[number]): boolean =>
    c.id.startsWith('NPA') || /kind: (?:Admin|BaselineAdmin|Cluster)NetworkPolicy/.test(JSON.stringify(c.files));

  for (const c of errorCases.filter(isAdminCase)) {
    const kept = ADMIN_KEPT.has(c.id) || ADMIN_KEPT.has(`${c.id}: ${c.title}`);
    it(`${c.id}: ${c.title} → ${kept ? 'still analysed' : 'left out'} (admin tier)`, () => {
      const r = run(c.files, c.settings);
      const file = r.files.get(c.target ?? [...r.files.keys()][0])!;
      const objs = adminObjects(r.world.objects.filter((o) => o.uri === file.uri));
      assert.ok(objs.length > 0, 'the case has an admin-tier policy');
      const removed = objs.filter((o) => adminValidationErrors(o.node, o.doc, o.listIndex !== undefined).length > 0);
      assert.equal(removed.length, kept ? 0 : objs.length);
    });
  }

  for (const c of errorCases.filter((x) => !isAdminCase(x))) {
    const lenient = LENIENT.has(c.id);
    it(`${c.id}: ${c.title} → ${lenient ? 'still applied (lenient decoding)' : 'left out'}`, () => {
      const { world, mine } = policiesOf(c.files, c.target, c.settings);
      assert.ok(mine.length > 0, 'the case has a NetworkPolicy object');
      for (const p of mine) {
        assert.equal(p.valid, lenient, `${p.name}: valid`);
        assert.equal(world.activePolicies.includes(p), lenient, `${p.name}: active`);
      }
    });
  }

  describe('traffic', () => {
    const workloads = docs(
      deployment('web', 'shop', { app: 'web' }, [{ port: 8080 }]),
      deployment('api', 'shop', { app: 'api' }, [{ port: 8080 }]),
    );
    const allowFromWeb = (port: string): string =>
      policy(
        'api-from-web',
        `
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: web
          ports:
            - port: ${port}
    `,
      );
    const denyAll = policy(
      'default-deny',
      `
      podSelector: {}
      policyTypes: [Ingress]
    `,
    );

    function webToApi(files: Record<string, string>): string {
      const r = run(files);
      const conn = computeConnectivity(r.world);
      const web = r.world.workloads.find((w) => w.name === 'web')!;
      const api = r.world.workloads.find((w) => w.name === 'api')!;
      const fast = describePorts(pairPorts(conn, web, api));
      assert.equal(describePorts(allowedPorts(r.world, wl(web), wl(api))), fast, 'the pair-by-pair engine agrees');
      return fast;
    }

    it('a valid allow rule opens exactly its port', () => {
      assert.equal(webToApi({ 'w.yaml': workloads, 'p.yaml': allowFromWeb('8080') }), 'TCP 8080');
    });

    it('the same policy with a quoted port (NPV08) is rejected: web -> api stays open', () => {
      const files = { 'w.yaml': workloads, 'p.yaml': allowFromWeb('"8080"') };
      assert.ok(
        run(files)
          .findings('p.yaml')
          .some((f) => f.rule === 'NPV08'),
      );
      assert.equal(webToApi(files), 'All Connections');
    });

    it('a default deny with a wrong apiVersion (NPP45) denies nothing', () => {
      const bad = denyAll.replace('networking.k8s.io/v1', 'extensions/v1beta1');
      assert.equal(webToApi({ 'w.yaml': workloads, 'p.yaml': denyAll }), 'No Connections');
      assert.equal(webToApi({ 'w.yaml': workloads, 'p.yaml': bad }), 'All Connections');
    });

    it('a default deny with a YAML syntax error (NPX03) denies nothing', () => {
      const bad = `${denyAll}  ingress: [\n`;
      assert.ok(
        run({ 'w.yaml': workloads, 'p.yaml': bad })
          .findings('p.yaml')
          .some((f) => f.rule === 'NPX03'),
      );
      assert.equal(webToApi({ 'w.yaml': workloads, 'p.yaml': bad }), 'All Connections');
    });

    it('a default deny with an unknown field (NPP44) still denies (lenient decoding)', () => {
      const odd = denyAll.replace('  policyTypes: [Ingress]', '  policyTypes: [Ingress]\n  comment: closed by default');
      assert.ok(
        run({ 'w.yaml': workloads, 'p.yaml': odd })
          .findings('p.yaml')
          .some((f) => f.rule === 'NPP44'),
      );
      assert.equal(webToApi({ 'w.yaml': workloads, 'p.yaml': odd }), 'No Connections');
    });
  });
});
