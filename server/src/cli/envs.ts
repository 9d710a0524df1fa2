// The environments of what a command analyses (docs/environments.md). When one folder is given,
// its kustomizations and Helm charts are environments of their own, rendered with the real tools
// (environments/render.ts), and the manifests no environment reads form the plain environment `.`;
// files given one by one, several inputs, or --no-render analyse every manifest as one plain
// environment, as before environments existed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildWorld, type World } from '../analysis/world';
import { type CheckContext, type Discovery, discoverEnvironments, type Environment, PLAIN } from '../environments';
import { renderedWorld } from '../environments/check';
import { folderView } from '../environments/listing';
import { mapContext } from '../environments/check';
import { place } from '../environments/mapBack';
import { type Rendered, RenderService } from '../environments/render';
import type { SourceLookup } from '../environments/source';
import type { ManifestDocument, ManifestFile } from '../model/document';
import { parseFile } from '../model/document';
import { isManifestName } from '../protocol/manifestFiles';
import type { NetpolSettings } from '../settings';
import { readTextFileSync } from '../workspace/read';
import { UsageError } from './args';
import { displayPath, loadInputs, type Loaded, type LoadOptions } from './load';
import { say } from './output';

export interface Workspace {
  /** The analysed folder, when environments were looked for. */
  readonly root?: string;
  readonly discovery: Discovery;
  readonly loaded: Loaded;
  /** The manifests of the plain environment. */
  readonly plain: readonly ManifestFile[];
  readonly service?: RenderService;
  readonly ctx?: CheckContext;
  readonly settings: NetpolSettings;
}

export interface OpenOptions extends LoadOptions {
  readonly settings: NetpolSettings;
  /** The config file's folder: relative render commands are resolved against it. */
  readonly configDir?: string;
  readonly noRender?: boolean;
}

const PARSE_LIMIT = 32 << 20;

/** A render command from the settings: a bare name is looked up on PATH, a path is resolved against the config's folder. */
function commandPath(cmd: string, base: string | undefined): string {
  if (!cmd || (!cmd.includes('/') && !cmd.includes('\\'))) return cmd;
  return path.resolve(base ?? process.cwd(), cmd);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function plainOnly(loaded: Loaded, root: string | undefined): Discovery {
  const inputs = loaded.files.map((f) => {
    const abs = fileURLToPath(f.uri);
    return root ? path.relative(root, abs).split(path.sep).join('/') : abs;
  });
  return {
    environments: inputs.length ? [{ name: PLAIN, kind: 'plain', dir: '', inputs }] : [],
    warnings: [],
    kustomizations: new Map(),
  };
}

/** A source lookup over the loaded manifests, parsing other files (kustomization files, templates) on demand. */
function lookupOf(root: string, loaded: Loaded): SourceLookup {
  const byPath = new Map<string, ManifestFile>();
  for (const f of loaded.files) byPath.set(path.relative(root, fileURLToPath(f.uri)).split(path.sep).join('/'), f);
  return {
    file(rel) {
      const hit = byPath.get(rel);
      if (hit) return hit;
      const base = path.posix.basename(rel);
      if (!isManifestName(base) && base !== 'Kustomization') return undefined;
      const abs = path.join(root, rel);
      const r = readTextFileSync(abs, PARSE_LIMIT);
      if (!('text' in r)) return undefined;
      const f = parseFile(pathToFileURL(abs).toString(), r.text);
      byPath.set(rel, f);
      return f;
    },
  };
}

export function openWorkspace(inputs: readonly string[], opts: OpenOptions): Workspace {
  const loaded = loadInputs(inputs, opts);
  const root = inputs.length === 1 && isDirectory(inputs[0]) ? path.resolve(inputs[0]) : undefined;
  if (!root || opts.noRender) {
    return { discovery: plainOnly(loaded, root), loaded, plain: loaded.files, settings: opts.settings };
  }
  const discovery = discoverEnvironments(folderView(root), opts.settings.environments);
  for (const w of discovery.warnings) say(w, 'warning');
  const plainEnv = discovery.environments.find((e) => e.kind === 'plain');
  const plainSet = new Set(plainEnv?.inputs ?? []);
  const rel = (f: ManifestFile): string => path.relative(root, fileURLToPath(f.uri)).split(path.sep).join('/');
  const plain = loaded.files.filter((f) => plainSet.has(rel(f)));
  const r = opts.settings.render;
  const service = new RenderService({
    root,
    commands: {
      kubectl: commandPath(r.kubectl, opts.configDir),
      kustomize: commandPath(r.kustomize, opts.configDir),
      helm: commandPath(r.helm, opts.configDir),
    },
    trusted: true,
    defaultNamespace: opts.settings.defaultNamespace,
  });
  const ctx: CheckContext = {
    settings: opts.settings,
    lookup: lookupOf(root, loaded),
    uriOf: (p) => pathToFileURL(path.join(root, p)).toString(),
    kustomizations: discovery.kustomizations,
  };
  return { root, discovery, loaded, plain, service, ctx, settings: opts.settings };
}

export function environmentNames(ws: Workspace): string[] {
  return ws.discovery.environments.map((e) => e.name);
}

/** The environment a command works on: --env, or the only one (exit 2 listing them when there are several). */
export function pickEnvironment(ws: Workspace, name: string | undefined): Environment | undefined {
  const envs = ws.discovery.environments;
  if (name !== undefined) {
    const e = envs.find((x) => x.name === name || x.name === name.replace(/\/$/, ''));
    if (!e) {
      throw new UsageError(
        `no environment ${name} (environments: ${envs.map((x) => x.name).join(', ') || 'none'}; see netpol-lens environments)`,
      );
    }
    return e;
  }
  if (envs.length <= 1) return envs[0];
  throw new UsageError(
    `${envs.length} environments: choose one with --env NAME (${envs.map((x) => x.name).join(', ')}; see netpol-lens environments)`,
  );
}

export interface EnvWorld {
  readonly world: World;
  /** `path:line` of a position in a document of the world (rendered positions are placed in their sources). */
  readonly locate: (doc: ManifestDocument, offset: number, uri: string) => string;
  readonly env?: Environment;
}

/** Renders (when needed) and builds the world of an environment; a failed render is a usage error. */
export async function environmentWorld(ws: Workspace, env: Environment | undefined): Promise<EnvWorld> {
  if (!env || env.kind === 'plain') {
    const world = buildWorld(ws.plain, { defaultNamespace: ws.settings.defaultNamespace });
    return { world, locate: ws.loaded.locate, env };
  }
  const r = await ws.service!.render(env);
  if (!r.ok) throw new UsageError(r.problem.message);
  return { world: renderedWorld(r, ws.settings.defaultNamespace), locate: renderedLocate(ws, r), env };
}

function renderedLocate(ws: Workspace, r: Rendered & { ok: true }): EnvWorld['locate'] {
  const mc = mapContext(r, ws.ctx!);
  return (doc, offset, uri) => {
    if (uri !== r.file.uri) return ws.loaded.locate(doc, offset, uri);
    const p = place(mc, doc.index, offset, offset);
    if (!p) return `${r.env.name} (rendered)`;
    return `${displayPath(fileURLToPath(p.uri))}:${p.doc.positionAt(p.s).line + 1}`;
  };
}
