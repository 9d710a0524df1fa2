// The admin tiers in the fast engine (docs/semantics.md D.3): after connectivity.ts has computed
// what NetworkPolicies allow per signature, every class that an admin policy selects for a
// direction gets a tiered signature: per remote class and per piece of outside addresses, the
// Admin tier's accepted ports, plus the ports that leave it decided by the NetworkPolicies (when
// they isolate the class) or by the Baseline tier and the default. tierEval.ts is the readable
// definition; the random cross-check compares the two.

import { Bits } from './bits';
import { type Family, familyMax, type IpSegment } from './ipset';
import type { Direction } from './policy';
import { PortSetTable } from './ports';
import type { Selector } from './selectors';
import { tierRulePorts } from './tierEval';
import type { TieredPolicy, TieredRule } from './tiered';
import type { Workload } from './world';

/** What the tier step needs of the class index of connectivity.ts. */
export interface TierClassIndex {
  readonly n: number;
  readonly empty: Bits;
  select(sel: Selector): Bits;
  inNamespaces(sel: Selector): Bits;
}

/** A direction's result per signature, as connectivity.ts keeps it. */
export interface TierSig {
  readonly dense: Int32Array | null;
  readonly list: Int32Array;
  readonly v4: readonly IpSegment[];
  readonly v6: readonly IpSegment[];
}

export interface TierInput {
  readonly table: PortSetTable;
  readonly index: TierClassIndex;
  readonly rep: readonly Workload[];
  readonly admin: readonly TieredPolicy[];
  readonly baseline: readonly TieredPolicy[];
  /** The signature of a class that nothing isolates (everything allowed). */
  readonly open: TierSig;
  readonly namedPortsKey: (w: Workload) => string;
  readonly check: () => void;
}

/** A rule with its peers as class bits and address ranges. */
interface CompiledRule {
  readonly rule: TieredRule;
  readonly classes: Bits | null;
  readonly nets: Record<Family, Array<[bigint, bigint]>>;
}

/** Replaces, in place, the signatures of the classes that admin policies select. */
export function applyTierSignatures(inp: TierInput, sigs: { egress: TierSig[]; ingress: TierSig[] }): void {
  const ctx = new TierContext(inp);
  for (const dir of ['Egress', 'Ingress'] as const) {
    const out = dir === 'Egress' ? sigs.egress : sigs.ingress;
    const cache = new Map<string, TierSig>();
    const admin = inp.admin.map((p) => ctx.selected(p, dir));
    const baseline = inp.baseline.map((p) => ctx.selected(p, dir));
    for (let c = 0; c < inp.index.n; c++) {
      if (c % 64 === 0) inp.check();
      const a = admin.flatMap((bits, i) => (bits?.has(c) ? [i] : []));
      const b = baseline.flatMap((bits, i) => (bits?.has(c) ? [i] : []));
      if (!a.length && !b.length) continue;
      const np = out[c];
      const named = dir === 'Ingress' ? inp.namedPortsKey(inp.rep[c]) : '';
      const key = `${a.join(',')}|${b.join(',')}|${ctx.sigId(np)}|${named}`;
      let s = cache.get(key);
      if (!s) {
        const rulesA = a.flatMap((i) => ctx.compiled(inp.admin[i], dir));
        const rulesB = b.flatMap((i) => ctx.compiled(inp.baseline[i], dir));
        cache.set(key, (s = ctx.compute(dir, c, np, rulesA, rulesB)));
      }
      out[c] = s;
    }
  }
}

class TierContext {
  private readonly sigIds = new Map<TierSig, number>();
  private readonly rules = new Map<TieredRule, CompiledRule>();
  private readonly plain = new Map<TieredRule, number>();
  private readonly named = new Map<string, number>();
  private readonly ruleIds = new Map<TieredRule, number>();

  constructor(private readonly inp: TierInput) {}

  sigId(s: TierSig): number {
    let id = this.sigIds.get(s);
    if (id === undefined) this.sigIds.set(s, (id = this.sigIds.size));
    return id;
  }

  /** The classes a policy's subject selects, when it has rules for the direction. */
  selected(p: TieredPolicy, dir: Direction): Bits | null {
    if (!(dir === 'Ingress' ? p.ingress : p.egress).length) return null;
    const { index } = this.inp;
    const s = p.subject;
    return s.kind === 'namespaces'
      ? index.inNamespaces(s.namespaces)
      : index.inNamespaces(s.namespaceSelector).and(index.select(s.podSelector));
  }

  compiled(p: TieredPolicy, dir: Direction): CompiledRule[] {
    return (dir === 'Ingress' ? p.ingress : p.egress).map((rule) => {
      let cr = this.rules.get(rule);
      if (!cr) this.rules.set(rule, (cr = this.compile(rule)));
      return cr;
    });
  }

  private compile(rule: TieredRule): CompiledRule {
    const { index } = this.inp;
    let classes: Bits | null = null;
    const nets: Record<Family, Array<[bigint, bigint]>> = { 4: [], 6: [] };
    for (const peer of rule.peers) {
      let bits: Bits | null = null;
      if (peer.kind === 'namespaces') bits = index.inNamespaces(peer.namespaces);
      else if (peer.kind === 'pods') {
        bits = index.inNamespaces(peer.namespaceSelector).and(index.select(peer.podSelector));
      } else if (peer.kind === 'networks') for (const c of peer.cidrs) nets[c.family].push([c.lo, c.hi]);
      if (bits) {
        if (!classes) classes = new Bits(index.n);
        classes.orInPlace(bits);
      }
    }
    return { rule, classes, nets };
  }

