// The fast connectivity engine. It computes the same thing as evaluate.ts, for every pair, with
// cost that grows with distinct label sets and rules instead of the product of workloads:
//
// 1. Workloads with the same namespace, labels and named ports form a class; they behave alike.
// 2. Selectors are evaluated once each over all classes, as bitsets, through a label index.
// 3. Classes selected by the same set of policies share an isolation "signature"; the allowed
//    destinations (egress) or sources (ingress) are computed once per signature.
// 4. A pair is allowed on egress(src sig)[dst] ∩ ingress(dst sig)[src]; the combination only
//    visits pairs that can be non-empty, plus the open/open pairs that are allowed anyway.

import { type Family, familyMax, type IpSegment, sweepIpMap } from './ipset';
import type { Direction, NormPeer, NormRule } from './policy';
import { PortSetTable, type PortSet } from './ports';
import { namespaceLabels, rulePorts } from './evaluate';
import { type Labels, matches, type Selector } from './selectors';
import type { Workload, World } from './world';

// ------------------------------------------------------------------------------ bitsets

class Bits {
  readonly w: Uint32Array;
  constructor(
    readonly n: number,
    words?: Uint32Array,
  ) {
    this.w = words ?? new Uint32Array((n + 31) >>> 5);
  }
  static full(n: number): Bits {
    const b = new Bits(n);
    b.w.fill(0xffffffff);
    const extra = b.w.length * 32 - n;
    if (extra > 0 && b.w.length) b.w[b.w.length - 1] = 0xffffffff >>> extra;
    return b;
  }
  set(i: number): void {
    this.w[i >>> 5] |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.w[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  and(o: Bits): Bits {
    const r = new Bits(this.n);
    for (let i = 0; i < r.w.length; i++) r.w[i] = this.w[i] & o.w[i];
    return r;
  }
  andNot(o: Bits): Bits {
    const r = new Bits(this.n);
    for (let i = 0; i < r.w.length; i++) r.w[i] = this.w[i] & ~o.w[i];
    return r;
  }
  orInPlace(o: Bits): void {
    for (let i = 0; i < this.w.length; i++) this.w[i] |= o.w[i];
  }
  isEmpty(): boolean {
    for (let i = 0; i < this.w.length; i++) if (this.w[i]) return false;
    return true;
  }
  forEach(fn: (i: number) => void): void {
    const w = this.w;
    for (let k = 0; k < w.length; k++) {
      let x = w[k];
      while (x) {
        const t = x & -x;
        fn((k << 5) + (31 - Math.clz32(t)));
        x ^= t;
      }
    }
  }
}

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
}

export interface ConnectivityOptions {
  /** Checked between phases and inside long loops; throwing aborts the computation. */
  readonly checkCancelled?: () => void;
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
  const workloads = world.workloads;

  // 1. classes
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
  const n = classes.length;
  const rep = classes.map((m) => m[0]);

  // 2. label index over classes
  const byKeyValue = new Map<string, Map<string, Bits>>();
  const byKey = new Map<string, Bits>();
  const byNs = new Map<string, Bits>();
  for (let c = 0; c < n; c++) {
    const w = rep[c];
    let nb = byNs.get(w.namespace);
    if (!nb) byNs.set(w.namespace, (nb = new Bits(n)));
    nb.set(c);
    for (const k of Object.keys(w.labels)) {
      let kb = byKey.get(k);
      if (!kb) byKey.set(k, (kb = new Bits(n)));
      kb.set(c);
      let vm = byKeyValue.get(k);
      if (!vm) byKeyValue.set(k, (vm = new Map()));
      let vb = vm.get(w.labels[k]);
      if (!vb) vm.set(w.labels[k], (vb = new Bits(n)));
      vb.set(c);
    }
  }
  const empty = new Bits(n);
  const all = Bits.full(n);
  const selCache = new Map<string, Bits>();
  const selectClasses = (sel: Selector): Bits => {
    let r = selCache.get(sel.key);
    if (r) return r;
    r = all;
    for (const req of sel.reqs) {
      let hit: Bits;
      if (req.op === 'Exists' || req.op === 'DoesNotExist') hit = byKey.get(req.key) ?? empty;
      else {
        hit = new Bits(n);
        const vm = byKeyValue.get(req.key);
        if (vm) {
          for (const v of req.values) {
            const b = vm.get(v);
            if (b) hit.orInPlace(b);
          }
        }
      }
      r = req.op === 'In' || req.op === 'Exists' ? r.and(hit) : r.andNot(hit);
    }
    selCache.set(sel.key, r);
    return r;
  };
  const nsSelCache = new Map<string, Bits>();
  const nsNames = [...byNs.keys()];
  const classesInNamespaces = (sel: Selector): Bits => {
    let r = nsSelCache.get(sel.key);
    if (r) return r;
    r = new Bits(n);
    for (const ns of nsNames) {
      const labels = namespaceLabels(world, ns);
      if (matches(sel, labels)) r.orInPlace(byNs.get(ns)!);
    }
    nsSelCache.set(sel.key, r);
    return r;
  };
  const peerCache = new Map<string, Bits>();
  const peerClasses = (peer: NormPeer & { kind: 'pods' }, policyNs: string): Bits => {
    const key = `${peer.namespaceSelector ? `S${peer.namespaceSelector.key}` : `N${policyNs}`}\u0004${peer.podSelector ? peer.podSelector.key : '*'}`;
    let r = peerCache.get(key);
    if (r) return r;
    const nsPart = peer.namespaceSelector ? classesInNamespaces(peer.namespaceSelector) : (byNs.get(policyNs) ?? empty);
    r = peer.podSelector ? nsPart.and(selectClasses(peer.podSelector)) : nsPart;
    peerCache.set(key, r);
    return r;
  };
  check();

