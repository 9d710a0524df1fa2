#!/usr/bin/env node
// The logic of the GitHub Action (action.yml at the repository root): reads the action's inputs
// from INPUT_* environment variables (action.yml maps each input), so that it runs the same way on
// a developer's machine (test/unit/action.test.ts runs it on examples/ with a fake GitHub API).
//
//   1. gets a netpol-lens: INPUT_CLI (a cli.js or an executable) or `npm install --global` of
//      netpol-lens@INPUT_CLI_VERSION (default: this checkout's version) into a temporary prefix;
//   2. runs `check` on INPUT_PATHS: prints the findings, annotates them (workflow commands) and
//      writes SARIF for the upload step when asked;
//   3. on a pull request with INPUT_PR_COMMENT, runs `diff --git-base` against the base branch and
//      posts the Markdown as one comment that later runs update;
//   4. exits 1 when a finding reaches INPUT_FAIL_ON, 2 on bad inputs or when netpol-lens fails.
//
// Only Node's own modules: an action's checkout has no node_modules.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;

/** The marker that finds the comment of earlier runs. */
export const COMMENT_MARKER = '<!-- netpol-lens:connectivity-diff -->';
/** GitHub rejects comments over 65536 characters. */
const COMMENT_LIMIT = 65000;
const FAIL_ON = ['error', 'warning', 'info', 'hint', 'none'];

class InputError extends Error {}

/** The defaults of action.yml, for runs outside GitHub where a variable may be missing. */
export const DEFAULTS = {
  paths: '.',
  'fail-on': 'error',
  annotations: 'true',
  'upload-sarif': 'false',
  'pr-comment': 'false',
};

/** An input as action.yml passes it: INPUT_<NAME> with dashes as underscores. */
function input(name) {
  const value = env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`];
  return (value === undefined ? (DEFAULTS[name] ?? '') : value).trim();
}

function booleanInput(name) {
  const v = input(name).toLowerCase();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw new InputError(`input ${name} must be true or false, not "${input(name)}"`);
}

/** Workflow-command escaping of a message (GitHub's toolkit: %, CR, LF). */
export function escapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command escaping of a property value (also : and ,). */
export function escapeProperty(s) {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function setOutput(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${String(value).replace(/[\r\n]+/g, ' ')}\n`);
}

/**
 * Prints text that comes from the manifests (file names, messages) with workflow commands turned
 * off, so that a line of it can never act as one.
 */
function printUntrusted(text) {
  if (!text) return;
  const token = randomBytes(16).toString('hex');
  process.stdout.write(`::stop-commands::${token}\n${text.endsWith('\n') ? text : `${text}\n`}::${token}::\n`);
}

