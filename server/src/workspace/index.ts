// The workspace index: every manifest of the workspace, parsed per document, and the cluster
// model built from them. An edit re-parses only the documents of the file whose text changed;
// the world is rebuilt lazily and cheaply (parsed documents, objects and normalised policies are
// reused). Diagnostics are cached per document and recomputed only when something they depend on
// changed: the document itself, the inventory (workloads, namespaces, Services), the policies of a
// namespace they look at, or the set of replaced objects.

import type { Finding } from '../analysis/findings';
import { inventoryOf } from '../analysis/inventory';
import { buildWorld, documentObjects, normalizedPolicy, type World } from '../analysis/world';
import {
  type ManifestDocument,
  type ManifestFile,
  parseDocument,
  parseFile,
  type ParseOptions,
} from '../model/document';
import type { K8sObject } from '../model/resources';
import { isExpectations } from '../rules/expectations';
import { checkDocument, type DocFinding, fileSuppressions } from '../rules/registry';
import type { NetpolSettings } from '../settings';

const EMPTY_DOC = parseDocument('');

let nextId = 1;
const ids = new WeakMap<object, number>();
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

interface Fingerprints {
  /**
   * Per key `w:<ns>` (the workloads of a namespace: labels, ports), `n` (namespaces and their
   * labels), `p:<ns>` (the policies of a namespace) and `s:<ns>` (its Services): one content key
   * per object. Content keys are computed once per parsed object, so comparing two lists compares
   * string references, not text.
   */
  readonly parts: ReadonlyMap<string, readonly string[]>;
  readonly replaced: string;
}

/** Fingerprints turned into version numbers: comparing them per document costs nothing. */
interface Versions {
  readonly inventory: number;
  readonly parts: ReadonlyMap<string, number>;
  readonly replaced: number;
}

interface CacheEntry {
  readonly doc: ManifestDocument;
  readonly settingsVersion: number;
  readonly replaced: number;
  /** `p:<ns>` / `s:<ns>` / `w:<ns>` / `n` / `*` -> version at compute time. */
  readonly deps: ReadonlyMap<string, number>;
  /** Documents of other files that findings point at (related locations): they must still exist. */
  readonly related: readonly ManifestDocument[];
  readonly findings: readonly Finding[];
}

export interface IndexOptions extends ParseOptions {
  readonly settings: NetpolSettings;
}

export class WorkspaceIndex {
  private readonly files = new Map<string, ManifestFile>();
  private sorted: ManifestFile[] | null = null;
  private worldCache: { world: World; fp: Versions } | null = null;
  private lastFp: Fingerprints | null = null;
  private lastVersions: Versions = { inventory: 0, parts: new Map(), replaced: 0 };
  private versionCounter = 1;
  private previousWorld: World | null = null;
  private settingsVersion = 0;
  private readonly diagCache = new WeakMap<ManifestDocument, CacheEntry>();
  /** Documents that were replaced by an edit or removed with their file. */
  private readonly deadDocs = new WeakSet<ManifestDocument>();
  /** Bumped on every change; lets callers detect staleness. */
  version = 0;
  /** Counters for tests and benchmarks: documents checked / answered from the cache. */
  readonly stats = { checked: 0, cached: 0 };

  constructor(private opts: IndexOptions) {}

  get settings(): NetpolSettings {
    return this.opts.settings;
  }

  updateOptions(opts: IndexOptions): void {
    this.opts = opts;
    this.settingsVersion++;
    this.invalidate();
    // re-parse files when parse options changed size limits
    for (const [uri, f] of this.files) if (f.skipped) this.files.set(uri, parseFile(uri, f.text, this.parseOptions()));
  }

  private parseOptions(): ParseOptions {
    return { maxFileSize: this.opts.settings.maxFileSizeMB * 1024 * 1024, nodeBudget: this.opts.nodeBudget };
  }

  private invalidate(): void {
    this.sorted = null;
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
    this.files.set(uri, f);
    this.invalidate();
    return f;
  }

