// Memoised queries over a World that rules, hovers and lenses ask again and again: which
// workloads a selector or peer matches, which namespaces a namespaceSelector matches, which
// policies isolate a workload, which Services front a workload, which objects of a document are
// replaced, which workloads define a named port.

import type { ManifestDocument } from '../model/document';
import type { K8sObject } from '../model/resources';
import type { NormPeer, NormPolicy } from './policy';
import { type Labels, matches, type Selector } from './selectors';
import {
  namespaceLabels,
  type NamespaceInfo,
  sameInventory,
  type ServiceInfo,
  type Workload,
  type World,
} from './world';
import type { Direction } from './policy';

/** An object of a document that is replaced (`kept` false) or replaces another (`kept` true). */
export interface ReplacedPart {
  readonly mine: K8sObject;
  readonly other: K8sObject;
  readonly kept: boolean;
}

export class Inventory {
  readonly byNamespace: Map<string, Workload[]>;
  private readonly selCache: Map<string, Workload[]>;
  private readonly nsCache: Map<string, NamespaceInfo[]>;
  private readonly peerCache: Map<string, Workload[]>;
  /** Per namespace: the active policies that isolate each of its workloads. */
  private readonly isoCache = new Map<string, Map<Workload, { Ingress: NormPolicy[]; Egress: NormPolicy[] }>>();
  /** Per namespace: the Services that select each of its workloads. */
  private servicesCache = new Map<string, Map<Workload, ServiceInfo[]>>();
  private servicesByNs: Map<string, ServiceInfo[]> | null = null;
  private readonly selectedCache: WeakMap<NormPolicy, Workload[]>;
  private policiesNs: Map<string, NormPolicy[]> | null = null;
  private readonly memos = new Map<string, unknown>();
  private namespaceArray: readonly NamespaceInfo[] | null = null;
  private replacedByDoc: Map<ManifestDocument, ReplacedPart[]> | null = null;
  private portNames: Map<string, Workload[]> | null = null;
  /** Label indexes (see labelIndex): namespaces, and workloads of every namespace. */
  private nsLabelIndex: Map<string, NamespaceInfo[]> | null = null;
  private wlLabelIndex: Map<string, Workload[]> | null = null;
  private objectsByUri: Map<string, K8sObject[]> | null = null;
  /** Work counter for tests: labelled things a selector was tested against, through the label indexes. */
  readonly stats = { candidates: 0 };

  constructor(
    readonly world: World,
    carry?: Inventory,
  ) {
    if (carry && carry.world !== world && sameInventory(carry.world, world)) {
      // same workloads, namespaces and Services: selector answers stay valid (the caches are
      // shared, not copied: a policy edit of a large workspace makes a new world per keystroke)
      this.byNamespace = carry.byNamespace;
      this.selCache = carry.selCache;
      this.nsCache = carry.nsCache;
      this.peerCache = carry.peerCache;
      this.servicesCache = carry.servicesCache;
      this.servicesByNs = carry.servicesByNs;
      this.selectedCache = carry.selectedCache;
      this.nsLabelIndex = carry.nsLabelIndex;
      this.wlLabelIndex = carry.wlLabelIndex;
      if (carry.world.replaced === world.replaced) this.replacedByDoc = carry.replacedByDoc;
      return;
    }
    this.selectedCache = new WeakMap();
    this.byNamespace = new Map();
    this.selCache = new Map();
    this.nsCache = new Map();
    this.peerCache = new Map();
    for (const w of world.workloads) {
      let l = this.byNamespace.get(w.namespace);
      if (!l) this.byNamespace.set(w.namespace, (l = []));
      l.push(w);
    }
  }

  /** Workloads of a namespace whose pod labels match a selector. */
  workloadsIn(ns: string, sel: Selector): Workload[] {
    const key = `${ns}\u0000${sel.key}`;
    let r = this.selCache.get(key);
    if (!r) {
      r = (this.byNamespace.get(ns) ?? []).filter((w) => matches(sel, w.labels));
      this.selCache.set(key, r);
    }
    return r;
  }