/** The command that runs netpol-lens: the given one, or an install from npm. */
function resolveCli() {
  const given = input('cli');
  if (given) {
    const abs = path.resolve(given);
    if (/[\\/]|\.[cm]?js$/.test(given) && !existsSync(abs)) throw new InputError(`input cli: no file ${given}`);
    if (/\.[cm]?js$/.test(given)) return [process.execPath, abs];
    return [existsSync(abs) ? abs : given];
  }
  const own = JSON.parse(readFileSync(path.join(here, '..', 'package.json'), 'utf8'));
  const wanted = input('cli-version') || own.version;
  // a version or tag; an URL of a tarball; or a path (of a tarball or a checkout)
  const spec = /^[a-z][\w+.-]+:\/\//i.test(wanted)
    ? wanted
    : /^[./\\]|^[a-z]:|\.tgz$/i.test(wanted)
      ? path.resolve(wanted)
      : `netpol-lens@${wanted}`;
  const prefix = path.join(env.RUNNER_TEMP || os.tmpdir(), 'netpol-lens-cli');
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', spec],
    { encoding: 'utf8', shell: process.platform === 'win32' },
  );
  if (r.status !== 0) {
    throw new InputError(`npm install ${spec} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
  }
  for (const dir of [path.join(prefix, 'lib', 'node_modules'), path.join(prefix, 'node_modules')]) {
    const js = path.join(dir, 'netpol-lens', 'dist', 'cli.js');
    if (existsSync(js)) return [process.execPath, js];
  }
  throw new InputError(`npm installed ${spec} but no netpol-lens/dist/cli.js is under ${prefix}`);
}

/** Runs netpol-lens; statuses 0 and 1 are answers, anything else is a failure. */
function netpolLens(cli, args) {
  const r = spawnSync(cli[0], [...cli.slice(1), ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) throw new InputError(`cannot run ${cli.join(' ')}: ${r.error.message}`);
  if (r.status !== 0 && r.status !== 1) {
    printUntrusted(r.stderr);
    throw new InputError(`netpol-lens ${args[0]} failed with exit status ${r.status}`);
  }
  if (r.stderr) printUntrusted(r.stderr);
  return { status: r.status, stdout: r.stdout };
}

/**
 * The environments of a path when it has more than one (else [undefined]: the only one), each with
 * the reason it cannot be compared when it could not be rendered (a missing tool, a failing render).
 */
function environmentsOf(cli, p) {
  const r = netpolLens(cli, ['environments', p, '--format', 'json']);
  const list = r.status === 0 ? JSON.parse(r.stdout).environments : [];
  if (list.length < 2) return [{ name: undefined }];
  return list.map((e) => ({
    name: e.name,
    error: e.status === 'failed' ? String(e.error ?? 'not rendered') : undefined,
  }));
}

/** Paths from the input: one per line, or separated by spaces on one line. */
function pathsInput() {
  const raw = input('paths') || DEFAULTS.paths;
  const list = raw.includes('\n') ? raw.split('\n') : raw.split(/\s+/);
  return list.map((p) => p.trim()).filter(Boolean);
}

const ANNOTATION = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** One workflow command per finding, errors first. */
export function annotations(findings) {
  const rank = { error: 0, warning: 1, info: 2, hint: 3 };
  return [...findings]
    .sort((a, b) => rank[a.severity] - rank[b.severity])
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.range.start.line}`,
        `col=${f.range.start.column}`,
        `endLine=${f.range.end.line}`,
        `endColumn=${f.range.end.column}`,
        `title=${escapeProperty(`netpol-lens ${f.rule}`)}`,
      ];
      return `::${ANNOTATION[f.severity] ?? 'notice'} ${props.join(',')}::${escapeData(f.message)}`;
    });
}

function runCheck(cli, paths, common) {
  const failOn = input('fail-on') || DEFAULTS['fail-on'];
  const config = input('config');
  const args = [
    'check',
    ...paths,
    '--fail-on',
    failOn === 'none' ? 'error' : failOn,
    ...(config ? ['--config', config] : []),
    ...common,
  ];
  const r = netpolLens(cli, [...args, '--format', 'json']);
  let findings;
  try {
    ({ findings } = JSON.parse(r.stdout));
  } catch {
    printUntrusted(r.stdout.slice(0, 2000));
    throw new InputError(`netpol-lens check --format json printed no JSON report (is ${cli.join(' ')} netpol-lens?)`);
  }
  printUntrusted(
    findings
      .map((f) => `${f.file}:${f.range.start.line}:${f.range.start.column}: ${f.severity} ${f.rule}: ${f.message}`)
      .join('\n'),
  );
  process.stdout.write(`netpol-lens: ${findings.length} finding${findings.length === 1 ? '' : 's'}\n`);
  if (booleanInput('annotations') && findings.length) process.stdout.write(`${annotations(findings).join('\n')}\n`);
  setOutput('findings', findings.length);
  if (booleanInput('upload-sarif')) {
    const sarif = path.join(env.RUNNER_TEMP || os.tmpdir(), 'netpol-lens.sarif');
    netpolLens(cli, [...args, '--format', 'sarif', '--output', sarif]);
    setOutput('sarif-file', sarif);
    setOutput('sarif-category', `netpol-lens${input('environment') ? `/${input('environment')}` : ''}`);
  }
  return failOn !== 'none' && r.status === 1;
}

function git(args) {
  return spawnSync('git', args, { encoding: 'utf8' });
}

