// `netpol-lens check --format codequality` (server/src/cli/codequality.ts) through the built CLI
// (dist/cli.js, `node esbuild.mjs` first): GitLab's Code Quality report, one issue per finding
// with the fields GitLab requires, and fingerprints that stay put when lines move.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');

interface Issue {
  type: string;
  engine_name: string;
  check_name: string;
  description: string;
  severity: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number; end: number } };
}

function check(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'check', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('check --format codequality (GitLab)', () => {
  let tmp: string;
  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run node esbuild.mjs');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-cq-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports every finding with the fields GitLab requires', () => {
    const r = check(['examples', '--format', 'codequality']);
    assert.equal(r.status, 0, r.stderr);
    const issues: Issue[] = JSON.parse(r.stdout);
    const { findings } = JSON.parse(check(['examples', '--format', 'json']).stdout);
    assert.equal(issues.length, findings.length);
    assert.ok(issues.length >= 10);
    const expected = findings
      .map((f: { rule: string; file: string; severity: string; message: string; range: { start: { line: number } } }) =>
        [f.file, f.range.start.line, f.rule, f.severity, f.message].join('|'),
      )
      .sort();
    const level: Record<string, string> = { major: 'error', minor: 'warning', info: 'info|hint' };
    const got = issues
      .map((i) => {
        assert.equal(i.type, 'issue');
        assert.equal(i.engine_name, 'netpol-lens');
        assert.match(i.fingerprint, /^[0-9a-f]{32}$/);
        assert.ok(i.location.lines.end >= i.location.lines.begin);
        assert.ok(!path.isAbsolute(i.location.path) && !i.location.path.includes('\\'), i.location.path);
        assert.ok(existsSync(path.join(root, i.location.path)), i.location.path);
        assert.ok(i.description.startsWith(`${i.check_name}: `));
        const f = findings.find(
          (x: { rule: string; file: string; message: string; range: { start: { line: number } } }) =>
            x.file === i.location.path &&
            x.rule === i.check_name &&
            x.range.start.line === i.location.lines.begin &&
            `${x.rule}: ${x.message}` === i.description,
        );
        assert.ok(f, `no JSON finding for ${JSON.stringify(i)}`);
        assert.match(f.severity, new RegExp(`^(${level[i.severity]})$`), `${i.check_name}: ${i.severity}`);
        return [i.location.path, i.location.lines.begin, i.check_name, f.severity, f.message].join('|');
      })
      .sort();
    assert.deepEqual(got, expected);
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
    // the two NPP12 findings of shop/policies.yaml say the same thing on different lines
    const twins = issues.filter((i) => i.check_name === 'NPP12' && i.location.path === 'examples/shop/policies.yaml');
    assert.equal(twins.length, 2);
    assert.equal(twins[0].description, twins[1].description);
    assert.notEqual(twins[0].fingerprint, twins[1].fingerprint);
  });

  it('keeps fingerprints when lines move, and exits by --fail-on like the other formats', () => {
    const ws = path.join(tmp, 'ws');
    cpSync(path.join(root, 'examples'), path.join(ws, 'examples'), { recursive: true });
    const before: Issue[] = JSON.parse(check(['examples', '--format', 'codequality'], ws).stdout);
    const file = path.join(ws, 'examples/shop/policies.yaml');
    writeFileSync(file, `# a comment that moves every line\n${readFileSync(file, 'utf8')}`);
    const after: Issue[] = JSON.parse(check(['examples', '--format', 'codequality'], ws).stdout);
    assert.deepEqual(after.map((i) => i.fingerprint).sort(), before.map((i) => i.fingerprint).sort());
    for (const a of after) {
      const b = before.find((x) => x.fingerprint === a.fingerprint)!;
      const shift = a.location.path === 'examples/shop/policies.yaml' ? 1 : 0;
      assert.equal(a.location.lines.begin, b.location.lines.begin + shift);
    }
    assert.equal(check(['examples', '--format', 'codequality', '--fail-on', 'warning'], ws).status, 1);
    const none = check(['examples/shop/services.yaml', '--format', 'codequality'], ws);
    assert.equal(none.status, 0);
    assert.deepEqual(JSON.parse(none.stdout), []);
  });
});
