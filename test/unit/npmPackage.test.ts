// The CLI as an npm package (`npm pack`, scripts/package.mjs packCli): the tarball holds the
// production bundle and nothing of the sources or tests, installs with `npm install -g` without a
// registry (the bundle carries its dependencies), and the installed `netpol-lens` command works,
// also when the GitHub Action installs it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the npm package of the CLI (npm pack)', function () {
  this.timeout(120_000);
  let tmp: string;
  let tarball: string;
  let files: string[];
  let bin: string;

  const run = (args: string[], cwd = root) => {
    const r = spawnSync(bin, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-npm-test-'));
    const { packCli } = await import('../../scripts/package.mjs');
    ({ file: tarball, files } = await packCli(root, { outDir: tmp }));
    const prefix = path.join(tmp, 'prefix');
    // --offline with an empty cache: the install cannot reach a registry, so it proves there is
    // nothing to fetch
    const install = spawnSync(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--offline',
        '--cache',
        path.join(tmp, 'cache'),
        '--no-audit',
        '--no-fund',
        tarball,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(install.status, 0, `npm install -g failed:\n${install.stdout}\n${install.stderr}`);
    bin = path.join(prefix, 'bin', 'netpol-lens');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('holds the production CLI bundle and no sources or tests', () => {
    assert.equal(path.basename(tarball), `netpol-lens-${pkg.version}.tgz`);
    assert.deepEqual([...files].sort(), ['LICENSE', 'README.md', 'dist/cli.js', 'package.json']);
    assert.equal(pkg.bin['netpol-lens'], 'dist/cli.js');
    assert.equal(pkg.dependencies, undefined, 'runtime dependencies would make `npm install` reach a registry');
  });

  it('installs without dependencies and answers --version and --help', () => {
    const installed = path.join(tmp, 'prefix', 'lib', 'node_modules', 'netpol-lens');
    assert.ok(existsSync(path.join(installed, 'dist', 'cli.js')));
    assert.ok(!existsSync(path.join(installed, 'node_modules')), 'the installed package pulled dependencies');
    const v = run(['--version']);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), pkg.version);
    const h = run(['--help']);
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout, new RegExp(`^netpol-lens ${pkg.version.replace(/\./g, '\\.')}: `));
    for (const cmd of ['check', 'connectivity', 'explain', 'diagram', 'diff']) {
      assert.match(h.stdout, new RegExp(`\\n  netpol-lens ${cmd} `));
    }
  });

  it('runs check on examples/: the known findings and the --fail-on exit status', () => {
    const r = run(['check', 'examples']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^examples\/shop\/policies\.yaml:107:17: warning NPP11: 80 is the port of Service shop\/catalog/m,
    );
    assert.match(r.stdout, /^examples\/payments\/policies\.yaml:72:3: warning NPP03: /m);
    assert.match(r.stdout, /^\d+ findings: 0 error\(s\), [1-9]\d* warning\(s\)/m);
    assert.equal(run(['check', 'examples', '--fail-on', 'warning']).status, 1);
    const sarif = JSON.parse(run(['check', 'examples', '--format', 'sarif']).stdout);
    assert.equal(sarif.runs[0].tool.driver.version, pkg.version);
  });

  it('runs connectivity and diff on examples/', () => {
    // examples/ holds several environments (plain files, overlays, a chart): one is chosen
    const all = run(['connectivity', 'examples']);
    assert.equal(all.status, 2);
    assert.match(all.stderr, /environments: choose one with --env NAME \(\., charts\/catalog/);
    const c = run(['connectivity', 'examples', '--env', '.']);
    assert.equal(c.status, 0, c.stderr);
    assert.match(
      c.stdout,
      /^payments\/payments-api\[Deployment\] => payments\/payments-db\[StatefulSet\] : TCP 5432$/m,
    );
    assert.doesNotMatch(c.stdout, /=> payments\/payments-db\[StatefulSet\] : All Connections/);
    const head = path.join(tmp, 'head');
    cpSync(path.join(root, 'examples'), head, { recursive: true });
    rmSync(path.join(head, 'monitoring', 'policies.yaml'));
    const d = run(['diff', 'examples', head, '--env', '.']);
    assert.equal(d.status, 1, d.stderr);
    assert.match(
      d.stdout,
      /^~ monitoring\/prometheus\[Deployment\] => monitoring\/node-exporter\[DaemonSet\]: TCP 9100 -> all$/m,
    );
    assert.match(d.stdout, /^\+ monitoring\/prometheus\[Deployment\] => 0\.0\.0\.0\/0: all$/m);
    const same = run(['diff', 'examples', 'examples', '--env', '.']);
    assert.equal(same.status, 0);
    assert.equal(same.stdout.trim(), 'no change in connectivity');
  });

  it('is what pre-commit installs: npm pack prints only the tarball name, and the hook runs check', async () => {
    const hooks = parseYaml(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8'));
    const hook = hooks.find((h: { id: string }) => h.id === 'netpol-lens');
    assert.equal(hook.language, 'node');
    assert.equal(hook.pass_filenames, false);
    const [command, ...entryArgs] = hook.entry.split(' ');
    assert.ok(pkg.bin[command], `${command} is not a bin of the package`);
    const files = new RegExp(hook.files);
    for (const f of ['k8s/policy.yaml', 'a.yml', 'list.json']) assert.match(f, files);
    assert.doesNotMatch('README.md', files);
    // pre-commit's node language runs `npm pack` in a clone and reads its standard output as the
    // tarball's name (pre_commit/languages/node.py), so prepack must print nothing there
    const { stageSources } = await import('../../scripts/package.mjs');
    const stage = stageSources(root, path.join(tmp, 'clone'));
    const pack = spawnSync('npm', ['pack', '--dry-run'], { cwd: stage, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    assert.equal(pack.stdout.trim(), path.basename(tarball));
    // the hook's command as pre-commit runs it, from the repository root
    const ws = path.join(tmp, 'hook-ws');
    cpSync(path.join(root, 'examples'), ws, { recursive: true });
    const ok = spawnSync(bin, [...entryArgs, ...hook.args], { cwd: ws, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^shop\/policies\.yaml:107:17: warning NPP11: /m);
    const strict = spawnSync(bin, [...entryArgs, ...hook.args, '--fail-on', 'warning'], { cwd: ws, encoding: 'utf8' });
    assert.equal(strict.status, 1, 'the hook fails on findings at the --fail-on level');
  });

  it('is what the GitHub Action installs when cli-version names it (scripts/action.mjs)', () => {
    const runner = path.join(tmp, 'runner');
    const output = path.join(tmp, 'github-output');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_)/.test(k)));
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/action.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...env,
        INPUT_PATHS: 'examples',
        INPUT_CLI_VERSION: tarball,
        RUNNER_TEMP: runner,
        GITHUB_OUTPUT: output,
        // no registry: the tarball has nothing to fetch
        npm_config_offline: 'true',
        npm_config_cache: path.join(tmp, 'cache'),
      },
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(existsSync(path.join(runner, 'netpol-lens-cli', 'lib', 'node_modules', 'netpol-lens', 'dist', 'cli.js')));
    const { findings } = JSON.parse(run(['check', 'examples', '--format', 'json']).stdout);
    assert.match(readFileSync(output, 'utf8'), new RegExp(`^findings=${findings.length}$`, 'm'));
    assert.match(r.stdout, /^::warning file=examples\/shop\/policies\.yaml,line=107,col=17,.*::80 is the port/m);
  });
});