  /** The workloads a policy's podSelector selects. */
  selectedBy(p: NormPolicy): Workload[] {
    let r = this.selectedCache.get(p);
    if (!r) {
      r = this.workloadsIn(p.namespace, p.podSelector);
      this.selectedCache.set(p, r);
    }
    return r;
  }

  /** Namespaces (declared or used) whose labels match a selector. */
  namespacesMatching(sel: Selector): NamespaceInfo[] {
    let r = this.nsCache.get(sel.key);
    if (!r) {
      this.nsLabelIndex ??= labelIndex(this.namespaceList());
      const candidates = narrowest(sel, this.nsLabelIndex) ?? this.namespaceList();
      this.stats.candidates += candidates.length;
      r = candidates.filter((n) => matches(sel, n.labels));
      this.nsCache.set(sel.key, r);
    }
    return r;
  }

  namespaceLabels(ns: string): Labels {
    return namespaceLabels(this.world, ns);
  }

  /** Workloads a pod/namespace peer matches (empty for ipBlock peers). */
  peerWorkloads(peer: NormPeer, policyNs: string): Workload[] {
    if (peer.kind !== 'pods') return [];
    const key = `${peer.namespaceSelector ? `S${peer.namespaceSelector.key}` : `N${policyNs}`}\u0004${peer.podSelector?.key ?? '*'}`;
    let r = this.peerCache.get(key);
    if (!r) {
      const nss = peer.namespaceSelector
        ? this.namespacesMatching(peer.namespaceSelector).map((n) => n.name)
        : [policyNs];
      r = nss.length > 1 && peer.podSelector ? this.podsIn(nss, peer.podSelector) : undefined;
      if (!r) {
        r = [];
        for (const ns of nss) {
          for (const w of this.byNamespace.get(ns) ?? []) {
            if (!peer.podSelector || matches(peer.podSelector, w.labels)) r.push(w);
          }
        }
      }
      this.peerCache.set(key, r);
    }
    return r;
  }

  /**
   * Workloads of several namespaces matching a pod selector, namespace by namespace in the order
   * given, from the label index; undefined when the selector names no label to narrow by.
   */
  private podsIn(namespaces: readonly string[], sel: Selector): Workload[] | undefined {
    this.wlLabelIndex ??= labelIndex(this.world.workloads);
    const candidates = narrowest(sel, this.wlLabelIndex);
    if (!candidates) return undefined;
    this.stats.candidates += candidates.length;
    const rank = new Map(namespaces.map((n, i) => [n, i]));
    const found = candidates.filter((w) => rank.has(w.namespace) && matches(sel, w.labels));
    // stable: world order within a namespace
    return found.sort((a, b) => rank.get(a.namespace)! - rank.get(b.namespace)!);
  }

  /** A value computed once per world (rules share work through it). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  /** Active policies of a namespace that have an allow-all rule (`{}`) for a direction. */
  allowAllPoliciesIn(ns: string, dir: Direction): readonly NormPolicy[] {
    return this.memo(`allowAll\u0000${ns}\u0000${dir}`, () =>
      this.activePoliciesIn(ns).filter(
        (p) => p.types.has(dir) && (dir === 'Ingress' ? p.ingress : p.egress).some((r) => !r.peers && !r.ports),
      ),
    );
  }

  /** Active policies of a namespace that isolate a direction and allow nothing in it. */
  denyAllPoliciesIn(ns: string, dir: Direction): readonly NormPolicy[] {
    return this.memo(`denyAll\u0000${ns}\u0000${dir}`, () =>
      this.activePoliciesIn(ns).filter(
        (p) => p.types.has(dir) && (dir === 'Ingress' ? p.ingress : p.egress).length === 0,
      ),
    );
  }

