// The built CLI (dist/cli.js) on files from a pull request: what it reads (regular files inside the
// analysed folders, capped), what it prints (escaped names, no forged CI lines), which config it
// uses (found no higher than the repository, validated), exclude and size limits from the config,
// exit codes and closed pipes, and `diff --git-base` with awkward paths and refs.
/* eslint-disable no-control-regex -- the assertions look for control characters */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const POSIX = process.platform !== 'win32';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = root, timeout = 20000): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const POD = (ns: string, name: string, labels = '{app: x}'): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${JSON.stringify(name)}, namespace: ${JSON.stringify(ns)}, labels: ${labels}}\nspec: {containers: [{name: c}]}\n`;
/** A policy the API server rejects (NPV: policyTypes must be Ingress or Egress). */
const BAD_POLICY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: web}\nspec:\n  podSelector: {}\n  policyTypes: [Sideways]\n';

function sarifValidator(): (x: unknown) => boolean {
  const schema = JSON.parse(
    readFileSync(path.join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('netpol-lens CLI on hostile input', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => {
    assert.ok(readFileSync(cli), 'dist/cli.js is missing: run npm run build');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-cli-hard-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads only regular files inside the analysed folders, capped, and says what it skipped', function () {
    if (!POSIX) this.skip();
    const d = path.join(tmp, 'files');
    const outside = path.join(tmp, 'outside');
    mkdirSync(d);
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.yaml'), POD('x', 'topsecret'));
    writeFileSync(path.join(d, 'pod.yaml'), POD('x', 'visible'));
    symlinkSync('/dev/zero', path.join(d, 'zero.yaml'));
    execFileSync('mkfifo', [path.join(d, 'pipe.yaml')]);
    symlinkSync(path.join(d, 'pipe.yaml'), path.join(d, 'to-pipe.yaml'));
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(d, 'secret.yaml'));
    for (const args of [
      ['check', d],
      ['connectivity', d],
      ['check', path.join(d, 'pipe.yaml'), d],
    ]) {
      const r = run(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout + r.stderr, /topsecret/);
      for (const n of ['zero.yaml', 'pipe.yaml', 'to-pipe.yaml', 'secret.yaml']) {
        assert.match(r.stderr, new RegExp(`skipping .*${n.replace('.', '\\.')}: `), n);
      }
    }
    assert.match(run(['connectivity', d]).stdout, /x\/visible\[Pod\]/);
    const j = JSON.parse(run(['check', d, '--format', 'json']).stdout);
    assert.deepEqual(j.skipped.map((s: { file: string }) => path.basename(s.file)).sort(), [
      'pipe.yaml',
      'secret.yaml',
      'to-pipe.yaml',
      'zero.yaml',
    ]);
    const sarif = JSON.parse(run(['check', d, '--format', 'sarif']).stdout);
    const validate = sarifValidator();
    assert.ok(validate(sarif));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as Array<{ message: { text: string } }>;
    assert.equal(notes.length, 4);
    assert.ok(notes.every((n) => /^skipped: /.test(n.message.text)));
    // the config file is read with a cap too, and never from a device or a FIFO
    for (const cfg of ['/dev/zero', path.join(d, 'pipe.yaml')]) {
      const r = run(['check', d, '--config', cfg]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /not a regular file/);
    }
    const big = path.join(tmp, 'big.json');
    writeFileSync(big, `{"rules": {}${' '.repeat(2 << 20)}}`);
    assert.match(run(['check', d, '--config', big]).stderr, /larger than/);
  });

  it('check honours exclude and maxFileSizeMB of its config file, and names the file it uses', () => {
    const repo = path.join(tmp, 'repo-ex');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'charts', 'x'), { recursive: true });
    writeFileSync(path.join(repo, 'charts', 'x', 'bad.yaml'), BAD_POLICY);
    writeFileSync(path.join(repo, 'big.yaml'), `${POD('x', 'big')}${'# padding\n'.repeat(120000)}`);
    writeFileSync(path.join(repo, 'ok.yaml'), POD('x', 'ok'));
    writeFileSync(
      path.join(repo, '.netpol-lens.yaml'),
      'exclude: ["charts/**", "[z-a]"]\nmaxFileSizeMB: 1\nrules: {NPP99: off}\n',
    );
    const r = run(['check', '.'], repo);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^config: \.netpol-lens\.yaml$/m);
    assert.match(r.stderr, /the exclude pattern "\[z-a\]" is ignored/);
    assert.match(r.stderr, /skipping .*big\.yaml: larger than the 1 MB limit/);
    assert.match(r.stderr, /unknown rule NPP99/);
    const v = run(['check', '.', '--verbose', '--format', 'json'], repo);
    assert.match(v.stderr, /config: \.netpol-lens\.yaml/);
    assert.match(v.stderr, /1 excluded/);
    assert.equal(JSON.parse(v.stdout).config, '.netpol-lens.yaml');
    writeFileSync(path.join(repo, '.netpol-lens.yaml'), 'maxFileSizeMB: 1\n');
    assert.equal(run(['check', '.'], repo).status, 1, 'without the exclude, the bad policy counts');
  });

  it('looks for the config no higher than the repository root or the working directory', () => {
    const outer = path.join(tmp, 'outer');
    const repo = path.join(outer, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'k8s'));
    writeFileSync(path.join(repo, 'k8s', 'bad.yaml'), BAD_POLICY);
    writeFileSync(path.join(outer, '.netpol-lens.json'), JSON.stringify({ rules: { NPV05: 'off' } }));
    const inRepo = run(['check', 'k8s', '--verbose'], repo);
    assert.equal(inRepo.status, 1, 'a config above the repository does not turn rules off');
    assert.match(inRepo.stderr, /no config file/);
    assert.doesNotMatch(inRepo.stdout, /^config:/m);
    // without a repository: the working directory is the limit
    const work = path.join(outer, 'work');
    mkdirSync(path.join(work, 'k8s'), { recursive: true });
    writeFileSync(path.join(work, 'k8s', 'bad.yaml'), BAD_POLICY);
    assert.equal(run(['check', 'k8s'], work).status, 1);
    // a config at the repository root applies to its subfolders
    writeFileSync(path.join(repo, '.netpol-lens.json'), JSON.stringify({ rules: { NPV05: 'off' } }));
    const sub = run(['check', path.join(repo, 'k8s')], path.join(repo, 'k8s'));
    assert.ok(sub.stdout.startsWith(`config: ${path.join(repo, '.netpol-lens.json')}\n`), sub.stdout);
    assert.equal(sub.status, 0, 'the rule it turns off');
  });

  it('rejects unknown keys and absurd values in the config file with exit 2', () => {
    const d = path.join(tmp, 'cfg-bad');
    mkdirSync(path.join(d, '.git'), { recursive: true });
    writeFileSync(path.join(d, 'p.yaml'), POD('x', 'p'));
    for (const [text, why] of [
      ['maxFileSizeMB: .inf\n', /maxFileSizeMB must be .*at most 512.*\(got \.inf\)/],
      ['maxFileSizeMB: -1\n', /maxFileSizeMB must be .*at least 1.*\(got -1\)/],
      ['maxFileSizeMB: big\n', /maxFileSizeMB must be a number \(got "big"\)/],
      ['maxFileSizeMB: .nan\n', /maxFileSizeMB must be a number/],
      ['typo: 1\n', /unknown setting "typo"/],
      ['dns: {port: 0}\n', /dns\.port must be .*at least 1/],
      ['dns: {porta: 53}\n', /unknown setting "dns\.porta"/],
      ['netpolLens: {rules: {NPP03: loud}}\n', /rules\.NPP03 must be one of off, error, warning, info, hint/],
      ['exclude: "charts"\n', /exclude must be an array/],
      ['- a\n- b\n', /must be a mapping of settings/],
    ] as const) {
      writeFileSync(path.join(d, '.netpol-lens.yaml'), text);
      const r = run(['check', '.'], d);
      assert.equal(r.status, 2, `${text}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^netpol-lens: config \.netpol-lens\.yaml: /);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('escapes names and paths in text output: no control characters, no workflow commands', function () {
    if (!POSIX) this.skip();
    const d = path.join(tmp, '::error file=x::forged');
    mkdirSync(d);
    writeFileSync(
      path.join(d, 'p\u001b[2J.yaml'),
      `${BAD_POLICY}---\n${POD('web', 'e\u001bcvil\r::error::x\n::warning::y')}`,
    );
    for (const args of [
      ['check', d],
      ['connectivity', d],
      ['explain', d, '--from', 'web/e\u001bcvil\r::error::x\n::warning::y', '--to', '1.2.3.4'],
    ]) {
      const r = run(args, tmp);
      assert.ok(r.status === 0 || r.status === 1, `${args[0]}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout + r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, args[0]);
      assert.doesNotMatch(r.stdout + r.stderr, /^\s*::/m, args[0]);
    }
  });

  it('an unknown namespace is a usage error in every command', () => {
    for (const cmd of [
      ['connectivity', 'examples', '--env', '.', '--namespace', 'nope'],
      ['diff', 'examples', 'examples', '--env', '.', '--namespace', 'nope'],
      ['diagram', 'examples', '--env', '.', '--namespace', 'nope'],
    ]) {
      const r = run(cmd);
      assert.equal(r.status, 2, `${cmd.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /namespace "nope" does not occur in the manifests; namespaces: kube-system/);
    }
  });

  it('ends quietly when the reader of its output goes away', function () {
    if (!POSIX) this.skip();
    const d = path.join(tmp, 'many');
    mkdirSync(d);
    for (let i = 0; i < 300; i++) {
      writeFileSync(path.join(d, `p${i}.yaml`), BAD_POLICY.replace('name: bad', `name: p${i}`));
    }
    for (const cmd of [
      `check ${d}`,
      `connectivity ${root}/examples --env . --format json`,
      `check ${d} --format sarif`,
    ]) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; node ${cli} ${cmd} | head -c 100 >/dev/null`], {
        encoding: 'utf8',
        timeout: 60000,
      });
      assert.equal(r.stderr, '', cmd);
      assert.ok(r.status === 0 || r.status === 1, `${cmd}: ${r.status}`);
    }
  });

  it('diff --git-base: paths starting with "..", refs that look like options, and git without a shell', () => {
    const repo = path.join(tmp, 'git');
    mkdirSync(path.join(repo, '..k8s'), { recursive: true });
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    writeFileSync(path.join(repo, '..k8s', 'p.yaml'), POD('web', 'a'));
    mkdirSync(path.join(repo, '..k8s', 'node_modules'));
    writeFileSync(path.join(repo, '..k8s', 'node_modules', 'm.yaml'), POD('web', 'dependency'));
    if (POSIX) symlinkSync('p.yaml', path.join(repo, '..k8s', 'link.yaml'));
    git('add', '.');
    git('commit', '-qm', 'base');
    rmSync(path.join(repo, '..k8s', 'node_modules'), { recursive: true });
    writeFileSync(path.join(repo, '..k8s', 'q.yaml'), POD('web', 'b'));
    const r = run(['diff', '--git-base', 'HEAD', '..k8s'], repo);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /new workload web\/b\[Pod\]/);
    assert.doesNotMatch(r.stdout, /dependency/, 'node_modules is skipped on both sides');
    if (POSIX) assert.match(r.stderr, /skipping \.\.k8s\/link\.yaml at HEAD: a symbolic link/);
    for (const ref of ['--output=/tmp/pwned', '-h', 'HEAD;touch pwned', '$(touch pwned)']) {
      const bad = run(['diff', '--git-base', ref, '..k8s'], repo);
      assert.equal(bad.status, 2, `${ref}: ${bad.stdout}${bad.stderr}`);
      assert.match(bad.stderr, /--git-base/);
    }
    assert.throws(() => readFileSync(path.join(repo, 'pwned')));
  });
});
