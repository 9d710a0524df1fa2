// Connectivity diff between two versions of the manifests (server/src/analysis/diff.ts) and the
// `netpol-lens diff` command.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeConnectivity } from '../../server/src/analysis/connectivity';
import { diffConnectivity, type ConnectionChange } from '../../server/src/analysis/diff';
import { describePorts } from '../../server/src/analysis/ports';
import { diffJson, diffMarkdown, diffText } from '../../server/src/analysis/diffReport';
import { readSettings } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { worldOf } from '../support/workspace';

const deploy = (name: string, port: number, ns = 'shop'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: c
          ports:
            - containerPort: ${port}
`;

const policy = (name: string, spec: string, ns = 'shop'): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;

const BASE = {
  'w.yaml': [deploy('web', 80), deploy('api', 8080), deploy('db', 5432)].join('---\n'),
  'deny.yaml': policy('deny', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n'),
  'api.yaml': policy(
    'api',
    '  podSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 8080\n',
  ),
  'db.yaml': policy(
    'db',
    '  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: api\n',
  ),
  'egress.yaml': policy(
    'egress',
    `  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: {}
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
      ports:
        - port: 443
`,
  ),
};

const conn = (files: Record<string, string>) => computeConnectivity(worldOf(files));
const line = (c: ConnectionChange): string =>
  `${c.kind} ${'workload' in c.src ? c.src.workload : c.src.ips.join(',')} > ${'workload' in c.dst ? c.dst.workload : c.dst.ips.join(',')}: ${describePorts(c.before)} -> ${describePorts(c.after)}`;

describe('connectivity diff', () => {
  it('finds nothing between equal manifests', () => {
    const d = diffConnectivity(conn(BASE), conn(BASE));
    assert.deepEqual(d.changes, []);
    assert.equal(diffText(d), 'no change in connectivity\n');
  });

  it('reports changed ports, removed connections and external ranges range by range', () => {
    const head = {
      ...BASE,
      'api.yaml': BASE['api.yaml'].replace('        - port: 8080\n', '        - port: 8080\n        - port: 9090\n'),
      'db.yaml': BASE['db.yaml'].replace('app: api', 'app: nobody'),
      'egress.yaml': BASE['egress.yaml'].replace('10.0.0.0/8', '10.0.0.0/16'),
    };
    const d = diffConnectivity(conn(BASE), conn(head));
    const lines = d.changes.map(line).sort();
    assert.deepEqual(
      lines.filter((l) => !l.includes('10.')),
      [
        'changed shop/web[Deployment] > shop/api[Deployment]: TCP 8080 -> TCP 8080,9090',
        'removed shop/api[Deployment] > shop/db[Deployment]: All Connections -> No Connections',
      ],
    );
    // every workload loses 10.1.0.0-10.255.255.255 on TCP 443 and keeps 10.0.0.0/16
    const ext = lines.filter((l) => l.includes('10.'));
    assert.equal(ext.length, 3);
    for (const l of ext) {
      assert.match(l, /^removed shop\/\w+\[Deployment\] > 10\.1\.0\.0-10\.255\.255\.255: TCP 443 -> No Connections$/);
    }
    const text = diffText(d);
    assert.match(text, /^- shop\/api\[Deployment\] => shop\/db\[Deployment\]: all$/m);
    assert.match(text, /^~ shop\/web\[Deployment\] => shop\/api\[Deployment\]: TCP 8080 -> TCP 8080,9090$/m);
    assert.match(text, /\n0 added, 4 removed, 1 changed\n$/);
  });

  it('counts the connections of new and removed workloads, lists them with all, filters by namespace', () => {
    const head = {
      ...BASE,
      'w.yaml': `${BASE['w.yaml']}---\n${deploy('cache', 6379)}---\n${deploy('tool', 1, 'ops')}`,
    };
    const d = diffConnectivity(conn(BASE), conn(head));
    assert.deepEqual(d.changes, []);
    assert.deepEqual(
      d.workloadsAdded.map((w) => w.workload),
      ['ops/tool[Deployment]', 'shop/cache[Deployment]'],
    );
    assert.ok(d.workloadsAdded.every((w) => w.connections > 0));
    const all = diffConnectivity(conn(BASE), conn(head), { all: true });
    assert.ok(all.changes.length > 0 && all.changes.every((c) => c.kind === 'added'));
    const shopOnly = diffConnectivity(conn(BASE), conn(head), { namespace: 'ops', all: true });
    assert.ok(
      shopOnly.changes.every((c) => [c.src, c.dst].some((e) => 'workload' in e && e.workload.startsWith('ops/'))),
    );
    assert.match(diffText(d), /^new workload shop\/cache\[Deployment\]: \d+ connections? added \(--all lists them\)$/m);
    const back = diffConnectivity(conn(head), conn(BASE));
    assert.deepEqual(
      back.workloadsRemoved.map((w) => w.workload),
      ['ops/tool[Deployment]', 'shop/cache[Deployment]'],
    );
  });

  it('formats Markdown and JSON', () => {
    const head = { ...BASE, 'db.yaml': BASE['db.yaml'].replace('app: api', 'app: nobody') };
    const d = diffConnectivity(conn(BASE), conn(head));
    const md = diffMarkdown(d);
    assert.match(
      md,
      /^## Connectivity changes\n\n0 added, 1 removed, 0 changed\n\n\| \| Source \| Destination \| Before \| After \|/,
    );
    assert.match(md, /\| removed \| shop\/api\\\[Deployment\\\] \| shop\/db\\\[Deployment\\\] \| all \| nothing \|/);
    const j = JSON.parse(diffJson(d));
    assert.deepEqual(j.changes, [
      {
        kind: 'removed',
        src: { workload: 'shop/api[Deployment]' },
        dst: { workload: 'shop/db[Deployment]' },
        before: 'all',
        after: [],
      },
    ]);
  });

  it('netpol-lens diff: exit 1 with changes, 0 without, 2 without two paths', () => {
    const cli = path.resolve(__dirname, '../../dist/cli.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-'));
    try {
      for (const [side, files] of [
        ['base', BASE],
        ['head', { ...BASE, 'db.yaml': BASE['db.yaml'].replace('app: api', 'app: nobody') }],
      ] as const) {
        mkdirSync(path.join(dir, side));
        for (const [f, t] of Object.entries(files)) writeFileSync(path.join(dir, side, f), t);
      }
      const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'diff', ...args], { encoding: 'utf8' });
      const changed = run(path.join(dir, 'base'), path.join(dir, 'head'));
      assert.equal(changed.status, 1, changed.stderr);
      assert.match(changed.stdout, /^- shop\/api\[Deployment\] => shop\/db\[Deployment\]: all$/m);
      const same = run(path.join(dir, 'base'), path.join(dir, 'base'), '--format', 'json');
      assert.equal(same.status, 0, same.stderr);
      assert.deepEqual(JSON.parse(same.stdout).changes, []);
      const usage = run(path.join(dir, 'base'));
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /diff needs two paths/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("WorkspaceIndex.worldWith (the base side of the editor's comparison with Git)", () => {
  it('replaces and removes files in a separate world, matching URIs by their decoded form', () => {
    const idx = new WorkspaceIndex({ settings: readSettings({}) });
    for (const [f, t] of Object.entries(BASE)) idx.setFile(`file:///ws/my%20dir/${f}`, t);
    const now = idx.world();
    const before = idx.worldWith([
      { uri: 'file:///ws/my dir/db.yaml', text: BASE['db.yaml'].replace('app: api', 'app: nobody') },
      { uri: 'file:///ws/my%20dir/egress.yaml', text: null },
      { uri: 'file:///ws/my%20dir/new.yaml', text: deploy('extra', 1) },
    ]);
    assert.equal(idx.world(), now, 'the index keeps its world');
    assert.deepEqual(before.policies.map((p) => p.name).sort(), ['api', 'db', 'deny']);
    assert.ok(before.workloads.some((w) => w.name === 'extra'));
    const d = diffConnectivity(computeConnectivity(before), computeConnectivity(now));
    // from the base to now: api may reach db again, the egress policy is back, extra is gone
    assert.ok(
      d.changes.some(
        (c) =>
          c.kind === 'added' &&
          'workload' in c.src &&
          c.src.workload === 'shop/api[Deployment]' &&
          'workload' in c.dst &&
          c.dst.workload === 'shop/db[Deployment]',
      ),
    );
    assert.deepEqual(
      d.workloadsRemoved.map((w) => w.workload),
      ['shop/extra[Deployment]'],
    );
  });
});

