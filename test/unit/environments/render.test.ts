// Rendering with the real tools: kubectl kustomize through the wrapper kustomization (origins and
// transformer annotations read and cut out), the stand-in helm of test/fixtures/helm, the cache
// (keyed by the content of every input), and hostile cases: a kustomization that fails, a missing
// tool, output over the cap and a render that hangs each give one clear problem.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readKustomizeOutput } from '../../../server/src/environments/output';
import { renderCommand } from '../../../server/src/environments/render';
import { runProgram } from '../../../server/src/environments/run';
import { GITOPS, openFolder, removeWorkspace, STAND_IN_HELM, writeWorkspace, yaml } from './helpers';

const CHART = {
  'charts/catalog/Chart.yaml': 'apiVersion: v2\nname: catalog\nversion: 0.1.0\n',
  'charts/catalog/values.yaml': 'port: 8080\n',
  'charts/catalog/values-prod.yaml': 'port: 8080\n',
  'charts/catalog/templates/networkpolicy.yaml': readFileSync(
    path.join(__dirname, '../../../examples/charts/catalog/templates/networkpolicy.yaml'),
    'utf8',
  ),
  'charts/catalog/templates/deployment.yaml': readFileSync(
    path.join(__dirname, '../../../examples/charts/catalog/templates/deployment.yaml'),
    'utf8',
  ),
};

function wrappers(): string[] {
  return readdirSync(os.tmpdir()).filter((n) => n.startsWith('netpol-lens-render-'));
}

