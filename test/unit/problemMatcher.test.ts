// The problem matcher the extension contributes for `netpol-lens check` in a VS Code task
// (package.json contributes.problemMatchers, used as "$netpol-lens"): applied to the text output
// of the built CLI (dist/cli.js, `node esbuild.mjs` first) the way VS Code applies it, every
// finding line gives the file, line, column, severity, rule id and message that the JSON output
// reports for the same finding.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Pattern {
  regexp: string;
  file: number;
  line: number;
  column: number;
  severity: number;
  code: number;
  message: number;
}
interface Problem {
  file: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
}

/** What VS Code makes of a severity group (problemMatcher.ts): error, warning/warn, info, and hint or note as info. */
function markerSeverity(value: string): 'Error' | 'Warning' | 'Info' | undefined {
  const v = value.toLowerCase();
  if (v === 'error') return 'Error';
  if (v === 'warning' || v === 'warn') return 'Warning';
  if (v === 'info' || v === 'hint' || v === 'note') return 'Info';
  return undefined;
}

function check(args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [cli, 'check', ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

describe('problem matcher $netpol-lens', () => {
  const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'netpol-lens');
  let tmp: string;
  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run node esbuild.mjs');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-matcher-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** Applies the matcher to the text output of `check paths`, as VS Code would with cwd = the workspace folder. */
  function matchAll(paths: string[]): { problems: Problem[]; unmatched: string[] } {
    const p: Pattern = matcher.pattern;
    const re = new RegExp(p.regexp);
    assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
    const lines = check(paths).stdout.trimEnd().split('\n');
    const problems: Problem[] = [];
    const unmatched: string[] = [];
    for (const line of lines) {
      const m = re.exec(line);
      if (!m) {
        unmatched.push(line);
        continue;
      }
      // autoDetect: an absolute path as it is, else relative to the workspace folder
      const file = path.isAbsolute(m[p.file]) ? m[p.file] : path.join(root, m[p.file]);
      problems.push({
        file,
        line: Number(m[p.line]),
        column: Number(m[p.column]),
        severity: m[p.severity],
        code: m[p.code],
        message: m[p.message],
      });
    }
    return { problems, unmatched };
  }

  /** The same findings from `check --format json`. */
  function fromJson(paths: string[]): Problem[] {
    const { findings } = JSON.parse(check([...paths, '--format', 'json']).stdout);
    return findings.map(
      (f: { file: string; range: { start: { line: number; column: number } } } & Record<string, string>) => ({
        file: path.resolve(root, f.file),
        line: f.range.start.line,
        column: f.range.start.column,
        severity: f.severity,
        code: f.rule,
        message: f.message,
      }),
    );
  }

  const sorted = (ps: Problem[]): Problem[] =>
    [...ps].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('is contributed with an owner, a source and every capture group', () => {
    assert.equal(matcher.owner, 'netpol-lens');
    assert.equal(matcher.source, 'netpol-lens');
    for (const k of ['file', 'line', 'column', 'severity', 'code', 'message']) {
      assert.equal(typeof matcher.pattern[k], 'number', `pattern.${k}`);
    }
  });

  it('reads every finding of examples/ (relative paths) exactly as the JSON output reports it', () => {
    const { problems, unmatched } = matchAll(['examples']);
    assert.ok(problems.length >= 10, `only ${problems.length} findings matched`);
    // only the closing count is not a finding
    assert.deepEqual(unmatched.length, 1, unmatched.join('\n'));
    assert.match(unmatched[0], /^\d+ findings: /);
    assert.deepEqual(sorted(problems), sorted(fromJson(['examples'])));
    for (const p of problems) {
      assert.ok(existsSync(p.file), `${p.file} does not exist`);
      assert.ok(markerSeverity(p.severity), `VS Code does not read severity ${p.severity}`);
    }
    const severities = new Set(problems.map((p) => p.severity));
    for (const s of ['warning', 'info', 'hint']) assert.ok(severities.has(s), `examples/ has no ${s} finding`);
    const npp11 = problems.find((p) => p.code === 'NPP11');
    assert.deepEqual(npp11 && { ...npp11, message: npp11.message.slice(0, 40) }, {
      file: path.join(root, 'examples/shop/policies.yaml'),
      line: 107,
      column: 17,
      severity: 'warning',
      code: 'NPP11',
      message: '80 is the port of Service shop/catalog (',
    });
  });

  it('reads errors with colons and quotes in the message, and absolute paths outside the workspace', () => {
    const dir = path.join(tmp, 'with space');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: x}\n' +
        'spec:\n  podSelector: {}\n  policyTypes: [Inbound]\n  ingress:\n    - ports:\n        - port: 70000\n',
    );
    const { problems, unmatched } = matchAll([dir]);
    assert.equal(unmatched.length, 1, unmatched.join('\n'));
    assert.deepEqual(sorted(problems), sorted(fromJson([dir])));
    const errors = problems.filter((p) => p.severity === 'error');
    assert.ok(errors.length >= 2, 'expected two API-server errors');
    for (const p of problems) assert.equal(p.file, path.join(dir, 'bad.yaml'));
    assert.ok(errors.some((p) => p.code === 'NPV05' && p.line === 6 && /"Inbound": supported values/.test(p.message)));
    assert.ok(errors.every((p) => markerSeverity(p.severity) === 'Error'));
  });
});
