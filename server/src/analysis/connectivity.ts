// The fast connectivity engine. It computes the same thing as evaluate.ts, for every pair, with
// cost that grows with distinct label sets and rules instead of the product of workloads:
//
// 1. Workloads with the same namespace, labels and named ports form a class; they behave alike.
// 2. Selectors are evaluated once each over all classes, as bitsets, through a label index.
// 3. Classes selected by the same set of policies share an isolation "signature"; the allowed
//    destinations (egress) or sources (ingress) are computed once per signature.
// 4. A pair is allowed on egress(src sig)[dst] ∩ ingress(dst sig)[src]; the combination only
//    visits pairs that can be non-empty, plus the open/open pairs that are allowed anyway.

import { Bits } from './bits';
import { type Family, familyMax, type IpSegment, sweepIpMap } from './ipset';
import type { Direction, NormPeer, NormPolicy, NormRule } from './policy';
import { PortSetTable, type PortSet } from './ports';
import { rulePorts } from './evaluate';
import { type Labels, matches, type Selector } from './selectors';
import { applyTierSignatures } from './tiers';
import { namespaceLabels, type Workload, type World } from './world';

// ------------------------------------------------------------------------------ result types

export interface ClassPair {
  readonly src: number; // class index
  readonly dst: number;
  readonly ports: number; // port-set id
}

export interface Connectivity {
  readonly world: World;
  readonly table: PortSetTable;
  /** Workload classes: members share namespace, labels and named ports. */
  readonly classes: readonly (readonly Workload[])[];
  readonly classOf: Int32Array;
  /** Allowed class pairs (a class pair covers every member pair except a workload with itself). */
  readonly classPairs: readonly ClassPair[];
  /** Per class: external addresses that may connect in / that it may connect to. */
  readonly ipIngress: readonly { readonly v4: readonly IpSegment[]; readonly v6: readonly IpSegment[] }[];
  readonly ipEgress: readonly { readonly v4: readonly IpSegment[]; readonly v6: readonly IpSegment[] }[];
  /** Policy ids (index in world.activePolicies) isolating each class per direction. */
  readonly isolation: {
    readonly Ingress: readonly (readonly number[])[];
    readonly Egress: readonly (readonly number[])[];
  };
  /**
   * Whether admin policies took part (docs/semantics.md D.3), and per direction the classes whose
   * result they changed from "everything allowed": those are not open, whatever `isolation` says.
   */
  readonly tiers: boolean;
  readonly tierDecided: { readonly Ingress: Uint8Array; readonly Egress: Uint8Array };
  /**
   * Per direction and class, what its own side allows towards each class (port-set ids; null:
   * everything): egress of a source, ingress of a destination, before the other end is asked.
   */
  readonly byDirection: {
    readonly Ingress: readonly (Int32Array | null)[];
    readonly Egress: readonly (Int32Array | null)[];
  };
}

export interface ConnectivityOptions {
  /** Checked between phases and inside long loops; throwing aborts the computation. */
  readonly checkCancelled?: () => void;
  /** false: NetworkPolicies only, as if no admin policy existed (docs/semantics.md D.3). */
  readonly tiers?: boolean;
}