describe('environments: rendering', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    const k = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    assert.equal(k.status, 0, 'these tests run the real kubectl kustomize: install kubectl (see .ci/run)');
    dir = writeWorkspace({ ...GITOPS, ...CHART });
  });
  after(() => removeWorkspace(dir));

  it('renders an overlay with kubectl kustomize: origins relative to the folder, annotations cut out', async () => {
    const o = openFolder(dir);
    const before = wrappers();
    const prod = o.discovery.environments.find((e) => e.name === 'apps/api/overlays/prod')!;
    const r = await o.service.render(prod);
    assert.ok(r.ok, r.ok ? '' : r.problem.message);
    assert.deepEqual(r.docs.map((d) => d.origin.path).sort(), [
      'apps/api/base/deploy.yaml',
      'apps/api/base/deploy.yaml',
      'apps/api/base/netpol.yaml',
      'apps/api/overlays/prod/allow-monitoring.yaml',
    ]);
    assert.doesNotMatch(r.file.text, /config\.kubernetes\.io/);
    assert.match(r.file.text, /namespace: prod/);
    const netpol = r.docs.find((d) => d.origin.path === 'apps/api/base/netpol.yaml')!;
    assert.deepEqual(
      netpol.origin.transformations.map((t) => `${t.kind} ${t.configuredIn}`),
      [
        'PatchTransformer apps/api/overlays/prod/kustomization.yaml',
        'NamespaceTransformer apps/api/overlays/prod/kustomization.yaml',
      ],
    );
    assert.equal(r.file.documents.length, r.docs.length);
    assert.deepEqual(wrappers(), before, 'the wrapper kustomization is removed');
    assert.ok(!existsSync(path.join(dir, 'apps/api/overlays/prod/kustomization.yaml.orig')));
    assert.equal(
      readFileSync(path.join(dir, 'apps/api/overlays/prod/kustomization.yaml'), 'utf8'),
      GITOPS['apps/api/overlays/prod/kustomization.yaml'],
    );
  });

  it('reads kustomize output the fast way exactly as through the YAML parser', () => {
    for (const [where, overlay] of [
      [dir, 'apps/api/overlays/prod'],
      [path.join(__dirname, '../../../examples'), 'storefront/overlays/prod'],
    ]) {
      const w = mkdtempSync(path.join(os.tmpdir(), 'netpol-wrapper-test-'));
      try {
        const rel = path.relative(w, path.join(where, overlay));
        writeFileSync(
          path.join(w, 'kustomization.yaml'),
          `resources: [${JSON.stringify(rel)}]\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
        );
        const out = spawnSync('kubectl', ['kustomize', w], { encoding: 'utf8' });
        assert.equal(out.status, 0, out.stderr);
        const fast = readKustomizeOutput(out.stdout, w, where);
        assert.deepEqual(fast, readKustomizeOutput(out.stdout, w, where, false));
        assert.ok(
          fast.every((d) => d.origin.path && d.origin.transformations.length),
          overlay,
        );
      } finally {
        rmSync(w, { recursive: true, force: true });
      }
    }
  });

  it('the wrapper names the environment by a relative path; kustomize build when configured', () => {
    const o = openFolder(dir, { render: { kustomize: '/opt/kustomize', helm: STAND_IN_HELM } });
    const dev = o.discovery.environments.find((e) => e.name === 'apps/api/overlays/dev')!;
    assert.deepEqual(renderCommand(dev, { root: dir, commands: o.settings.render }, '/tmp/w'), [
      '/opt/kustomize',
      'build',
      '/tmp/w',
    ]);
  });

  it('renders a chart per values file with helm template (the stand-in), origins from # Source lines', async () => {
    const o = openFolder(dir);
    const env = o.discovery.environments.find((e) => e.name === 'charts/catalog@values-prod.yaml')!;
    assert.deepEqual(renderCommand(env, { root: dir, commands: o.settings.render }).slice(1), [
      'template',
      'catalog',
      path.join(dir, 'charts/catalog'),
      '--namespace',
      'default',
      '-f',
      path.join(dir, 'charts/catalog/values-prod.yaml'),
    ]);
    const r = await o.service.render(env);
    assert.ok(r.ok, r.ok ? '' : r.problem.message);
    assert.deepEqual(
      r.docs.map((d) => `${d.origin.path}#${d.origin.templateIndex}`),
      ['charts/catalog/templates/networkpolicy.yaml#0', 'charts/catalog/templates/deployment.yaml#0'],
    );
    assert.doesNotMatch(r.file.text, /# Source/);
    assert.match(r.file.text, /storefront-prod/);
  });

  it('renders again only when an input changed (content, not time), or the command', async () => {
    const d = writeWorkspace(GITOPS);
    try {
      const o = openFolder(d);
      const dev = o.discovery.environments.find((e) => e.name === 'apps/api/overlays/dev')!;
      const first = await o.service.render(dev);
      const same = await o.service.render(dev);
      assert.equal(same, first);
      assert.equal(o.service.renders, 1);
      const f = path.join(d, 'apps/api/base/netpol.yaml');
      writeFileSync(f, readFileSync(f, 'utf8')); // touched, same content
      await o.service.render(dev);
      assert.equal(o.service.renders, 1);
      writeFileSync(f, readFileSync(f, 'utf8').replace('8080', '8081'));
      const changed = await o.service.render(dev);
      assert.equal(o.service.renders, 2);
      assert.ok(changed.ok && /8081/.test(changed.file.text));
      // two callers at once: one render
      writeFileSync(f, readFileSync(f, 'utf8').replace('8081', '8082'));
      const [a, b] = await Promise.all([o.service.render(dev), o.service.render(dev)]);
      assert.equal(a, b);
      assert.equal(o.service.renders, 3);
      o.service.setEnvironments(o.discovery.environments);
      assert.deepEqual(o.service.feeding('apps/api/base/netpol.yaml'), [
        'apps/api/overlays/dev',
        'apps/api/overlays/prod',
      ]);
      assert.deepEqual(o.service.feeding('apps/api/overlays/prod/allow-monitoring.yaml'), ['apps/api/overlays/prod']);
    } finally {
      removeWorkspace(d);
    }
  });

  it("a kustomization that fails: the problem carries kustomize's own message", async () => {
    const d = writeWorkspace({
      ...GITOPS,
      'apps/api/overlays/dev/kustomization.yaml': 'resources:\n  - ../../base\n  - missing.yaml\n',
    });
    try {
      const o = openFolder(d);
      const dev = o.discovery.environments.find((e) => e.name === 'apps/api/overlays/dev')!;
      const r = await o.service.render(dev);
      assert.ok(!r.ok);
      assert.equal(r.problem.reason, 'failed');
      assert.match(
        r.problem.message,
        /^Environment apps\/api\/overlays\/dev was not rendered: kubectl failed \(exit status 1\): /,
      );
      assert.match(r.problem.message, /missing\.yaml/);
      assert.match(r.problem.message, /Fix the error above/);
      const prod = await o.service.render(o.discovery.environments.find((e) => e.name === 'apps/api/overlays/prod')!);
      assert.ok(prod.ok, 'the other overlay still renders');
    } finally {
      removeWorkspace(d);
    }
  });

  it('a missing tool, output over the cap and a render that hangs: one problem each, nothing left running', async () => {
    const d = writeWorkspace({
      ...GITOPS,
      'charts/hang/Chart.yaml': 'name: hang\n',
      'charts/flood/Chart.yaml': 'name: flood\n',
      'charts/broken/Chart.yaml': 'name: broken\n',
    });
    try {
      const missing = openFolder(d, { render: { kubectl: path.join(d, 'no-such-kubectl'), helm: STAND_IN_HELM } });
      const dev = missing.discovery.environments.find((e) => e.name === 'apps/api/overlays/dev')!;
      const m = await missing.service.render(dev);
      assert.ok(!m.ok && m.problem.reason === 'missing', JSON.stringify(m));
      assert.match(m.problem.message, /was not found\. Install kubectl or set netpolLens\.render\.kubectl/);
      const o = openFolder(d, {}, { timeoutMs: 1500, maxOutputBytes: 1 << 20 });
      const get = (n: string) => o.discovery.environments.find((e) => e.name === n)!;
      const started = Date.now();
      const hang = await o.service.render(get('charts/hang'));
      assert.ok(!hang.ok && hang.problem.reason === 'timeout', JSON.stringify(hang));
      assert.ok(Date.now() - started < 10000);
      assert.match(hang.problem.message, /did not finish within 1\.5 s and was stopped/);
      const flood = await o.service.render(get('charts/flood'));
      assert.ok(!flood.ok && flood.problem.reason === 'too-large', JSON.stringify(flood));
      assert.match(flood.problem.message, /exceeded 1 MB/);
      const broken = await o.service.render(get('charts/broken'));
      assert.ok(!broken.ok && broken.problem.reason === 'failed');
      assert.match(broken.problem.message, /function "nope" not defined/);
      const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      assert.ok(!ps.includes(path.join(d, 'charts/hang')) && !ps.includes(path.join(d, 'charts/flood')), ps);
      const ok = await o.service.render(get('apps/api/overlays/dev'));
      assert.ok(ok.ok, 'the rest works');
    } finally {
      removeWorkspace(d);
    }
  });

  it('runs nothing in an untrusted workspace, and never through a shell', async () => {
    const r = await runProgram({
      command: 'kubectl',
      args: ['version', '--client'],
      cwd: os.tmpdir(),
      trusted: false,
      timeoutMs: 1000,
      maxOutputBytes: 1000,
    });
    assert.ok(!r.ok && r.reason === 'untrusted');
    const shell = await runProgram({
      command: 'echo $HOME; true',
      args: [],
      cwd: os.tmpdir(),
      trusted: true,
      timeoutMs: 5000,
      maxOutputBytes: 1000,
    });
    assert.ok(!shell.ok && shell.reason === 'missing', 'a command line is not split by a shell');
    const args = await runProgram({
      command: process.execPath,
      args: ['-e', 'process.stdout.write(process.argv.slice(1).join("|"))', '$(id)', 'a b', ';'],
      cwd: os.tmpdir(),
      trusted: true,
      timeoutMs: 10000,
      maxOutputBytes: 1000,
    });
    assert.ok(args.ok && args.stdout === '$(id)|a b|;', JSON.stringify(args));
    assert.equal(yaml('\n  a\n'), 'a\n');
  });
});
