// Stage 4e: what the admin tiers deny (docs/semantics.md D.3). With admin policies in the
// workspace, the effective view also draws, in their own style, the arrows that NetworkPolicies
// alone would allow and that an admin (or baseline) Deny takes away: between the namespace's
// units, with workloads of other namespaces, and to outside addresses (egress: admin ingress rules
// never name addresses). Where a pair keeps some ports, its connection arrow gets a note instead.

import type { Connectivity } from '../analysis/connectivity';
import type { Endpoint } from '../analysis/evaluate';
import { type Family, familyMax, type IpSegment } from '../analysis/ipset';
import type { Direction } from '../analysis/policy';
import { ALL_PORTS, type PortSet } from '../analysis/ports';
import type { Workload } from '../analysis/world';
import type { DrawContext } from './context';
import type { PendingEdge } from './edges';
import { dirName } from './explain';
import { addressNode, type AddressRanges, drawPeer, groupNode } from './nodes';
import { relation } from './relations';
import { representatives, type Unit } from './units';

/** A denied relation with a class of another namespace, from the point of view of a unit. */
interface OutsideDenial {
  readonly unit: Unit;
  readonly inbound: boolean;
  readonly denied: number;
  readonly classes: number[];
}

/** Draws the denied arrows (no-op without a NetworkPolicies-only connectivity). */
export function drawDeniedArrows(ctx: DrawContext): void {
  const np = ctx.npOnly;
  if (!np) return;
  const { classes, ports, units } = ctx;
  const local = new Map<number, number>();
  const outside = new Map<string, OutsideDenial>();
  for (const cp of np.classPairs) {
    const sIn = classes.internal[cp.src] === 1;
    const dIn = classes.internal[cp.dst] === 1;
    if (!sIn && !dIn) continue;
    let npPorts = local.get(cp.ports);
    if (npPorts === undefined) local.set(cp.ports, (npPorts = ports.of(np.table.get(cp.ports))));
    const denied = ports.minus(npPorts, relation(classes, cp.src, cp.dst));
    if (!denied) continue;
    if (sIn && dIn) {
      for (const a of units.ofClass.get(cp.src) ?? []) {
        for (const b of units.ofClass.get(cp.dst) ?? []) {
          if (a !== b || a.members.length > 1) {
            addDeniedArrow(ctx, a.id, a.members, b.id, b.members, 'internal', denied);
          }
        }
      }
      continue;
    }
    // another namespace: only what the unit's own side denies (the other side speaks for itself),
    // collected per namespace, unit and ports, drawn below
    const other = sIn ? cp.dst : cp.src;
    const own = ownDenied(ctx, np, sIn ? 'Egress' : 'Ingress', sIn ? cp.src : cp.dst, other);
    const mine = own && ports.and(denied, own);
    if (!mine) continue;
    for (const u of units.ofClass.get(sIn ? cp.src : cp.dst) ?? []) {
      const k = `${classes.rep[other].namespace}\u0000${u.id}\u0000${sIn ? 0 : 1}\u0000${mine}`;
      let o = outside.get(k);
      if (!o) outside.set(k, (o = { unit: u, inbound: !sIn, denied: mine, classes: [] }));
      o.classes.push(other);
    }
  }
  drawOutsideDenials(ctx, [...outside.values()]);
  drawDeniedAddresses(ctx, np);
}

/** What class `self`'s own side (direction `d`) allows towards `other` without the tiers and not with them. */
function ownDenied(ctx: DrawContext, np: Connectivity, d: Direction, self: number, other: number): number {
  const side = (conn: Connectivity): PortSet => {
    const dense = conn.byDirection[d][self];
    return dense ? conn.table.get(dense[other]) : ALL_PORTS;
  };
  return ctx.ports.minus(ctx.ports.of(side(np)), ctx.ports.of(side(ctx.conn)));
}

/**
 * Denied arrows with other namespaces: one arrow from/to "any pod in NS" when every workload of
 * that namespace is denied alike, else one per peer node.
 */
function drawOutsideDenials(ctx: DrawContext, list: readonly OutsideDenial[]): void {
  const perNamespace = new Map<string, number>();
  for (const c of ctx.conn.classes.keys()) {
    const ns = ctx.classes.rep[c].namespace;
    perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
  }
  const peerNodes = peerNodeIndex(ctx);
  for (const o of list) {
    const ns = ctx.classes.rep[o.classes[0]].namespace;
    const ends =
      new Set(o.classes).size === perNamespace.get(ns)
        ? [
            {
              id: groupNode(ctx, { key: `ns:${ns}`, kind: 'namespace', namespace: ns }),
              ws: o.classes.flatMap((c) => ctx.conn.classes[c]),
            },
          ]
        : o.classes.flatMap((c) => peerOf(ctx, peerNodes, ctx.conn.classes[c]));
    for (const e of ends) {
      if (o.inbound) addDeniedArrow(ctx, e.id, e.ws, o.unit.id, o.unit.members, 'ingress', o.denied);
      else addDeniedArrow(ctx, o.unit.id, o.unit.members, e.id, e.ws, 'egress', o.denied);
    }
  }
}

function addDeniedArrow(
  ctx: DrawContext,
  from: string,
  srcs: readonly Workload[],
  to: string,
  dsts: readonly Workload[],
  direction: 'internal' | 'ingress' | 'egress',
  denied: number,
): void {
  addDenied(ctx, {
    from,
    to,
    kind: 'denied',
    direction,
    ports: ctx.ports.label(denied),
    rules: [],
    notes: [],
    admin: 'denied',
    explain: () => ctx.explain.denied(representatives(ctx, srcs), representatives(ctx, dsts), denied),
  });
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
