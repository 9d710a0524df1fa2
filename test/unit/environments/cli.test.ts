// The built CLI (dist/cli.js) on environments: `netpol-lens environments`, --env, check over every
// environment, and the done-when checks of docs/environments.md: `connectivity --env OVERLAY`
// equals the connectivity of `kubectl kustomize OVERLAY` written to a folder and analysed as plain
// files, for every overlay, and the same for a chart and its values files with the stand-in helm.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GITOPS, removeWorkspace, ROOT, STAND_IN_HELM, writeWorkspace } from './helpers';

const cli = path.join(ROOT, 'dist/cli.js');

function run(
  args: string[],
  cwd = ROOT,
  helm = STAND_IN_HELM,
): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, NETPOL_LENS_HELM: helm };
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('netpol-lens CLI: environments', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build');
    tmp = writeWorkspace({});
  });
  after(() => removeWorkspace(tmp));

  it('lists the environments of examples/ with their kind, files and render status', () => {
    assert.match(run(['--help']).stdout, /netpol-lens environments <dir>/);
    assert.equal(run(['environments']).status, 2);
    const r = run(['environments', 'examples', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { environments: Array<Record<string, unknown>> };
    assert.deepEqual(
      j.environments.map((e) => `${e.name} ${e.kind} ${e.status}`),
      [
        '. plain plain',
        'charts/catalog helm rendered',
        'charts/catalog@values-prod.yaml helm rendered',
        'storefront/overlays/dev kustomize rendered',
        'storefront/overlays/prod kustomize rendered',
      ],
    );
    const prod = j.environments.find((e) => e.name === 'storefront/overlays/prod')!;
    assert.equal(prod.definition, 'examples/storefront/overlays/prod/kustomization.yaml');
    assert.ok((prod.files as string[]).includes('examples/storefront/components/monitoring/allow-monitoring.yaml'));
    assert.equal(prod.objects, 7);
    const text = run(['environments', 'examples']).stdout;
    assert.match(text, /^storefront\/overlays\/dev +kustomize +rendered: 6 objects in \d+\.\d s$/m);
    // without a helm the charts say why, and the rest still renders
    const none = run(['environments', 'examples'], ROOT, path.join(tmp, 'no-helm'));
    assert.equal(none.status, 0);
    assert.match(none.stdout, /charts\/catalog +helm +NOT RENDERED/);
    assert.match(none.stdout, /no-helm was not found\. Install helm or set netpolLens\.render\.helm/);
    assert.match(none.stdout, /storefront\/overlays\/prod +kustomize +rendered/);
  });

  it('connectivity --env OVERLAY equals kubectl kustomize OVERLAY analysed as plain files, for every overlay', () => {
    const repo = writeWorkspace(GITOPS);
    cpSync(path.join(ROOT, 'examples/storefront'), path.join(repo, 'storefront'), { recursive: true });
    try {
      const overlays = [
        'apps/api/overlays/dev',
        'apps/api/overlays/prod',
        'storefront/overlays/dev',
        'storefront/overlays/prod',
      ];
      for (const o of overlays) {
        const rendered = spawnSync('kubectl', ['kustomize', path.join(repo, o)], { encoding: 'utf8' });
        assert.equal(rendered.status, 0, rendered.stderr);
        const plain = path.join(tmp, 'rendered', o);
        mkdirSync(plain, { recursive: true });
        writeFileSync(path.join(plain, 'all.yaml'), rendered.stdout);
        for (const format of ['json', 'text']) {
          const env = run(['connectivity', repo, '--env', o, '--format', format]);
          assert.equal(env.status, 0, env.stderr);
          const expected = run(['connectivity', plain, '--format', format]);
          assert.equal(env.stdout, expected.stdout, `${o} (${format})`);
          assert.ok(env.stdout.length > 20, `${o}: some connectivity`);
        }
      }
      const prod = run(['connectivity', repo, '--env', 'apps/api/overlays/prod']).stdout;
      assert.match(prod, /^prod\/web\[Deployment\] => prod\/api\[Deployment\] : TCP 8080,9090$/m);
      const dev = run(['connectivity', repo, '--env', 'apps/api/overlays/dev']).stdout;
      assert.match(dev, /^dev\/web\[Deployment\] => dev\/api\[Deployment\] : TCP 8080$/m);
    } finally {
      removeWorkspace(repo);
    }
  });

  it('connectivity --env CHART equals the helm template output analysed as plain files, per values file', () => {
    for (const [env, out] of [
      ['charts/catalog', 'catalog.default.yaml'],
      ['charts/catalog@values-prod.yaml', 'catalog.default.values-prod.yaml'],
    ]) {
      const plain = path.join(tmp, 'helm', out);
      mkdirSync(plain, { recursive: true });
      writeFileSync(path.join(plain, 'all.yaml'), readFileSync(path.join(ROOT, 'test/fixtures/helm', out), 'utf8'));
      for (const format of ['json', 'text']) {
        const r = run(['connectivity', 'examples', '--env', env, '--format', format]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, run(['connectivity', plain, '--format', format]).stdout, `${env} (${format})`);
      }
    }
  });

  it('check: every environment, findings in the source files naming their environments', () => {
    const r = run(['check', 'examples', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const findings = JSON.parse(r.stdout).findings as Array<{
      file: string;
      rule: string;
      message: string;
      environments?: string[];
    }>;
    const trap = findings.filter((f) => f.rule === 'NPX10');
    assert.equal(trap.length, 1);
    assert.equal(trap[0].file, 'examples/storefront/base/policies.yaml');
    assert.deepEqual(trap[0].environments, ['storefront/overlays/dev', 'storefront/overlays/prod']);
    assert.match(trap[0].message, /storefront\/base\/kustomization\.yaml adds app\.kubernetes\.io\/part-of=storefront/);
    // overlays of one base never meet: no duplicates, no missing namespaces
    assert.deepEqual(
      findings.filter((f) => ['NPP34', 'NPP35', 'NPX06', 'NPX04'].includes(f.rule)).map((f) => `${f.file} ${f.rule}`),
      [],
    );
    // the plain environment's findings are as before
    assert.ok(findings.some((f) => f.rule === 'NPP11' && f.file === 'examples/shop/policies.yaml' && !f.environments));
    const one = run(['check', 'examples', '--env', 'storefront/overlays/dev', '--format', 'json']);
    const only = JSON.parse(one.stdout).findings as Array<{ file: string; environments?: string[] }>;
    assert.ok(only.length > 0 && only.every((f) => f.environments?.join() === 'storefront/overlays/dev'), one.stdout);
    const text = run(['check', 'examples']).stdout;
    assert.match(
      text,
      /^examples\/storefront\/base\/policies\.yaml:\d+:\d+: warning NPX10: \[storefront\/overlays\/dev, storefront\/overlays\/prod\] /m,
    );
  });

  it('check: an expectations document is checked in the environments it names (default: all)', () => {
    const repo = path.join(tmp, 'expectations');
    cpSync(path.join(ROOT, 'examples'), repo, { recursive: true });
    const doc = (name: string, envs: string, from: string, port: number): string =>
      `apiVersion: netpol-lens.dev/v1\nkind: ConnectivityExpectations\nmetadata:\n  name: ${name}\n${envs}` +
      `expectations:\n  - from: ${from}/web\n    to: ${from}/api\n    port: ${port}\n    allowed: true\n`;
    writeFileSync(
      path.join(repo, 'tests/storefront.yaml'),
      [
        doc('prod', 'environments: [storefront/overlays/prod]\n', 'storefront-prod', 8443),
        doc('everywhere', '', 'storefront-dev', 8443),
      ].join('---\n'),
    );
    const r = run(['check', '.', '--format', 'json'], repo);
    const findings = JSON.parse(r.stdout).findings as Array<{ file: string; rule: string; message: string }>;
    const mine = findings.filter((f) => f.file.endsWith('tests/storefront.yaml'));
    // prod allows 8443 (its patch); without environments, only dev has storefront-dev/*, and dev does not
    assert.deepEqual(
      mine.map((f) => `${f.rule} ${f.message.slice(0, 60)}`),
      ['NPX07 [storefront/overlays/dev] Expected storefront-dev/web → stor'],
    );
    assert.ok(!findings.some((f) => f.file.endsWith('connectivity-expectations.yaml')), r.stdout);
  });

  it('a failing environment: NPX09 in check (the rest checked), a usage error where it is asked for', () => {
    const repo = writeWorkspace({
      ...GITOPS,
      'apps/api/overlays/dev/kustomization.yaml': 'resources: [../../base, nope.yaml]\n',
    });
    try {
      const c = run(['check', repo, '--format', 'json']);
      assert.equal(c.status, 0, c.stderr);
      const f = JSON.parse(c.stdout).findings as Array<{ file: string; rule: string; message: string }>;
      const npx09 = f.filter((x) => x.rule === 'NPX09');
      assert.equal(npx09.length, 1);
      assert.match(npx09[0].file, /apps\/api\/overlays\/dev\/kustomization\.yaml$/);
      assert.match(npx09[0].message, /nope\.yaml/);
      const conn = run(['connectivity', repo, '--env', 'apps/api/overlays/dev']);
      assert.equal(conn.status, 2);
      assert.match(conn.stderr, /^netpol-lens: Environment apps\/api\/overlays\/dev was not rendered: kubectl failed/);
      assert.equal(run(['connectivity', repo, '--env', 'apps/api/overlays/prod']).status, 0);
      // --no-render: every manifest as a plain file, as before environments
      const plain = run(['connectivity', repo, '--no-render']);
      assert.equal(plain.status, 0, plain.stderr);
      assert.match(plain.stdout, /^default\/web\[Deployment\] => default\/api\[Deployment\] : TCP 8080$/m);
    } finally {
      removeWorkspace(repo);
    }
  });

  it('diff --git-base renders the base side from the files at the revision', () => {
    const repo = writeWorkspace(GITOPS);
    try {
      const git = (...args: string[]): string => {
        const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout;
      };
      git('init', '-q');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base');
      const f = path.join(repo, 'apps/api/base/netpol.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('port: 8080', 'port: 8081'));
      const d = run(['diff', '--git-base', 'HEAD', repo, '--env', 'apps/api/overlays/prod']);
      assert.equal(d.status, 1, d.stderr);
      assert.match(d.stdout, /prod\/web\[Deployment\] => prod\/api\[Deployment\]/);
      assert.match(d.stdout, /8080/);
      assert.match(d.stdout, /8081/);
      const same = run(['diff', '--git-base', 'HEAD', repo, '--env', 'apps/api/overlays/prod', '--format', 'json']);
      assert.equal(JSON.parse(same.stdout).changes.length, 1);
      // the plain environment compares the plain manifests of both sides (a new one here)
      writeFileSync(
        path.join(repo, 'loose.yaml'),
        'apiVersion: v1\nkind: Pod\nmetadata: {name: loose, namespace: x}\nspec: {containers: [{name: c}]}\n',
      );
      const plain = run(['diff', '--git-base', 'HEAD', repo, '--env', '.', '--format', 'json']);
      assert.equal(plain.status, 1, plain.stderr);
      const pd = JSON.parse(plain.stdout) as { workloadsAdded: unknown[]; workloadsRemoved: unknown[] };
      assert.equal(pd.workloadsAdded.length, 1, plain.stdout);
      assert.equal(pd.workloadsRemoved.length, 0, "the overlays' objects are not in the plain environment");
    } finally {
      removeWorkspace(repo);
    }
  });
  it('a config file of the repository names no render program and passes no flag that runs or reads elsewhere', () => {
    const repo = writeWorkspace(GITOPS);
    try {
      writeFileSync(path.join(repo, '.netpol-lens.yaml'), `render:\n  kubectl: ${JSON.stringify('/bin/sh')}\n`);
      const program = run(['environments', repo]);
      assert.equal(program.status, 2);
      assert.match(program.stderr, /render programs cannot be set in a config file.*NETPOL_LENS_KUBECTL/);
      for (const flag of [
        '--enable-exec',
        '--enable-alpha-plugins',
        '--load-restrictor=LoadRestrictionsNone',
        '--helm-command=/bin/sh',
        '--set-file=x=/etc/passwd',
        '--post-renderer=./x',
        '-o',
        '--output=/tmp/x',
      ]) {
        writeFileSync(
          path.join(repo, '.netpol-lens.yaml'),
          `environments:\n  - path: apps/api/overlays/dev\n    flags: [${JSON.stringify(flag)}]\n`,
        );
        const r = run(['check', repo]);
        assert.equal(r.status, 2, flag);
        assert.match(r.stderr, /environments\[0\]\.flags: .* may not come from a config file/, flag);
      }
      writeFileSync(
        path.join(repo, '.netpol-lens.yaml'),
        'environments:\n  - path: apps/api/overlays/dev\n    flags: [--enable-helm, "--helm-kube-version=1.31", "--set=a=b"]\n',
      );
      assert.equal(run(['environments', repo]).status, 0);
    } finally {
      removeWorkspace(repo);
    }
  });
});
