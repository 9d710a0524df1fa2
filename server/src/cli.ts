// The netpol-lens command: the same engine as the language server, for CI pipelines.

import * as fs from 'node:fs';
import * as path from 'node:path';
import pkg from '../../package.json';
import { computeConnectivity } from './analysis/connectivity';
import { diffConnectivity } from './analysis/diff';
import { diffJson, diffMarkdown, diffText } from './analysis/diffReport';
import { toMarkdown, toTextLines, writeJson } from './analysis/report';
import { buildWorld, type World } from './analysis/world';
import { type OptionSpec, opt, parseArgs, type Parsed, UsageError } from './cli/args';
import { formatJson, formatSarif, formatText, reaches, type RunInfo } from './cli/check';
import { type Config, loadConfig } from './cli/config';
import { formatCodeQuality } from './cli/codequality';
import { renderDiagram, UnknownNamespaceError } from './cli/diagram';
import type { DiagramTiers } from './protocol/diagram';
import { explainText, parsePortArg, resolveEndpoint } from './cli/explain';
import { checkWorkspace, environmentRows, environmentsJson, environmentsText } from './cli/envCommands';
import { environmentWorld, type EnvWorld, openWorkspace, pickEnvironment, type Workspace } from './cli/envs';
import { copyAtGitRef, worldAtGitRef } from './cli/gitBase';
import { displayPath, isInsideRel, type LoadOptions, requireNamespace } from './cli/load';
import { guardPipes, type Kind, say, writeChunks, writeOut } from './cli/output';
import { DEFAULT_SETTINGS, type NetpolSettings } from './settings';
import { describeGlobErrors, GlobSet } from './workspace/glob';

const HELP = `netpol-lens ${pkg.version}: Kubernetes NetworkPolicy analysis

Usage:
  netpol-lens connectivity <files|dirs...> [--env NAME] [--format text|json|md] [--namespace NS]
                           [--default-namespace NS] [--output FILE]
      Lists every allowed connection between workloads and external addresses.
  netpol-lens explain <files|dirs...> [--env NAME] --from NS/NAME --to NS/NAME|IP
                      [--port PORT[/PROTO]]
      Says whether a connection is allowed and which policies, rules and peers decide it.
  netpol-lens diagram <files|dirs...> [--env NAME] --namespace NS [--format mermaid|md] [--replies]
                      [--tiers all|networkpolicies]
      Prints the Mermaid traffic diagram of a namespace (md: a fenced block GitHub renders).
      --tiers networkpolicies draws NetworkPolicies alone, without the admin tiers
      (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy; default all).
  netpol-lens diff <base> <head> | --git-base REF <path> [--env NAME] [--format text|json|md]
                   [--namespace NS] [--all]
      What a change does to connectivity: connections added (+), removed (-) and changed (~)
      between two versions of the manifests: two paths, or a path and its version at a Git
      revision (--git-base origin/main). New and removed workloads are counted; --all lists
      their connections.
      Exit status 1 when something changed, like diff(1).
  netpol-lens check <files|dirs...> [--env NAME] [--format text|json|sarif|codequality]
                    [--fail-on error|warning|info] [--config FILE]
      Reports what the API server would reject and NetworkPolicy pitfalls (exit 1 when a
      finding reaches the --fail-on level, default error). Settings come from --config FILE
      or from .netpol-lens.json/.yaml in the analysed folder or its parents up to the
      repository root (the folder with .git) or else the working directory.
      Without --env, every environment is checked and findings say which ones they come from.
  netpol-lens environments <dir> [--format text|json]
      Lists the environments of a folder (kustomizations, Helm charts with each values file,
      and the plain manifests "."), their files and whether they render.

Environments: when one folder is analysed, each top-level kustomization and each Helm chart
(once per values-*.yaml) is rendered with the real tools (kubectl kustomize or kustomize build,
helm template) and analysed on its own; NETPOL_LENS_KUBECTL, NETPOL_LENS_KUSTOMIZE and
NETPOL_LENS_HELM name other programs (a config file cannot: it comes with the repository); the
manifests no environment reads form the environment ".". connectivity, explain, diagram and diff
work on one environment: --env NAME, or the only one (exit 2 listing them when there are several). --no-render analyses every manifest as plain files instead (nothing is run).

Options:
  -f, --format FORMAT        output format (see each command)
  -n, --namespace NS         keep only connections with an end in NS
      --default-namespace NS namespace of objects that name none (default: default)
  -o, --output FILE          write to FILE instead of standard output
  -e, --env NAME             the environment to analyse (see netpol-lens environments)
      --no-render            run no tool: analyse every manifest as a plain file
  -c, --config FILE          settings file (default: .netpol-lens.json/.yaml found as for check)
  -v, --verbose              say on standard error which config file and files are read
  -h, --help                 show this help
  -V, --version              show the version

Directories are scanned recursively for .yaml, .yml and .json files (regular files only;
links only to files inside the folders given).
Exit status: 0 on success, 1 when check finds problems at the fail level or diff finds
a change, 2 on a usage error (an unknown --namespace or --env, a bad config file, an
environment that does not render) or an unreadable path.
`;

