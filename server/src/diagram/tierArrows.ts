// Stage 4e: what the admin tiers deny (docs/semantics.md D.3). With admin policies in the
// workspace, the effective view also draws, in their own style, the arrows that NetworkPolicies
// alone would allow and that an admin (or baseline) Deny takes away: between the namespace's
// units, with workloads of other namespaces, and to outside addresses (egress: admin ingress rules
// never name addresses). Where a pair keeps some ports, its connection arrow gets a note instead.

import type { Connectivity } from '../analysis/connectivity';
import type { Endpoint } from '../analysis/evaluate';
import { type Family, familyMax, type IpSegment } from '../analysis/ipset';
import type { Direction } from '../analysis/policy';
import type { Workload } from '../analysis/world';
import type { DrawContext } from './context';
import type { PendingEdge } from './edges';
import { dirName } from './explain';
import { addressNode, type AddressRanges, drawPeer } from './nodes';
import { isOpen, relation } from './relations';
import { representatives, type Unit } from './units';

/** Draws the denied arrows (no-op without a NetworkPolicies-only connectivity). */
export function drawDeniedArrows(ctx: DrawContext): void {
  const np = ctx.npOnly;
  if (!np) return;
  const peerNodes = peerNodeIndex(ctx);
  const { classes, ports, units } = ctx;
  const local = new Map<number, number>();
  for (const cp of np.classPairs) {
    const sIn = classes.internal[cp.src] === 1;
    const dIn = classes.internal[cp.dst] === 1;
    if (!sIn && !dIn) continue;
    let npPorts = local.get(cp.ports);
    if (npPorts === undefined) local.set(cp.ports, (npPorts = ports.of(np.table.get(cp.ports))));
    const denied = ports.minus(npPorts, relation(classes, cp.src, cp.dst));
    if (!denied) continue;
    const ends = (c: number, inside: boolean): Array<{ id: string; ws: readonly Workload[] }> =>
      inside
        ? (units.ofClass.get(c) ?? []).map((u: Unit) => ({ id: u.id, ws: u.members }))
        : peerOf(ctx, peerNodes, ctx.conn.classes[c]);
    const direction = sIn && dIn ? 'internal' : sIn ? 'egress' : 'ingress';
    for (const a of ends(cp.src, sIn)) {
      for (const b of ends(cp.dst, dIn)) {
        if (a.id === b.id && a.ws.length < 2) continue;
        addDenied(ctx, {
          from: a.id,
          to: b.id,
          kind: 'denied',
          direction,
          ports: ports.label(denied),
          rules: [],
          notes: [],
          admin: 'denied',
          explain: () => ctx.explain.denied(representatives(ctx, a.ws), representatives(ctx, b.ws), denied),
        });
      }
    }
  }
  drawDeniedAddresses(ctx, np);
}

/** A denied arrow, or a note on the connection arrow that the pair already has. */
function addDenied(ctx: DrawContext, e: PendingEdge): void {
  const prev = ctx.edges.get(e.from, e.to);
  if (!prev) {
    ctx.edges.add(e);
    return;
  }
  if (prev.kind === 'denied') return;
  prev.notes.push(`The admin tiers deny ${e.ports} here, which NetworkPolicies alone would allow`);
}

/** Workload key -> the peer node that already shows it. */
function peerNodeIndex(ctx: DrawContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of ctx.nodes.nodes.values()) {
    if (n.kind === 'peer') for (const w of n.workloads) out.set(`${w.namespace}/${w.name}/${w.kind}`, n.id);
  }
  return out;
}

/** The node(s) of an outside class: the peer node that shows it, or new ones. */
function peerOf(
  ctx: DrawContext,
  index: Map<string, string>,
  members: readonly Workload[],
): Array<{ id: string; ws: readonly Workload[] }> {
  const groups = ctx.merge ? [members] : members.map((w) => [w]);
  return groups.map((ws) => {
    const key = `${ws[0].namespace}/${ws[0].name}/${ws[0].kind}`;
    let id = index.get(key);
    if (!id) {
      id = drawPeer(ctx, ws);
      for (const w of ws) index.set(`${w.namespace}/${w.name}/${w.kind}`, id);
    }
    return { id, ws };
  });
}

/** Ports of the segment that contains `ip` (0: none). */
function at(segs: readonly IpSegment[], ip: bigint): number {
  for (const s of segs) if (s.lo <= ip && ip <= s.hi) return s.ports;
  return 0;
}

/** Egress to outside addresses: ranges NetworkPolicies alone allow and the admin tiers deny. */
function drawDeniedAddresses(ctx: DrawContext, np: Connectivity): void {
  const d: Direction = 'Egress';
  for (const u of ctx.units.list) {
    const c = ctx.merge ? u.classes[0] : ctx.conn.classOf[u.members[0].id];
    if (isOpen(ctx.conn, c, d)) continue;
    const byPorts = new Map<number, AddressRanges>();
    for (const f of [4, 6] as const) {
      const npSegs = f === 4 ? np.ipEgress[c].v4 : np.ipEgress[c].v6;
      const effSegs = f === 4 ? ctx.conn.ipEgress[c].v4 : ctx.conn.ipEgress[c].v6;
      for (const [lo, hi] of pieces(f, npSegs, effSegs)) {
        const npPorts = ctx.ports.of(np.table.get(at(npSegs, lo)));
        const denied = ctx.ports.minus(npPorts, ctx.ports.fromConnectivity(at(effSegs, lo)));
        if (!denied) continue;
        let b = byPorts.get(denied);
        if (!b) byPorts.set(denied, (b = { 4: [], 6: [] }));
        const last = b[f][b[f].length - 1];
        if (last && last[1] + 1n === lo) last[1] = hi;
        else b[f].push([lo, hi]);
      }
    }
    for (const [denied, ranges] of [...byPorts].sort((a, b) => a[0] - b[0])) {
      const id = addressNode(ctx.nodes, ranges);
      const probes: Endpoint[] = ([4, 6] as const).flatMap((f) =>
        ranges[f].map(([lo]): Endpoint => ({ kind: 'ip', family: f, ip: lo })),
      );
      addDenied(ctx, {
        from: u.id,
        to: id,
        kind: 'denied',
        direction: dirName(d),
        ports: ctx.ports.label(denied),
        rules: [],
        notes: [],
        admin: 'denied',
        explain: () => ctx.explain.denied(representatives(ctx, u.members), [], denied, probes),
      });
    }
  }
}

/** The pieces of one family between every boundary of two segment lists. */
function pieces(f: Family, a: readonly IpSegment[], b: readonly IpSegment[]): Array<[bigint, bigint]> {
  const pts = new Set<bigint>([0n]);
  for (const s of [...a, ...b]) pts.add(s.lo).add(s.hi + 1n);
  const max = familyMax(f);
  const sorted = [...pts].filter((x) => x <= max).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return sorted.map((lo, i) => [lo, i + 1 < sorted.length ? sorted[i + 1] - 1n : max]);
}
