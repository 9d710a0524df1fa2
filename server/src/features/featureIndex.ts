// A per-world index of what the features ask again and again: policies by namespace and by
// object, pod peers grouped by what they match, and the label vocabularies completion offers.
// Built lazily and memoised per world. Pure: no connection.

import { inventoryOf } from '../analysis/inventory';
import type { NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import { type Labels, matches, type Selector } from '../analysis/selectors';
import type { Workload, World } from '../analysis/world';
import type { K8sObject } from '../model/resources';
import type { CancelToken } from './context';

export interface PeerRef {
  readonly policy: NormPolicy;
  readonly rule: NormRule;
  readonly peer: Extract<NormPeer, { kind: 'pods' }>;
}

/** Pod peers with the same namespace scope and pod selector match the same workloads. */
interface PeerGroup {
  readonly nsSel?: Selector;
  readonly podSel?: Selector;
  readonly refs: PeerRef[];
}

export type Vocab = Map<string, Map<string, number>>;

function addVocab(v: Vocab, labels: Labels): void {
  for (const k of Object.keys(labels)) {
    let m = v.get(k);
    if (!m) v.set(k, (m = new Map()));
    m.set(labels[k], (m.get(labels[k]) ?? 0) + 1);
  }
}

function addSelectorVocab(v: Vocab, sel: Selector | undefined): void {
  if (!sel) return;
  for (const r of sel.reqs) {
    let m = v.get(r.key);
    if (!m) v.set(r.key, (m = new Map()));
    for (const val of r.values) m.set(val, (m.get(val) ?? 0) + 1);
  }
}

/**
 * Lazily built, memoised per world: everything here is computed at most once per world and
 * answers per-request questions without scanning every workload.
 */
export class FeatureIndex {
  private ownNsGroups: Map<string, PeerGroup[]> | null = null;
  private nsSelGroups: PeerGroup[] | null = null;
  private wlVocab = new Map<string, Vocab>();
  private allWlVocab: Vocab | null = null;
  private nsVocab: Vocab | null = null;
  private podSelVocab = new Map<string, Vocab>();
  private nsSelVocab: Vocab | null = null;
  private policyByObj: Map<K8sObject, NormPolicy> | null = null;

  constructor(readonly world: World) {}

  /** Policies (valid or not) whose namespace is `ns`. */
  policiesIn(ns: string): readonly NormPolicy[] {
    return inventoryOf(this.world).policiesIn(ns);
  }

  /** The world's normalised policy of an object (undefined when it was replaced). */
  policyOf(obj: K8sObject): NormPolicy | undefined {
    if (!this.policyByObj) {
      this.policyByObj = new Map();
      for (const p of this.world.policies) this.policyByObj.set(p.obj, p);
    }
    return this.policyByObj.get(obj);
  }

  private groups(): void {
    if (this.ownNsGroups && this.nsSelGroups) return;
    const own = new Map<string, Map<string, PeerGroup>>();
    const bySel = new Map<string, PeerGroup>();
    for (const p of this.world.activePolicies) {
      for (const rule of [...p.ingress, ...p.egress]) {
        if (!p.types.has(rule.direction)) continue;
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'pods') continue;
          const ref: PeerRef = { policy: p, rule, peer };
          const podKey = peer.podSelector ? `P${peer.podSelector.key}` : '*';
          if (!peer.namespaceSelector) {
            let m = own.get(p.namespace);
            if (!m) own.set(p.namespace, (m = new Map()));
            let g = m.get(podKey);
            if (!g) m.set(podKey, (g = { podSel: peer.podSelector, refs: [] }));
            g.refs.push(ref);
          } else {
            const k = `${peer.namespaceSelector.key}\u0004${podKey}`;
            let g = bySel.get(k);
            if (!g) bySel.set(k, (g = { nsSel: peer.namespaceSelector, podSel: peer.podSelector, refs: [] }));
            g.refs.push(ref);
          }
        }
      }
    }
    this.ownNsGroups = new Map([...own].map(([ns, m]) => [ns, [...m.values()]]));
    this.nsSelGroups = [...bySel.values()];
  }

  /** Pod peers (of active policies, in effective directions) that match a workload. */
  peersMatching(w: Workload, token?: CancelToken): PeerRef[] {
    this.groups();
    const out: PeerRef[] = [];
    for (const g of this.ownNsGroups!.get(w.namespace) ?? []) {
      if (!g.podSel || matches(g.podSel, w.labels)) out.push(...g.refs);
    }
    const nsLabels = inventoryOf(this.world).namespaceLabels(w.namespace);
    for (const g of this.nsSelGroups!) {
      if (token?.isCancellationRequested) break;
      if (matches(g.nsSel!, nsLabels) && (!g.podSel || matches(g.podSel, w.labels))) out.push(...g.refs);
    }
    return out;
  }

  /** Pod peers whose namespaceSelector matches a namespace (by its labels). */
  peersSelectingNamespace(labels: Labels): PeerRef[] {
    this.groups();
    const out: PeerRef[] = [];
    for (const g of this.nsSelGroups!) if (matches(g.nsSel!, labels)) out.push(...g.refs);
    return out;
  }

  /** Label keys and values of the workloads of a namespace (or of every workload). */
  workloadVocab(ns?: string): Vocab {
    if (ns === undefined) {
      if (!this.allWlVocab) {
        this.allWlVocab = new Map();
        for (const w of this.world.workloads) addVocab(this.allWlVocab, w.labels);
      }
      return this.allWlVocab;
    }
    let v = this.wlVocab.get(ns);
    if (!v) {
      v = new Map();
      for (const w of inventoryOf(this.world).byNamespace.get(ns) ?? []) addVocab(v, w.labels);
      this.wlVocab.set(ns, v);
    }
    return v;
  }

  /** Label keys and values of the namespaces (with kubernetes.io/metadata.name). */
  namespaceVocab(): Vocab {
    if (!this.nsVocab) {
      this.nsVocab = new Map();
      for (const n of this.world.namespaces.values()) addVocab(this.nsVocab, n.labels);
    }
    return this.nsVocab;
  }

  /** Keys and values that pod selectors looking at namespace `ns` require (for workload labels). */
  podSelectorVocab(ns: string): Vocab {
    let v = this.podSelVocab.get(ns);
    if (!v) {
      v = new Map();
      for (const p of this.policiesIn(ns)) addSelectorVocab(v, p.podSelector);
      this.groups();
      for (const g of this.ownNsGroups!.get(ns) ?? []) addSelectorVocab(v, g.podSel);
      const labels = inventoryOf(this.world).namespaceLabels(ns);
      for (const g of this.nsSelGroups!) if (matches(g.nsSel!, labels)) addSelectorVocab(v, g.podSel);
      this.podSelVocab.set(ns, v);
    }
    return v;
  }

  /** Keys and values that namespaceSelectors require (for Namespace labels). */
  namespaceSelectorVocab(): Vocab {
    if (!this.nsSelVocab) {
      this.nsSelVocab = new Map();
      this.groups();
      for (const g of this.nsSelGroups!) addSelectorVocab(this.nsSelVocab, g.nsSel);
    }
    return this.nsSelVocab;
  }
}

const indexes = new WeakMap<World, FeatureIndex>();

export function featureIndexOf(world: World): FeatureIndex {
  let ix = indexes.get(world);
  if (!ix) indexes.set(world, (ix = new FeatureIndex(world)));
  return ix;
}