  /** Policies of a namespace, valid or not (memoised per world). */
  policiesIn(ns: string): readonly NormPolicy[] {
    if (!this.policiesNs) {
      const m = new Map<string, NormPolicy[]>();
      for (const p of this.world.policies) {
        let l = m.get(p.namespace);
        if (!l) m.set(p.namespace, (l = []));
        l.push(p);
      }
      this.policiesNs = m;
    }
    return this.policiesNs.get(ns) ?? [];
  }

  /** Active (valid) policies of a namespace. */
  activePoliciesIn(ns: string): readonly NormPolicy[] {
    return this.memo(`active\u0000${ns}`, () => this.policiesIn(ns).filter((p) => p.valid));
  }

  /**
   * Workloads (of every namespace) whose labels match a pod selector, namespace by namespace (in
   * the order they first appear), in world order within each.
   */
  workloadsMatchingAnywhere(sel: Selector): Workload[] {
    this.wlLabelIndex ??= labelIndex(this.world.workloads);
    const candidates = narrowest(sel, this.wlLabelIndex);
    if (!candidates) {
      const out: Workload[] = [];
      for (const ns of this.byNamespace.keys()) out.push(...this.workloadsIn(ns, sel));
      return out;
    }
    this.stats.candidates += candidates.length;
    const found = candidates.filter((w) => matches(sel, w.labels));
    if (found.length < 2) return found;
    const rank = this.memo('namespaceRank', () => new Map([...this.byNamespace.keys()].map((ns, i) => [ns, i])));
    // stable: world order within a namespace
    return found.sort((a, b) => rank.get(a.namespace)! - rank.get(b.namespace)!);
  }

  /** Active policies that isolate a workload per direction. */
  isolatedBy(w: Workload, dir: Direction): NormPolicy[] {
    // per namespace, on first use: an edit re-checks a few namespaces, not all of them
    let m = this.isoCache.get(w.namespace);
    if (!m) {
      m = new Map();
      const wls = this.byNamespace.get(w.namespace) ?? [];
      for (const wl of wls) m.set(wl, { Ingress: [], Egress: [] });
      for (const p of this.activePoliciesIn(w.namespace)) {
        for (const wl of this.selectedBy(p)) {
          const e = m.get(wl);
          if (!e) continue;
          if (p.types.has('Ingress')) e.Ingress.push(p);
          if (p.types.has('Egress')) e.Egress.push(p);
        }
      }
      this.isoCache.set(w.namespace, m);
    }
    const e = m.get(w);
    if (e) return e[dir];
    // a workload that is not part of the world (a stand-in pod): memoised by namespace and labels
    const key = `iso\u0000${dir}\u0000${w.namespace}\u0000${Object.keys(w.labels)
      .sort()
      .map((k) => `${k}=${w.labels[k]}`)
      .join(',')}`;
    return this.memo(key, () =>
      this.activePoliciesIn(w.namespace).filter((p) => p.types.has(dir) && matches(p.podSelector, w.labels)),
    );
  }

  /** Every namespace (declared or used), in the world's (name) order: one shared array. */
  namespaceList(): readonly NamespaceInfo[] {
    return (this.namespaceArray ??= [...this.world.namespaces.values()]);
  }

  /**
   * The objects of a document that take part in a replacement (a later object with the same kind,
   * namespace and name), each with the other object, in the order of `world.replaced` (for each
   * pair: the replaced object first, then the one that replaces it). Indexed once per world.
   */
  replacedIn(doc: ManifestDocument): readonly ReplacedPart[] {
    if (!this.replacedByDoc) {
      const m = new Map<ManifestDocument, ReplacedPart[]>();
      const add = (part: ReplacedPart): void => {
        let l = m.get(part.mine.doc);
        if (!l) m.set(part.mine.doc, (l = []));
        l.push(part);
      };
      for (const r of this.world.replaced) {
        add({ mine: r.replaced, other: r.kept, kept: false });
        add({ mine: r.kept, other: r.replaced, kept: true });
      }
      this.replacedByDoc = m;
    }
    return this.replacedByDoc.get(doc) ?? [];
  }

