// Connectivity listings: the conformance JSON schema, netpol-analyzer-style text, and Markdown.

import { type Connectivity, forEachPair } from './connectivity';
import { mdText, textLine } from './escape';
import { type Family, formatIpRange, type IpSegment, rangeToCidrs } from './ipset';
import { describePorts, portsToJson } from './ports';
import type { Workload } from './world';

export interface WorkloadJson {
  namespace: string;
  name: string;
  kind: string;
}

export type PeerJson = { workload: WorkloadJson } | { ips: string[] };

export interface ConnectionJson {
  src: PeerJson;
  dst: PeerJson;
  ports: ReturnType<typeof portsToJson>;
}

export interface ConnectivityJson {
  connections: ConnectionJson[];
  ipv6Connections: ConnectionJson[];
  workloads: WorkloadJson[];
}

export interface ListingOptions {
  /** Keep only connections with an end in this namespace. */
  readonly namespace?: string;
}

function wj(w: Workload): WorkloadJson {
  return { namespace: w.namespace, name: w.name, kind: w.kind };
}

/** One listing entry, before formatting. */
export interface ListingEntry {
  readonly src: Workload | { ips: string[]; family: Family };
  readonly dst: Workload | { ips: string[]; family: Family };
  readonly ports: number;
}

function groupSegments(segs: readonly IpSegment[], family: Family): Map<number, string[]> {
  const by = new Map<number, string[]>();
  for (const s of segs) {
    let l = by.get(s.ports);
    if (!l) by.set(s.ports, (l = []));
    // IPv4 ranges may be written a-b; IPv6 ones are listed as CIDRs
    if (family === 4) l.push(formatIpRange(s.lo, s.hi, family));
    else l.push(...rangeToCidrs(s.lo, s.hi, family));
  }
  return by;
}

/** Every allowed connection as listing entries (workload pairs, then external addresses). */
export function listConnections(conn: Connectivity, opts: ListingOptions = {}): ListingEntry[] {
  const ns = opts.namespace;
  const keep = (a: Workload | null, b: Workload | null): boolean =>
    !ns || (!!a && a.namespace === ns) || (!!b && b.namespace === ns);
  const out: ListingEntry[] = [];
  forEachPair(conn, (a, b, ports) => {
    if (keep(a, b)) out.push({ src: a, dst: b, ports });
  });
  conn.classes.forEach((members, c) => {
    for (const family of [4, 6] as const) {
      const fam = family === 4 ? 'v4' : 'v6';
      const inG = groupSegments(conn.ipIngress[c][fam], family);
      const outG = groupSegments(conn.ipEgress[c][fam], family);
      for (const w of members) {
        if (!keep(w, null)) continue;
        for (const [ports, ips] of inG) out.push({ src: { ips, family }, dst: w, ports });
        for (const [ports, ips] of outG) out.push({ src: w, dst: { ips, family }, ports });
      }
    }
  });
  return out;
}

function isWorkload(x: ListingEntry['src']): x is Workload {
  return (x as Workload).key !== undefined;
}

export function toJson(conn: Connectivity, opts: ListingOptions = {}): ConnectivityJson {
  const connections: ConnectionJson[] = [];
  const ipv6Connections: ConnectionJson[] = [];
  const peer = (x: ListingEntry['src']): PeerJson => (isWorkload(x) ? { workload: wj(x) } : { ips: x.ips });
  for (const e of listConnections(conn, opts)) {
    const item: ConnectionJson = { src: peer(e.src), dst: peer(e.dst), ports: portsToJson(conn.table.get(e.ports)) };
    const v6 = (!isWorkload(e.src) && e.src.family === 6) || (!isWorkload(e.dst) && e.dst.family === 6);
    (v6 ? ipv6Connections : connections).push(item);
  }
  const workloads = conn.world.workloads.filter((w) => !opts.namespace || w.namespace === opts.namespace).map(wj);
  return { connections, ipv6Connections, workloads };
}

/**
 * The same document as toJson(), written as compact text in chunks: one connection per line, no
 * intermediate object tree (large workspaces list hundreds of thousands of connections).
 */
export function writeJson(conn: Connectivity, opts: ListingOptions, write: (chunk: string) => void): void {
  const portsText = new Map<number, string>();
  const ports = (id: number): string => {
    let t = portsText.get(id);
    if (t === undefined) portsText.set(id, (t = JSON.stringify(portsToJson(conn.table.get(id)))));
    return t;
  };
  const wlText = new Map<Workload, string>();
  const peer = (x: ListingEntry['src']): string => {
    if (!isWorkload(x)) return `{"ips":${JSON.stringify(x.ips)}}`;
    let t = wlText.get(x);
    if (t === undefined) wlText.set(x, (t = `{"workload":${JSON.stringify(wj(x))}}`));
    return t;
  };
  const v4: string[] = [];
  const v6: string[] = [];
  let buf: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (buf.length) write(buf.join(''));
    buf = [];
    size = 0;
  };
  const push = (t: string): void => {
    buf.push(t);
    size += t.length;
    if (size > 1 << 20) flush();
  };
  push('{"connections":[');
  let first = true;
  for (const e of listConnections(conn, opts)) {
    const line = `{"src":${peer(e.src)},"dst":${peer(e.dst)},"ports":${ports(e.ports)}}`;
    const isV6 = (!isWorkload(e.src) && e.src.family === 6) || (!isWorkload(e.dst) && e.dst.family === 6);
    if (isV6) v6.push(line);
    else if (!isWorkload(e.src) || !isWorkload(e.dst)) v4.push(line);
    else {
      push(`${first ? '' : ','}\n${line}`);
      first = false;
    }
  }
  for (const line of v4) {
    push(`${first ? '' : ','}\n${line}`);
    first = false;
  }
  push('\n],"ipv6Connections":[');
  v6.forEach((line, i) => push(`${i ? ',' : ''}\n${line}`));
  push('\n],"workloads":[');
  conn.world.workloads
    .filter((w) => !opts.namespace || w.namespace === opts.namespace)
    .forEach((w, i) => push(`${i ? ',' : ''}\n${JSON.stringify(wj(w))}`));
  push('\n]}\n');
  flush();
}

function label(x: ListingEntry['src']): string {
  return isWorkload(x) ? x.key : x.ips.join(',');
}

/** Text lines in netpol-analyzer's style: `src => dst : TCP 80,UDP 53`. */
export function toTextLines(conn: Connectivity, opts: ListingOptions = {}): string[] {
  const lines: string[] = [];
  for (const e of listConnections(conn, opts)) {
    const desc = describePorts(conn.table.get(e.ports));
    const srcs = isWorkload(e.src) ? [e.src.key] : e.src.ips;
    const dsts = isWorkload(e.dst) ? [e.dst.key] : e.dst.ips;
    for (const s of srcs) for (const d of dsts) lines.push(textLine(`${s} => ${d} : ${desc}`));
  }
  return lines.sort();
}

/** Text for a Markdown table cell: shown as written, never as markup (escape.ts). */
export const mdCell = mdText;

export function toMarkdown(conn: Connectivity, opts: ListingOptions = {}): string {
  const rows = listConnections(conn, opts)
    .map((e) => [label(e.src), label(e.dst), describePorts(conn.table.get(e.ports))])
    .sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
  const out = ['| Source | Destination | Connections |', '|---|---|---|'];
  for (const r of rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}
