// The environments of the workspace folders in the language server (docs/environments.md): found
// with the CLI's discovery (the settings' and the config file's `environments` entries applied),
// rendered with the real tools through a RenderService per folder, and checked with the CLI's
// steps (environments/session.ts). Only in a trusted workspace: in Restricted Mode nothing runs,
// the user is told once, and every file is analysed as a plain manifest, as before.
//
// What triggers a render: a file saved or changed on disk (kubectl and helm read the files on
// disk, not the editor's unsaved text). Only the environments that read the file render again, in
// the background, one update at a time; an edited input file gets its text-level diagnostics (and
// the rendered findings of its unchanged documents) at once, the rendered findings of the edited
// document when the render is done.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Connection, FileChangeType, type FileEvent, MessageType } from 'vscode-languageserver/node';
import { ShowMessageNotification } from 'vscode-languageserver/node';
import { configEnvironments } from '../environments/configFile';
import { discoverEnvironments } from '../environments/discover';
import { affectsDiscovery } from '../environments/discover';
import { folderView } from '../environments/listing';
import { RenderService } from '../environments/render';
import { EnvironmentSession } from '../environments/session';
import type { SourceLookup } from '../environments/source';
import { type ManifestFile, parseFile } from '../model/document';
import { isManifestName } from '../protocol/manifestFiles';
import type { DocFinding } from '../rules/registry';
import type { EnvironmentSetting } from '../settings';
import { readTextFileSync } from '../workspace/read';
import { expectationFindings } from './environmentExpectations';
import type { WorkspaceIndex } from '../workspace/index';

interface Folder {
  readonly uri: string;
  readonly root: string;
  readonly session: EnvironmentSession;
  /** The URIs of the files its renders read. */
  readonly inputs: ReadonlySet<string>;
  /** What it was found from (environments, render settings, trust): the same key keeps it. */
  readonly key: string;
}

const PARSE_LIMIT = 32 << 20;

function relativeIn(base: string, uri: string): string | undefined {
  const b = base.endsWith('/') ? base : `${base}/`;
  if (!uri.startsWith(b)) return undefined;
  try {
    return decodeURIComponent(uri.slice(b.length));
  } catch {
    return undefined;
  }
}

/** A render command from the settings: a bare name is looked up on PATH, a path is resolved against the folder. */
function commandPath(cmd: string, base: string): string {
  if (!cmd || (!cmd.includes('/') && !cmd.includes('\\'))) return cmd;
  return path.resolve(base, cmd);
}

export class EnvironmentsService {
  private folders: Folder[] = [];
  /** Whether the workspace is trusted (initializationOptions.trusted; absent: trusted, as the CLI). */
  trusted = true;
  private toldRestricted = false;
  private pending = new Map<string, Set<string> | 'all'>();
  private running: Promise<void> | null = null;
  /** Called after environments were rendered and checked again (diagnostics, diagram, lenses). */
  onUpdated?: () => void;
  /**
   * Counters for tests and benchmarks: updates that changed findings, discoveries, and the renders
   * of services no longer used (renders counts every service's).
   */
  readonly stats = { updates: 0, discoveries: 0, rendersBefore: 0 };

  constructor(
    private readonly connection: Connection,
    private readonly index: WorkspaceIndex,
  ) {}

  /** Renders run (not served from the cache) since the server started. */
  get renders(): number {
    return this.stats.rendersBefore + this.folders.reduce((n, f) => n + f.session.service.renders, 0);
  }

  /** Environment checks made (an environment whose render or inputs changed). */
  get checks(): number {
    return this.folders.reduce((n, f) => n + f.session.stats.checked, 0);
  }