  // 3. isolation signatures
  const policies = world.activePolicies;
  const isoIngress: number[][] = Array.from({ length: n }, () => []);
  const isoEgress: number[][] = Array.from({ length: n }, () => []);
  policies.forEach((p, pid) => {
    if (!p.types.has('Ingress') && !p.types.has('Egress')) return;
    const nsBits = byNs.get(p.namespace);
    if (!nsBits) return;
    const sel = nsBits.and(selectClasses(p.podSelector));
    sel.forEach((c) => {
      if (p.types.has('Ingress')) isoIngress[c].push(pid);
      if (p.types.has('Egress')) isoEgress[c].push(pid);
    });
  });
  check();

  // 4. per-signature allowed maps
  interface SigResult {
    dense: Int32Array | null; // per class: port-set id; null: the class is not isolated (everything)
    list: Int32Array; // classes with a non-empty entry, ascending
    v4: IpSegment[];
    v6: IpSegment[];
  }
  const rulePortCache = new Map<NormRule, number>();
  const namedPortCache = new Map<string, number>();
  const ruleIds = new Map<NormRule, number>();
  /** Port-set id a rule allows towards a destination class (null: an external address). */
  const rulePortsFor = (r: NormRule, dstClass: number | null): number => {
    if (dstClass === null || !ruleHasNamedPorts(r)) {
      let id = rulePortCache.get(r);
      if (id === undefined) rulePortCache.set(r, (id = table.intern(rulePorts(r, null))));
      return id;
    }
    let rid = ruleIds.get(r);
    if (rid === undefined) ruleIds.set(r, (rid = ruleIds.size));
    const key = `${rid}\u0000${namedPortsKey(rep[dstClass])}`;
    let id = namedPortCache.get(key);
    if (id === undefined) namedPortCache.set(key, (id = table.intern(rulePorts(r, rep[dstClass]))));
    return id;
  };

  const computeSig = (pids: readonly number[], dir: Direction, selfClass: number): SigResult => {
    const dense = new Int32Array(n);
    const ipEntries: Record<Family, Array<{ lo: bigint; hi: bigint; ports: number }>> = { 4: [], 6: [] };
    for (const pid of pids) {
      const p = policies[pid];
      const rules = dir === 'Ingress' ? p.ingress : p.egress;
      for (const r of rules) {
        // the classes and addresses the rule's peers match
        let peerBits: Bits;
        if (r.peers === undefined) {
          peerBits = all;
          const ports = rulePortsFor(r, dir === 'Ingress' ? selfClass : null);
          ipEntries[4].push({ lo: 0n, hi: familyMax(4), ports });
          ipEntries[6].push({ lo: 0n, hi: familyMax(6), ports });
        } else {
          peerBits = new Bits(n);
          let any = false;
          for (const peer of r.peers) {
            if (peer.kind === 'pods') {
              peerBits.orInPlace(peerClasses(peer, p.namespace));
              any = true;
            } else {
              const ports = rulePortsFor(r, dir === 'Ingress' ? selfClass : null);
              if (ports === 0) continue;
              const cut: Array<[bigint, bigint]> = [[peer.cidr.lo, peer.cidr.hi]];
              let pieces = cut;
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
              for (const [lo, hi] of pieces) ipEntries[peer.cidr.family].push({ lo, hi, ports });
            }
          }
          if (!any) continue;
        }
        if (dir === 'Ingress' || !ruleHasNamedPorts(r)) {
          const ports = rulePortsFor(r, dir === 'Ingress' ? selfClass : null);
          if (ports === 0) continue;
          peerBits.forEach((c) => {
            dense[c] = table.union(dense[c], ports);
          });
        } else {
          peerBits.forEach((c) => {
            const ports = rulePortsFor(r, c);
            if (ports) dense[c] = table.union(dense[c], ports);
          });
        }
      }
    }
    let count = 0;
    for (let c = 0; c < n; c++) if (dense[c]) count++;
    const list = new Int32Array(count);
    count = 0;
    for (let c = 0; c < n; c++) if (dense[c]) list[count++] = c;
    const union = (a: number, b: number): number => table.union(a, b);
    return {
      dense,
      list,
      v4: sweepIpMap(
        ipEntries[4].filter((e) => e.ports),
        union,
      ),
      v6: sweepIpMap(
        ipEntries[6].filter((e) => e.ports),
        union,
      ),
    };
  };

