// Stage 4: the arrow passes, each adding to ctx.edges (one arrow per pair of nodes):
//   (a) open directions (to/from "anywhere") and group arrows (groups.ts),
//   (b) connections between the namespace's own units,
//   (c) connections with workloads of other namespaces (peer nodes, grouped by units.ts),
//   (d) external addresses (IP range nodes).
// Passes (b)-(d) draw only the ports that the group arrows of (a) do not already say, and leave
// the explanation to a lazy call (explain.ts) that runs only for the arrows that are kept.

import type { Endpoint } from '../analysis/evaluate';
import type { Direction } from '../analysis/policy';
import type { DrawContext } from './context';
import { dedupeRules, dirName, openNote } from './explain';
import type { ClassGroup } from './groups';
import { addressNode, type AddressRanges, drawPeer, groupNode } from './nodes';
import { isOpen } from './relations';
import { groupPeers, type PeerRelation, representatives, type Unit, unitClass } from './units';

const DIRECTIONS = ['Ingress', 'Egress'] as const;

/** Pass (a): per unit and direction, the open arrow or the group arrows. */
export function drawOpenAndGroupArrows(ctx: DrawContext): void {
  for (const u of ctx.units.list) {
    const c = unitClass(ctx, u);
    for (const d of DIRECTIONS) {
      if (isOpen(ctx.conn, c, d)) drawOpenArrow(ctx, u, d);
      else for (const g of ctx.groups.of(c, d)) drawGroupArrow(ctx, u, d, g);
    }
  }
}

/** A direction no policy isolates: one "all" arrow from/to "anywhere". */
function drawOpenArrow(ctx: DrawContext, u: Unit, d: Direction): void {
  const any = groupNode(ctx, { key: 'anywhere', kind: 'anywhere' });
  ctx.edges.add({
    from: d === 'Ingress' ? any : u.id,
    to: d === 'Ingress' ? u.id : any,
    kind: 'open',
    direction: dirName(d),
    ports: 'all',
    rules: [],
    notes: [
      openNote(u.members[0], d),
      ...(ctx.conn.tierDecided[d][unitClass(ctx, u)]
        ? ['The admin tiers decide some of its connections first: the red arrows show what they deny']
        : []),
    ],
  });
}

/** What a rule allowing a whole group allows: one arrow to the group's node. */
function drawGroupArrow(ctx: DrawContext, u: Unit, d: Direction, g: ClassGroup): void {
  const w0 = u.members[0];
  const rules = dedupeRules(
    g.rules.map((gr) =>
      ctx.explain.ruleRef({
        policy: gr.policy,
        rule: gr.rule,
        ...(gr.peer ? { peer: gr.peer } : {}),
        ports: ctx.ports.get(ctx.ports.forRule(gr.rule, d === 'Ingress' ? w0 : null)),
      }),
    ),
  );
  const unmatched = g.def.kind === 'unmatched';
  const gid = groupNode(ctx, g.def, unmatched ? rules.map((r) => r.location) : undefined);
  const internalGroup = (g.def.kind === 'namespace' || unmatched) && g.def.namespace === ctx.ns;
  const what = ctx.nodes.get(gid)!.title;
  const notes = [
    `${d === 'Ingress' ? 'From' : 'To'} ${what}: what the rules of namespace ${ctx.ns} allow; ${d === 'Ingress' ? 'a source' : 'a destination'} whose own policies forbid it is still blocked`,
  ];
  if (unmatched) {
    notes.push(
      'No workload in the workspace matches this peer: the arrow shows the rule, not a connection between manifests you have here.',
    );
  }
  ctx.edges.add({
    from: d === 'Ingress' ? gid : u.id,
    to: d === 'Ingress' ? u.id : gid,
    kind: 'connection',
    direction: internalGroup ? 'internal' : dirName(d),
    ports: g.label,
    rules,
    notes,
  });
}

/** Pass (b): connections between the namespace's own units (and within a merged unit). */
export function drawInternalArrows(ctx: DrawContext): void {
  const { classes, groups, ports, explain } = ctx;
  for (const u of ctx.units.list) {
    const c = unitClass(ctx, u);
    for (const [dc, all] of classes.outRel.get(c)!) {
      if (!classes.internal[dc]) continue;
      if (isOpen(ctx.conn, c, 'Egress') && isOpen(ctx.conn, dc, 'Ingress')) continue; // shown by the open marks
      for (const v of ctx.units.ofClass.get(dc) ?? []) {
        if (u === v && u.members.length < 2) continue;
        if (!ctx.merge && u === v) continue;
        let rest = ports.minus(all, groups.covered(c, 'Egress', v.members[0]));
        rest = ports.minus(rest, groups.covered(dc, 'Ingress', u.members[0]));
        if (!rest) continue;
        ctx.edges.add({
          from: u.id,
          to: v.id,
          kind: 'connection',
          direction: 'internal',
          ports: ports.label(rest),
          rules: [],
          notes: [],
          explain: () =>
            u === v
              ? explain.pair([u.members[0]], [u.members[1]], rest)
              : explain.pair(representatives(ctx, u.members), representatives(ctx, v.members), rest),
        });
      }
    }
  }
}

