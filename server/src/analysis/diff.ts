// What changes between two sets of manifests (a base and a head, e.g. the main branch and a pull
// request): connections that appear, disappear or change their ports. Pure: two Connectivity
// results in, a list of differences out. Workloads are matched by namespace/name[Kind]; external
// addresses are compared range by range over both sides' boundaries, so how ipBlocks split the
// address space does not matter.

import type { Connectivity } from './connectivity';
import { forEachPair } from './connectivity';
import { type Family, familyMax, formatIpRange, type IpSegment, rangeToCidrs } from './ipset';
import { EMPTY_PORTS, isEmptyPorts, type PortSet, portsKey, subtractPorts } from './ports';

export type DiffEnd = { readonly workload: string } | { readonly ips: readonly string[]; readonly family: Family };

export interface ConnectionChange {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly src: DiffEnd;
  readonly dst: DiffEnd;
  /** Ports allowed before (empty when added) and after (empty when removed). */
  readonly before: PortSet;
  readonly after: PortSet;
}

export interface ConnectivityDiff {
  readonly changes: readonly ConnectionChange[];
  /**
   * Workloads only in the base / only in the head, with how many connections (listing entries)
   * they had / have; those connections are in `changes` only with `all`.
   */
  readonly workloadsRemoved: ReadonlyArray<{ readonly workload: string; readonly connections: number }>;
  readonly workloadsAdded: ReadonlyArray<{ readonly workload: string; readonly connections: number }>;
}

export interface DiffOptions {
  /** Keep only changes with an end in this namespace. */
  readonly namespace?: string;
  /** List the connections of added and removed workloads too (by default they are counted). */
  readonly all?: boolean;
}

const EMPTY: PortSet = EMPTY_PORTS;

function samePorts(a: PortSet, b: PortSet): boolean {
  return portsKey(a) === portsKey(b);
}

function kindOf(before: PortSet, after: PortSet): ConnectionChange['kind'] {
  return isEmptyPorts(before) ? 'added' : isEmptyPorts(after) ? 'removed' : 'changed';
}

/** Workload pairs with their ports, keyed `src\u0000dst` by workload key. */
function pairMap(conn: Connectivity): Map<string, PortSet> {
  const m = new Map<string, PortSet>();
  forEachPair(conn, (a, b, ports) => m.set(`${a.key}\u0000${b.key}`, conn.table.get(ports)));
  return m;
}

/** Per workload key and direction: its external segments of one family. */
function ipSegments(
  conn: Connectivity,
  family: Family,
): Map<string, { in: readonly IpSegment[]; out: readonly IpSegment[] }> {
  const m = new Map<string, { in: readonly IpSegment[]; out: readonly IpSegment[] }>();
  const fam = family === 4 ? 'v4' : 'v6';
  conn.classes.forEach((members, c) => {
    for (const w of members) m.set(w.key, { in: conn.ipIngress[c][fam], out: conn.ipEgress[c][fam] });
  });
  return m;
}

/**
 * The ranges where two segment lists (sorted, disjoint; gaps allow nothing) give different ports,
 * adjacent ranges with the same before/after merged.
 */
function segmentChanges(
  a: readonly IpSegment[],
  ta: Connectivity,
  b: readonly IpSegment[],
  tb: Connectivity,
  family: Family,
): Array<{ lo: bigint; hi: bigint; before: PortSet; after: PortSet }> {
  const cuts = new Set<bigint>([0n, familyMax(family) + 1n]);
  for (const s of [...a, ...b]) {
    cuts.add(s.lo);
    cuts.add(s.hi + 1n);
  }
  const points = [...cuts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const at = (segs: readonly IpSegment[], v: bigint, t: Connectivity): PortSet => {
    let lo = 0;
    let hi = segs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].hi < v) lo = mid + 1;
      else if (segs[mid].lo > v) hi = mid - 1;
      else return t.table.get(segs[mid].ports);
    }
    return EMPTY;
  };
  const out: Array<{ lo: bigint; hi: bigint; before: PortSet; after: PortSet }> = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i];
    const hi = points[i + 1] - 1n;
    const before = at(a, lo, ta);
    const after = at(b, lo, tb);
    if (samePorts(before, after)) continue;
    const last = out[out.length - 1];
    if (last && last.hi + 1n === lo && samePorts(last.before, before) && samePorts(last.after, after)) last.hi = hi;
    else out.push({ lo, hi, before, after });
  }
  return out;
}

