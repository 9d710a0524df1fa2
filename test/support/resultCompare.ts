// Semantic comparison of two connectivity results in the conformance result schema (the JSON of
// `netpol-lens connectivity --format json`): what matters is which ports each source may open to
// each destination, not how the entries are split or ordered.
//
//   - Workload pairs: for every ordered pair of distinct workloads (namespace/name[kind]) the
//     unions of the listed port sets must be equal; a missing pair allows nothing.
//   - Outside addresses: `connections` and `ipv6Connections` are read alike and each IP entry is
//     sorted by its family. For every workload, both directions and both families, the allowed
//     ports are compared at probe addresses: the lowest and highest address of the family and, for
//     each range of either document, its first and last address and the addresses just outside.
//     Both documents are constant between consecutive probes, so equal probes mean equal results.
//   - Entries between two address peers, and entries of a workload with itself, are ignored.
//
// Independent of the engine: nothing here imports server code.

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
type Intervals = Array<[number, number]>;
/** Allowed ports per protocol: sorted, merged, inclusive intervals. */
export type PortSet = Record<Protocol, Intervals>;

type Family = 4 | 6;
const FAMILIES: readonly Family[] = [4, 6];
const MAX_IP: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

function merge(list: Intervals): Intervals {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Intervals = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function emptySet(): PortSet {
  return { SCTP: [], TCP: [], UDP: [] };
}

function unite(a: PortSet, b: PortSet): PortSet {
  const out = emptySet();
  for (const p of PROTOCOLS) out[p] = merge([...a[p], ...b[p]]);
  return out;
}

/** "All Connections", "No Connections", or e.g. "TCP 80,8080-8090,UDP 53". */
export function describePortSet(ps: PortSet | undefined): string {
  if (!ps || PROTOCOLS.every((p) => ps[p].length === 0)) return 'No Connections';
  if (PROTOCOLS.every((p) => ps[p].length === 1 && ps[p][0][0] === 1 && ps[p][0][1] === 65535)) {
    return 'All Connections';
  }
  return PROTOCOLS.filter((p) => ps[p].length)
    .map((p) => `${p} ${ps[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
    .join(',');
}

function readPorts(value: unknown, where: string): PortSet {
  const out = emptySet();
  if (value === 'all') {
    for (const p of PROTOCOLS) out[p] = [[1, 65535]];
    return out;
  }
  if (!Array.isArray(value)) throw new Error(`${where}: ports must be "all" or an array`);
  value.forEach((r: unknown, i) => {
    const e = r as { protocol?: unknown; from?: unknown; to?: unknown } | null;
    const at = `${where}[${i}]`;
    if (!e || typeof e !== 'object') throw new Error(`${at}: must be an object`);
    if (!PROTOCOLS.includes(e.protocol as Protocol)) throw new Error(`${at}: protocol must be TCP, UDP or SCTP`);
    const from = e.from;
    const to = e.to ?? e.from;
    if (!Number.isInteger(from) || !Number.isInteger(to)) throw new Error(`${at}: from and to must be integers`);
    if ((from as number) < 1 || (to as number) > 65535 || (to as number) < (from as number)) {
      throw new Error(`${at}: need 1 <= from <= to <= 65535, got ${String(from)}-${String(to)}`);
    }
    out[e.protocol as Protocol].push([from as number, to as number]);
  });
  for (const p of PROTOCOLS) out[p] = merge(out[p]);
  return out;
}

// ------------------------------------------------------------------------------ addresses

function parseV4(s: string): bigint | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0n;
  for (const part of m.slice(1)) {
    const v = Number(part);
    if (v > 255) return null;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.split('::').length > 2) return null;
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const hs = groups(head);
  const ts = tail === undefined ? [] : groups(tail);
  const missing = 8 - hs.length - ts.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...hs, ...Array<string>(Math.max(missing, 0)).fill('0'), ...ts];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

function parseAddress(s: string): { family: Family; n: bigint } | null {
  const v4 = parseV4(s);
  if (v4 !== null) return { family: 4, n: v4 };
  const v6 = s.includes(':') ? parseV6(s) : null;
  return v6 === null ? null : { family: 6, n: v6 };
}

interface IpRange {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** "a.b.c.d/len", "a-b" or a single address, of either family; ranges are inclusive. */
export function parseIpEntry(s: unknown): IpRange {
  if (typeof s !== 'string') throw new Error(`IP entry must be a string, got ${JSON.stringify(s)}`);
  const slash = s.indexOf('/');
  if (slash !== -1) {
    const a = parseAddress(s.slice(0, slash));
    const lenText = s.slice(slash + 1);
    const bits = a?.family === 4 ? 32 : 128;
    if (!a || !/^\d{1,3}$/.test(lenText) || Number(lenText) > bits) throw new Error(`bad CIDR '${s}'`);
    const hostBits = BigInt(bits - Number(lenText));
    const lo = (a.n >> hostBits) << hostBits;
    return { family: a.family, lo, hi: lo + (1n << hostBits) - 1n };
  }
  const dash = s.indexOf('-');
  if (dash !== -1) {
    const a = parseAddress(s.slice(0, dash));
    const b = parseAddress(s.slice(dash + 1));
    if (!a || !b || a.family !== b.family || b.n < a.n) throw new Error(`bad IP range '${s}'`);
    return { family: a.family, lo: a.n, hi: b.n };
  }
  const a = parseAddress(s);
  if (!a) throw new Error(`bad IP entry '${s}' (expected a CIDR, a range a-b, or an address)`);
  return { family: a.family, lo: a.n, hi: a.n };
}

export function formatIp(family: Family, n: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  // the longest run of two or more zero groups becomes "::" (RFC 5952)
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at === -1) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

// ------------------------------------------------------------------------------ documents

interface Segment {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly ports: PortSet;
}

interface Loaded {
  readonly pairs: Map<string, PortSet>;
  /** workload -> family -> ranges of addresses that may open connections to it */
  readonly ipIn: Map<string, Record<Family, Segment[]>>;
  /** workload -> family -> ranges of addresses it may open connections to */
  readonly ipOut: Map<string, Record<Family, Segment[]>>;
  readonly workloads: Set<string>;
  readonly probes: Record<Family, Set<bigint>>;
  readonly ignored: { selfPairs: number; ipToIp: number };
}

type Peer = { workload: string } | { ranges: IpRange[] };

function readPeer(value: unknown, where: string): Peer {
  const p = value as Record<string, unknown> | null;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error(`${where}: peer must be an object`);
  const keys = Object.keys(p);
  if (keys.length !== 1 || (keys[0] !== 'workload' && keys[0] !== 'ips')) {
    throw new Error(`${where}: peer must have exactly one of "workload" and "ips"`);
  }
  if (keys[0] === 'workload') {
    const w = p.workload as Record<string, unknown> | null;
    const bad = ['namespace', 'name', 'kind'].find((f) => !w || typeof w[f] !== 'string' || !w[f]);
    if (bad || !w) throw new Error(`${where}: workload.${bad ?? 'namespace'} must be a non-empty string`);
    return { workload: `${String(w.namespace)}/${String(w.name)}[${String(w.kind)}]` };
  }
  if (!Array.isArray(p.ips) || p.ips.length === 0) throw new Error(`${where}: ips must be a non-empty array`);
  return { ranges: p.ips.map((s: unknown, i) => ipEntryAt(s, `${where}.ips[${i}]`)) };
}

function ipEntryAt(s: unknown, at: string): IpRange {
  try {
    return parseIpEntry(s);
  } catch (e) {
    throw new Error(`${at}: ${(e as Error).message}`);
  }
}

function addProbes(set: Set<bigint>, r: IpRange): void {
  for (const x of [r.lo - 1n, r.lo, r.hi, r.hi + 1n]) if (x >= 0n && x <= MAX_IP[r.family]) set.add(x);
}

function perFamily(map: Map<string, Record<Family, Segment[]>>, w: string): Record<Family, Segment[]> {
  let v = map.get(w);
  if (!v) map.set(w, (v = { 4: [], 6: [] }));
  return v;
}

/** Reads a result document into lookup tables; throws a message naming the bad entry. */
export function loadResult(doc: unknown): Loaded {
  const d = doc as { connections?: unknown; ipv6Connections?: unknown; workloads?: unknown } | null;
  if (!d || typeof d !== 'object' || !Array.isArray(d.connections)) {
    throw new Error('the document must be an object with a "connections" array');
  }
  if (d.ipv6Connections !== undefined && !Array.isArray(d.ipv6Connections)) {
    throw new Error('"ipv6Connections" must be an array when present');
  }
  const out: Loaded = {
    pairs: new Map(),
    ipIn: new Map(),
    ipOut: new Map(),
    workloads: new Set(),
    probes: { 4: new Set([0n, MAX_IP[4]]), 6: new Set([0n, MAX_IP[6]]) },
    ignored: { selfPairs: 0, ipToIp: 0 },
  };
  if (Array.isArray(d.workloads)) {
    d.workloads.forEach((w, i) => {
      const p = readPeer({ workload: w }, `workloads[${i}]`);
      if ('workload' in p) out.workloads.add(p.workload);
    });
  }
  const lists: Array<[string, unknown[]]> = [['connections', d.connections]];
  if (Array.isArray(d.ipv6Connections)) lists.push(['ipv6Connections', d.ipv6Connections]);
  for (const [name, list] of lists) {
    list.forEach((c: unknown, i) => {
      const where = `${name}[${i}]`;
      const e = c as { src?: unknown; dst?: unknown; ports?: unknown } | null;
      if (!e || typeof e !== 'object') throw new Error(`${where}: must be an object`);
      const src = readPeer(e.src, `${where}.src`);
      const dst = readPeer(e.dst, `${where}.dst`);
      const ports = readPorts(e.ports, `${where}.ports`);
      for (const p of [src, dst]) {
        if ('workload' in p) out.workloads.add(p.workload);
        else for (const r of p.ranges) addProbes(out.probes[r.family], r);
      }
      if ('ranges' in src && 'ranges' in dst) {
        out.ignored.ipToIp++;
      } else if ('workload' in src && 'workload' in dst) {
        if (src.workload === dst.workload) out.ignored.selfPairs++;
        else {
          const k = `${src.workload} => ${dst.workload}`;
          const prev = out.pairs.get(k);
          out.pairs.set(k, prev ? unite(prev, ports) : ports);
        }
      } else if ('ranges' in src && 'workload' in dst) {
        const t = perFamily(out.ipIn, dst.workload);
        for (const r of src.ranges) t[r.family].push({ lo: r.lo, hi: r.hi, ports });
      } else if ('workload' in src && 'ranges' in dst) {
        const t = perFamily(out.ipOut, src.workload);
        for (const r of dst.ranges) t[r.family].push({ lo: r.lo, hi: r.hi, ports });
      }
    });
  }
  return out;
}

function portsAt(segments: readonly Segment[] | undefined, ip: bigint): string {
  let ps: PortSet | undefined;
  for (const s of segments ?? []) if (s.lo <= ip && ip <= s.hi) ps = ps ? unite(ps, s.ports) : s.ports;
  return describePortSet(ps);
}

export interface Comparison {
  readonly ok: boolean;
  /** One line per difference: `<src> => <dst> : expected X; actual Y`. */
  readonly diffs: string[];
  readonly notes: string[];
}

/** Compares an expected and an actual result document (see the top of this file). */
export function compareResults(expectedDoc: unknown, actualDoc: unknown): Comparison {
  const E = loadResult(expectedDoc);
  const A = loadResult(actualDoc);
  const diffs: string[] = [];
  for (const k of [...new Set([...E.pairs.keys(), ...A.pairs.keys()])].sort()) {
    const e = describePortSet(E.pairs.get(k));
    const a = describePortSet(A.pairs.get(k));
    if (e !== a) diffs.push(`${k} : expected ${e}; actual ${a}`);
  }
  const workloads = [...new Set([...E.workloads, ...A.workloads])].sort();
  for (const family of FAMILIES) {
    const probes = [...new Set([...E.probes[family], ...A.probes[family]])].sort((x, y) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    for (const w of workloads) {
      for (const dir of ['in', 'out'] as const) {
        const em = (dir === 'in' ? E.ipIn : E.ipOut).get(w)?.[family];
        const am = (dir === 'in' ? A.ipIn : A.ipOut).get(w)?.[family];
        // consecutive probes with the same two answers are reported as one range
        let run: { first: bigint; last: bigint; e: string; a: string } | undefined;
        const flush = (): void => {
          if (!run) return;
          const ips =
            run.first === run.last
              ? formatIp(family, run.first)
              : `${formatIp(family, run.first)}-${formatIp(family, run.last)}`;
          diffs.push(`${dir === 'in' ? `${ips} => ${w}` : `${w} => ${ips}`} : expected ${run.e}; actual ${run.a}`);
          run = undefined;
        };
        for (const ip of probes) {
          const e = portsAt(em, ip);
          const a = portsAt(am, ip);
          if (e === a) flush();
          else if (run && run.e === e && run.a === a) run.last = ip;
          else {
            flush();
            run = { first: ip, last: ip, e, a };
          }
        }
        flush();
      }
    }
  }
  const notes: string[] = [];
  const onlyIn = (x: Set<string>, y: Set<string>): string[] => [...x].filter((w) => !y.has(w)).sort();
  if (diffs.length) {
    const e = onlyIn(E.workloads, A.workloads);
    const a = onlyIn(A.workloads, E.workloads);
    if (e.length) notes.push(`workloads only in the expected result: ${e.join(', ')}`);
    if (a.length) notes.push(`workloads only in the actual result: ${a.join(', ')}`);
  }
  if (A.ignored.selfPairs) notes.push(`ignored ${A.ignored.selfPairs} connection(s) of a workload to itself`);
  if (A.ignored.ipToIp) notes.push(`ignored ${A.ignored.ipToIp} connection(s) between two address peers`);
  return { ok: diffs.length === 0, diffs, notes };
}
