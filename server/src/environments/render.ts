// Rendering environments with the real tools, and the cache of renders. Kustomize runs on a
// temporary wrapper kustomization in the system's temporary folder whose only resource is the
// environment's folder (as a relative path: kustomize refuses absolute ones) and which asks for
// origin and transformer annotations (buildMetadata); the user's files are never written, and the
// wrapper is removed afterwards. Helm runs `helm template RELEASE CHART --namespace NS -f VALUES`.
// A render is redone only when the content of a file it reads changed (or its command), and one
// environment renders at most once at a time.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ManifestFile, parseFile } from '../model/document';
import { environmentsFeeding } from './discover';
import { readHelmOutput, readKustomizeOutput, type RenderedDoc } from './output';
import { type RunFailure, type RunResult, runProgram } from './run';
import type { Environment, RenderCommands } from './types';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT = 64 << 20;

export interface RenderOptions {
  /** The workspace folder (absolute): environments' paths are relative to it. */
  readonly root: string;
  readonly commands: RenderCommands;
  /** False in an untrusted workspace: nothing is rendered. */
  readonly trusted: boolean;
  /** Helm's --namespace when an environment names none. */
  readonly defaultNamespace?: string;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
  /** Reads a file of the workspace for the cache key (default: from disk). */
  readonly readFile?: (rel: string) => Buffer | string | undefined;
}

export interface RenderProblem {
  readonly reason: RunFailure | 'parse';
  /** One paragraph: what failed, the tool's own message, how to fix it. */
  readonly message: string;
  /** The tool's own words, trimmed. */
  readonly detail: string;
}

export type Rendered =
  | {
      readonly ok: true;
      readonly env: Environment;
      readonly docs: readonly RenderedDoc[];
      /** The rendered objects as one file (a document per object, origins by index). */
      readonly file: ManifestFile;
      readonly ms: number;
      readonly command: readonly string[];
    }
  | {
      readonly ok: false;
      readonly env: Environment;
      readonly problem: RenderProblem;
      readonly ms: number;
      readonly command: readonly string[];
    };

/** The URI of an environment's rendered objects (not a file on disk). */
export function renderedUri(envName: string): string {
  return `netpol-lens-env:${encodeURIComponent(envName)}/rendered.yaml`;
}

/** One file of the rendered documents: the documents in order, so that document i has origin i. */
export function renderedFile(envName: string, docs: readonly RenderedDoc[]): ManifestFile {
  const text = docs.map((d) => (d.text.endsWith('\n') ? d.text : `${d.text}\n`)).join('---\n');
  return parseFile(renderedUri(envName), text, { maxFileSize: Number.MAX_SAFE_INTEGER });
}

/** The program and arguments that render an environment (paths absolute, the wrapper folder for kustomize). */
export function renderCommand(
  env: Environment,
  opts: Pick<RenderOptions, 'root' | 'commands' | 'defaultNamespace'>,
  wrapper = '',
): string[] {
  const abs = (rel: string): string => path.resolve(opts.root, rel);
  if (env.kind === 'helm') {
    const chart = abs(env.dir);
    const release = env.releaseName ?? (path.basename(chart) || 'release');
    return [
      opts.commands.helm,
      'template',
      release,
      chart,
      '--namespace',
      env.namespace ?? opts.defaultNamespace ?? 'default',
      ...(env.values ?? []).flatMap((v) => ['-f', path.resolve(chart, v)]),
      ...(env.flags ?? []),
    ];
  }
  return opts.commands.kustomize
    ? [opts.commands.kustomize, 'build', wrapper, ...(env.flags ?? [])]
    : [opts.commands.kubectl, 'kustomize', wrapper, ...(env.flags ?? [])];
}

/** Writes the wrapper kustomization for `dir` (absolute); returns its folder. */
function writeWrapper(dir: string): string {
  const wrapper = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lens-render-'));
  const real = fs.realpathSync(wrapper);
  let target: string;
  try {
    target = fs.realpathSync(dir);
  } catch {
    target = dir;
  }
  const rel = path.relative(real, target).split(path.sep).join('/');
  fs.writeFileSync(
    path.join(real, 'kustomization.yaml'),
    `# written by netpol-lens to render ${JSON.stringify(target)}; removed after the render\n` +
      `resources:\n- ${JSON.stringify(rel || '.')}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`,
  );
  return real;
}

const TOOL: Record<Environment['kind'], string> = { kustomize: 'kustomize', helm: 'helm template', plain: '' };

