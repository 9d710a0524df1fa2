// Checking environments: each overlay on its own world (no NPP35/NPX06 between overlays of one base,
// NPP34 only where no environment sets the namespace), findings placed in the source document at
// the same key path with the environments named and merged, values a patch or transformer changed
// explained with the kustomization as a related location, Helm findings in the templates, the
// includeSelectors trap (NPX10) and failed renders (NPX09).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EnvFinding } from '../../../server/src/environments';
import { mapContext } from '../../../server/src/environments/check';
import { place } from '../../../server/src/environments/mapBack';
import { maskTemplate } from '../../../server/src/environments/source';
import { checkAll, GITOPS, openFolder, removeWorkspace, ROOT, show, TRAP, writeWorkspace, yaml } from './helpers';

function text(f: EnvFinding): string {
  return f.doc.text.slice(f.s, f.e);
}

function rel(dir: string, uri: string): string {
  return path.relative(dir, new URL(uri).pathname);
}

describe('environments: checks mapped back to the source', function () {
  this.timeout(60000);
  const dirs: string[] = [];
  const ws = (files: Record<string, string>): string => {
    const d = writeWorkspace(files);
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach(removeWorkspace));

  it('overlays of one base: no duplicate-name (NPP35/NPX06) or missing-namespace (NPP34) findings', async () => {
    const d = ws(GITOPS);
    const r = await checkAll(openFolder(d));
    assert.deepEqual(
      r.findings.map((f) => show(f, d)),
      [],
    );
    assert.equal(r.rendered.length, 2);
    assert.ok(r.rendered.every((x) => x.ok));
  });

  it('NPP34 only where no environment that renders the policy sets a namespace', async () => {
    const d = ws({
      ...GITOPS,
      'apps/api/overlays/plain/kustomization.yaml': 'resources: [../../base]\nnamePrefix: p-\n',
      'other/base/kustomization.yaml': 'resources: [p.yaml]\n',
      'other/base/p.yaml': yaml(`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: lone
        spec:
          podSelector: {}
          policyTypes: [Ingress]
      `),
    });
    const r = await checkAll(openFolder(d));
    const npp34 = r.findings.filter((f) => f.rule === 'NPP34');
    assert.deepEqual(
      npp34.map((f) => `${rel(d, f.uri)} ${text(f)} ${f.environments.join(',')}`),
      ['other/base/p.yaml name: lone other/base'],
    );
    assert.match(npp34[0].message, /^\[other\/base\] No metadata\.namespace/);
    const names = new Set(r.presence.get(openFolder(d).file('apps/api/base/netpol.yaml').documents[0]) ?? []);
    assert.equal(names.size, 0, 'presence is keyed by the documents of the check run');
  });

  it('the same finding of several environments is one finding listing them, at the same key path', async () => {
    const d = ws({
      ...GITOPS,
      'apps/api/base/netpol.yaml': GITOPS['apps/api/base/netpol.yaml'].replace('port: 8080', 'port: http'),
    });
    const r = await checkAll(openFolder(d));
    const npp12 = r.findings.filter((f) => f.rule === 'NPP12');
    assert.equal(npp12.length, 1, r.findings.map((f) => show(f, d)).join('\n'));
    const f = npp12[0];
    assert.equal(rel(d, f.uri), 'apps/api/base/netpol.yaml');
    assert.equal(text(f), 'http');
    assert.deepEqual(f.environments, ['apps/api/overlays/dev', 'apps/api/overlays/prod']);
    assert.match(f.message, /^\[apps\/api\/overlays\/dev\] Named port "http".*dev\/api\[Deployment\]/);
    assert.match(f.message, /\[apps\/api\/overlays\/prod\] Named port "http".*prod\/api\[Deployment\]/);
    // related locations point into the source files too
    assert.ok((f.related ?? []).every((x) => rel(d, x.uri) === 'apps/api/base/deploy.yaml'));
  });

  it("a value a patch added: on the object's name, with the rendered value and the kustomization that set it", async () => {
    const d = ws({
      ...GITOPS,
      'apps/api/overlays/prod/kustomization.yaml': GITOPS['apps/api/overlays/prod/kustomization.yaml'].replace(
        '{port: 9090}',
        '{port: metrics}',
      ),
    });
    const r = await checkAll(openFolder(d));
    const f = r.findings.find((x) => x.rule === 'NPP12');
    assert.ok(f, r.findings.map((x) => show(x, d)).join('\n'));
    assert.equal(rel(d, f.uri), 'apps/api/base/netpol.yaml');
    assert.equal(text(f), 'name: api');
    assert.deepEqual(f.environments, ['apps/api/overlays/prod']);
    assert.match(
      f.message,
      /In apps\/api\/overlays\/prod spec\.ingress\[0\]\.ports\[1\]\.port is metrics, set by apps\/api\/overlays\/prod\/kustomization\.yaml\.$/,
    );
    const patch = (f.related ?? []).find((x) => rel(d, x.uri) === 'apps/api/overlays/prod/kustomization.yaml');
    assert.ok(patch, JSON.stringify(f.related?.map((x) => x.message)));
    assert.equal(patch.doc.text.slice(patch.s, patch.e), 'patches');
    assert.match(patch.message, /PatchTransformer configured here/);
  });

  it('suppression comments in the source file silence the mapped finding', async () => {
    const d = ws({
      ...GITOPS,
      'apps/api/base/netpol.yaml': GITOPS['apps/api/base/netpol.yaml'].replace(
        'port: 8080',
        'port: http # netpol-lens-disable-line NPP12',
      ),
    });
    const r = await checkAll(openFolder(d));
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'NPP12').map((f) => show(f, d)),
      [],
    );
    const off = await checkAll(
      openFolder(
        ws({
          ...GITOPS,
          'apps/api/base/netpol.yaml': GITOPS['apps/api/base/netpol.yaml'].replace('port: 8080', 'port: http'),
        }),
        { rules: { NPP12: 'off' } },
      ),
    );
    assert.ok(!off.findings.some((f) => f.rule === 'NPP12'));
  });

  it('the includeSelectors trap: NPX10 in the base file, naming the environments and the kustomization', async () => {
    const d = ws(TRAP);
    const r = await checkAll(openFolder(d));
    const trap = r.findings.filter((f) => f.rule === 'NPX10');
    assert.equal(trap.length, 1, r.findings.map((f) => show(f, d)).join('\n'));
    const f = trap[0];
    assert.equal(rel(d, f.uri), 'app/base/policy.yaml');
    assert.equal(text(f), 'matchLabels:\n              k8s-app: kube-dns');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.environments, ['app/dev', 'app/prod']);
    assert.match(
      f.message,
      /^\[app\/dev, app\/prod\] app\/base\/kustomization\.yaml adds team=shop to this peer's podSelector/,
    );
    assert.match(f.message, /pods in namespace kube-system are not labelled by this kustomization/);
    const k = f.related?.[0];
    assert.ok(k);
    assert.equal(rel(d, k.uri), 'app/base/kustomization.yaml');
    assert.equal(k.doc.text.slice(k.s, k.e), 'team: shop');
    // the DNS check sees the cut-off peer too, in the base file
    assert.ok(r.findings.some((x) => x.rule === 'NPP10' && rel(d, x.uri) === 'app/base/policy.yaml'));
  });

  it('no NPX10 when the labels are kept out of selectors, or the peer still matches its pods', async () => {
    const noSel = ws({
      ...TRAP,
      'app/base/kustomization.yaml': TRAP['app/base/kustomization.yaml'].replace(
        'includeSelectors: true',
        'includeSelectors: false',
      ),
    });
    assert.ok(!(await checkAll(openFolder(noSel))).findings.some((f) => f.rule === 'NPX10'));
    // a same-namespace peer whose pods come from the same kustomization (they get the label too)
    const same = ws({
      ...TRAP,
      'app/base/policy.yaml': yaml(`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api-in}
        spec:
          podSelector: {matchLabels: {app: api}}
          ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
      `),
    });
    assert.deepEqual(
      (await checkAll(openFolder(same))).findings.filter((f) => f.rule === 'NPX10').map((f) => show(f, same)),
      [],
    );
  });

  it('a render that fails is one NPX09 on the kustomization; the text checks of its sources still run', async () => {
    const d = ws({
      ...GITOPS,
      'apps/api/base/netpol.yaml': `${GITOPS['apps/api/base/netpol.yaml']}  podSelector: [unclosed\n`,
    });
    const r = await checkAll(openFolder(d));
    const npx09 = r.findings.filter((f) => f.rule === 'NPX09');
    assert.deepEqual(
      npx09.map((f) => `${rel(d, f.uri)}:${f.doc.positionAt(f.s).line + 1} ${f.severity}`),
      ['apps/api/overlays/dev/kustomization.yaml:1 warning', 'apps/api/overlays/prod/kustomization.yaml:1 warning'],
    );
    assert.match(
      npx09[0].message,
      /^\[apps\/api\/overlays\/dev\] Environment apps\/api\/overlays\/dev was not rendered: kubectl failed/,
    );
    const syntax = r.findings.filter((f) => f.rule === 'NPX03');
    assert.equal(syntax.length, 1);
    assert.equal(rel(d, syntax[0].uri), 'apps/api/base/netpol.yaml');
    assert.deepEqual(syntax[0].environments, []);
  });

  it('Helm: rendered objects map into their templates, through the masked template text', async () => {
    const d = ws({
      'charts/catalog/Chart.yaml': 'apiVersion: v2\nname: catalog\nversion: 0.1.0\n',
      'charts/catalog/values.yaml': 'x: 1\n',
      'charts/catalog/templates/networkpolicy.yaml': readFileSync(
        path.join(ROOT, 'examples/charts/catalog/templates/networkpolicy.yaml'),
        'utf8',
      ),
      'charts/catalog/templates/deployment.yaml': readFileSync(
        path.join(ROOT, 'examples/charts/catalog/templates/deployment.yaml'),
        'utf8',
      ),
    });
    const o = openFolder(d);
    const r = await o.service.render(o.discovery.environments.find((e) => e.name === 'charts/catalog')!);
    assert.ok(r.ok, r.ok ? '' : r.problem.message);
    const mc = mapContext(r, o.ctx);
    const doc = r.file.documents[0];
    const at = (needle: string): { s: number; e: number } => {
      const s = doc.text.indexOf(needle);
      return { s, e: s + needle.length };
    };
    const port = at('port: http');
    const p = place(mc, 0, port.s, port.e)!;
    assert.equal(rel(d, p.uri), 'charts/catalog/templates/networkpolicy.yaml');
    assert.equal(p.doc.text.slice(p.s, p.e), 'port: http');
    assert.ok(p.exact);
    // a value the template computes: the same key, with what it rendered to
    const ns = at('kubernetes.io/metadata.name: storefront-dev');
    const q = place(mc, 0, ns.s, ns.e)!;
    assert.equal(q.doc.text.slice(q.s, q.e), 'kubernetes.io/metadata.name: {{ .namespace }}');
    assert.match(q.note ?? '', /In charts\/catalog the rendered value is storefront-dev/);
    const masked = maskTemplate('a: {{ .x }}\n{{- if .y }}\nb: c-{{ .z }}\n');
    assert.equal(masked, 'a: xxxxxxxx\n            \nb: c-xxxxxxxx\n');
  });
});
