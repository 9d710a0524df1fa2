// The workspace index: every manifest of the workspace, parsed per document, and the cluster
// model built from them. An edit re-parses only the documents of the file whose text changed;
// the world is rebuilt lazily and cheaply (parsed documents, objects and normalised policies are
// reused). Diagnostics are cached per document and recomputed only when something they depend on
// changed: the document itself, the inventory (workloads, namespaces, Services), the policies of a
// namespace they look at, or which objects replace the document's objects (or are replaced by them).

import type { Finding } from '../analysis/findings';
import { inventoryOf, type ReplacedPart } from '../analysis/inventory';
import { buildWorld, documentObjects, normalizedPolicy, type World } from '../analysis/world';
import {
  type ManifestDocument,
  type ManifestFile,
  parseDocument,
  parseFile,
  type ParseOptions,
} from '../model/document';
import type { K8sObject } from '../model/resources';
import { checkDocument, type DocFinding, fileSuppressions } from '../rules/registry';
import type { NetpolSettings } from '../settings';
import {
  depsOf,
  type Fingerprints,
  fingerprints,
  policyKey,
  sameList,
  sameReplacements,
  type Versions,
  VOLATILE,
} from './fingerprints';
import { type FileChange, patchWorld, WorldPositions } from './worldPatch';

const EMPTY_DOC = parseDocument('');

interface CacheEntry {
  /** The versions this entry was last found fresh against: the same object means fresh. */
  freshAt: Versions | null;
  readonly doc: ManifestDocument;
  readonly settingsVersion: number;
  /** The replacements the document's objects took part in. */
  readonly replaced: readonly ReplacedPart[];
  /** `p:<ns>` / `s:<ns>` / `w:<ns>` / `n` / `*` -> version at compute time. */
  readonly deps: ReadonlyMap<string, number>;
  /** Documents of other files that findings point at (related locations): they must still exist. */
  readonly related: readonly ManifestDocument[];
  readonly findings: readonly Finding[];
}

/** A file's diagnostics as last returned: the same array while none of its inputs changed. */
interface FileFindings {
  readonly entries: readonly CacheEntry[];
  readonly settingsVersion: number;
  /** The files that related locations point into, as they were (their documents' lines move with them). */
  readonly relatedFiles: ReadonlyArray<readonly [string, ManifestFile | undefined]>;
  readonly out: DocFinding[];
}

export interface IndexOptions extends ParseOptions {
  readonly settings: NetpolSettings;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, ManifestFile>();
  private sorted: ManifestFile[] | null = null;
  private worldCache: { world: World; fp: Versions } | null = null;
  private lastFp: Fingerprints | null = null;
  private lastVersions: Versions = { inventory: 0, parts: new Map() };
  private versionCounter = 1;
  private previousWorld: World | null = null;
  /** The last world buildWorld made (patched worlds share its workloads, namespaces and Services). */
  private builtWorld: World | null = null;
  private positions: WorldPositions | null = null;
  /** Files changed since the world was last made (as they were then, and now), unless it must be built anew. */
  private readonly changes = new Map<string, FileChange>();
  private rebuildAll = true;
  /** Files that rendered environments read: not part of the world (their diagnostics come from the renders). */
  private rendered: ReadonlySet<string> = new Set();
  private worldSorted: ManifestFile[] | null = null;
  private settingsVersion = 0;
  private readonly diagCache = new WeakMap<ManifestDocument, CacheEntry>();
  private readonly fileFindings = new WeakMap<ManifestFile, FileFindings>();
  /** Documents that were replaced by an edit or removed with their file. */
  private readonly deadDocs = new WeakSet<ManifestDocument>();
  /** Bumped on every change; lets callers detect staleness. */
  version = 0;
  /**
   * Counters for tests and benchmarks: documents checked / answered from the cache, worlds made
   * (of which `patched` by swapping edited policies, the rest built).
   */
  readonly stats = { checked: 0, cached: 0, worlds: 0, patched: 0 };

  constructor(private opts: IndexOptions) {}

  get settings(): NetpolSettings {
    return this.opts.settings;
  }

  updateOptions(opts: IndexOptions): void {
    this.opts = opts;
    this.settingsVersion++;
    this.rebuildAll = true;
    this.invalidate();
    // re-parse files when parse options changed size limits
    for (const [uri, f] of this.files) if (f.skipped) this.files.set(uri, parseFile(uri, f.text, this.parseOptions()));
  }