  const openSig: SigResult = { dense: null, list: new Int32Array(0), v4: [FULL_V4], v6: [FULL_V6] };
  const egressSig = new Array<SigResult>(n);
  const ingressSig = new Array<SigResult>(n);
  const egressCache = new Map<string, SigResult>();
  const ingressCache = new Map<string, SigResult>();
  const ingressSigKey = new Array<string>(n);
  for (let c = 0; c < n; c++) {
    if (c % 64 === 0) check();
    const e = isoEgress[c];
    if (!e.length) egressSig[c] = openSig;
    else {
      const k = e.join(',');
      let s = egressCache.get(k);
      if (!s) egressCache.set(k, (s = computeSig(e, 'Egress', c)));
      egressSig[c] = s;
    }
    const i = isoIngress[c];
    if (!i.length) {
      ingressSig[c] = openSig;
      ingressSigKey[c] = '';
    } else {
      const named = i.some((pid) => policies[pid].ingress.some(ruleHasNamedPorts));
      const k = named ? `${i.join(',')}\u0000${namedPortsKey(rep[c])}` : i.join(',');
      let s = ingressCache.get(k);
      if (!s) ingressCache.set(k, (s = computeSig(i, 'Ingress', c)));
      ingressSig[c] = s;
      ingressSigKey[c] = k;
    }
  }
  check();

  // 5. combine
  const classPairs: ClassPair[] = [];
  const openEgress: number[] = [];
  const openIngress: number[] = [];
  for (let c = 0; c < n; c++) {
    if (egressSig[c] === openSig) openEgress.push(c);
    if (ingressSig[c] === openSig) openIngress.push(c);
  }
  // (a) + (b): egress-isolated sources
  for (let s = 0; s < n; s++) {
    const es = egressSig[s];
    if (es === openSig) continue;
    if (s % 64 === 0) check();
    const dense = es.dense!;
    for (const d of es.list) {
      const is = ingressSig[d];
      const ports = is === openSig ? dense[d] : table.intersect(dense[d], is.dense![s]);
      if (ports) classPairs.push({ src: s, dst: d, ports });
    }
  }
  // (c): open sources to ingress-isolated destinations
  const byIngressSig = new Map<SigResult, number[]>();
  for (let d = 0; d < n; d++) {
    const is = ingressSig[d];
    if (is === openSig) continue;
    let l = byIngressSig.get(is);
    if (!l) byIngressSig.set(is, (l = []));
    l.push(d);
  }
  for (const [is, dsts] of byIngressSig) {
    check();
    for (const s of is.list) {
      if (egressSig[s] !== openSig) continue;
      const ports = is.dense![s];
      for (const d of dsts) classPairs.push({ src: s, dst: d, ports });
    }
  }
  // (d): open to open
  for (const s of openEgress) for (const d of openIngress) classPairs.push({ src: s, dst: d, ports: PortSetTable.ALL });

  const ipIngress = ingressSig.map((s) => ({ v4: s.v4, v6: s.v6 }));
  const ipEgress = egressSig.map((s) => ({ v4: s.v4, v6: s.v6 }));
  return {
    world,
    table,
    classes,
    classOf,
    classPairs,
    ipIngress,
    ipEgress,
    isolation: { Ingress: isoIngress, Egress: isoEgress },
  };
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
