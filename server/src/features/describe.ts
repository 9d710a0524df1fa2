// Plain-words descriptions shared by hovers, CodeLens and symbols, the small context every editor
// feature takes, and a per-world index of what the features ask again and again (policies by
// namespace, pod peers grouped by what they match, label vocabularies). Pure: no connection.

import { inventoryOf } from '../analysis/inventory';
import { type Cidr, formatIp, subtractIpRanges } from '../analysis/ipset';
import type { Direction, NormPeer, NormPolicy, NormPort, NormRule } from '../analysis/policy';
import { describeSelector, isMatchAll, type Labels, matches, type Selector } from '../analysis/selectors';
import type { NamespaceInfo, Workload, World } from '../analysis/world';
import type { ManifestDocument, ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';
import { get, type PNode } from '../model/tree';
import type { NetpolSettings } from '../settings';
import type { Location, Range } from 'vscode-languageserver-types';

/** Cancellation as the LSP gives it (a plain object in tests). */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
}

/** What every feature takes: the file asked about, the world and settings of the index. */
export interface FeatureContext {
  readonly file: ManifestFile;
  readonly world: World;
  readonly settings: NetpolSettings;
  /** Every file of the workspace (in path order). */
  readonly files: readonly ManifestFile[];
  /** The URI of a rule's documentation page (docs/rules/<ID>.md), when known. */
  readonly ruleDoc?: (id: string) => string | undefined;
  readonly token?: CancelToken;
}

export const K8S_DOC = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';
export const REF = {
  resource: `${K8S_DOC}#networkpolicy-resource`,
  selectors: `${K8S_DOC}#behavior-of-to-and-from-selectors`,
  isolation: `${K8S_DOC}#the-two-sorts-of-pod-isolation`,
  defaults: `${K8S_DOC}#default-policies`,
  ports: `${K8S_DOC}#targeting-a-range-of-ports`,
  namespaceByName: `${K8S_DOC}#targeting-a-namespace-by-its-name`,
  hostNetwork: `${K8S_DOC}#networkpolicy-and-hostnetwork-pods`,
  labels: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
} as const;

/** Cap on items listed in one hover section. */
export const LIST_MAX = 8;

// ------------------------------------------------------------------------------ markdown