/** The arrows between units and classes of other namespaces, by outside class (isolated directions only). */
function peerRelations(ctx: DrawContext): Map<number, PeerRelation[]> {
  const { classes, groups, ports } = ctx;
  const out = new Map<number, PeerRelation[]>();
  for (const u of ctx.units.list) {
    const c = unitClass(ctx, u);
    for (const d of DIRECTIONS) {
      if (isOpen(ctx.conn, c, d)) continue;
      for (const [e, all] of d === 'Egress' ? classes.outRel.get(c)! : classes.inRel.get(c)!) {
        if (classes.internal[e]) continue;
        const rest = ports.minus(all, groups.covered(c, d, classes.rep[e]));
        if (!rest) continue;
        let l = out.get(e);
        if (!l) out.set(e, (l = []));
        l.push({ unit: u, dir: d, ports: rest });
      }
    }
  }
  return out;
}

/** Pass (c): connections with workloads of other namespaces, through their peer nodes. */
export function drawPeerArrows(ctx: DrawContext): void {
  for (const g of groupPeers(ctx, peerRelations(ctx))) {
    const id = drawPeer(ctx, g.workloads);
    const peerReps = representatives(ctx, g.workloads);
    for (const r of g.rels) {
      const u = r.unit;
      ctx.edges.add({
        from: r.dir === 'Ingress' ? id : u.id,
        to: r.dir === 'Ingress' ? u.id : id,
        kind: 'connection',
        direction: dirName(r.dir),
        ports: ctx.ports.label(r.ports),
        rules: [],
        notes: [],
        explain: () => {
          const unitReps = representatives(ctx, u.members);
          return r.dir === 'Ingress'
            ? ctx.explain.pair(peerReps, unitReps, r.ports)
            : ctx.explain.pair(unitReps, peerReps, r.ports);
        },
      });
    }
  }
}

/** External address ranges of a unit's class and direction, by the ports not already said. */
function addressRanges(ctx: DrawContext, c: number, d: Direction): Array<[number, AddressRanges]> {
  const segs = d === 'Ingress' ? ctx.conn.ipIngress[c] : ctx.conn.ipEgress[c];
  const anyPorts = ctx.groups.anywhereIpPorts(c, d);
  const byPorts = new Map<number, AddressRanges>();
  for (const f of [4, 6] as const) {
    for (const s of f === 4 ? segs.v4 : segs.v6) {
      const rest = ctx.ports.minus(ctx.ports.fromConnectivity(s.ports), anyPorts);
      if (!rest) continue;
      let b = byPorts.get(rest);
      if (!b) byPorts.set(rest, (b = { 4: [], 6: [] }));
      const list = b[f];
      const last = list[list.length - 1];
      if (last && last[1] + 1n === s.lo) last[1] = s.hi;
      else list.push([s.lo, s.hi]);
    }
  }
  return [...byPorts].sort((a, b) => a[0] - b[0]);
}

/** Pass (d): external addresses (isolated directions; what "anywhere" arrows do not already say). */
export function drawAddressArrows(ctx: DrawContext): void {
  for (const u of ctx.units.list) {
    const c = unitClass(ctx, u);
    for (const d of DIRECTIONS) {
      if (isOpen(ctx.conn, c, d)) continue;
      for (const [ports, ranges] of addressRanges(ctx, c, d)) {
        const id = addressNode(ctx.nodes, ranges);
        const probe: Endpoint = ranges[4].length
          ? { kind: 'ip', family: 4, ip: ranges[4][0][0] }
          : { kind: 'ip', family: 6, ip: ranges[6][0][0] };
        ctx.edges.add({
          from: d === 'Ingress' ? id : u.id,
          to: d === 'Ingress' ? u.id : id,
          kind: 'connection',
          direction: dirName(d),
          ports: ctx.ports.label(ports),
          rules: [],
          notes: [],
          explain: () => ctx.explain.addresses(representatives(ctx, u.members), d, probe, ports),
        });
      }
    }
  }
}