  /** The port-set id a rule matches towards a receiving class (null: an outside address). */
  private ports(r: TieredRule, receiver: number | null): number {
    const { table, rep, namedPortsKey } = this.inp;
    if (receiver === null || !r.ports?.some((p) => p.kind === 'named')) {
      let id = this.plain.get(r);
      if (id === undefined) this.plain.set(r, (id = table.intern(tierRulePorts(r, null))));
      return id;
    }
    let rid = this.ruleIds.get(r);
    if (rid === undefined) this.ruleIds.set(r, (rid = this.ruleIds.size));
    const key = `${rid}\u0000${namedPortsKey(rep[receiver])}`;
    let id = this.named.get(key);
    if (id === undefined) this.named.set(key, (id = table.intern(tierRulePorts(r, rep[receiver]))));
    return id;
  }

  /**
   * docs/semantics.md D.3 for one remote end: `hit(rule)` says whether the rule's peers match it, `receiver` is the
   * class whose named ports count, `np` what NetworkPolicies allow (null: they do not isolate).
   */
  private decide(
    rulesA: readonly CompiledRule[],
    rulesB: readonly CompiledRule[],
    hit: (r: CompiledRule) => boolean,
    receiver: number | null,
    np: number | null,
  ): number {
    const t = this.inp.table;
    let undecided = PortSetTable.ALL;
    let accepted = PortSetTable.EMPTY;
    let passed = PortSetTable.EMPTY;
    for (const r of rulesA) {
      if (undecided === PortSetTable.EMPTY) break;
      if (!hit(r)) continue;
      const h = t.intersect(undecided, this.ports(r.rule, receiver));
      if (h === PortSetTable.EMPTY) continue;
      if (r.rule.action === 'Accept') accepted = t.union(accepted, h);
      else if (r.rule.action === 'Pass') passed = t.union(passed, h);
      undecided = t.subtract(undecided, h);
    }
    let rest = t.union(undecided, passed);
    if (np !== null) return t.union(accepted, t.intersect(rest, np));
    let open = rest;
    for (const r of rulesB) {
      if (open === PortSetTable.EMPTY) break;
      if (!hit(r)) continue;
      const h = t.intersect(open, this.ports(r.rule, receiver));
      if (r.rule.action === 'Deny') rest = t.subtract(rest, h);
      open = t.subtract(open, h);
    }
    return t.union(accepted, rest);
  }

  compute(dir: Direction, self: number, np: TierSig, rulesA: CompiledRule[], rulesB: CompiledRule[]): TierSig {
    const { n } = this.inp.index;
    const isolated = np !== this.inp.open;
    const dense = new Int32Array(n);
    let allOpen = true;
    for (let r = 0; r < n; r++) {
      const npPorts = isolated ? np.dense![r] : null;
      const receiver = dir === 'Ingress' ? self : r;
      dense[r] = this.decide(rulesA, rulesB, (cr) => !!cr.classes?.has(r), receiver, npPorts);
      if (dense[r] !== PortSetTable.ALL) allOpen = false;
    }
    const v4 = this.addresses(4, dir, self, np, isolated, rulesA, rulesB);
    const v6 = this.addresses(6, dir, self, np, isolated, rulesA, rulesB);
    const full = (segs: IpSegment[], f: Family): boolean =>
      segs.length === 1 && segs[0].lo === 0n && segs[0].hi === familyMax(f) && segs[0].ports === PortSetTable.ALL;
    if (allOpen && full(v4, 4) && full(v6, 6)) return this.inp.open;
    let count = 0;
    for (let r = 0; r < n; r++) if (dense[r]) count++;
    const list = new Int32Array(count);
    count = 0;
    for (let r = 0; r < n; r++) if (dense[r]) list[count++] = r;
    return { dense, list, v4, v6 };
  }

  /** The outside addresses of one family, piece by piece between every boundary that matters. */
  private addresses(
    f: Family,
    dir: Direction,
    self: number,
    np: TierSig,
    isolated: boolean,
    rulesA: CompiledRule[],
    rulesB: CompiledRule[],
  ): IpSegment[] {
    const npSegs = f === 4 ? np.v4 : np.v6;
    const pts = new Set<bigint>([0n]);
    for (const r of [...rulesA, ...rulesB]) for (const [lo, hi] of r.nets[f]) pts.add(lo).add(hi + 1n);
    if (isolated) for (const s of npSegs) pts.add(s.lo).add(s.hi + 1n);
    const max = familyMax(f);
    const sorted = [...pts].filter((x) => x <= max).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: IpSegment[] = [];
    const receiver = dir === 'Ingress' ? self : null;
    for (let i = 0; i < sorted.length; i++) {
      const lo = sorted[i];
      const hi = i + 1 < sorted.length ? sorted[i + 1] - 1n : max;
      const npPorts = isolated ? (npSegs.find((s) => s.lo <= lo && lo <= s.hi)?.ports ?? 0) : null;
      const inside = (cr: CompiledRule): boolean => cr.nets[f].some(([a, b]) => a <= lo && lo <= b);
      const ports = this.decide(rulesA, rulesB, inside, receiver, npPorts);
      if (!ports) continue;
      const last = out[out.length - 1];
      if (last && last.ports === ports && last.hi + 1n === lo) out[out.length - 1] = { lo: last.lo, hi, ports };
      else out.push({ lo, hi, ports });
    }
    return out;
  }
}
