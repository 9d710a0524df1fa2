// Port sets: for each protocol a sorted list of disjoint inclusive ranges. Sets are interned in a
// PortSetTable so that equal sets share one id and unions/intersections are memoised: the
// connectivity engine works on ids.

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const; // display order (as netpol-analyzer sorts)
export type Protocol = (typeof PROTOCOLS)[number];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export function isProtocol(p: unknown): p is Protocol {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP';
}

/** Flat list [lo0, hi0, lo1, hi1, ...], sorted, disjoint and non-adjacent. */
export type Ranges = readonly number[];

export interface PortSet {
  readonly SCTP: Ranges;
  readonly TCP: Ranges;
  readonly UDP: Ranges;
}

export const EMPTY_PORTS: PortSet = { SCTP: [], TCP: [], UDP: [] };
const FULL: Ranges = [MIN_PORT, MAX_PORT];
export const ALL_PORTS: PortSet = { SCTP: FULL, TCP: FULL, UDP: FULL };

export function normalizeRanges(pairs: Array<[number, number]>): number[] {
  if (!pairs.length) return [];
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [a, b] of pairs) {
    const n = out.length;
    if (n && a <= out[n - 1] + 1) {
      if (b > out[n - 1]) out[n - 1] = b;
    } else out.push(a, b);
  }
  return out;
}

export function unionRanges(a: Ranges, b: Ranges): Ranges {
  if (!a.length) return b;
  if (!b.length) return a;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i], b[i + 1]]);
  return normalizeRanges(pairs);
}

export function intersectRanges(a: Ranges, b: Ranges): Ranges {
  if (!a.length || !b.length) return [];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i], b[j]);
    const hi = Math.min(a[i + 1], b[j + 1]);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

export function subtractRanges(a: Ranges, b: Ranges): Ranges {
  if (!a.length || !b.length) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i];
    const hi = a[i + 1];
    while (j < b.length && b[j + 1] < lo) j += 2;
    let k = j;
    while (k < b.length && b[k] <= hi) {
      if (b[k] > lo) out.push(lo, b[k] - 1);
      lo = Math.max(lo, b[k + 1] + 1);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

export function portSetOf(entries: Iterable<{ protocol: Protocol; from: number; to: number }>): PortSet {
  const acc: Record<Protocol, Array<[number, number]>> = { SCTP: [], TCP: [], UDP: [] };
  for (const e of entries) acc[e.protocol].push([e.from, e.to]);
  return { SCTP: normalizeRanges(acc.SCTP), TCP: normalizeRanges(acc.TCP), UDP: normalizeRanges(acc.UDP) };
}

export function unionPorts(a: PortSet, b: PortSet): PortSet {
  return { SCTP: unionRanges(a.SCTP, b.SCTP), TCP: unionRanges(a.TCP, b.TCP), UDP: unionRanges(a.UDP, b.UDP) };
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  return {
    SCTP: intersectRanges(a.SCTP, b.SCTP),
    TCP: intersectRanges(a.TCP, b.TCP),
    UDP: intersectRanges(a.UDP, b.UDP),
  };
}

export function subtractPorts(a: PortSet, b: PortSet): PortSet {
  return { SCTP: subtractRanges(a.SCTP, b.SCTP), TCP: subtractRanges(a.TCP, b.TCP), UDP: subtractRanges(a.UDP, b.UDP) };
}

export function isEmptyPorts(p: PortSet): boolean {
  return !p.SCTP.length && !p.TCP.length && !p.UDP.length;
}

function isFull(r: Ranges): boolean {
  return r.length === 2 && r[0] === MIN_PORT && r[1] === MAX_PORT;
}

export function isAllPorts(p: PortSet): boolean {
  return isFull(p.SCTP) && isFull(p.TCP) && isFull(p.UDP);
}

export function containsPort(p: PortSet, protocol: Protocol, port: number): boolean {
  const r = p[protocol];
  for (let i = 0; i < r.length; i += 2) if (r[i] <= port && port <= r[i + 1]) return true;
  return false;
}

/** Is `a` a subset of `b`? */
export function portsSubset(a: PortSet, b: PortSet): boolean {
  return isEmptyPorts(subtractPorts(a, b));
}

export function portsKey(p: PortSet): string {
  return `${p.SCTP.join(',')}|${p.TCP.join(',')}|${p.UDP.join(',')}`;
}

/** "All Connections" | "No Connections" | "TCP 80,8080-8090,UDP 53" (netpol-analyzer's notation). */
export function describePorts(p: PortSet): string {
  if (isEmptyPorts(p)) return 'No Connections';
  if (isAllPorts(p)) return 'All Connections';
  const parts: string[] = [];
  for (const proto of PROTOCOLS) {
    const r = p[proto];
    if (!r.length) continue;
    const items: string[] = [];
    for (let i = 0; i < r.length; i += 2) items.push(r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`);
    parts.push(`${proto} ${items.join(',')}`);
  }
  return parts.join(',');
}

/** The conformance schema's port list: "all" or [{protocol, from, to}]. */
export function portsToJson(p: PortSet): 'all' | Array<{ protocol: Protocol; from: number; to: number }> {
  if (isAllPorts(p)) return 'all';
  const out: Array<{ protocol: Protocol; from: number; to: number }> = [];
  for (const proto of PROTOCOLS) {
    const r = p[proto];
    for (let i = 0; i < r.length; i += 2) out.push({ protocol: proto, from: r[i], to: r[i + 1] });
  }
  return out;
}

/** Interns port sets; id 0 is the empty set and id 1 is every port of every protocol. */
export class PortSetTable {
  static readonly EMPTY = 0;
  static readonly ALL = 1;
  private readonly sets: PortSet[] = [];
  private readonly ids = new Map<string, number>();
  private readonly unionMemo = new Map<number, number>();
  private readonly interMemo = new Map<number, number>();
  private readonly subMemo = new Map<number, number>();

  constructor() {
    this.intern(EMPTY_PORTS);
    this.intern(ALL_PORTS);
  }

  intern(p: PortSet): number {
    const k = portsKey(p);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(p);
      this.ids.set(k, id);
    }
    return id;
  }

  get(id: number): PortSet {
    return this.sets[id];
  }

  get size(): number {
    return this.sets.length;
  }

  union(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    if (a === 1 || b === 1) return 1;
    const k = a < b ? a * 1048576 + b : b * 1048576 + a;
    let r = this.unionMemo.get(k);
    if (r === undefined) {
      r = this.intern(unionPorts(this.sets[a], this.sets[b]));
      this.unionMemo.set(k, r);
    }
    return r;
  }

  /** `a` without `b`. */
  subtract(a: number, b: number): number {
    if (a === 0 || b === 0) return a;
    if (a === b || b === 1) return 0;
    const k = a * 1048576 + b;
    let r = this.subMemo.get(k);
    if (r === undefined) {
      r = this.intern(subtractPorts(this.sets[a], this.sets[b]));
      this.subMemo.set(k, r);
    }
    return r;
  }

  intersect(a: number, b: number): number {
    if (a === b || b === 1) return a;
    if (a === 1) return b;
    if (a === 0 || b === 0) return 0;
    const k = a < b ? a * 1048576 + b : b * 1048576 + a;
    let r = this.interMemo.get(k);
    if (r === undefined) {
      r = this.intern(intersectPorts(this.sets[a], this.sets[b]));
      this.interMemo.set(k, r);
    }
    return r;
  }
}