  private parseOptions(): ParseOptions {
    return { maxFileSize: this.opts.settings.maxFileSizeMB * 1024 * 1024, nodeBudget: this.opts.nodeBudget };
  }

  private invalidate(): void {
    this.sorted = null;
    this.worldSorted = null;
    this.worldCache = null;
    this.version++;
  }

  /** Sets a file's text; returns the parsed file (unchanged documents are reused). */
  setFile(uri: string, text: string): ManifestFile {
    const prev = this.files.get(uri);
    if (prev && prev.text === text) return prev;
    const f = parseFile(uri, text, this.parseOptions(), prev);
    if (prev) {
      const kept = new Set(f.documents);
      for (const d of prev.documents) if (!kept.has(d)) this.deadDocs.add(d);
    }
    this.put(uri, prev, f);
    return f;
  }

  /** A file's new state (undefined: removed), remembered for patching the world. */
  private put(uri: string, before: ManifestFile | undefined, after: ManifestFile | undefined): void {
    if (after) this.files.set(uri, after);
    else this.files.delete(uri);
    if (this.rendered.has(uri)) {
      // an input of rendered environments: the world does not hold it
      this.sorted = null;
      this.version++;
      return;
    }
    const c = this.changes.get(uri);
    this.changes.set(uri, { before: c ? c.before : before, after });
    this.invalidate();
  }

  /** The files rendered environments read (URIs): left out of the world from now on. */
  setRendered(uris: ReadonlySet<string>): void {
    if (uris.size === this.rendered.size && [...uris].every((u) => this.rendered.has(u))) return;
    this.rendered = uris;
    this.rebuildAll = true;
    this.invalidate();
  }

  /** Whether a file is read by rendered environments (and so not part of the world). */
  isRendered(uri: string): boolean {
    return this.rendered.has(uri);
  }

  /** The files the world is built from, in path order: every file but those environments render. */
  worldFiles(): ManifestFile[] {
    if (!this.rendered.size) return this.allFiles();
    return (this.worldSorted ??= this.allFiles().filter((f) => !this.rendered.has(f.uri)));
  }

  deleteFile(uri: string): boolean {
    const prev = this.files.get(uri);
    if (!prev) return false;
    for (const d of prev.documents) this.deadDocs.add(d);
    this.put(uri, prev, undefined);
    return true;
  }

  /** Removes every file under a folder URI (a deleted directory). */
  deleteFolder(prefix: string): string[] {
    const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
    const gone = [...this.files.keys()].filter((u) => u.startsWith(p));
    for (const u of gone) {
      const prev = this.files.get(u)!;
      for (const d of prev.documents) this.deadDocs.add(d);
      this.put(u, prev, undefined);
    }
    return gone;
  }

