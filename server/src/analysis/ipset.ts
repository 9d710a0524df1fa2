// IPv4/IPv6 addresses, CIDRs and range sets. Addresses are bigints so both families share one
// implementation; a set is a sorted list of disjoint inclusive [lo, hi] ranges of one family.

export type Family = 4 | 6;

export interface Cidr {
  readonly family: Family;
  /** The address as written (before masking). */
  readonly addr: bigint;
  readonly prefix: number;
  /** Network (masked) range. */
  readonly lo: bigint;
  readonly hi: bigint;
  /** Canonical text of the network, e.g. 10.0.0.0/24 or 2001:db8::/64. */
  readonly canonical: string;
  /** Problems a strict parser or the API server's warnings would raise (docs/semantics.md C.19). */
  readonly warnings: readonly string[];
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export function familyMax(f: Family): bigint {
  return f === 4 ? V4_MAX : V6_MAX;
}

interface ParsedIp {
  family: Family;
  value: bigint;
  leadingZeros: boolean;
  mapped: boolean;
}

function parseV4(s: string): { value: bigint; leadingZeros: boolean } | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  let lz = false;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    if (p.length > 1 && p[0] === '0') lz = true;
    v = (v << 8n) | BigInt(n);
  }
  return { value: v, leadingZeros: lz };
}

function parseV6(s: string): { value: bigint; mapped: boolean; leadingZeros: boolean } | null {
  if (s.includes('%')) return null;
  let leadingZeros = false;
  let str = s;
  // an embedded IPv4 address in the last 32 bits becomes two hex groups
  const lastColon = str.lastIndexOf(':');
  if (lastColon !== -1 && str.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(str.slice(lastColon + 1));
    if (!v4) return null;
    if (v4.leadingZeros) leadingZeros = true;
    str = `${str.slice(0, lastColon + 1)}${(v4.value >> 16n).toString(16)}:${(v4.value & 0xffffn).toString(16)}`;
  }
  const dbl = str.indexOf('::');
  if (dbl !== -1 && str.indexOf('::', dbl + 1) !== -1) return null;
  const parseGroups = (part: string): bigint[] | null => {
    if (part === '') return [];
    const out: bigint[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  let groups: bigint[];
  if (dbl !== -1) {
    const head = parseGroups(str.slice(0, dbl));
    const rest = parseGroups(str.slice(dbl + 2));
    if (!head || !rest) return null;
    const fill = 8 - head.length - rest.length;
    if (fill < 1) return null;
    groups = [...head, ...Array<bigint>(fill).fill(0n), ...rest];
  } else {
    const g = parseGroups(str);
    if (!g || g.length !== 8) return null;
    groups = g;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | g;
  return { value: v, mapped: v >> 32n === 0xffffn, leadingZeros };
}

export function parseIp(s: string): ParsedIp | null {
  if (s.includes(':')) {
    const r = parseV6(s);
    return r ? { family: 6, value: r.value, leadingZeros: r.leadingZeros, mapped: r.mapped } : null;
  }
  const r = parseV4(s);
  return r ? { family: 4, value: r.value, leadingZeros: r.leadingZeros, mapped: false } : null;
}

export function formatV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((sh) => String((v >> sh) & 255n)).join('.');
}

/** RFC 5952 text of an IPv6 address. */
export function formatV6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // longest run of zeros (length >= 2), first one on ties
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number): string => g.toString(16);
  if (bestStart === -1) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}

export function formatIp(v: bigint, f: Family): string {
  return f === 4 ? formatV4(v) : formatV6(v);
}