function ipsOf(lo: bigint, hi: bigint, family: Family): string[] {
  return family === 4 ? [formatIpRange(lo, hi, family)] : rangeToCidrs(lo, hi, family);
}

/** The differences from `base` to `head`. */
export function diffConnectivity(base: Connectivity, head: Connectivity, opts: DiffOptions = {}): ConnectivityDiff {
  const ns = opts.namespace;
  const inNs = (key: string): boolean => !ns || key.startsWith(`${ns}/`);
  const keep = (a: string | null, b: string | null): boolean =>
    !ns || (a !== null && inNs(a)) || (b !== null && inNs(b));
  const changes: ConnectionChange[] = [];
  const keysB = new Set(base.world.workloads.map((w) => w.key));
  const keysA = new Set(head.world.workloads.map((w) => w.key));
  /** Connections of workloads that exist on one side only, counted per workload. */
  const oneSided = new Map<string, number>();
  const onlyOneSide = (k: string): boolean => keysB.has(k) !== keysA.has(k);
  const record = (c: ConnectionChange): void => {
    const ends = [c.src, c.dst].filter((e): e is { workload: string } => 'workload' in e).map((e) => e.workload);
    const lone = ends.filter(onlyOneSide);
    for (const k of lone) oneSided.set(k, (oneSided.get(k) ?? 0) + 1);
    if (!lone.length || opts.all) changes.push(c);
  };
  // workload pairs
  const before = pairMap(base);
  const after = pairMap(head);
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(k) ?? EMPTY;
    const a = after.get(k) ?? EMPTY;
    if (samePorts(b, a)) continue;
    const [src, dst] = k.split('\u0000');
    if (!keep(src, dst)) continue;
    record({ kind: kindOf(b, a), src: { workload: src }, dst: { workload: dst }, before: b, after: a });
  }
  // external addresses, per workload present on either side
  for (const family of [4, 6] as const) {
    const sb = ipSegments(base, family);
    const sa = ipSegments(head, family);
    for (const key of new Set([...sb.keys(), ...sa.keys()])) {
      if (!keep(key, null)) continue;
      const b = sb.get(key) ?? { in: [], out: [] };
      const a = sa.get(key) ?? { in: [], out: [] };
      for (const dir of ['in', 'out'] as const) {
        for (const c of segmentChanges(b[dir], base, a[dir], head, family)) {
          const ips: DiffEnd = { ips: ipsOf(c.lo, c.hi, family), family };
          const me: DiffEnd = { workload: key };
          record({
            kind: kindOf(c.before, c.after),
            src: dir === 'in' ? ips : me,
            dst: dir === 'in' ? me : ips,
            before: c.before,
            after: c.after,
          });
        }
      }
    }
  }
  const side = (from: Set<string>, other: Set<string>): Array<{ workload: string; connections: number }> =>
    [...from]
      .filter((k) => !other.has(k) && (inNs(k) || oneSided.has(k)))
      .sort()
      .map((k) => ({ workload: k, connections: oneSided.get(k) ?? 0 }));
  return { changes, workloadsRemoved: side(keysB, keysA), workloadsAdded: side(keysA, keysB) };
}

/** Ports gained and lost by a change. */
export function portDelta(c: ConnectionChange): { gained: PortSet; lost: PortSet } {
  return { gained: subtractPorts(c.after, c.before), lost: subtractPorts(c.before, c.after) };
}
