// The built CLI (dist/cli.js, `npm run build` first): commands, formats, exit codes, errors.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

function run(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('netpol-lens CLI', function () {
  this.timeout(60000);
  let tmp: string;
  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints help and version', () => {
    const h = run(['--help']);
    assert.equal(h.status, 0);
    for (const c of ['connectivity', 'explain', 'check', 'diagram']) {
      assert.match(h.stdout, new RegExp(`netpol-lens ${c}`));
    }
    const v = run(['--version']);
    assert.equal(v.stdout.trim(), JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    assert.equal(run(['check', '--version']).status, 0);
  });

  it('exits 2 with one line and no stack trace on usage errors and unreadable paths', () => {
    for (const args of [
      ['frobnicate'],
      ['connectivity'],
      ['connectivity', 'examples', '--format', 'xml'],
      ['connectivity', 'examples'],
      ['connectivity', 'examples', '--env', 'nope'],
      ['connectivity', 'no/such/dir'],
      ['explain', 'examples', '--from', 'shop/frontend'],
      ['explain', 'examples', '--env', '.', '--from', 'shop/nope', '--to', 'shop/cart'],
      ['check', 'examples', '--bogus'],
      ['diagram', 'examples', '--env', '.', '--namespace', 'nope'],
    ]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^netpol-lens: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.match(
      run(['diagram', 'examples', '--env', '.', '--namespace', 'nope']).stderr,
      /namespaces: kube-system, monitoring, payments, shop/,
    );
    // examples/ has several environments: the commands that work on one say which there are
    assert.match(
      run(['connectivity', 'examples']).stderr,
      /5 environments: choose one with --env NAME \(\., charts\/catalog, charts\/catalog@values-prod\.yaml, storefront\/overlays\/dev, storefront\/overlays\/prod;/,
    );
  });

  it('accepts options before or after the paths, and writes --output', () => {
    const a = run(['connectivity', '--format', 'json', '--env', '.', 'examples']);
    const b = run(['connectivity', 'examples', '-f', 'json', '-e', '.']);
    assert.equal(a.status, 0);
    assert.equal(a.stdout, b.stdout);
    const out = path.join(tmp, 'c.md');
    assert.equal(run(['connectivity', 'examples', '--env', '.', '--format', 'md', '--output', out]).status, 0);
    assert.match(readFileSync(out, 'utf8'), /^\| Source \| Destination \| Connections \|/);
  });

  it('skips files that are not YAML with a warning and keeps going', () => {
    const d = path.join(tmp, 'mixed');
    mkdirSync(d);
    writeFileSync(path.join(d, 'junk.yaml'), '\u0000\u0001binary\u0002');
    writeFileSync(path.join(d, 'bad.json'), '{"kind": ');
    writeFileSync(path.join(d, 'notes.txt'), 'hello');
    writeFileSync(
      path.join(d, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: [{name: c}]}\n',
    );
    const r = run(['connectivity', d, path.join(d, 'notes.txt')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: skipping .*junk\.yaml/);
    assert.match(r.stderr, /warning: skipping .*notes\.txt/);
    assert.match(r.stdout, /x\/p\[Pod\]/);
  });

  it('connectivity lists connections in text, JSON (conformance schema) and Markdown', () => {
    const t = run(['connectivity', 'examples', '--env', '.']);
    assert.match(t.stdout, /^shop\/frontend\[Deployment\] => shop\/cart\[Deployment\] : TCP 7070$/m);
    assert.match(t.stdout, /^kube-system\/coredns\[Deployment\] => 0\.0\.0\.0\/0 : All Connections$/m);
    const j = JSON.parse(run(['connectivity', 'examples', '--env', '.', '--format', 'json']).stdout);
    assert.ok(Array.isArray(j.connections) && Array.isArray(j.ipv6Connections) && Array.isArray(j.workloads));
    assert.ok(
      j.connections.some(
        (c: { src: { workload?: { name: string } }; dst: { ips?: string[] } }) =>
          c.src.workload?.name === 'ledger-sync' && c.dst.ips?.includes('203.0.113.0/25'),
      ),
    );
    assert.ok(
      j.ipv6Connections.every((c: { src: { ips?: string[] }; dst: { ips?: string[] } }) =>
        (c.src.ips ?? c.dst.ips ?? []).every((ip) => ip.includes(':')),
      ),
    );
    const only = run(['connectivity', 'examples', '--env', '.', '--namespace', 'payments']).stdout.trim().split('\n');
    assert.ok(
      only.every((l) => l.includes('payments/')),
      only.join('\n'),
    );
  });

  it('explain says why, with file and line', () => {
    const r = run([
      'explain',
      'examples',
      '--env',
      '.',
      '--from',
      'shop/frontend',
      '--to',
      'shop/catalog',
      '--port',
      '8080/TCP',
    ]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /TCP 8080: DENIED/);
    assert.match(
      r.stdout,
      /shop\/catalog ingress rule 1 \(examples\/shop\/policies\.yaml:\d+\): matches the peer but allows only TCP 80/,
    );
    const ok = run([
      'explain',
      'examples',
      '--env',
      '.',
      '--from',
      'shop/frontend',
      '--to',
      'shop/cart',
      '--port',
      '7070',
    ]);
    assert.match(ok.stdout, /TCP 7070: ALLOWED/);
    assert.match(ok.stdout, /policy shop\/backends, ingress rule 1 \(examples\/shop\/policies\.yaml:\d+\)/);
    const ip = run([
      'explain',
      'examples',
      '--env',
      '.',
      '--from',
      '8.8.8.8',
      '--to',
      'shop/frontend',
      '--port',
      '8080',
    ]);
    assert.match(ip.stdout, /ALLOWED/);
  });

  it('check finds the deliberate mistakes of examples/ and exits by --fail-on', () => {
    const r = run(['check', 'examples', '--format', 'json']);
    assert.equal(r.status, 0, 'no errors in examples/ (warnings only)');
    const rules = new Set(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule));
    for (const id of ['NPP01', 'NPP03', 'NPP09', 'NPP10', 'NPP11', 'NPP12', 'NPP24', 'NPP39']) {
      assert.ok(rules.has(id), `${id} in ${[...rules].join(',')}`);
    }
    assert.equal(run(['check', 'examples', '--fail-on', 'warning']).status, 1);
  });

  it('check reads .netpol-lens.json from the folder or its parents up to the repository root', () => {
    const d = path.join(tmp, 'cfg', 'sub');
    mkdirSync(d, { recursive: true });
    mkdirSync(path.join(tmp, 'cfg', '.git'));
    writeFileSync(path.join(tmp, 'cfg', '.netpol-lens.json'), JSON.stringify({ rules: { NPP03: 'error' } }));
    writeFileSync(
      path.join(d, 'p.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: n}\nspec:\n  podSelector: {}\n  egress: [{to: [{podSelector: {}}]}]\n',
    );
    const r = run(['check', d]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /error NPP03/);
    writeFileSync(path.join(tmp, 'cfg', '.netpol-lens.json'), '{ not json');
    const bad = run(['check', d]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /cannot parse config/);
  });

  it('check --format sarif validates against the SARIF 2.1.0 schema', () => {
    const r = run(['check', 'examples', '--format', 'sarif']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a SARIF log, checked by the schema just below
    const sarif = JSON.parse(r.stdout) as { runs: any[] };
    const schema = JSON.parse(
      readFileSync(path.join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // the schema is draft-04; its only draft-04-only keyword is the top-level "id"
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    const run0 = sarif.runs[0];
    assert.ok(run0.tool.driver.rules.length >= 60);
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'NPP11');
    assert.equal(rule.helpUri, 'https://github.com/netpol-lens/netpol-lens/blob/main/docs/rules/NPP11.md');
    const res = run0.results.find((x: { ruleId: string }) => x.ruleId === 'NPP11');
    assert.equal(res.level, 'warning');
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'examples/shop/policies.yaml');
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1 && loc.region.endLine >= loc.region.startLine);
    assert.ok(run0.results.some((x: { level: string }) => x.level === 'note'));
  });

  it('diagram prints Mermaid or a Markdown fenced block', () => {
    const m = run(['diagram', 'examples', '--env', '.', '--namespace', 'shop']);
    assert.equal(m.status, 0);
    assert.match(m.stdout, /^flowchart LR$/m);
    const md = run(['diagram', 'examples', '--env', '.', '-n', 'payments', '--format', 'md']);
    assert.match(md.stdout, /```mermaid\n[\s\S]*flowchart LR[\s\S]*\n```/);
  });

  it('takes the admin policy kinds: connectivity, explain, check, diagram --tiers, diff', () => {
    const dir = 'test/fixtures/admin/v1-anp-deny-ingress/manifests';
    const conn = run(['connectivity', dir]);
    assert.equal(conn.status, 0, conn.stderr);
    assert.doesNotMatch(conn.stdout, /apps\/client\[Deployment\] => secure\/vault/);
    const ex = run(['explain', dir, '--from', 'apps/client', '--to', 'secure/vault', '--port', '443']);
    assert.match(
      ex.stdout,
      /: DENIED by AdminNetworkPolicy protect-secure ingress rule deny-from-apps \(rule 1, priority 10\)/,
    );
    const check = run(['check', dir]);
    assert.doesNotMatch(check.stdout, /NPX01/);
    const all = run(['diagram', dir, '-n', 'secure']);
    assert.match(all.stdout, /--x\|"all"\|/);
    const np = run(['diagram', dir, '-n', 'secure', '--tiers', 'networkpolicies']);
    assert.equal(np.status, 0, np.stderr);
    assert.doesNotMatch(np.stdout, /--x/);
    const bad = run(['diagram', dir, '-n', 'secure', '--tiers', 'some']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--tiers/);
    // removing the admin policy shows up in diff as an added connection
    const base = path.join(tmp, 'admin-base');
    mkdirSync(base, { recursive: true });
    const wl = readFileSync(path.join(root, dir, 'workloads.yaml'), 'utf8');
    writeFileSync(path.join(base, 'all.yaml'), `${wl}\n---\n${readFileSync(path.join(root, dir, 'anp.yaml'), 'utf8')}`);
    const head = path.join(tmp, 'admin-head');
    mkdirSync(head, { recursive: true });
    writeFileSync(path.join(head, 'all.yaml'), wl);
    const diff = run(['diff', base, head]);
    assert.equal(diff.status, 1, diff.stderr);
    assert.match(diff.stdout, /\+ .*apps\/client\[Deployment\] => secure\/vault\[Deployment\]/);
  });
});