describe('netpol-lens diff --git-base', () => {
  it('compares a path with its version at a Git revision', function () {
    const hasGit = spawnSync('git', ['--version']).status === 0;
    if (!hasGit) this.skip();
    const cli = path.resolve(__dirname, '../../dist/cli.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-gitbase-'));
    const g = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    try {
      mkdirSync(path.join(dir, 'k8s'));
      for (const [f, t] of Object.entries(BASE)) writeFileSync(path.join(dir, 'k8s', f), t);
      writeFileSync(path.join(dir, 'README.md'), 'not a manifest\n');
      assert.equal(g('init', '-q').status, 0);
      assert.equal(g('add', '-A').status, 0);
      assert.equal(g('commit', '-qm', 'base').status, 0);
      // the working tree drops the db policy's allowance for api
      writeFileSync(path.join(dir, 'k8s', 'db.yaml'), BASE['db.yaml'].replace('app: api', 'app: nobody'));
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [cli, 'diff', ...args], { cwd: dir, encoding: 'utf8' });
      const r = run('--git-base', 'HEAD', 'k8s');
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, '- shop/api[Deployment] => shop/db[Deployment]: all\n0 added, 1 removed, 0 changed\n');
      assert.equal(run('--git-base', 'HEAD', 'k8s/api.yaml').status, 0, 'one unchanged file compared with itself');
      const bad = run('--git-base', 'no-such-ref', 'k8s');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--git-base: no commit no-such-ref in /);
      assert.equal(run('--git-base', 'HEAD', 'k8s', 'extra').status, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
