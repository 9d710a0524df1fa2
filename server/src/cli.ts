// The netpol-lens command: the same engine as the language server, for CI pipelines.

import * as path from 'node:path';
import pkg from '../../package.json';
import { computeConnectivity } from './analysis/connectivity';
import { diffConnectivity } from './analysis/diff';
import { diffJson, diffMarkdown, diffText } from './analysis/diffReport';
import { toMarkdown, toTextLines, writeJson } from './analysis/report';
import type { World } from './analysis/world';
import { type OptionSpec, opt, parseArgs, type Parsed, UsageError } from './cli/args';
import { formatJson, formatSarif, formatText, reaches, type RunInfo, runChecks } from './cli/check';
import { formatCodeQuality } from './cli/codequality';
import { loadConfig } from './cli/config';
import { renderDiagram, UnknownNamespaceError } from './cli/diagram';
import { explainText, parsePortArg, resolveEndpoint } from './cli/explain';
import { worldAtGitRef } from './cli/gitBase';
import { displayPath, isInsideRel, loadInputs, type Loaded, type LoadOptions, requireNamespace } from './cli/load';
import { guardPipes, type Kind, say, writeChunks, writeOut } from './cli/output';
import { describeGlobErrors, GlobSet } from './workspace/glob';

const HELP = `netpol-lens ${pkg.version}: Kubernetes NetworkPolicy analysis

Usage:
  netpol-lens connectivity <files|dirs...> [--format text|json|md] [--namespace NS]
                           [--default-namespace NS] [--output FILE]
      Lists every allowed connection between workloads and external addresses.
  netpol-lens explain <files|dirs...> --from NS/NAME --to NS/NAME|IP [--port PORT[/PROTO]]
      Says whether a connection is allowed and which policies, rules and peers decide it.
  netpol-lens diagram <files|dirs...> --namespace NS [--format mermaid|md] [--replies]
      Prints the Mermaid traffic diagram of a namespace (md: a fenced block GitHub renders).
  netpol-lens diff <base> <head> | --git-base REF <path> [--format text|json|md] [--namespace NS]
                   [--all]
      What a change does to connectivity: connections added (+), removed (-) and changed (~)
      between two versions of the manifests: two paths, or a path and its version at a Git
      revision (--git-base origin/main). New and removed workloads are counted; --all lists
      their connections.
      Exit status 1 when something changed, like diff(1).
  netpol-lens check <files|dirs...> [--format text|json|sarif|codequality]
                    [--fail-on error|warning|info] [--config FILE]
      Reports what the API server would reject and NetworkPolicy pitfalls (exit 1 when a
      finding reaches the --fail-on level, default error). Settings come from --config FILE
      or from .netpol-lens.json/.yaml in the analysed folder or its parents up to the
      repository root (the folder with .git) or else the working directory.

Options:
  -f, --format FORMAT        output format (see each command)
  -n, --namespace NS         keep only connections with an end in NS
      --default-namespace NS namespace of objects that name none (default: default)
  -o, --output FILE          write to FILE instead of standard output
  -v, --verbose              say on standard error which config file and files are read
  -h, --help                 show this help
  -V, --version              show the version

Directories are scanned recursively for .yaml, .yml and .json files (regular files only;
links only to files inside the folders given).
Exit status: 0 on success, 1 when check finds problems at the fail level or diff finds
a change, 2 on a usage error (an unknown --namespace, a bad config file) or an unreadable
path.
`;

const COMMON: OptionSpec[] = [
  { name: 'help', short: 'h' },
  { name: 'version', short: 'V' },
  { name: 'default-namespace', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'verbose', short: 'v' },
];

function write(p: Parsed, text: string, kind: Kind = 'text'): void {
  writeOut(opt(p, 'output'), text, kind);
}

function load(p: Parsed, opts: LoadOptions = {}): Loaded {
  return loadInputs(p.positional, {
    ...opts,
    defaultNamespace: opt(p, 'default-namespace') ?? opts.defaultNamespace,
    verbose: p.flags.has('verbose'),
  });
}

