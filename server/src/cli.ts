// The netpol-lens command: the same engine as the language server, for CI pipelines.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json';
import { computeConnectivity } from './analysis/connectivity';
import { toMarkdown, toTextLines, writeJson } from './analysis/report';
import { buildWorld, type World } from './analysis/world';
import type { ManifestDocument, ManifestFile } from './model/document';
import { type OptionSpec, opt, parseArgs, type Parsed, UsageError } from './cli/args';
import { explainText, parsePortArg, resolveEndpoint } from './cli/explain';
import { formatJson, formatSarif, formatText, loadConfig, reaches, runChecks } from './cli/check';
import { formatCodeQuality } from './cli/codequality';
import { renderDiagram, UnknownNamespaceError } from './cli/diagram';
import { diffJson, diffMarkdown, diffText } from './analysis/diffReport';
import { diffConnectivity } from './analysis/diff';
import { worldAtGitRef } from './cli/gitBase';
import { collectManifestPaths, loadManifestFiles } from './workspace/files';

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
      finding reaches the --fail-on level, default error). Settings come from
      .netpol-lens.json/.yaml in the analysed folder or its parents.

Options:
  -f, --format FORMAT        output format (see each command)
  -n, --namespace NS         keep only connections with an end in NS
      --default-namespace NS namespace of objects that name none (default: default)
  -o, --output FILE          write to FILE instead of standard output
  -h, --help                 show this help
  -V, --version              show the version

Directories are scanned recursively for .yaml, .yml and .json files.
Exit status: 0 on success, 1 when check finds problems at the fail level or diff finds
a change, 2 on a usage error or an unreadable path.
`;

const COMMON: OptionSpec[] = [
  { name: 'help', short: 'h' },
  { name: 'version', short: 'V' },
  { name: 'default-namespace', value: true },
  { name: 'output', short: 'o', value: true },
];

function write(p: Parsed, text: string): void {
  const out = opt(p, 'output');
  if (out) {
    try {
      fs.writeFileSync(out, text);
    } catch (e) {
      throw new UsageError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else process.stdout.write(text);
}

interface Loaded {
  world: World;
  files: ManifestFile[];
  pathOf: (uri: string) => string;
  locate: (doc: ManifestDocument, offset: number, uri: string) => string;
}

/** Streams output in chunks to the --output file or standard output. */
function writeChunks(p: Parsed, produce: (write: (chunk: string) => void) => void): void {
  const out = opt(p, 'output');
  let fd: number;
  try {
    fd = out ? fs.openSync(out, 'w') : 1;
  } catch (e) {
    throw new UsageError(`cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    produce((chunk) => {
      const b = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < b.length) {
        try {
          off += fs.writeSync(fd, b, off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
          if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
          throw e;
        }
      }
    });
  } finally {
    if (out) fs.closeSync(fd);
  }
}

function load(p: Parsed, defaultNamespace?: string): Loaded {
  if (!p.positional.length) throw new UsageError('no files or directories given');
  const collected = collectManifestPaths(p.positional);
  if (collected.errors.length) throw new UsageError(collected.errors[0]);
  for (const w of collected.warnings) process.stderr.write(`netpol-lens: warning: ${w}\n`);
  const loaded = loadManifestFiles(collected.files);
  for (const w of loaded.warnings) process.stderr.write(`netpol-lens: warning: ${w}\n`);
  const world = buildWorld(loaded.files, { defaultNamespace: opt(p, 'default-namespace') ?? defaultNamespace });
  const cwd = process.cwd();
  const locate = (doc: ManifestDocument, offset: number, uri: string): string => {
    const file = loaded.pathOf.get(uri) ?? fileURLToPath(uri);
    const rel = path.relative(cwd, file);
    const pos = doc.positionAt(offset);
    return `${rel.startsWith('..') ? file : rel}:${pos.line + 1}`;
  };
  const pathOf = (uri: string): string => {
    const file = loaded.pathOf.get(uri) ?? fileURLToPath(uri);
    const rel = path.relative(cwd, file);
    return rel.startsWith('..') ? file : rel;
  };
  return { world, files: loaded.files, pathOf, locate };
}

function connectivity(argv: string[]): number {
  const p = parseArgs(argv, [
    ...COMMON,
    { name: 'format', short: 'f', value: true, choices: ['text', 'json', 'md'] },
    { name: 'namespace', short: 'n', value: true },
  ]);
  if (p.flags.has('help')) return help();
  const { world } = load(p);
  const conn = computeConnectivity(world);
  const namespace = opt(p, 'namespace');
  if (namespace && !world.namespaces.has(namespace)) {
    process.stderr.write(`netpol-lens: warning: namespace ${namespace} does not occur in the manifests\n`);
  }
  const format = opt(p, 'format') ?? 'text';
  if (format === 'json') writeChunks(p, (w) => writeJson(conn, { namespace }, w));
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
  const { text } = explainText(world, src, dst, locate, port);
  write(p, text);
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
  const { settings } = loadConfig(p.positional[0], opt(p, 'config'));
  const { world, files, pathOf } = load(p, settings.defaultNamespace);
  const results = runChecks(files, world, settings, pathOf);
  const format = opt(p, 'format') ?? 'text';
  if (format === 'json') write(p, formatJson(results));
  else if (format === 'sarif') {
    write(p, formatSarif(results, { version: pkg.version, repository: pkg.repository.url }, process.cwd()));
  } else if (format === 'codequality') write(p, formatCodeQuality(results, process.cwd()));
  else write(p, formatText(results));
  const failOn = (opt(p, 'fail-on') ?? 'error') as 'error' | 'warning' | 'info' | 'hint';
  return results.some((r) => r.findings.some((f) => reaches(f.severity, failOn))) ? 1 : 0;
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
  try {
    write(
      p,
      renderDiagram(world, namespace, (opt(p, 'format') ?? 'mermaid') as 'mermaid' | 'md', undefined, {
        showReplies: p.flags.has('replies'),
        merge: !p.flags.has('no-merge'),
      }),
    );
  } catch (e) {
    if (e instanceof UnknownNamespaceError) throw new UsageError(e.message);
    throw e;
  }
  return 0;
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
  const ref = opt(p, 'git-base');
  let baseWorld: World;
  let headWorld: World;
  if (ref !== undefined) {
    if (p.positional.length !== 1) {
      throw new UsageError('diff --git-base REF needs one path: the manifests to compare with their version at REF');
    }
    headWorld = load(p).world;
    baseWorld = worldAtGitRef(ref, p.positional[0], opt(p, 'default-namespace')).world;
  } else {
    if (p.positional.length !== 2) {
      throw new UsageError(
        'diff needs two paths: BASE and HEAD (files or directories), or --git-base REF and one path',
      );
    }
    baseWorld = load({ ...p, positional: [p.positional[0]] }).world;
    headWorld = load({ ...p, positional: [p.positional[1]] }).world;
  }
  const all = p.flags.has('all');
  const d = diffConnectivity(computeConnectivity(baseWorld), computeConnectivity(headWorld), {
    namespace: opt(p, 'namespace'),
    all,
  });
  const format = opt(p, 'format') ?? 'text';
  write(p, format === 'json' ? diffJson(d) : format === 'md' ? diffMarkdown(d, all) : diffText(d, all));
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
      process.stderr.write(`netpol-lens: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`netpol-lens: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