function labelsKey(l: Labels): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}\u0001${l[k]}`)
    .join('\u0002');
}

function namedPortsKey(w: Workload): string {
  const named = w.ports.filter((p) => p.name !== undefined).map((p) => `${p.name}/${p.protocol}/${p.port}`);
  return named.sort().join(',');
}

function ruleHasNamedPorts(r: NormRule): boolean {
  return !!r.ports && r.ports.some((p) => typeof p.port === 'string');
}

const FULL_V4: IpSegment = { lo: 0n, hi: familyMax(4), ports: PortSetTable.ALL };
const FULL_V6: IpSegment = { lo: 0n, hi: familyMax(6), ports: PortSetTable.ALL };

export function computeConnectivity(world: World, opts: ConnectivityOptions = {}): Connectivity {
  const check = opts.checkCancelled ?? ((): void => {});
  const table = new PortSetTable();
  const cls = groupClasses(world.workloads);
  const index = new ClassIndex(world, cls.rep);
  check();
  const policies = world.activePolicies;
  const isolation = isolationOf(policies, index);
  check();
  const ctx: SigContext = { n: cls.rep.length, table, index, ports: new RulePorts(table, cls.rep), policies };
  const sigs = assignSignatures(ctx, isolation, cls.rep, check);
  check();
  const { adminTier: admin, baselineTier: baseline } = world;
  const tiers = opts.tiers !== false && (admin.length > 0 || baseline.length > 0);
  const tierDecided = { Ingress: new Uint8Array(cls.rep.length), Egress: new Uint8Array(cls.rep.length) };
  if (tiers) {
    applyTierSignatures({ table, index, rep: cls.rep, admin, baseline, open: OPEN_SIG, namedPortsKey, check }, sigs);
    for (let c = 0; c < cls.rep.length; c++) {
      if (!isolation.Ingress[c].length && sigs.ingress[c] !== OPEN_SIG) tierDecided.Ingress[c] = 1;
      if (!isolation.Egress[c].length && sigs.egress[c] !== OPEN_SIG) tierDecided.Egress[c] = 1;
    }
    check();
  }
  const classPairs = combine(sigs, table, check);
  return {
    world,
    table,
    classes: cls.classes,
    classOf: cls.classOf,
    classPairs,
    ipIngress: sigs.ingress.map((s) => ({ v4: s.v4, v6: s.v6 })),
    ipEgress: sigs.egress.map((s) => ({ v4: s.v4, v6: s.v6 })),
    isolation,
    tiers,
    tierDecided,
    byDirection: { Ingress: sigs.ingress.map((s) => s.dense), Egress: sigs.egress.map((s) => s.dense) },
  };
}

// ------------------------------------------------------------------------------ 1. classes

interface ClassSet {
  readonly classes: Workload[][];
  readonly classOf: Int32Array;
  /** The first member of each class (members behave alike). */
  readonly rep: readonly Workload[];
}

/** Groups workloads with the same namespace, labels and named ports (in order of first member). */
function groupClasses(workloads: readonly Workload[]): ClassSet {
  const classIndex = new Map<string, number>();
  const classes: Workload[][] = [];
  const classOf = new Int32Array(workloads.length);
  for (const w of workloads) {
    const k = `${w.namespace}\u0000${labelsKey(w.labels)}\u0000${namedPortsKey(w)}`;
    let c = classIndex.get(k);
    if (c === undefined) {
      c = classes.length;
      classIndex.set(k, c);
      classes.push([]);
    }
    classes[c].push(w);
    classOf[w.id] = c;
  }
  return { classes, classOf, rep: classes.map((m) => m[0]) };
}

// ------------------------------------------------------------------------------ 2. selectors over classes

/** A label index over the classes: selectors, namespace selectors and peers as bitsets (memoised). */
class ClassIndex {
  readonly n: number;
  readonly empty: Bits;
  readonly all: Bits;
  private readonly byKeyValue = new Map<string, Map<string, Bits>>();
  private readonly byKey = new Map<string, Bits>();
  private readonly byNs = new Map<string, Bits>();
  private readonly selCache = new Map<string, Bits>();
  private readonly nsSelCache = new Map<string, Bits>();
  private readonly peerCache = new Map<string, Bits>();

  constructor(
    private readonly world: World,
    rep: readonly Workload[],
  ) {
    const n = (this.n = rep.length);
    this.empty = new Bits(n);
    this.all = Bits.full(n);
    for (let c = 0; c < n; c++) {
      const w = rep[c];
      bitsFor(this.byNs, w.namespace, n).set(c);
      for (const k of Object.keys(w.labels)) {
        bitsFor(this.byKey, k, n).set(c);
        let vm = this.byKeyValue.get(k);
        if (!vm) this.byKeyValue.set(k, (vm = new Map()));
        bitsFor(vm, w.labels[k], n).set(c);
      }
    }
  }

  /** The classes of a namespace (undefined: none). */
  namespace(ns: string): Bits | undefined {
    return this.byNs.get(ns);
  }

  /** The classes whose labels a pod selector matches. */
  select(sel: Selector): Bits {
    let r = this.selCache.get(sel.key);
    if (r) return r;
    r = this.all;
    for (const req of sel.reqs) {
      let hit: Bits;
      if (req.op === 'Exists' || req.op === 'DoesNotExist') hit = this.byKey.get(req.key) ?? this.empty;
      else {
        hit = new Bits(this.n);
        const vm = this.byKeyValue.get(req.key);
        if (vm) {
          for (const v of req.values) {
            const b = vm.get(v);
            if (b) hit.orInPlace(b);
          }
        }
      }
      r = req.op === 'In' || req.op === 'Exists' ? r.and(hit) : r.andNot(hit);
    }
    this.selCache.set(sel.key, r);
    return r;
  }

  /** The classes in the namespaces whose labels a namespace selector matches. */
  inNamespaces(sel: Selector): Bits {
    let r = this.nsSelCache.get(sel.key);
    if (r) return r;
    r = new Bits(this.n);
    for (const [ns, bits] of this.byNs) {
      const labels = namespaceLabels(this.world, ns);
      if (matches(sel, labels)) r.orInPlace(bits);
    }
    this.nsSelCache.set(sel.key, r);
    return r;
  }

  /** The classes a pod peer of a policy in `policyNs` matches. */
  peer(peer: NormPeer & { kind: 'pods' }, policyNs: string): Bits {
    const key = `${peer.namespaceSelector ? `S${peer.namespaceSelector.key}` : `N${policyNs}`}\u0004${peer.podSelector ? peer.podSelector.key : '*'}`;
    let r = this.peerCache.get(key);
    if (r) return r;
    const nsPart = peer.namespaceSelector
      ? this.inNamespaces(peer.namespaceSelector)
      : (this.byNs.get(policyNs) ?? this.empty);
    r = peer.podSelector ? nsPart.and(this.select(peer.podSelector)) : nsPart;
    this.peerCache.set(key, r);
    return r;
  }
}

function bitsFor(m: Map<string, Bits>, key: string, n: number): Bits {
  let b = m.get(key);
  if (!b) m.set(key, (b = new Bits(n)));
  return b;
}

// ------------------------------------------------------------------------------ 3. isolation

type Isolation = { readonly [D in Direction]: number[][] };

/** Per class and direction, the ids (in world.activePolicies) of the policies isolating it. */
function isolationOf(policies: readonly NormPolicy[], index: ClassIndex): Isolation {
  const iso: Isolation = {
    Ingress: Array.from({ length: index.n }, () => []),
    Egress: Array.from({ length: index.n }, () => []),
  };
  policies.forEach((p, pid) => {
    if (!p.types.has('Ingress') && !p.types.has('Egress')) return;
    const nsBits = index.namespace(p.namespace);
    if (!nsBits) return;
    const sel = nsBits.and(index.select(p.podSelector));
    sel.forEach((c) => {
      if (p.types.has('Ingress')) iso.Ingress[c].push(pid);
      if (p.types.has('Egress')) iso.Egress[c].push(pid);
    });
  });
  return iso;
}

// ------------------------------------------------------------------------------ 4. signatures

/** What the policies of one isolation signature allow, towards (egress) or from (ingress) everything. */
interface SigResult {
  readonly dense: Int32Array | null; // per class: port-set id; null: the class is not isolated (everything)
  readonly list: Int32Array; // classes with a non-empty entry, ascending
  readonly v4: IpSegment[];
  readonly v6: IpSegment[];
}

const OPEN_SIG: SigResult = { dense: null, list: new Int32Array(0), v4: [FULL_V4], v6: [FULL_V6] };

/** Port-set ids that rules allow, memoised per rule (and per destination's named ports). */
class RulePorts {
  private readonly byRule = new Map<NormRule, number>();
  private readonly byNamed = new Map<string, number>();
  private readonly ruleIds = new Map<NormRule, number>();

  constructor(
    private readonly table: PortSetTable,
    private readonly rep: readonly Workload[],
  ) {}

  /** Port-set id a rule allows towards a destination class (null: an external address). */
  of(r: NormRule, dstClass: number | null): number {
    if (dstClass === null || !ruleHasNamedPorts(r)) {
      let id = this.byRule.get(r);
      if (id === undefined) this.byRule.set(r, (id = this.table.intern(rulePorts(r, null))));
      return id;
    }
    let rid = this.ruleIds.get(r);
    if (rid === undefined) this.ruleIds.set(r, (rid = this.ruleIds.size));
    const key = `${rid}\u0000${namedPortsKey(this.rep[dstClass])}`;
    let id = this.byNamed.get(key);
    if (id === undefined) this.byNamed.set(key, (id = this.table.intern(rulePorts(r, this.rep[dstClass]))));
    return id;
  }
}

/** The state signatures are computed with. */
interface SigContext {
  readonly n: number;
  readonly table: PortSetTable;
  readonly index: ClassIndex;
  readonly ports: RulePorts;
  readonly policies: readonly NormPolicy[];
}

interface Signatures {
  readonly egress: SigResult[];
  readonly ingress: SigResult[];
}

/** The signature of every class per direction, each distinct one computed once. */
function assignSignatures(ctx: SigContext, iso: Isolation, rep: readonly Workload[], check: () => void): Signatures {
  const { n, policies } = ctx;
  const egress = new Array<SigResult>(n);
  const ingress = new Array<SigResult>(n);
  const egressCache = new Map<string, SigResult>();
  const ingressCache = new Map<string, SigResult>();
  for (let c = 0; c < n; c++) {
    if (c % 64 === 0) check();
    const e = iso.Egress[c];
    if (!e.length) egress[c] = OPEN_SIG;
    else {
      const k = e.join(',');
      let s = egressCache.get(k);
      if (!s) egressCache.set(k, (s = computeSig(ctx, e, 'Egress', c)));
      egress[c] = s;
    }
    const i = iso.Ingress[c];
    if (!i.length) ingress[c] = OPEN_SIG;
    else {
      // named ports resolve on the destination: classes with other named ports differ
      const named = i.some((pid) => policies[pid].ingress.some(ruleHasNamedPorts));
      const k = named ? `${i.join(',')}\u0000${namedPortsKey(rep[c])}` : i.join(',');
      let s = ingressCache.get(k);
      if (!s) ingressCache.set(k, (s = computeSig(ctx, i, 'Ingress', c)));
      ingress[c] = s;
    }
  }
  return { egress, ingress };
}

/** What the rules of policies `pids` in direction `dir` allow, for class `selfClass`'s signature. */
function computeSig(ctx: SigContext, pids: readonly number[], dir: Direction, selfClass: number): SigResult {
  const sig = new SigBuilder(ctx, dir, selfClass);
  for (const pid of pids) {
    const p = ctx.policies[pid];
    for (const r of dir === 'Ingress' ? p.ingress : p.egress) sig.addRule(r, p.namespace);
  }
  return sig.finish();
}

interface IpEntry {
  lo: bigint;
  hi: bigint;
  ports: number;
}

/** Accumulates one signature: per class the allowed port set, and pieces of external addresses. */
class SigBuilder {
  private readonly dense: Int32Array;
  private readonly ip: Record<Family, IpEntry[]> = { 4: [], 6: [] };
  /** The class whose named ports resolve the rules' ports on ingress (null on egress). */
  private readonly self: number | null;

  constructor(
    private readonly ctx: SigContext,
    private readonly dir: Direction,
    selfClass: number,
  ) {
    this.dense = new Int32Array(ctx.n);
    this.self = dir === 'Ingress' ? selfClass : null;
  }

  addRule(r: NormRule, policyNs: string): void {
    const peerBits = this.peers(r, policyNs);
    if (peerBits) this.addClasses(r, peerBits);
  }

  /** The classes the rule's peers match (null: no pod peer), recording the addresses it allows. */
  private peers(r: NormRule, policyNs: string): Bits | null {
    if (r.peers === undefined) {
      const ports = this.ctx.ports.of(r, this.self);
      this.ip[4].push({ lo: 0n, hi: familyMax(4), ports });
      this.ip[6].push({ lo: 0n, hi: familyMax(6), ports });
      return this.ctx.index.all;
    }
    const peerBits = new Bits(this.ctx.n);
    let any = false;
    for (const peer of r.peers) {
      if (peer.kind === 'pods') {
        peerBits.orInPlace(this.ctx.index.peer(peer, policyNs));
        any = true;
      } else {
        const ports = this.ctx.ports.of(r, this.self);
        if (ports === 0) continue;
        for (const [lo, hi] of blockPieces(peer)) this.ip[peer.cidr.family].push({ lo, hi, ports });
      }
    }
    return any ? peerBits : null;
  }

  /** Adds the rule's ports to the classes its peers match. */
  private addClasses(r: NormRule, peerBits: Bits): void {
    const { table, ports: rulePorts } = this.ctx;
    const dense = this.dense;
    if (this.dir === 'Ingress' || !ruleHasNamedPorts(r)) {
      const ports = rulePorts.of(r, this.self);
      if (ports === 0) return;
      peerBits.forEach((c) => {
        dense[c] = table.union(dense[c], ports);
      });
    } else {
      // egress with named ports: they resolve on each destination class
      peerBits.forEach((c) => {
        const ports = rulePorts.of(r, c);
        if (ports) dense[c] = table.union(dense[c], ports);
      });
    }
  }

  finish(): SigResult {
    const { dense, ctx } = this;
    let count = 0;
    for (let c = 0; c < ctx.n; c++) if (dense[c]) count++;
    const list = new Int32Array(count);
    count = 0;
    for (let c = 0; c < ctx.n; c++) if (dense[c]) list[count++] = c;
    const union = (a: number, b: number): number => ctx.table.union(a, b);
    return {
      dense,
      list,
      v4: sweepIpMap(
        this.ip[4].filter((e) => e.ports),
        union,
      ),
      v6: sweepIpMap(
        this.ip[6].filter((e) => e.ports),
        union,
      ),
    };
  }
}

/** The address ranges of an ipBlock peer: its CIDR minus the excepts of the same family. */
function blockPieces(peer: NormPeer & { kind: 'ipBlock' }): Array<[bigint, bigint]> {
  let pieces: Array<[bigint, bigint]> = [[peer.cidr.lo, peer.cidr.hi]];
  for (const e of peer.except) {
    if (e.family !== peer.cidr.family) continue;
    const next: Array<[bigint, bigint]> = [];
    for (const [lo, hi] of pieces) {
      if (e.hi < lo || e.lo > hi) {
        next.push([lo, hi]);
        continue;
      }
      if (e.lo > lo) next.push([lo, e.lo - 1n]);
      if (e.hi < hi) next.push([e.hi + 1n, hi]);
    }
    pieces = next;
  }
  return pieces;
}

// ------------------------------------------------------------------------------ 5. combination

/** The allowed class pairs: egress(src sig)[dst] ∩ ingress(dst sig)[src], visiting only candidates. */
function combine(sigs: Signatures, table: PortSetTable, check: () => void): ClassPair[] {
  const classPairs: ClassPair[] = [];
  egressIsolatedPairs(sigs, table, check, classPairs);
  openSourcePairs(sigs, check, classPairs);
  openPairs(sigs, classPairs);
  return classPairs;
}

/** (a) + (b): sources isolated for egress, to the destinations their signature allows. */
function egressIsolatedPairs(sigs: Signatures, table: PortSetTable, check: () => void, out: ClassPair[]): void {
  const { egress, ingress } = sigs;
  for (let s = 0; s < egress.length; s++) {
    const es = egress[s];
    if (es === OPEN_SIG) continue;
    if (s % 64 === 0) check();
    const dense = es.dense!;
    for (const d of es.list) {
      const is = ingress[d];
      const ports = is === OPEN_SIG ? dense[d] : table.intersect(dense[d], is.dense![s]);
      if (ports) out.push({ src: s, dst: d, ports });
    }
  }
}

/** (c): sources open for egress, to ingress-isolated destinations (grouped by their signature). */
function openSourcePairs(sigs: Signatures, check: () => void, out: ClassPair[]): void {
  const { egress, ingress } = sigs;
  const byIngressSig = new Map<SigResult, number[]>();
  for (let d = 0; d < ingress.length; d++) {
    const is = ingress[d];
    if (is === OPEN_SIG) continue;
    let l = byIngressSig.get(is);
    if (!l) byIngressSig.set(is, (l = []));
    l.push(d);
  }
  for (const [is, dsts] of byIngressSig) {
    check();
    for (const s of is.list) {
      if (egress[s] !== OPEN_SIG) continue;
      const ports = is.dense![s];
      for (const d of dsts) out.push({ src: s, dst: d, ports });
    }
  }
}

/** (d): open sources to open destinations, on every port. */
function openPairs(sigs: Signatures, out: ClassPair[]): void {
  const openEgress: number[] = [];
  const openIngress: number[] = [];
  for (let c = 0; c < sigs.egress.length; c++) {
    if (sigs.egress[c] === OPEN_SIG) openEgress.push(c);
    if (sigs.ingress[c] === OPEN_SIG) openIngress.push(c);
  }
  for (const s of openEgress) for (const d of openIngress) out.push({ src: s, dst: d, ports: PortSetTable.ALL });
}

/** Visits every allowed workload pair (self pairs excluded). */
export function forEachPair(conn: Connectivity, fn: (src: Workload, dst: Workload, ports: number) => void): void {
  for (const cp of conn.classPairs) {
    const ss = conn.classes[cp.src];
    const ds = conn.classes[cp.dst];
    for (const a of ss) for (const b of ds) if (a !== b) fn(a, b, cp.ports);
  }
}

/** The allowed port set between two workloads, from the computed result. */
export function pairPorts(conn: Connectivity, src: Workload, dst: Workload): PortSet {
  const s = conn.classOf[src.id];
  const d = conn.classOf[dst.id];
  for (const cp of conn.classPairs) if (cp.src === s && cp.dst === d) return conn.table.get(cp.ports);
  return conn.table.get(PortSetTable.EMPTY);
}