/** The revision to compare with: the input, or origin/<base branch>, fetched when missing. */
function baseRevision(pr) {
  const given = input('base-ref');
  const ref = given || `origin/${pr.base.ref}`;
  if (git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).status === 0) return ref;
  if (!given) {
    const branch = pr.base.ref;
    const f = git(['fetch', '--no-tags', '--depth=1', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    if (f.status === 0) return ref;
    throw new InputError(`cannot fetch the base branch ${branch}: ${f.stderr.trim().split('\n')[0]}`);
  }
  throw new InputError(`base-ref ${ref} is not a commit of this repository`);
}

/** The comment: the diff of each path (one section per path when there are several). */
export function commentBody(sections, { version, base }) {
  const parts = sections.map(({ path: p, markdown }) =>
    sections.length > 1 ? `**${p.replace(/[`*_\\[\]<>]/g, '')}**\n\n${markdown.trim()}` : markdown.trim(),
  );
  let body = `${COMMENT_MARKER}\n${parts.join('\n\n')}\n`;
  const footer = `\n<sub>netpol-lens ${version}, compared with ${base.replace(/[`<>]/g, '')}; this comment is updated on each push.</sub>\n`;
  if (body.length + footer.length > COMMENT_LIMIT) {
    body = `${body.slice(0, COMMENT_LIMIT - footer.length - 200)}\n\n… (cut: the full report is in the job summary)\n`;
  }
  return body + footer;
}

async function github(method, url, token, body) {
  const res = await globalThis.fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'user-agent': 'netpol-lens-action',
      'x-github-api-version': '2022-11-28',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

/** Updates the comment of an earlier run, or posts one when there is something to say. */
async function postComment(pr, body, changed) {
  const api = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const repo = env.GITHUB_REPOSITORY;
  const token = input('token');
  if (!token || !repo) throw new Error('the pull-request comment needs the token input and GITHUB_REPOSITORY');
  let existing;
  for (let page = 1; !existing; page++) {
    const list = await github(
      'GET',
      `${api}/repos/${repo}/issues/${pr.number}/comments?per_page=100&page=${page}`,
      token,
    );
    existing = list.find((c) => typeof c.body === 'string' && c.body.startsWith(COMMENT_MARKER));
    if (list.length < 100) break;
  }
  if (existing) {
    if (existing.body !== body)
      await github('PATCH', `${api}/repos/${repo}/issues/comments/${existing.id}`, token, { body });
    return `updated comment ${existing.id}`;
  }
  if (!changed) return 'no change in connectivity and no earlier comment: nothing posted';
  const made = await github('POST', `${api}/repos/${repo}/issues/${pr.number}/comments`, token, { body });
  return `posted comment ${made.id}`;
}

async function runDiff(cli, paths, common) {
  const event = env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {};
  const pr = event.pull_request;
  if (!pr) {
    process.stdout.write('netpol-lens: not a pull request: no connectivity comment\n');
    return;
  }
  const base = baseRevision(pr);
  const sections = [];
  let changed = false;
  for (const p of paths) {
    // several environments and no environment input: one section per environment
    const envs = common.length ? [{ name: undefined }] : environmentsOf(cli, p);
    for (const { name, error } of envs) {
      const label = name ? `${p}, environment ${name}` : p;
      if (error) {
        sections.push({ path: label, markdown: `Not compared: ${error.replace(/[`*_\\[\]<>|!@#()]/g, '')}` });
        continue;
      }
      const r = netpolLens(cli, [
        'diff',
        '--git-base',
        base,
        p,
        '--format',
        'md',
        ...(name ? ['--env', name] : common),
      ]);
      changed ||= r.status === 1;
      sections.push({ path: label, markdown: r.stdout });
    }
  }
  const version = netpolLens(cli, ['--version']).stdout.trim();
  const body = commentBody(sections, { version, base });
  const file = path.join(env.RUNNER_TEMP || os.tmpdir(), 'netpol-lens-diff.md');
  writeFileSync(file, body);
  setOutput('diff-file', file);
  setOutput('connectivity-changed', changed);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, body);
  try {
    process.stdout.write(`netpol-lens: ${await postComment(pr, body, changed)}\n`);
  } catch (e) {
    // a pull request from a fork gets a read-only token: say so, and let the check decide the status
    process.stdout.write(
      `::warning title=netpol-lens::${escapeData(`could not comment on the pull request (permissions: pull-requests: write?): ${e.message}`)}\n`,
    );
  }
}

async function main() {
  const failOn = input('fail-on') || DEFAULTS['fail-on'];
  if (!FAIL_ON.includes(failOn))
    throw new InputError(`input fail-on must be one of ${FAIL_ON.join(', ')}, not "${failOn}"`);
  booleanInput('annotations');
  booleanInput('upload-sarif');
  const comment = booleanInput('pr-comment');
  const paths = pathsInput();
  const environment = input('environment');
  // --env NAME needs a netpol-lens with connectivity environments
  const common = environment ? ['--env', environment] : [];
  const cli = resolveCli();
  const failed = runCheck(cli, paths, common);
  if (comment) await runDiff(cli, paths, common);
  if (failed) {
    process.stdout.write(`::error title=netpol-lens::${escapeData(`findings at or above ${failOn}`)}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stdout.write(`::error title=netpol-lens::${escapeData(e.message)}\n`);
      process.exitCode = e instanceof InputError ? 2 : 3;
    },
  );
}