  /**
   * Finds the environments of every folder again (after a scan, a settings change, a new
   * kustomization); false when they are what they were (same environments, settings and trust).
   */
  rediscover(folderUris: readonly string[]): boolean {
    this.stats.discoveries++;
    const before = this.folders;
    this.stats.rendersBefore = this.renders;
    const old = new Map(this.folders.map((f) => [f.uri, f]));
    this.folders = [];
    for (const uri of folderUris) {
      let root: string;
      try {
        root = fileURLToPath(uri);
      } catch {
        continue;
      }
      const f = this.folderOf(uri, root, old.get(uri));
      if (f) this.folders.push(f);
    }
    this.stats.rendersBefore -= this.folders.reduce((n, f) => n + f.session.service.renders, 0);
    const rendered = this.trusted ? this.folders : [];
    this.index.setRendered(new Set(rendered.flatMap((f) => [...f.inputs])));
    if (!this.trusted && !this.toldRestricted && this.folders.some((f) => f.session.rendered.length)) {
      this.toldRestricted = true;
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Info,
        message:
          'netpol-lens: this workspace is in Restricted Mode, so its Kustomize and Helm environments are not rendered; their files are analysed as plain manifests. Trust the workspace to analyse what the tools render.',
      });
    }
    const same =
      before.length === this.folders.length && before.every((f, i) => f === this.folders[i]) && !this.trustChanged;
    this.trustChanged = false;
    if (this.trusted && !same) for (const f of this.folders) this.request(f.uri, 'all');
    return !same;
  }

  private trustChanged = false;

  /** The workspace's trust (Restricted Mode or not); the caller finds the environments again. */
  setTrusted(trusted: boolean): void {
    if (trusted !== this.trusted) this.trustChanged = true;
    this.trusted = trusted;
  }

  private settingsEntries(root: string): EnvironmentSetting[] {
    const c = configEnvironments(root);
    for (const w of c.warnings) this.connection.console.warn(`netpol-lens: ${w}`);
    return [...c.entries, ...this.index.settings.environments];
  }

  private folderOf(uri: string, root: string, old: Folder | undefined): Folder | undefined {
    const discovery = discoverEnvironments(folderView(root), this.settingsEntries(root));
    const settings = this.index.settings;
    const key = JSON.stringify([discovery.environments, settings.render, this.trusted]);
    // the same environments with the same settings: keep the renders and checks
    if (old && old.key === key && old.session.settings === settings) return old;
    for (const w of discovery.warnings) this.connection.console.warn(`netpol-lens: ${w}`);
    const r = settings.render;
    const commands = {
      kubectl: commandPath(r.kubectl, root),
      kustomize: commandPath(r.kustomize, root),
      helm: commandPath(r.helm, root),
    };
    const sameService =
      old && JSON.stringify(old.session.service.options.commands) === JSON.stringify(commands) && old.session;
    const service =
      sameService && old.session.service.options.trusted === this.trusted
        ? old.session.service
        : new RenderService({ root, commands, trusted: this.trusted, defaultNamespace: settings.defaultNamespace });
    const uriOf = (rel: string): string => pathToFileURL(path.join(root, rel)).toString();
    const session = new EnvironmentSession(
      discovery,
      service,
      {
        settings,
        lookup: this.lookupOf(root, uriOf),
        uriOf,
        kustomizations: discovery.kustomizations,
      },
      old?.session,
    );
    const inputs = new Set([...session.inputs()].map(uriOf));
    return { uri, root, session, inputs, key };
  }

  /** Source files as the index has them (the editor's text when open), other files (`Kustomization`) from disk. */
  private lookupOf(root: string, uriOf: (rel: string) => string): SourceLookup {
    const disk = new Map<string, ManifestFile>();
    return {
      file: (rel) => {
        const f = this.index.getFile(uriOf(rel));
        if (f) return f.skipped ? undefined : f;
        const hit = disk.get(rel);
        if (hit) return hit;
        const base = path.posix.basename(rel);
        if (!isManifestName(base) && base !== 'Kustomization') return undefined;
        const r = readTextFileSync(path.join(root, rel), PARSE_LIMIT);
        if (!('text' in r)) return undefined;
        const parsed = parseFile(uriOf(rel), r.text);
        disk.set(rel, parsed);
        return parsed;
      },
    };
  }

  /** Files saved or changed on disk: the environments that read them render again (a new kustomization: discovery). */
  changedOnDisk(changes: readonly FileEvent[]): boolean {
    if (!this.trusted) return false;
    let rediscover = false;
    for (const ch of changes) {
      const f = this.folders.find((x) => relativeIn(x.uri, ch.uri) !== undefined);
      const rel = f ? relativeIn(f.uri, ch.uri) : undefined;
      if (!f || rel === undefined) continue;
      // a kustomization, chart or values file, or a file created or deleted: environments may differ
      if (affectsDiscovery(rel) || ch.type !== FileChangeType.Changed) rediscover = true;
      const names = f.session.service.feeding(rel).filter((n) => f.session.environment(n)?.kind !== 'plain');
      for (const n of names) this.request(f.uri, n);
    }
    return rediscover;
  }

  /** Asks for a render and check of an environment (or every one) of a folder; runs in the background. */
  private request(folder: string, name: string | 'all'): void {
    const cur = this.pending.get(folder);
    if (name === 'all' || cur === 'all') this.pending.set(folder, 'all');
    else this.pending.set(folder, new Set([...(cur ?? []), name]));
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.pending.size) {
      const work = [...this.pending];
      this.pending.clear();
      let changed = false;
      for (const [uri, names] of work) {
        const f = this.folders.find((x) => x.uri === uri);
        if (!f) continue;
        try {
          if (await f.session.update(names === 'all' ? undefined : names)) changed = true;
        } catch (e) {
          this.connection.console.error(`netpol-lens: environments of ${uri}: ${(e as Error).stack ?? String(e)}`);
        }
      }
      if (!changed) continue;
      this.stats.updates++;
      this.onUpdated?.();
    }
  }

  private readonly holds = new Set<Promise<unknown>>();

  /** Work that may ask for renders when it is done (a file being read after a change): idle() waits for it. */
  hold<T>(p: Promise<T>): Promise<T> {
    this.holds.add(p);
    const done = (): void => void this.holds.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves when no render or check is due (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.running || this.holds.size) {
      await Promise.allSettled([this.running, ...this.holds]);
    }
  }

  /** The folder whose renders read a file, if any (trusted workspaces only). */
  folderReading(uri: string): Folder | undefined {
    if (!this.trusted) return undefined;
    return this.folders.find((f) => f.inputs.has(uri));
  }

  /** The diagnostics of a file that environments read, or undefined for a plain manifest. */
  findings(uri: string): readonly DocFinding[] | undefined {
    const f = this.folderReading(uri);
    if (f) return f.session.findings(uri, this.index.getFile(uri));
    // a plain file: its expectations documents apply to the environments too
    const file = this.trusted ? this.index.getFile(uri) : undefined;
    const folder = file && !file.skipped ? this.folders.find((x) => relativeIn(x.uri, uri) !== undefined) : undefined;
    return folder && file ? expectationFindings(folder.session, this.index, file) : undefined;
  }

  /** The folders with their environments (trusted workspaces only). */
  folderList(): readonly Folder[] {
    return this.trusted ? this.folders : [];
  }

  /** Every environment's name (rendered ones; trusted workspaces only), with its folder's session. */
  sessions(): readonly EnvironmentSession[] {
    return this.trusted ? this.folders.map((f) => f.session) : [];
  }

  /** The session holding an environment, by name. */
  sessionOf(name: string): EnvironmentSession | undefined {
    return this.sessions().find((s) => s.rendered.some((e) => e.name === name));
  }
}