/** Parses a CIDR as the API server's legacy (non-strict) validation does. null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash === -1 || text !== text.trim()) return null;
  const ipText = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(lenText)) return null;
  const ip = parseIp(ipText);
  if (!ip) return null;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = Number(lenText);
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const lo = (ip.value >> hostBits) << hostBits;
  const hi = lo | ((1n << hostBits) - 1n);
  const canonical = `${formatIp(lo, ip.family)}/${prefix}`;
  const warnings: string[] = [];
  if (lo !== ip.value) {
    warnings.push(
      `bits are set beyond the prefix length: did you mean ${canonical} or ${formatIp(ip.value, ip.family)}/${bits}?`,
    );
  }
  if (ip.leadingZeros) warnings.push('has leading zeros, which future API servers will reject');
  if (ip.mapped) warnings.push('is an IPv4-mapped IPv6 address, which future API servers will reject');
  if (ip.family === 6 && !ip.mapped && ipText !== formatV6(ip.value) && lo === ip.value) {
    warnings.push(`is not in canonical (RFC 5952) form: ${canonical}`);
  }
  return { family: ip.family, addr: ip.value, prefix, lo, hi, canonical, warnings };
}

// ------------------------------------------------------------------------------ range sets

export type IpRanges = ReadonlyArray<readonly [bigint, bigint]>;

export function subtractIpRanges(a: IpRanges, b: IpRanges): Array<[bigint, bigint]> {
  let cur: Array<[bigint, bigint]> = a.map(([x, y]) => [x, y]);
  for (const [blo, bhi] of b) {
    const next: Array<[bigint, bigint]> = [];
    for (const [lo, hi] of cur) {
      if (bhi < lo || blo > hi) {
        next.push([lo, hi]);
        continue;
      }
      if (blo > lo) next.push([lo, blo - 1n]);
      if (bhi < hi) next.push([bhi + 1n, hi]);
    }
    cur = next;
  }
  return cur;
}

export function ipRangesContain(r: IpRanges, v: bigint): boolean {
  for (const [lo, hi] of r) if (lo <= v && v <= hi) return true;
  return false;
}

/** Text of a range: a CIDR when it is exactly one, else `lo-hi` (or one address). */
export function formatIpRange(lo: bigint, hi: bigint, f: Family): string {
  if (lo === hi) return formatIp(lo, f);
  const size = hi - lo + 1n;
  if ((size & (size - 1n)) === 0n && lo % size === 0n) {
    let bits = 0;
    for (let s = size; s > 1n; s >>= 1n) bits++;
    return `${formatIp(lo, f)}/${(f === 4 ? 32 : 128) - bits}`;
  }
  return `${formatIp(lo, f)}-${formatIp(hi, f)}`;
}

/** Splits a range into the minimal list of CIDRs covering it exactly. */
export function rangeToCidrs(lo: bigint, hi: bigint, f: Family): string[] {
  const bits = f === 4 ? 32 : 128;
  const out: string[] = [];
  let cur = lo;
  while (cur <= hi) {
    let size = 1n;
    let len = bits;
    while (len > 0) {
      const next = size << 1n;
      if (cur % next !== 0n || cur + next - 1n > hi) break;
      size = next;
      len--;
    }
    out.push(`${formatIp(cur, f)}/${len}`);
    cur += size;
  }
  return out;
}

/** A piecewise-constant map over one address family: ranges of addresses to a port-set id. */
export interface IpSegment {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly ports: number;
}

/**
 * Unions (range -> port-set id) entries into disjoint segments; `union` combines ids. Adjacent
 * segments with the same id are merged and empty (id 0) segments are dropped.
 */
export function sweepIpMap(
  entries: ReadonlyArray<{ lo: bigint; hi: bigint; ports: number }>,
  union: (a: number, b: number) => number,
): IpSegment[] {
  if (!entries.length) return [];
  const pts = new Set<bigint>();
  for (const e of entries) {
    pts.add(e.lo);
    pts.add(e.hi + 1n);
  }
  const sorted = [...pts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpSegment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const lo = sorted[i];
    const hi = sorted[i + 1] - 1n;
    let id = 0;
    for (const e of entries) if (e.lo <= lo && hi <= e.hi) id = union(id, e.ports);
    if (id === 0) continue;
    const last = out[out.length - 1];
    if (last && last.ports === id && last.hi + 1n === lo) out[out.length - 1] = { lo: last.lo, hi, ports: id };
    else out.push({ lo, hi, ports: id });
  }
  return out;
}