/** What a failed render says: what failed, the tool's words, and how to fix it. */
export function describeFailure(env: Environment, r: RunResult & { ok: false }): RenderProblem {
  const setting =
    env.kind === 'helm'
      ? 'netpolLens.render.helm (editor) or NETPOL_LENS_HELM (CLI)'
      : 'netpolLens.render.kubectl or .kustomize (editor) or NETPOL_LENS_KUBECTL or NETPOL_LENS_KUSTOMIZE (CLI)';
  let fix: string;
  switch (r.reason) {
    case 'missing':
    case 'not-executable':
      fix = `Install ${env.kind === 'helm' ? 'helm' : 'kubectl'} or set ${setting} to the program's path.`;
      break;
    case 'timeout':
      fix = 'Check for remote bases or charts that cannot be fetched, or exclude the environment in the settings.';
      break;
    case 'too-large':
      fix = 'Exclude the environment in the settings (netpolLens.environments) if it is not meant to be analysed.';
      break;
    case 'untrusted':
      fix = 'Trust the workspace to render environments; until then its files are analysed as plain manifests.';
      break;
    default:
      fix = `Fix the error above and run ${TOOL[env.kind]} ${env.name} to check.`;
  }
  const detail = r.detail;
  const words = detail ? `: ${detail.replace(/\s*\n\s*/g, ' | ')}` : '';
  return {
    reason: r.reason,
    detail,
    message:
      `Environment ${env.name} was not rendered: ${r.message}${r.reason === 'failed' ? words : ''}. ${fix}`.replace(
        /\.\./g,
        '.',
      ),
  };
}

/** Renders one environment once (no cache). */
export async function renderOnce(env: Environment, opts: RenderOptions): Promise<Rendered> {
  if (env.kind === 'plain') throw new Error('the plain environment is not rendered');
  const root = path.resolve(opts.root);
  let wrapper = '';
  try {
    if (env.kind === 'kustomize') wrapper = writeWrapper(path.resolve(root, env.dir));
    const command = renderCommand(env, opts, wrapper);
    const r = await runProgram({
      command: command[0],
      args: command.slice(1),
      cwd: wrapper || path.resolve(root, env.dir),
      trusted: opts.trusted,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputBytes: opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
    });
    if (!r.ok) return { ok: false, env, problem: describeFailure(env, r), ms: r.ms, command };
    let realRoot = root;
    try {
      realRoot = fs.realpathSync(root);
    } catch {
      // keep it as given
    }
    const docs =
      env.kind === 'helm' ? readHelmOutput(r.stdout, env.dir) : readKustomizeOutput(r.stdout, wrapper, realRoot);
    return { ok: true, env, docs, file: renderedFile(env.name, docs), ms: r.ms, command };
  } finally {
    if (wrapper) fs.rmSync(wrapper, { recursive: true, force: true });
  }
}

function readFromDisk(root: string): (rel: string) => Buffer | undefined {
  return (rel) => {
    try {
      return fs.readFileSync(path.resolve(root, rel));
    } catch {
      return undefined;
    }
  };
}

/**
 * Renders environments and keeps the results: a render is reused while every file it reads has
 * the same content and the command is the same. Asked again while rendering, it waits for the
 * running render (and renders again after it when the inputs changed meanwhile).
 */
export class RenderService {
  private readonly cache = new Map<string, { key: string; result: Rendered }>();
  private readonly running = new Map<string, Promise<Rendered>>();
  private envs: readonly Environment[] = [];
  /** How many renders ran (not served from the cache): for tests and logs. */
  renders = 0;

  constructor(private readonly opts: RenderOptions) {}

  /** The options it renders with (commands, trust). */
  get options(): RenderOptions {
    return this.opts;
  }

  /** The cache key: the command and the content of every input. */
  keyOf(env: Environment): string {
    const read = this.opts.readFile ?? readFromDisk(this.opts.root);
    const h = createHash('sha256');
    h.update(JSON.stringify(renderCommand(env, this.opts)));
    for (const f of env.inputs) {
      const c = read(f);
      h.update(`\u0000${f}\u0000${c === undefined ? '-' : createHash('sha256').update(c).digest('hex')}`);
    }
    return h.digest('hex');
  }

  /** The environments the service knows (for environmentsFeeding). */
  setEnvironments(envs: readonly Environment[]): void {
    this.envs = envs;
    const names = new Set(envs.map((e) => e.name));
    for (const n of [...this.cache.keys()]) if (!names.has(n)) this.cache.delete(n);
  }

  /** The names of the environments a file (relative path) feeds. */
  feeding(rel: string): string[] {
    return environmentsFeeding(this.envs, rel);
  }

  /** The last render of an environment, if any (possibly stale). */
  last(name: string): Rendered | undefined {
    return this.cache.get(name)?.result;
  }

  async render(env: Environment): Promise<Rendered> {
    const prev = this.running.get(env.name);
    if (prev) await prev.catch(() => undefined);
    const key = this.keyOf(env);
    const hit = this.cache.get(env.name);
    if (hit && hit.key === key) return hit.result;
    const again = this.running.get(env.name);
    if (again) return again; // another caller started it while we waited
    const job = (async () => {
      this.renders++;
      const result = await renderOnce(env, this.opts);
      this.cache.set(env.name, { key, result });
      return result;
    })();
    this.running.set(env.name, job);
    try {
      return await job;
    } finally {
      if (this.running.get(env.name) === job) this.running.delete(env.name);
    }
  }
}