  getFile(uri: string): ManifestFile | undefined {
    return this.files.get(uri);
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  /** Files in path order (the order the world is built in). */
  allFiles(): ManifestFile[] {
    if (!this.sorted) {
      this.sorted = [...this.files.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    }
    return this.sorted;
  }

  get size(): number {
    return this.files.size;
  }

  world(): World {
    return this.current().world;
  }

  /** Whether the world of the current files is built (asking for it or for findings costs no rebuild). */
  isCurrent(): boolean {
    return this.worldCache !== null;
  }

  /**
   * The world as last built, possibly before the latest edits (builds one when there is none).
   * Completion uses it so that a keystroke does not wait for a rebuild; the edited file itself is
   * read fresh.
   */
  lastWorld(): World {
    return this.worldCache?.world ?? this.previousWorld ?? this.world();
  }

  private current(): { world: World; fp: Versions } {
    if (!this.worldCache) {
      this.stats.worlds++;
      const patched = this.patched();
      const world = patched?.world ?? this.build();
      this.previousWorld = world;
      this.changes.clear();
      this.rebuildAll = false;
      this.worldCache = { world, fp: patched?.fp ?? this.versions(world) };
    }
    return this.worldCache;
  }

  /** Builds the world from every file, reusing the last built world's inventory when it can. */
  private build(): World {
    const previous = this.builtWorld ?? undefined;
    const world = buildWorld(this.worldFiles(), { defaultNamespace: this.opts.settings.defaultNamespace }, previous);
    inventoryOf(world, this.previousWorld ?? undefined);
    this.builtWorld = world;
    this.positions = new WorldPositions(world);
    return world;
  }

  /**
   * The last world with the changes since applied, when they only rewrote policies in place
   * (workspace/worldPatch.ts): only the policy parts of their namespaces get new versions.
   */
  private patched(): { world: World; fp: Versions } | undefined {
    const prev = this.previousWorld;
    if (this.rebuildAll || !prev || !this.positions || !this.lastFp || !this.changes.size) return undefined;
    const patch = patchWorld(prev, this.positions, [...this.changes.values()]);
    if (!patch) return undefined;
    this.stats.patched++;
    inventoryOf(patch.world, prev);
    this.positions.moveTo(patch.world, patch.swaps);
    const parts = new Map(this.lastFp.parts);
    const versions = new Map(this.lastVersions.parts);
    for (const [old, neu] of patch.swaps) {
      const k = `p:${normalizedPolicy(patch.world, neu as K8sObject & { type: 'policy' }).namespace}`;
      const list = parts.get(k);
      if (list) {
        parts.set(
          k,
          list.map((x) => (x === policyKey(old) ? policyKey(neu) : x)),
        );
      }
    }
    for (const ns of patch.namespaces) versions.set(`p:${ns}`, this.versionCounter++);
    this.lastFp = { parts };
    this.lastVersions = { ...this.lastVersions, parts: versions };
    return { world: patch.world, fp: this.lastVersions };
  }

  /** Version numbers of the parts of a world built anew: unchanged parts keep theirs. */
  private versions(world: World): Versions {
    const fp = fingerprints(world);
    const prev = this.lastFp;
    const pv = this.lastVersions;
    const parts = new Map<string, number>();
    // the inventory (every workload and namespace) changed when one of its parts did
    let inventorySame = !!prev;
    for (const [k, f] of fp.parts) {
      const before = prev?.parts.get(k);
      const same = !!before && sameList(before, f);
      parts.set(k, same ? pv.parts.get(k)! : this.versionCounter++);
      if (!same && (k === 'n' || k.startsWith('w:'))) inventorySame = false;
    }
    if (prev && inventorySame) {
      for (const k of prev.parts.keys()) {
        if ((k === 'n' || k.startsWith('w:')) && !fp.parts.has(k)) inventorySame = false;
      }
    }
    const versions: Versions = {
      inventory: inventorySame ? pv.inventory : this.versionCounter++,
      parts,
    };
    this.lastFp = fp;
    this.lastVersions = versions;
    return versions;
  }

  /**
   * The world of another version of the workspace: these files replaced (`text`) or absent
   * (`null`), every other file as it is now. Built apart: the index and its caches are untouched.
   */
  worldWith(overrides: ReadonlyArray<{ readonly uri: string; readonly text: string | null }>): World {
    const files = new Map(this.files);
    // the client may encode a URI differently (`%20`, `%3A`): match files by the decoded form
    const decode = (u: string): string => {
      try {
        return decodeURIComponent(u);
      } catch {
        return u;
      }
    };
    const byDecoded = new Map([...files.keys()].map((u) => [decode(u), u]));
    for (const o of overrides) {
      const uri = byDecoded.get(decode(o.uri)) ?? o.uri;
      if (this.rendered.has(uri)) continue;
      if (o.text === null) files.delete(uri);
      else files.set(uri, parseFile(uri, o.text, this.parseOptions()));
    }
    const sorted = [...files.values()]
      .filter((f) => !this.rendered.has(f.uri))
      .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    return buildWorld(sorted, { defaultNamespace: this.opts.settings.defaultNamespace });
  }

  /** Records a file that is not read (too large); it gets one information diagnostic. */
  setSkipped(uri: string, reason: string): void {
    const prev = this.files.get(uri);
    for (const d of prev?.documents ?? []) this.deadDocs.add(d);
    this.put(uri, prev, {
      uri,
      text: '',
      format: /\.json$/i.test(uri) ? 'json' : 'yaml',
      documents: [],
      skipped: reason,
    });
  }

  /**
   * Diagnostics of a file (settings and suppressions applied), reusing per-document results. While
   * nothing the file's diagnostics come from changed, the same array is returned (callers may
   * compare by reference; the array is shared, do not modify it).
   */
  findings(uri: string, checkCancelled?: () => void): DocFinding[] {
    const file = this.files.get(uri);
    if (!file) return [];
    if (file.skipped) return this.skippedFindings(file);
    const { world, fp } = this.current();
    const entries: CacheEntry[] = [];
    for (const doc of file.documents) {
      let entry = this.diagCache.get(doc);
      if (entry && (entry.freshAt === fp || this.fresh(entry, world, fp))) {
        this.stats.cached++;
        entry.freshAt = fp;
      } else {
        checkCancelled?.();
        entry = this.check(file, doc, world, fp);
      }
      entries.push(entry);
    }
    const last = this.fileFindings.get(file);
    if (last && last.settingsVersion === this.settingsVersion && this.sameInputs(last, entries)) return last.out;
    const out = this.applySettings(file, entries);
    const related = new Set<string>();
    for (const e of entries) for (const f of e.findings) for (const r of f.related ?? []) related.add(r.uri);
    this.fileFindings.set(file, {
      entries,
      settingsVersion: this.settingsVersion,
      relatedFiles: [...related].map((u) => [u, this.files.get(u)] as const),
      out,
    });
    return out;
  }

  private skippedFindings(file: ManifestFile): DocFinding[] {
    if (this.opts.settings.rules.NPX02 === 'off') return [];
    return [
      {
        rule: 'NPX02',
        severity: this.opts.settings.rules.NPX02 ?? 'info',
        s: 0,
        e: 0,
        message: `netpol-lens does not analyse this file: ${file.skipped}. Raise netpolLens.maxFileSizeMB to analyse it.`,
        doc: EMPTY_DOC,
      },
    ];
  }

  /** Runs the rules on a document and caches the result with what it depends on. */
  private check(file: ManifestFile, doc: ManifestDocument, world: World, fp: Versions): CacheEntry {
    this.stats.checked++;
    const findings = checkDocument(file, doc, world, this.opts.settings);
    const related = [...new Set(findings.flatMap((f) => (f.related ?? []).map((r) => r.doc)))];
    const entry: CacheEntry = {
      freshAt: fp,
      doc,
      settingsVersion: this.settingsVersion,
      replaced: inventoryOf(world).replacedIn(doc),
      deps: depsOf(world, documentObjects(file.uri, doc), fp, this.opts.settings),
      related,
      findings,
    };
    this.diagCache.set(doc, entry);
    return entry;
  }

  /** The same cache entries, and the files of their related locations unchanged (their lines may move). */
  private sameInputs(last: FileFindings, entries: readonly CacheEntry[]): boolean {
    if (last.entries.length !== entries.length) return false;
    for (let i = 0; i < entries.length; i++) if (last.entries[i] !== entries[i]) return false;
    for (const [u, f] of last.relatedFiles) if (this.files.get(u) !== f) return false;
    return true;
  }

  /** Severity overrides, rules turned off and suppression comments applied to a file's findings. */
  private applySettings(file: ManifestFile, entries: readonly CacheEntry[]): DocFinding[] {
    const settings = this.opts.settings;
    const sup = fileSuppressions(file);
    const out: DocFinding[] = [];
    for (const { doc, findings } of entries) {
      for (const f of findings) {
        const o = settings.rules[f.rule];
        if (o === 'off') continue;
        if (sup.file.size || sup.lines.size) {
          if (sup.file.has('*') || sup.file.has(f.rule)) continue;
          const l = sup.lines.get(doc.positionAt(f.s).line);
          if (l && (l.has('*') || l.has(f.rule))) continue;
        }
        out.push({ ...f, severity: o ?? f.severity, doc });
      }
    }
    return out;
  }

  private fresh(e: CacheEntry, world: World, fp: Versions): boolean {
    if (e.settingsVersion !== this.settingsVersion) return false;
    if (!sameReplacements(inventoryOf(world).replacedIn(e.doc), e.replaced)) return false;
    if (e.deps.has(VOLATILE)) return false;
    for (const [k, v] of e.deps) if ((k === '*' ? fp.inventory : (fp.parts.get(k) ?? 0)) !== v) return false;
    for (const d of e.related) if (this.deadDocs.has(d)) return false;
    return true;
  }
}