function connectivity(argv: string[]): number {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'md'] },
    { name: 'namespace', short: 'n', value: true },
  ]);
  if (p.flags.has('help')) return help();
  const { world } = load(p);
  const namespace = opt(p, 'namespace');
  requireNamespace(namespace, world);
  const conn = computeConnectivity(world);
  const format = opt(p, 'format') ?? 'text';
  if (format === 'json') writeChunks(opt(p, 'output'), (w) => writeJson(conn, { namespace }, w));
  else if (format === 'md') write(p, toMarkdown(conn, { namespace }));
  else {
    const lines = toTextLines(conn, { namespace });
    write(p, lines.length ? `${lines.join('\n')}\n` : '');
  }
  return 0;
}

function explain(argv: string[]): number {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'from', value: true },
    { name: 'to', value: true },
    { name: 'port', short: 'p', value: true },
  ]);
  if (p.flags.has('help')) return help();
  const from = opt(p, 'from');
  const to = opt(p, 'to');
  if (!from || !to) throw new UsageError('explain needs --from NS/NAME and --to NS/NAME|IP');
  const port = opt(p, 'port') !== undefined ? parsePortArg(opt(p, 'port')!) : undefined;
  const { world, locate } = load(p);
  const src = resolveEndpoint(world, from, '--from', true);
  const dst = resolveEndpoint(world, to, '--to', true);
  if (src.kind === 'ip' && dst.kind === 'ip') throw new UsageError('one end of --from/--to must be a workload');
  write(p, explainText(world, src, dst, locate, port).text);
  return 0;
}

function check(argv: string[]): number {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'sarif', 'codequality'] },
    { name: 'fail-on', value: true, choices: ['error', 'warning', 'info', 'hint'] },
    { name: 'config', short: 'c', value: true },
  ]);
  if (p.flags.has('help')) return help();
  if (!p.positional.length) throw new UsageError('no files or directories given');
  const config = loadConfig(p.positional[0], opt(p, 'config'), (f) => displayPath(f));
  const shownConfig = config.path !== undefined ? displayPath(config.path) : undefined;
  for (const w of [...config.warnings, ...describeGlobErrors(config.settings.exclude)]) say(w, 'warning');
  if (p.flags.has('verbose')) {
    say(
      shownConfig !== undefined
        ? `config: ${shownConfig}`
        : `no config file in ${config.searched.map((d) => displayPath(d)).join(', ')}; the defaults apply`,
    );
  }
  const { settings } = config;
  const loaded = load(p, {
    defaultNamespace: settings.defaultNamespace,
    exclude: configExclude(settings.exclude, config.path),
    maxFileSize: settings.maxFileSizeMB * 1024 * 1024,
  });
  const results = runChecks(loaded.files, loaded.world, settings, loaded.pathOf);
  const info: RunInfo = { config: shownConfig, skipped: loaded.skipped, show: (f) => displayPath(f) };
  const format = opt(p, 'format') ?? 'text';
  if (format === 'json') write(p, formatJson(results, info), 'data');
  else if (format === 'sarif') {
    const tool = { version: pkg.version, repository: pkg.repository.url };
    write(p, formatSarif(results, tool, process.cwd(), info), 'data');
  } else if (format === 'codequality') write(p, formatCodeQuality(results, process.cwd()), 'data');
  else write(p, formatText(results, info));
  const failOn = (opt(p, 'fail-on') ?? 'error') as 'error' | 'warning' | 'info' | 'hint';
  return results.some((r) => r.findings.some((f) => reaches(f.severity, failOn))) ? 1 : 0;
}

/**
 * The config's exclude patterns as a walker filter: a pattern matches the path under the analysed
 * folder, or the path under the config file's folder (as in the editor, where both are usually
 * the workspace folder).
 */