const MD_SPECIAL = /[\\`*_[\]<>|~]/g;

/** Text for Markdown, with its special characters escaped. */
export function esc(text: string): string {
  return text.replace(MD_SPECIAL, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks inside. */
export function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  if (!t.includes('`')) return `\`${t}\``;
  return `\`\` ${t} \`\``;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function fileName(uri: string): string {
  const i = uri.lastIndexOf('/');
  try {
    return decodeURIComponent(i === -1 ? uri : uri.slice(i + 1));
  } catch {
    return i === -1 ? uri : uri.slice(i + 1);
  }
}

/** A Markdown link to a line of a file: `[label](uri#Lline)` (1-based line). */
export function lineLink(label: string, uri: string, doc: ManifestDocument, offset: number): string {
  const line = doc.positionAt(offset).line + 1;
  return `[${esc(label)}](${uri.replace(/[()\s]/g, (c) => encodeURIComponent(c))}#L${line})`;
}

/** A link to a rule page, or the rule id alone when no page is known. */
export function ruleLink(ctx: FeatureContext, id: string): string {
  const href = ctx.ruleDoc?.(id);
  return href ? `[${id}](${href})` : id;
}

export function refLink(label: string, href: string): string {
  return `[${esc(label)}](${href})`;
}

// ------------------------------------------------------------------------------ ranges

export function rangeIn(doc: ManifestDocument, s: number, e: number): Range {
  return { start: doc.positionAt(s), end: doc.positionAt(Math.max(s, e)) };
}

/** The node of an object that identifies it: metadata.name's value, else the object's start. */
export function nameNode(obj: K8sObject): { s: number; e: number } {
  const n = get(get(obj.node, 'metadata'), 'name');
  if (n && n.t === 'scalar' && n.e > n.s) return n;
  return { s: obj.node.s, e: obj.node.s };
}

export function objectLocation(obj: K8sObject): Location {
  const n = nameNode(obj);
  return { uri: obj.uri, range: rangeIn(obj.doc, n.s, n.e) };
}

export function nodeLocation(obj: K8sObject, n: { s: number; e: number }): Location {
  return { uri: obj.uri, range: rangeIn(obj.doc, n.s, n.e) };
}

/** `[ns/name](file#L3) Deployment · file.yaml` */
export function workloadLine(w: Workload): string {
  const src = w.sources[0];
  const label = `${w.namespace}/${w.name}`;
  if (!src) return `${esc(label)} ${esc(w.kind)}`;
  const n = nameNode(src);
  return `${lineLink(label, src.uri, src.doc, n.s)} ${esc(w.kind)} · ${esc(fileName(src.uri))}`;
}

export function policyLink(p: NormPolicy, label = `${p.namespace}/${p.name || '(no name)'}`): string {
  const n = nameNode(p.obj);
  return lineLink(label, p.obj.uri, p.obj.doc, n.s);
}

export function namespaceLink(ns: NamespaceInfo): string {
  if (!ns.declared) return code(ns.name);
  const n = nameNode(ns.declared);
  return lineLink(ns.name, ns.declared.uri, ns.declared.doc, n.s);
}

/** A bullet list of the first `max` items (formatted lazily), with "and N more". */
export function bullets<T>(items: readonly T[], fmt: (x: T) => string, max = LIST_MAX): string[] {
  const out = items.slice(0, max).map((i) => `- ${fmt(i)}`);
  if (items.length > max) out.push(`- … and ${items.length - max} more`);
  return out;
}

// ------------------------------------------------------------------------------ words

export function dirWord(d: Direction): 'ingress' | 'egress' {
  return d === 'Ingress' ? 'ingress' : 'egress';
}

export function labelsText(l: Labels): string {
  const ks = Object.keys(l);
  if (!ks.length) return 'no labels';
  return ks.map((k) => `${k}=${l[k]}`).join(', ');
}

/** The effective types in the usual order (Ingress, Egress). */
export function typesOf(p: NormPolicy): Direction[] {
  return (['Ingress', 'Egress'] as const).filter((d) => p.types.has(d));
}

/** Effective policyTypes with the reason, in one sentence. */
export function typesSentence(p: NormPolicy): string {
  const list = typesOf(p).join(', ') || 'none';
  switch (p.typesReason) {
    case 'explicit':
      return `${list}, as written in \`policyTypes\``;
    case 'defaulted-with-egress':
      return `${list}: \`policyTypes\` is not written, so it defaulted to Ingress, Egress because egress rules are present`;
    case 'defaulted-ingress-only':
      return `${list}: \`policyTypes\` is not written, so it defaulted to Ingress only (there are no egress rules)`;
  }
}

/** Number of addresses in a range, in words (2^n for large IPv6 counts). */
export function countAddresses(lo: bigint, hi: bigint): string {
  const n = hi - lo + 1n;
  if (n <= 1_000_000_000_000n) return `${n.toLocaleString('en-US')} ${n === 1n ? 'address' : 'addresses'}`;
  let bits = 0;
  for (let x = n; x > 1n; x >>= 1n) bits++;
  return 1n << BigInt(bits) === n ? `2^${bits} addresses` : `about 2^${bits} addresses`;
}

export function rangeWords(lo: bigint, hi: bigint, family: 4 | 6): string {
  return lo === hi ? formatIp(lo, family) : `${formatIp(lo, family)} – ${formatIp(hi, family)}`;
}

export function cidrWords(c: Cidr): string {
  return `${rangeWords(c.lo, c.hi, c.family)} (${countAddresses(c.lo, c.hi)})`;
}

/** The address ranges an ipBlock peer leaves after its excepts. */
export function ipBlockRemaining(peer: Extract<NormPeer, { kind: 'ipBlock' }>): Array<[bigint, bigint]> {
  return subtractIpRanges(
    [[peer.cidr.lo, peer.cidr.hi]],
    peer.except.filter((e) => e.family === peer.cidr.family).map((e) => [e.lo, e.hi] as [bigint, bigint]),
  );
}

/** The peer in words (Markdown): what it selects, and AND/own-namespace notes. */
export function peerWords(
  peer: NormPeer,
  policyNs: string,
  nullNamespaceSelector = false,
): { what: string; note?: string } {
  if (peer.kind === 'ipBlock') {
    const ex = peer.except.length ? ` except ${peer.except.map((e) => e.canonical).join(', ')}` : '';
    return { what: `addresses in ${esc(peer.cidr.canonical)}${esc(ex)}` };
  }
  const pods = peer.podSelector;
  const nss = peer.namespaceSelector;
  if (!nss) {
    const what =
      pods && !isMatchAll(pods)
        ? `${esc(describeSelector(pods, 'pods'))} in namespace ${code(policyNs)}`
        : `every pod in namespace ${code(policyNs)}`;
    const note = nullNamespaceSelector
      ? `\`namespaceSelector:\` with no value is null, the same as absent: this peer only looks in the policy's own namespace ${code(policyNs)} (write \`namespaceSelector: {}\` for every namespace).`
      : `Without \`namespaceSelector\`, a \`podSelector\` only looks in the policy's own namespace ${code(policyNs)}; add a \`namespaceSelector\` to the same peer (AND) to look in other namespaces.`;
    return { what, note };
  }
  const nsWords = isMatchAll(nss) ? 'every namespace' : esc(describeSelector(nss, 'namespaces'));
  if (!pods) {
    if (isMatchAll(nss)) {
      return {
        what: 'every pod in every namespace',
        note: '`namespaceSelector: {}` covers every pod of the cluster, but not nodes or addresses outside the cluster.',
      };
    }
    return {
      what: `every pod in ${nsWords}`,
      note: 'A `namespaceSelector` alone means every pod of those namespaces; a `podSelector` in the same peer (no `-` before it) would narrow it (AND).',
    };
  }
  const podWords = isMatchAll(pods) ? 'every pod' : esc(describeSelector(pods, 'pods'));
  return {
    what: `${podWords} in ${nsWords}`,
    note: 'One peer with both `namespaceSelector` and `podSelector`: a pod must match both (AND). Two separate peers (`- namespaceSelector` and `- podSelector`) would mean OR.',
  };
}

/** A port entry in words: "TCP 80", "TCP 8000-8080", "every TCP port", "named port http (TCP)". */
export function portWords(pe: NormPort): string {
  if (pe.port === undefined) return `every ${pe.protocol} port`;
  if (typeof pe.port === 'string') return `named port ${code(pe.port)} (${pe.protocol})`;
  if (pe.endPort !== undefined && pe.endPort !== pe.port) return `${pe.protocol} ${pe.port}-${pe.endPort}`;
  return `${pe.protocol} ${pe.port}`;
}

export function portsWords(ports: readonly NormPort[] | undefined): string {
  if (!ports) return 'on every port of every protocol';
  if (!ports.length) return 'on no port';
  return `on ${ports.map(portWords).join(', ')}`;
}

export function rulesOf(p: NormPolicy, d: Direction): readonly NormRule[] {
  return d === 'Ingress' ? p.ingress : p.egress;
}

// ------------------------------------------------------------------------------ per-world index

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

// ------------------------------------------------------------------------------ policy summary

export interface DirectionSummary {
  readonly direction: Direction;
  /** No rules: nothing is allowed. */
  readonly none: boolean;
  /** Some rule has no peer list: every source/destination. */
  readonly anywhere: boolean;
  readonly workloads: number;
  readonly ipBlocks: number;
  /** Pod peers that match no workload of the workspace (their pods may be deployed elsewhere). */
  readonly unmatched: number;
}

/** What a policy allows per isolated direction: counts of matched workloads and IP blocks. */
export function summarizeDirection(world: World, p: NormPolicy, d: Direction): DirectionSummary {
  const rules = rulesOf(p, d);
  const inv = inventoryOf(world);
  let anywhere = false;
  const lists: Workload[][] = [];
  const cidrs = new Set<string>();
  const unmatched = new Set<string>();
  for (const r of rules) {
    if (!r.peers) {
      anywhere = true;
      continue;
    }
    for (const peer of r.peers) {
      if (peer.kind === 'ipBlock') cidrs.add(`${peer.cidr.canonical}-${peer.except.map((e) => e.canonical).join(',')}`);
      else {
        const l = inv.peerWorkloads(peer, p.namespace);
        if (l.length && !lists.includes(l)) lists.push(l);
        if (!l.length) {
          unmatched.add(`${peer.namespaceSelector?.key ?? `=${p.namespace}`}\u0000${peer.podSelector?.key ?? ''}`);
        }
      }
    }
  }
  let workloads = 0;
  if (lists.length === 1) workloads = lists[0].length;
  else if (lists.length > 1) {
    const wl = new Set<Workload>();
    for (const l of lists) for (const w of l) wl.add(w);
    workloads = wl.size;
  }
  return {
    direction: d,
    none: rules.length === 0,
    anywhere,
    workloads,
    ipBlocks: cidrs.size,
    unmatched: unmatched.size,
  };
}

/** "from 3 sources", "to anywhere", "no egress". */
export function directionPhrase(s: DirectionSummary): string {
  const noun = s.direction === 'Ingress' ? 'source' : 'destination';
  const prep = s.direction === 'Ingress' ? 'from' : 'to';
  if (s.none) return `no ${dirWord(s.direction)}`;
  if (s.anywhere) return `${prep} anywhere`;
  const total = s.workloads + s.ipBlocks;
  const ghost = s.unmatched ? plural(s.unmatched, 'peer') + ' matching no workload' : '';
  if (!total && ghost) return `${prep} ${ghost}`;
  return `${prep} ${plural(total, noun)}${ghost ? ` + ${ghost}` : ''}`;
}

/** "allows from 3 sources / to 1 destination" for the isolated directions of a policy. */
export function allowsPhrase(world: World, p: NormPolicy): string {
  const parts = typesOf(p).map((d) => directionPhrase(summarizeDirection(world, p, d)));
  return parts.length ? `allows ${parts.join(' / ')}` : '';
}

/** The path of the pod labels in a workload manifest. */
export function podLabelsPath(kind: string): readonly string[] {
  if (kind === 'Pod') return ['metadata', 'labels'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'];
  return ['spec', 'template', 'metadata', 'labels'];
}

/** Does the YAML write this selector key with no value (null)? */
export function isNullKey(n: PNode | undefined, key: string): boolean {
  const v = get(n, key);
  return !!v && v.t === 'scalar' && v.v === null;
}