  /** Workloads (of every namespace, in world order) with a container port of this name, any protocol. */
  workloadsWithPortName(name: string): readonly Workload[] {
    if (!this.portNames) {
      const m = new Map<string, Workload[]>();
      for (const w of this.world.workloads) {
        for (const c of w.ports) {
          if (c.name === undefined) continue;
          let l = m.get(c.name);
          if (!l) m.set(c.name, (l = []));
          if (l[l.length - 1] !== w) l.push(w);
        }
      }
      this.portNames = m;
    }
    return this.portNames.get(name) ?? [];
  }

  /** The objects of the world (kept, not replaced) that come from one file, in world order. */
  objectsOfFile(uri: string): readonly K8sObject[] {
    if (!this.objectsByUri) {
      const m = new Map<string, K8sObject[]>();
      for (const o of this.world.objects) {
        const l = m.get(o.uri);
        if (l) l.push(o);
        else m.set(o.uri, [o]);
      }
      this.objectsByUri = m;
    }
    return this.objectsByUri.get(uri) ?? [];
  }

  /** Services whose selector matches a workload (same namespace). */
  servicesOf(w: Workload): ServiceInfo[] {
    let m = this.servicesCache.get(w.namespace);
    if (!m) {
      m = new Map();
      const wls = this.byNamespace.get(w.namespace) ?? [];
      for (const s of this.servicesIn(w.namespace)) {
        const sel = s.obj.selector;
        if (!sel) continue;
        const keys = Object.keys(sel);
        for (const wl of wls) {
          let ok = true;
          for (const k of keys) {
            if (wl.labels[k] !== sel[k]) {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          let l = m.get(wl);
          if (!l) m.set(wl, (l = []));
          l.push(s);
        }
      }
      this.servicesCache.set(w.namespace, m);
    }
    return m.get(w) ?? [];
  }

  /** The Services of a namespace, in world order. */
  servicesIn(ns: string): readonly ServiceInfo[] {
    if (!this.servicesByNs) {
      this.servicesByNs = new Map();
      for (const s of this.world.services) {
        let l = this.servicesByNs.get(s.namespace);
        if (!l) this.servicesByNs.set(s.namespace, (l = []));
        l.push(s);
      }
    }
    return this.servicesByNs.get(ns) ?? [];
  }
}

/**
 * Label index of labelled things, in their order: `key\0value` -> those with that label, and
 * `key\u0001` -> those with the key. Built once per inventory: a selector then looks at the
 * candidates of its most selective requirement instead of at everything.
 */
function labelIndex<T extends { readonly labels: Labels }>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  const add = (k: string, x: T): void => {
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  };
  for (const x of items) {
    for (const k of Object.keys(x.labels)) {
      add(`${k}\u0000${x.labels[k]}`, x);
      add(`${k}\u0001`, x);
    }
  }
  return m;
}

/**
 * The candidates a selector can match, from the label index: the fewest among its requirements
 * that name a label (`k=v`, `k In [v]`) or a key (`k Exists`); undefined when none does (NotIn,
 * DoesNotExist, several values, the empty selector): then everything is a candidate.
 */
function narrowest<T>(sel: Selector, index: ReadonlyMap<string, T[]>): readonly T[] | undefined {
  let best: readonly T[] | undefined;
  for (const r of sel.reqs) {
    let l: readonly T[] | undefined;
    if (r.op === 'In' && r.values.length === 1) l = index.get(`${r.key}\u0000${r.values[0]}`) ?? [];
    else if (r.op === 'Exists') l = index.get(`${r.key}\u0001`) ?? [];
    else continue;
    if (!best || l.length < best.length) best = l;
  }
  return best;
}

const inventories = new WeakMap<World, Inventory>();

/** The (memoised) inventory of a world; `previous` lends its selector caches when it can. */
export function inventoryOf(world: World, previous?: World): Inventory {
  let inv = inventories.get(world);
  if (!inv) inventories.set(world, (inv = new Inventory(world, previous ? inventories.get(previous) : undefined)));
  return inv;
}