function configExclude(patterns: readonly string[], configPath: string | undefined): LoadOptions['exclude'] {
  const globs = new GlobSet(patterns);
  if (!globs.size) return undefined;
  const base = configPath !== undefined ? path.dirname(path.resolve(configPath)) : undefined;
  return (rel, abs) => {
    if (globs.matches(rel)) return true;
    if (base === undefined) return false;
    const fromConfig = path.relative(base, path.resolve(abs));
    return fromConfig !== '' && isInsideRel(fromConfig) && globs.matches(fromConfig.split(path.sep).join('/'));
  };
}

function diagram(argv: string[]): number {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['mermaid', 'md'] },
    { name: 'namespace', short: 'n', value: true },
    { name: 'replies' },
    { name: 'no-merge' },
  ]);
  if (p.flags.has('help')) return help();
  const namespace = opt(p, 'namespace');
  if (!namespace) throw new UsageError('diagram needs --namespace NS');
  const { world } = load(p);
  requireNamespace(namespace, world);
  const format = (opt(p, 'format') ?? 'mermaid') as 'mermaid' | 'md';
  const opts = { showReplies: p.flags.has('replies'), merge: !p.flags.has('no-merge') };
  try {
    write(p, renderDiagram(world, namespace, format, undefined, opts));
  } catch (e) {
    if (e instanceof UnknownNamespaceError) throw new UsageError(e.message);
    throw e;
  }
  return 0;
}

/** The two worlds `diff` compares: two paths, or a path and its version at a Git revision. */
function diffWorlds(p: Parsed): { base: World; head: World } {
  const ref = opt(p, 'git-base');
  if (ref !== undefined) {
    if (p.positional.length !== 1) {
      throw new UsageError('diff --git-base REF needs one path: the manifests to compare with their version at REF');
    }
    const head = load(p).world;
    const git = worldAtGitRef(ref, p.positional[0], opt(p, 'default-namespace'));
    for (const s of git.skipped) say(`skipping ${s.path} at ${ref}: ${s.reason}`, 'warning');
    return { base: git.world, head };
  }
  if (p.positional.length !== 2) {
    throw new UsageError('diff needs two paths: BASE and HEAD (files or directories), or --git-base REF and one path');
  }
  return {
    base: load({ ...p, positional: [p.positional[0]] }).world,
    head: load({ ...p, positional: [p.positional[1]] }).world,
  };
}

function diff(argv: string[]): number {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'md'] },
    { name: 'namespace', short: 'n', value: true },
    { name: 'all' },
    { name: 'git-base', value: true },
  ]);
  if (p.flags.has('help')) return help();
  const { base, head } = diffWorlds(p);
  const namespace = opt(p, 'namespace');
  requireNamespace(namespace, base, head);
  const all = p.flags.has('all');
  const d = diffConnectivity(computeConnectivity(base), computeConnectivity(head), { namespace, all });
  const format = opt(p, 'format') ?? 'text';
  if (format === 'json') write(p, diffJson(d), 'data');
  else write(p, format === 'md' ? diffMarkdown(d, all) : diffText(d, all));
  return d.changes.length || d.workloadsAdded.length || d.workloadsRemoved.length ? 1 : 0;
}

function help(): number {
  process.stdout.write(HELP);
  return 0;
}

export function main(argv: string[]): number {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') return help();
    if (cmd === '-V' || cmd === '--version' || cmd === 'version') {
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    if (rest.includes('--version') || rest.includes('-V')) {
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    switch (cmd) {
      case 'connectivity':
        return connectivity(rest);
      case 'explain':
        return explain(rest);
      case 'check':
        return check(rest);
      case 'diagram':
        return diagram(rest);
      case 'diff':
        return diff(rest);
      default:
        throw new UsageError(
          `unknown command "${cmd}" (commands: check, connectivity, diagram, diff, explain; see --help)`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      say(e.message);
      return 2;
    }
    say(`internal error: ${(e as Error).message}`);
    return 3;
  }
}

if (require.main === module) {
  guardPipes();
  process.exitCode = main(process.argv.slice(2));
}