const COMMON: OptionSpec[] = [
  { name: 'help', short: 'h' },
  { name: 'version', short: 'V' },
  { name: 'default-namespace', value: true },
  { name: 'output', short: 'o', value: true },
  { name: 'verbose', short: 'v' },
  { name: 'env', short: 'e', value: true },
  { name: 'no-render' },
  { name: 'config', short: 'c', value: true },
];

function write(p: Parsed, text: string, kind: Kind = 'text'): void {
  writeOut(opt(p, 'output'), text, kind);
}

interface Settled {
  readonly settings: NetpolSettings;
  /** check: every setting of the config applies (exclude and the size limit too). */
  readonly forCheck: boolean;
  readonly config: Config;
  readonly shown?: string;
}

/** The render programs: the defaults, or NETPOL_LENS_KUBECTL / _KUSTOMIZE / _HELM (never a config file). */
function renderFromEnvironment(): NetpolSettings['render'] {
  const d = DEFAULT_SETTINGS.render;
  const v = (name: string, fallback: string): string => process.env[name]?.trim() || fallback;
  return {
    kubectl: v('NETPOL_LENS_KUBECTL', d.kubectl),
    kustomize: v('NETPOL_LENS_KUSTOMIZE', d.kustomize),
    helm: v('NETPOL_LENS_HELM', d.helm),
  };
}

/** The config file's settings (check uses them all; the other commands their environments and render commands). */
function settle(p: Parsed, forCheck: boolean): Settled {
  if (!p.positional.length) throw new UsageError('no files or directories given');
  const config = loadConfig(p.positional[0], opt(p, 'config'), (f) => displayPath(f));
  const shown = config.path !== undefined ? displayPath(config.path) : undefined;
  if (forCheck) {
    for (const w of [...config.warnings, ...describeGlobErrors(config.settings.exclude)]) say(w, 'warning');
  }
  if (p.flags.has('verbose')) {
    say(
      shown !== undefined
        ? `config: ${shown}`
        : `no config file in ${config.searched.map((d) => displayPath(d)).join(', ')}; the defaults apply`,
    );
  }
  const defaultNamespace = opt(p, 'default-namespace') ?? (forCheck ? config.settings.defaultNamespace : 'default');
  const render = renderFromEnvironment();
  const settings = forCheck
    ? { ...config.settings, defaultNamespace, render }
    : {
        ...DEFAULT_SETTINGS,
        defaultNamespace,
        environments: config.settings.environments,
        render,
      };
  return { settings, config, shown, forCheck };
}

function open(p: Parsed, s: Settled, inputs = p.positional): Workspace {
  return openWorkspace(inputs, {
    settings: s.settings,
    defaultNamespace: s.settings.defaultNamespace,
    verbose: p.flags.has('verbose'),
    configDir: s.config.path !== undefined ? path.dirname(path.resolve(s.config.path)) : undefined,
    noRender: p.flags.has('no-render'),
    ...(s.forCheck
      ? {
          exclude: configExclude(s.settings.exclude, s.config.path),
          maxFileSize: s.settings.maxFileSizeMB * 1024 * 1024,
        }
      : {}),
  });
}

/** The world of the environment a command works on. */
async function load(p: Parsed, inputs = p.positional): Promise<EnvWorld> {
  const s = settle(p, false);
  const ws = open(p, s, inputs);
  return environmentWorld(ws, pickEnvironment(ws, opt(p, 'env')));
}

async function connectivity(argv: string[]): Promise<number> {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'md'] },
    { name: 'namespace', short: 'n', value: true },
  ]);
  if (p.flags.has('help')) return help();
  const { world } = await load(p);
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

async function explain(argv: string[]): Promise<number> {
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
  const { world, locate } = await load(p);
  const src = resolveEndpoint(world, from, '--from', true);
  const dst = resolveEndpoint(world, to, '--to', true);
  if (src.kind === 'ip' && dst.kind === 'ip') throw new UsageError('one end of --from/--to must be a workload');
  write(p, explainText(world, src, dst, locate, port).text);
  return 0;
}

async function check(argv: string[]): Promise<number> {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'sarif', 'codequality'] },
    { name: 'fail-on', value: true, choices: ['error', 'warning', 'info', 'hint'] },
  ]);
  if (p.flags.has('help')) return help();
  const s = settle(p, true);
  const ws = open(p, s);
  const env = opt(p, 'env') !== undefined ? pickEnvironment(ws, opt(p, 'env')) : undefined;
  const results = await checkWorkspace(ws, env);
  const info: RunInfo = { config: s.shown, skipped: ws.loaded.skipped, show: (f) => displayPath(f) };
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