  deleteFile(uri: string): boolean {
    for (const d of this.files.get(uri)?.documents ?? []) this.deadDocs.add(d);
    const had = this.files.delete(uri);
    if (had) this.invalidate();
    return had;
  }

  /** Removes every file under a folder URI (a deleted directory). */
  deleteFolder(prefix: string): string[] {
    const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
    const gone = [...this.files.keys()].filter((u) => u.startsWith(p));
    for (const u of gone) {
      for (const d of this.files.get(u)?.documents ?? []) this.deadDocs.add(d);
      this.files.delete(u);
    }
    if (gone.length) this.invalidate();
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
      const previous = this.previousWorld ?? undefined;
      const world = buildWorld(this.allFiles(), { defaultNamespace: this.opts.settings.defaultNamespace }, previous);
      inventoryOf(world, previous);
      this.previousWorld = world;
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
        replaced: prev && prev.replaced === fp.replaced ? pv.replaced : this.versionCounter++,
        parts,
      };
      this.lastFp = fp;
      this.lastVersions = versions;
      this.worldCache = { world, fp: versions };
    }
    return this.worldCache;
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
      if (o.text === null) files.delete(uri);
      else files.set(uri, parseFile(uri, o.text, this.parseOptions()));
    }
    const sorted = [...files.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    return buildWorld(sorted, { defaultNamespace: this.opts.settings.defaultNamespace });
  }

  /** Records a file that is not read (too large); it gets one information diagnostic. */
  setSkipped(uri: string, reason: string): void {
    this.files.set(uri, {
      uri,
      text: '',
      format: /\.json$/i.test(uri) ? 'json' : 'yaml',
      documents: [],
      skipped: reason,
    });
    this.invalidate();
  }

  /** Diagnostics of a file (settings and suppressions applied), reusing per-document results. */
  findings(uri: string, checkCancelled?: () => void): DocFinding[] {
    const file = this.files.get(uri);
    if (!file) return [];
    if (file.skipped) {
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
    const { world, fp } = this.current();
    const settings = this.opts.settings;
    const sup = fileSuppressions(file);
    const out: DocFinding[] = [];
    for (const doc of file.documents) {
      let entry = this.diagCache.get(doc);
      if (!entry || !this.fresh(entry, fp)) {
        checkCancelled?.();
        this.stats.checked++;
        const findings = checkDocument(file, doc, world, settings);
        const related = [...new Set(findings.flatMap((f) => (f.related ?? []).map((r) => r.doc)))];
        entry = {
          doc,
          settingsVersion: this.settingsVersion,
          replaced: fp.replaced,
          deps: depsOf(world, documentObjects(uri, doc), fp, settings),
          related,
          findings,
        };
        this.diagCache.set(doc, entry);
      } else this.stats.cached++;
      for (const f of entry.findings) {
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

  private fresh(e: CacheEntry, fp: Versions): boolean {
    if (e.settingsVersion !== this.settingsVersion || e.replaced !== fp.replaced) return false;
    if (e.deps.has(VOLATILE)) return false;
    for (const [k, v] of e.deps) if ((k === '*' ? fp.inventory : (fp.parts.get(k) ?? 0)) !== v) return false;
    for (const d of e.related) if (this.deadDocs.has(d)) return false;
    return true;
  }
}

/** A dependency key that is never fresh: the document is checked again on every pass. */
const VOLATILE = '!';

const contentKeys = new WeakMap<object, string>();

/** A content key of an object, computed once per parsed object. */
function contentKey(o: object, make: () => string): string {
  let k = contentKeys.get(o);
  if (k === undefined) contentKeys.set(o, (k = make()));
  return k;
}

function labelsText(l: Readonly<Record<string, string>>): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');
}

function fingerprints(world: World): Fingerprints {
  const parts = new Map<string, string[]>();
  const push = (k: string, v: string): void => {
    let l = parts.get(k);
    if (!l) parts.set(k, (l = []));
    l.push(v);
  };
  for (const w of world.workloads) {
    const src = w.sources[0];
    push(
      `w:${w.namespace}`,
      contentKey(
        src,
        () =>
          `${w.key}|${labelsText(w.labels)}|${w.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).join(',')}|${w.hostNetwork ? 1 : 0}`,
      ),
    );
    if (w.labelConflicts.length) push(`w:${w.namespace}`, `conflicts ${w.key} ${w.labelConflicts.length}`);
  }
  for (const n of world.namespaces.values()) {
    push('n', n.declared ? contentKey(n.declared, () => `ns:${n.name}|${labelsText(n.labels)}|1`) : `ns:${n.name}`);
  }
  for (const s of world.services) {
    push(
      `s:${s.namespace}`,
      contentKey(
        s.obj,
        () =>
          `svc:${s.namespace}/${s.obj.name}|${JSON.stringify(s.obj.selector)}|${s.obj.ports.map((p) => `${p.port}>${String(p.targetPort)}/${p.protocol}`).join(',')}`,
      ),
    );
  }
  for (const p of world.policies) {
    push(
      `p:${p.namespace}`,
      contentKey(p.obj, () => String(idOf(p.obj))),
    );
  }
  // admin policies (docs/semantics.md D): one part, read by every NetworkPolicy's tier checks
  for (const t of world.tieredPolicies) push('t', String(idOf(t.obj)));
  const replaced = world.replaced.map((r) => `${idOf(r.kept)}>${idOf(r.replaced)}`).join(',');
  return { parts, replaced };
}

/** Element-wise equality of two content-key lists (mostly the same string objects). */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What a document's findings depend on besides itself (keys of Fingerprints.parts, or `*` for
 * every workload and namespace): for a policy, the policies, workloads and Services of its own
 * namespace, the workloads (and, for egress, the Services) of the namespaces its peers reach, the
 * namespaces' labels, and the cluster DNS pods' namespace. A pod-only peer that matches nothing in
 * its namespace, or an egress rule with named ports and no `to`, looks at every workload (`*`).
 */
function depsOf(
  world: World,
  objects: readonly K8sObject[],
  fp: Versions,
  settings: NetpolSettings,
): Map<string, number> {
  const deps = new Map<string, number>();
  const add = (key: string): void => {
    if (!deps.has(key)) deps.set(key, key === '*' ? fp.inventory : (fp.parts.get(key) ?? 0));
  };
  const inv = inventoryOf(world);
  for (const o of objects) {
    if (o.type === 'policy') {
      const p = normalizedPolicy(world, o);
      const ns = p.namespace;
      for (const k of [`p:${ns}`, `s:${ns}`, `w:${ns}`, 'n', 't']) add(k);
      if (p.types.has('Egress') || p.egress.length) add(`w:${settings.dns.namespace}`);
      for (const r of [...p.ingress, ...p.egress]) {
        if (r.direction === 'Egress' && r.peers === undefined && r.ports?.some((x) => typeof x.port === 'string')) {
          add('*');
        }
        for (const peer of r.peers ?? []) {
          if (peer.kind !== 'pods') continue;
          const reached = peer.namespaceSelector
            ? inv.namespacesMatching(peer.namespaceSelector).map((n) => n.name)
            : [ns];
          for (const n of reached) {
            add(`w:${n}`);
            if (r.direction === 'Egress') add(`s:${n}`);
          }
          if (!peer.namespaceSelector && peer.podSelector && inv.peerWorkloads(peer, ns).length === 0) add('*');
        }
      }
    } else if (o.type === 'namespace' && o.name) {
      add(`p:${o.name}`);
      add(`w:${o.name}`);
      add('n');
    } else if (o.type === 'workload') {
      add(`w:${world.namespaceOf(o)}`);
    } else if (o.type === 'tiered') {
      // admin policies select and match across every namespace and tier: checked every time (few)
      deps.set(VOLATILE, -1);
    } else if (isExpectations(o)) {
      // connectivity expectations read every workload, policy and namespace, including parts
      // that do not exist yet: checked again every time (they are few and cheap)
      deps.set(VOLATILE, -1);
    }
  }
  return deps;
}
