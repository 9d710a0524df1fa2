// The GitHub Action (action.yml + scripts/action.mjs): every input reaches the script, and the
// script, run with its inputs as environment variables as the composite step does, checks
// examples/ with the built CLI (dist/cli.js, `node esbuild.mjs` first; no npm install, no network),
// annotates findings with escaped workflow commands, writes SARIF for the upload step, and posts
// or updates one pull-request comment through a fake GitHub API on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const script = path.join(root, 'scripts/action.mjs');
const MARKER = '<!-- netpol-lens:connectivity-diff -->';

interface Run {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** The content of the files that outputs name (written under RUNNER_TEMP). */
  files: Record<string, string>;
}

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  raw: string;
}

/** The environment of the composite step: only what the test gives, nothing of a real runner. */
function stepEnv(tmp: string, inputs: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_)/.test(k)),
  ) as NodeJS.ProcessEnv;
  const vars: NodeJS.ProcessEnv = { ...base, RUNNER_TEMP: tmp, ...extra };
  for (const [k, v] of Object.entries(inputs)) vars[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  return vars;
}

function runAction(cwd: string, inputs: Record<string, string>, extra: Record<string, string> = {}): Promise<Run> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-action-run-'));
  const output = path.join(tmp, 'output');
  const summary = path.join(tmp, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env = stepEnv(tmp, { cli, ...inputs }, { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...extra });
  return new Promise((resolve, reject) => {
    // asynchronous: the fake API answers from this process
    const child = spawn(process.execPath, [script], { cwd, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('exit', (status) => {
      const outputs = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      const files: Record<string, string> = {};
      for (const k of ['sarif-file', 'diff-file']) if (outputs[k]) files[k] = readFileSync(outputs[k], 'utf8');
      const result = { status, stdout, outputs, summary: readFileSync(summary, 'utf8'), files };
      rmSync(tmp, { recursive: true, force: true });
      resolve(result);
    });
  });
}

/** The lines printed between ::stop-commands::TOKEN and ::TOKEN:: (where no line is a command). */
function untrustedLines(stdout: string): string[] {
  const lines: string[] = [];
  let token: string | undefined;
  for (const line of stdout.split('\n')) {
    if (token === undefined) {
      const m = /^::stop-commands::([0-9a-f]{32})$/.exec(line);
      if (m) token = m[1];
    } else if (line === `::${token}::`) token = undefined;
    else lines.push(line);
  }
  assert.equal(token, undefined, 'workflow commands are never turned back on');
  return lines;
}

describe('GitHub Action (action.yml, scripts/action.mjs)', function () {
  this.timeout(120_000);
  const action = parseYaml(readFileSync(path.join(root, 'action.yml'), 'utf8'));
  const source = readFileSync(script, 'utf8');
  let tmp: string;
  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run node esbuild.mjs');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-action-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('maps every input to the script, and the script reads only those', () => {
    const inputs = Object.keys(action.inputs);
    assert.ok(inputs.length >= 10);
    const step = action.runs.steps.find((s: { id?: string }) => s.id === 'run');
    assert.equal(action.runs.using, 'composite');
    assert.equal(step.run, 'node "$GITHUB_ACTION_PATH/scripts/action.mjs"');
    const expected = Object.fromEntries(
      inputs.map((i) => [`INPUT_${i.toUpperCase().replace(/-/g, '_')}`, `\${{ inputs.${i} }}`]),
    );
    assert.deepEqual(step.env, expected);
    for (const i of inputs) assert.ok(action.inputs[i].description, `input ${i} has no description`);
    const read = [...source.matchAll(/(?:booleanInput|input)\('([a-z-]+)'\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(read)].sort(), [...inputs].sort());
    // the outputs and the upload step read what the script sets
    const set = new Set([...source.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]));
    for (const [name, o] of Object.entries(action.outputs) as [string, { value: string }][]) {
      assert.equal(o.value, `\${{ steps.run.outputs.${name} }}`);
      assert.ok(set.has(name), `the script never sets ${name}`);
    }
    const upload = action.runs.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith('github/codeql-action/upload-sarif@'),
    );
    assert.match(
      upload.if,
      /!cancelled\(\) && inputs\.upload-sarif == 'true' && steps\.run\.outputs\.sarif-file != ''/,
    );
    assert.equal(upload.with.sarif_file, '${{ steps.run.outputs.sarif-file }}');
    assert.ok(set.has('sarif-category'));
  });

  it('falls back to the defaults of action.yml when a variable is missing', async () => {
    const { DEFAULTS } = await import('../../scripts/action.mjs');
    for (const [name, value] of Object.entries(DEFAULTS)) assert.equal(action.inputs[name].default, value, name);
    for (const [name, spec] of Object.entries(action.inputs) as [string, { default: string }][]) {
      if (!(name in DEFAULTS)) assert.ok(spec.default === '' || name === 'token', `${name}: default ${spec.default}`);
    }
  });

  it('checks examples/: findings, escaped annotations, SARIF, and the fail-on status', async () => {
    const { findings } = JSON.parse(
      spawnSync(process.execPath, [cli, 'check', 'examples', '--format', 'json'], { cwd: root, encoding: 'utf8' })
        .stdout,
    );
    const r = await runAction(root, {
      paths: 'examples',
      'fail-on': 'warning',
      'upload-sarif': 'true',
      annotations: 'true',
    });
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.outputs.findings, String(findings.length));
    assert.match(r.stdout, /^::error title=netpol-lens::findings at or above warning$/m);
    // the findings are printed where no line can act as a workflow command
    const printed = untrustedLines(r.stdout);
    assert.ok(
      printed.some((l) => /^examples\/shop\/policies\.yaml:107:17: warning NPP11: 80 is the port of Service/.test(l)),
      printed.join('\n'),
    );
    const notes = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) file=/.test(l));
    assert.equal(notes.length, findings.length);
    assert.ok(
      notes.includes(
        `::warning file=examples/shop/policies.yaml,line=107,col=17,endLine=107,endColumn=19,title=netpol-lens NPP11::${findings
          .find((f: { rule: string }) => f.rule === 'NPP11')
          .message.replace(/%/g, '%25')}`,
      ),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((l) => l.startsWith('::notice file=examples/payments/policies.yaml,line=81,')),
      'hint -> notice',
    );
    assert.ok(r.outputs['sarif-file'].endsWith('netpol-lens.sarif'));
    const sarif = JSON.parse(r.files['sarif-file']);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results.length, findings.length);
    assert.equal(r.outputs['sarif-category'], 'netpol-lens');

    const pass = await runAction(root, { paths: 'examples', 'fail-on': 'error', annotations: 'false' });
    assert.equal(pass.status, 0, pass.stdout);
    assert.doesNotMatch(pass.stdout, /^::(error|warning|notice) /m);
    assert.equal(pass.outputs['sarif-file'], undefined);
    assert.equal((await runAction(root, { paths: 'examples', 'fail-on': 'none' })).status, 0);
  });

  it('escapes file names and messages in annotations, and keeps hostile names inert in the log', async () => {
    const ws = path.join(tmp, 'escape');
    mkdirSync(ws);
    const policy =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: x}\n' +
      'spec:\n  podSelector: {}\n  policyTypes: ["In%bound"]\n';
    writeFileSync(path.join(ws, 'we,ird:na%me.yaml'), policy);
    writeFileSync(path.join(ws, '::warning::evil.yaml'), policy.replace('name: bad', 'name: evil'));
    const r = await runAction(ws, { paths: '.', 'fail-on': 'none' });
    assert.equal(r.status, 0, r.stdout);
    const notes = r.stdout.split('\n').filter((l) => /^::error file=/.test(l));
    assert.equal(notes.length, 2, r.stdout);
    assert.ok(
      notes.some((l) =>
        l.startsWith(
          '::error file=we%2Cird%3Ana%25me.yaml,line=6,col=17,endLine=6,endColumn=27,title=netpol-lens NPV05::spec.policyTypes[0]: Unsupported value: "In%25bound"',
        ),
      ),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((l) => l.startsWith('::error file=%3A%3Awarning%3A%3Aevil.yaml,line=6,')),
      notes.join('\n'),
    );
    // the only raw line starting with ::warning:: is inside the stop-commands block
    const raw = r.stdout.split('\n').filter((l) => l.startsWith('::warning::'));
    assert.equal(raw.length, 1);
    assert.ok(untrustedLines(r.stdout).includes(raw[0]));
  });

  it('rejects bad inputs with one clear error and status 2', async () => {
    writeFileSync(path.join(tmp, 'not-netpol-lens.js'), "console.log('hello');\n");
    for (const [inputs, message] of [
      [{ 'fail-on': 'bogus' }, /input fail-on must be one of error, warning, info, hint, none, not "bogus"/],
      [{ annotations: 'yes' }, /input annotations must be true or false, not "yes"/],
      [{ paths: 'no/such/dir' }, /netpol-lens check failed with exit status 2/],
      [{ cli: path.join(tmp, 'missing-cli.js') }, /input cli: no file .*missing-cli\.js/],
      [{ cli: path.join(tmp, 'not-netpol-lens.js') }, /netpol-lens check --format json printed no JSON report/],
    ] as [Record<string, string>, RegExp][]) {
      const r = await runAction(root, { paths: 'examples', ...inputs });
      assert.equal(r.status, 2, `${JSON.stringify(inputs)}: ${r.stdout}`);
      assert.match(r.stdout, message);
      assert.match(r.stdout, /^::error title=netpol-lens::/m);
      assert.doesNotMatch(r.stdout, /\n\s+at /, 'no stack trace');
    }
  });

  describe('pull-request comment', () => {
    let server: Server;
    let api: string;
    let requests: Recorded[];
    /** The comments the fake API lists, page by page. */
    let pages: { id: number; body: string }[][];
    let failPost: boolean;
    let repo: string;
    let event: string;

    before(async () => {
      server = createServer((req, res) => {
        let raw = '';
        req.on('data', (d) => (raw += d));
        req.on('end', () => {
          requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw });
          const url = new URL(req.url ?? '/', 'http://x');
          res.setHeader('content-type', 'application/json');
          if (req.method === 'GET' && url.pathname === '/repos/o/r/issues/7/comments') {
            res.end(JSON.stringify(pages[Number(url.searchParams.get('page')) - 1] ?? []));
          } else if (req.method === 'POST' && url.pathname === '/repos/o/r/issues/7/comments' && !failPost) {
            res.statusCode = 201;
            res.end(JSON.stringify({ id: 99 }));
          } else if (req.method === 'PATCH' && url.pathname === '/repos/o/r/issues/comments/42') {
            res.end(JSON.stringify({ id: 42 }));
          } else {
            res.statusCode = 403;
            res.end(JSON.stringify({ message: 'Resource not accessible by integration' }));
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // a repository whose manifests lose the monitoring policies in the working tree
      repo = path.join(tmp, 'repo');
      // plain manifests only: one environment (the overlays and the chart have a test of their own)
      cpSync(path.join(root, 'examples'), path.join(repo, 'k8s'), {
        recursive: true,
        filter: (src) => !/[\\/]examples[\\/](storefront|charts)([\\/]|$)/.test(src),
      });
      const git = (...args: string[]) => {
        const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
          cwd: repo,
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
      };
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'base');
      rmSync(path.join(repo, 'k8s/monitoring/policies.yaml'));
      event = path.join(tmp, 'event.json');
      writeFileSync(event, JSON.stringify({ pull_request: { number: 7, base: { ref: 'main' } } }));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      requests = [];
      pages = [];
      failPost = false;
    });

    const inputs = { paths: 'k8s', 'fail-on': 'none', 'pr-comment': 'true', 'base-ref': 'HEAD', token: 'tok' };
    const ghEnv = () => ({ GITHUB_API_URL: api, GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: event });
    const expectedMarkdown = () =>
      spawnSync(process.execPath, [cli, 'diff', '--git-base', 'HEAD', 'k8s', '--format', 'md'], {
        cwd: repo,
        encoding: 'utf8',
      }).stdout.trim();

    it('posts one comment with the diff, after looking through every page of comments', async () => {
      pages = [Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: `comment ${i}` })), []];
      const r = await runAction(repo, inputs, ghEnv());
      assert.equal(r.status, 0, r.stdout);
      assert.deepEqual(
        requests.map((q) => `${q.method} ${q.url}`),
        [
          'GET /repos/o/r/issues/7/comments?per_page=100&page=1',
          'GET /repos/o/r/issues/7/comments?per_page=100&page=2',
          'POST /repos/o/r/issues/7/comments',
        ],
      );
      const post = requests[2];
      assert.equal(post.headers.authorization, 'Bearer tok');
      assert.equal(post.headers['content-type'], 'application/json');
      // the Markdown travels as one JSON string: newlines, quotes and backslashes escaped
      assert.ok(!post.raw.includes('\n'), 'raw newline in the JSON body');
      const { body } = JSON.parse(post.raw);
      const md = expectedMarkdown();
      assert.match(md, /^## Connectivity changes\n\n16 added, 0 removed, 3 changed\n/);
      assert.match(md, /\| added \| monitoring\/prometheus\\\[Deployment\\\] \| 0\.0\.0\.0\/0 \| nothing \| all \|/);
      assert.ok(body.startsWith(`${MARKER}\n${md}\n`), body.slice(0, 300));
      assert.match(
        body,
        /\n<sub>netpol-lens \d+\.\d+\.\d+\S*, compared with HEAD; this comment is updated on each push\.<\/sub>\n$/,
      );
      assert.equal(r.outputs['connectivity-changed'], 'true');
      assert.equal(r.files['diff-file'], body);
      assert.equal(r.summary, body);
      assert.match(r.stdout, /netpol-lens: posted comment 99/);
    });

    it('updates the comment of an earlier run instead of posting another', async () => {
      pages = [
        Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: `comment ${i}` })),
        [{ id: 42, body: `${MARKER}\nold` }],
      ];
      const r = await runAction(repo, inputs, ghEnv());
      assert.equal(r.status, 0, r.stdout);
      assert.deepEqual(
        requests.map((q) => `${q.method} ${q.url}`),
        [
          'GET /repos/o/r/issues/7/comments?per_page=100&page=1',
          'GET /repos/o/r/issues/7/comments?per_page=100&page=2',
          'PATCH /repos/o/r/issues/comments/42',
        ],
      );
      assert.ok(JSON.parse(requests[2].raw).body.startsWith(`${MARKER}\n${expectedMarkdown()}\n`));
    });

    it('without a change: updates an earlier comment, posts none otherwise', async () => {
      spawnSync('git', ['checkout', '--', 'k8s'], { cwd: repo });
      try {
        pages = [[{ id: 42, body: `${MARKER}\nold` }]];
        const r = await runAction(repo, inputs, ghEnv());
        assert.equal(r.status, 0, r.stdout);
        assert.equal(r.outputs['connectivity-changed'], 'false');
        assert.deepEqual(
          requests.map((q) => q.method),
          ['GET', 'PATCH'],
        );
        assert.match(
          JSON.parse(requests[1].raw).body,
          /^<!-- netpol-lens:connectivity-diff -->\n## Connectivity changes\nNo change in connectivity\.\n/,
        );
        requests = [];
        pages = [[]];
        const none = await runAction(repo, inputs, ghEnv());
        assert.deepEqual(
          requests.map((q) => q.method),
          ['GET'],
        );
        assert.match(none.stdout, /nothing posted/);
      } finally {
        rmSync(path.join(repo, 'k8s/monitoring/policies.yaml'));
      }
    });

    it('with several environments and no environment input: one section per environment', async () => {
      const multi = path.join(tmp, 'multi');
      cpSync(path.join(root, 'examples'), path.join(multi, 'k8s'), { recursive: true });
      const git = (...args: string[]) =>
        spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: multi });
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'base');
      rmSync(path.join(multi, 'k8s/storefront/overlays/prod/allow-monitoring.yaml'), { force: true });
      writeFileSync(path.join(multi, 'k8s/monitoring/policies.yaml'), '');
      pages = [[]];
      const r = await runAction(multi, inputs, ghEnv());
      assert.equal(r.status, 0, r.stdout);
      const { body } = JSON.parse(requests.find((q) => q.method === 'POST')!.raw);
      const sections = [...body.matchAll(/^\*\*k8s, environment (\S+)\*\*$/gm)].map((m) => m[1]);
      assert.deepEqual(sections, [
        '.',
        'charts/catalog',
        'charts/catalog@values-prod.yaml',
        'storefront/overlays/dev',
        'storefront/overlays/prod',
      ]);
      // the chart cannot be rendered here (no helm): said, not failed
      assert.match(
        body,
        /\*\*k8s, environment charts\/catalog\*\*\n\nNot compared: Environment charts\/catalog was not rendered: helm was not found/,
      );
      // the plain environment lost the monitoring policies
      assert.match(body, /\*\*k8s, environment \.\*\*\n\n## Connectivity changes\n\n\d+ added/);
    });

    it('warns when the token may not comment, and says so outside a pull request', async () => {
      failPost = true;
      pages = [[]];
      const r = await runAction(repo, inputs, ghEnv());
      assert.equal(r.status, 0, r.stdout);
      assert.match(
        r.stdout,
        /^::warning title=netpol-lens::could not comment on the pull request \(permissions: pull-requests: write\?\): POST .* 403 /m,
      );
      const push = path.join(tmp, 'push.json');
      writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main' }));
      requests = [];
      const p = await runAction(repo, inputs, { ...ghEnv(), GITHUB_EVENT_PATH: push });
      assert.equal(p.status, 0, p.stdout);
      assert.equal(requests.length, 0);
      assert.match(p.stdout, /not a pull request: no connectivity comment/);
    });
  });
});