async function environments(argv: string[]): Promise<number> {
  const p = parseArgs(argv, [...COMMON, { name: 'format', short: 'f', value: true, choices: ['text', 'json'] }]);
  if (p.flags.has('help')) return help();
  if (p.positional.length !== 1) throw new UsageError('environments needs one folder');
  const ws = open(p, settle(p, false));
  const rows = await environmentRows(ws);
  if (opt(p, 'format') === 'json') write(p, environmentsJson(rows, ws.root), 'data');
  else write(p, environmentsText(rows));
  return 0;
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

async function diagram(argv: string[]): Promise<number> {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['mermaid', 'md'] },
    { name: 'namespace', short: 'n', value: true },
    { name: 'replies' },
    { name: 'no-merge' },
    { name: 'tiers', value: true, choices: ['all', 'networkpolicies'] },
  ]);
  if (p.flags.has('help')) return help();
  const namespace = opt(p, 'namespace');
  if (!namespace) throw new UsageError('diagram needs --namespace NS');
  const { world } = await load(p);
  requireNamespace(namespace, world);
  const format = (opt(p, 'format') ?? 'mermaid') as 'mermaid' | 'md';
  const tiers = (opt(p, 'tiers') ?? 'all') as DiagramTiers;
  const opts = { showReplies: p.flags.has('replies'), merge: !p.flags.has('no-merge'), tiers };
  try {
    write(p, renderDiagram(world, namespace, format, undefined, opts));
  } catch (e) {
    if (e instanceof UnknownNamespaceError) throw new UsageError(e.message);
    throw e;
  }
  return 0;
}

/** The two worlds `diff` compares: two paths, or a path and its version at a Git revision. */
async function diffWorlds(p: Parsed): Promise<{ base: World; head: World }> {
  const ref = opt(p, 'git-base');
  if (ref !== undefined) {
    if (p.positional.length !== 1) {
      throw new UsageError('diff --git-base REF needs one path: the manifests to compare with their version at REF');
    }
    const s = settle(p, false);
    const ws = open(p, s);
    const env = pickEnvironment(ws, opt(p, 'env'));
    const head = (await environmentWorld(ws, env)).world;
    // with environments, the base side is found and rendered the same way, from a copy at REF
    if (env && ws.discovery.environments.some((e) => e.kind !== 'plain')) {
      return { base: await renderedBase(p, s, ref, env.name), head };
    }
    const git = worldAtGitRef(ref, p.positional[0], opt(p, 'default-namespace'));
    for (const sk of git.skipped) say(`skipping ${sk.path} at ${ref}: ${sk.reason}`, 'warning');
    return { base: git.world, head };
  }
  if (p.positional.length !== 2) {
    throw new UsageError('diff needs two paths: BASE and HEAD (files or directories), or --git-base REF and one path');
  }
  return {
    base: (await load(p, [p.positional[0]])).world,
    head: (await load(p, [p.positional[1]])).world,
  };
}

/** The base side of `diff --git-base` with environments: the environment found in a copy of the files at REF. */
async function renderedBase(p: Parsed, s: Settled, ref: string, name: string): Promise<World> {
  const copy = copyAtGitRef(ref, p.positional[0]);
  try {
    const ws = open(p, s, [copy.dir]);
    const env = ws.discovery.environments.find((e) => e.name === name);
    if (!env) return buildWorld([], { defaultNamespace: s.settings.defaultNamespace });
    return (await environmentWorld(ws, env)).world;
  } finally {
    fs.rmSync(copy.temp, { recursive: true, force: true });
  }
}

async function diff(argv: string[]): Promise<number> {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'md'] },
    { name: 'namespace', short: 'n', value: true },
    { name: 'all' },
    { name: 'git-base', value: true },
  ]);
  if (p.flags.has('help')) return help();
  const { base, head } = await diffWorlds(p);
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

const COMMANDS: Readonly<Record<string, (argv: string[]) => Promise<number>>> = {
  connectivity,
  explain,
  check,
  diagram,
  diff,
  environments,
};

export async function main(argv: string[]): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') return help();
    if (cmd === '-V' || cmd === '--version' || cmd === 'version' || rest.includes('--version') || rest.includes('-V')) {
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    const run = Object.prototype.hasOwnProperty.call(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
    if (!run) {
      throw new UsageError(
        `unknown command "${cmd}" (commands: check, connectivity, diagram, diff, environments, explain; see --help)`,
      );
    }
    return await run(rest);
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
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
