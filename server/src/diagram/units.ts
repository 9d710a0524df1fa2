// Grouping: which workloads share a node. The namespace's workloads become units: with merging
// on, the classes of the connectivity engine whose connectivity is identical ("twins") are merged
// into one node; with it off, every workload is a node. Peers in other namespaces with the same
// arrows in one namespace share a node too (groupPeers).

import type { Direction } from '../analysis/policy';
import type { IpSegment } from '../analysis/ipset';
import type { Workload } from '../analysis/world';
import type { DiagramContext } from './context';
import { fnv, slug } from './ids';
import { isOpen, relation } from './relations';

/** A node of the drawn namespace. */
export interface Unit {
  readonly id: string;
  readonly members: readonly Workload[];
  /** Classes of the connectivity engine behind the node; the first one speaks for all. */
  readonly classes: readonly number[];
}

export interface Units {
  /** Sorted by their first member's name. */
  readonly list: readonly Unit[];
  /** Class -> the units of its workloads. */
  readonly ofClass: ReadonlyMap<number, readonly Unit[]>;
}

/** Workloads by name, then kind. */
export function byName(a: Workload, b: Workload): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/** The class that speaks for a unit (merged: its first; unmerged: its one workload's). */
export function unitClass(ctx: DiagramContext, u: Unit): number {
  return ctx.merge ? u.classes[0] : ctx.conn.classOf[u.members[0].id];
}

/** Representatives of a unit (or peer node): one workload of each of its classes, at most 4. */
export function representatives(ctx: DiagramContext, members: readonly Workload[]): Workload[] {
  const out: Workload[] = [];
  const seen = new Set<number>();
  for (const w of members) {
    const c = ctx.conn.classOf[w.id];
    if (seen.has(c)) continue;
    seen.add(c);
    out.push(w);
    if (out.length === 4) break;
  }
  return out;
}

/** The units of the drawn namespace, with their node ids (taken from ctx.nodeIds). */
export function buildUnits(ctx: DiagramContext): Units {
  const memberSets: Array<{ members: Workload[]; classes: number[] }> = [];
  for (const cs of unitClassLists(ctx)) {
    const members = cs.flatMap((c) => ctx.conn.classes[c]).sort(byName);
    if (ctx.merge) memberSets.push({ members, classes: cs });
    else for (const w of members) memberSets.push({ members: [w], classes: cs });
  }
  memberSets.sort((a, b) => byName(a.members[0], b.members[0]));
  const list: Unit[] = memberSets.map((m) => {
    const key = m.members.map((w) => w.key).join('\u0000');
    const prefix = m.members.length > 1 ? 'm' : 'w';
    const id = ctx.nodeIds.take(`${prefix}_${slug(m.members[0].name)}_${fnv(key)}`);
    return { id, members: m.members, classes: m.classes };
  });
  const ofClass = new Map<number, Unit[]>();
  for (const u of list) {
    for (const c of ctx.merge ? u.classes : [unitClass(ctx, u)]) {
      let l = ofClass.get(c);
      if (!l) ofClass.set(c, (l = []));
      l.push(u);
    }
  }
  return { list, ofClass };
}

/** The namespace's classes partitioned into the class lists of its units. */
function unitClassLists(ctx: DiagramContext): number[][] {
  const { inNamespace } = ctx.classes;
  if (!ctx.merge) return inNamespace.map((c) => [c]);
  const buckets = new Map<string, number[][]>();
  for (const c of inNamespace) {
    const key = mergeKey(ctx, c);
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = []));
    // twins is an equivalence (see areTwins), so comparing with a list's first class suffices
    const g = b.find((list) => areTwins(ctx, c, list[0]));
    if (g) g.push(c);
    else b.push([c]);
  }
  const out: number[][] = [];
  for (const b of buckets.values()) out.push(...b);
  return out;
}

/** Address segments with their ports, as a key. */
function segmentsKey(ctx: DiagramContext, s: { v4: readonly IpSegment[]; v6: readonly IpSegment[] }): string {
  const p = (x: IpSegment): number => ctx.ports.fromConnectivity(x.ports);
  return [...s.v4.map((x) => `4:${x.lo}-${x.hi}:${p(x)}`), ...s.v6.map((x) => `6:${x.lo}-${x.hi}:${p(x)}`)].join(',');
}

/**
 * What twins must have in common: the same group arrows, address segments and relations with
 * classes outside the namespace, and the same multiset of relations with the namespace's other
 * classes.
 */
function mergeKey(ctx: DiagramContext, c: number): string {
  const { internal, outRel, inRel } = ctx.classes;
  const ext = (m: ReadonlyMap<number, number>): string =>
    [...m]
      .filter(([d]) => !internal[d])
      .map(([d, p]) => `${d}:${p}`)
      .sort()
      .join(',');
  const groups = (d: Direction): string =>
    isOpen(ctx.conn, c, d)
      ? 'open'
      : ctx.groups
          .of(c, d)
          .map((g) => `${g.def.key}=${g.label}`)
          .join(';');
  const own = (m: ReadonlyMap<number, number>): string =>
    [...m]
      .filter(([d, p]) => internal[d] && d !== c && p)
      .map(([, p]) => p)
      .sort((a, b) => a - b)
      .join(',');
  return [
    groups('Ingress'),
    groups('Egress'),
    segmentsKey(ctx, ctx.conn.ipIngress[c]),
    segmentsKey(ctx, ctx.conn.ipEgress[c]),
    ext(outRel.get(c)!),
    ext(inRel.get(c)!),
    own(outRel.get(c)!),
    own(inRel.get(c)!),
  ].join('|');
}

/**
 * Identical connectivity: the same relations to every third class, and one relation s among
 * themselves (both ways, and within each class of several workloads). This is an equivalence (if
 * a~b and b~c, c is a third class for a and b and vice versa, so every relation among a, b, c is
 * the same s). Every pair of distinct workloads of the merged node is then connected by s.
 */
function areTwins(ctx: DiagramContext, c: number, c2: number): boolean {
  const nc = ctx.classes;
  const s = relation(nc, c, c2);
  if (relation(nc, c2, c) !== s) return false;
  if (ctx.conn.classes[c].length > 1 && relation(nc, c, c) !== s) return false;
  if (ctx.conn.classes[c2].length > 1 && relation(nc, c2, c2) !== s) return false;
  // only classes related to one of the two can differ
  for (const m of [nc.outRel.get(c)!, nc.inRel.get(c)!, nc.outRel.get(c2)!, nc.inRel.get(c2)!]) {
    for (const d of m.keys()) {
      if (!nc.internal[d] || d === c || d === c2) continue;
      if (relation(nc, c, d) !== relation(nc, c2, d) || relation(nc, d, c) !== relation(nc, d, c2)) return false;
    }
  }
  return true;
}

/** An arrow between a unit and a class of another namespace (ports not covered by group arrows). */
export interface PeerRelation {
  readonly unit: Unit;
  readonly dir: Direction;
  readonly ports: number;
}

/** Workloads of another namespace drawn as one node, with their arrows. */
export interface PeerGroup {
  readonly workloads: readonly Workload[];
  readonly rels: readonly PeerRelation[];
}

/**
 * The peer nodes: classes of one other namespace with the same arrows share a node (with merging
 * on; off, every workload is a node), sorted by namespace and first workload.
 */
export function groupPeers(ctx: DiagramContext, relations: ReadonlyMap<number, PeerRelation[]>): PeerGroup[] {
  const groups = new Map<string, { workloads: Workload[]; rels: PeerRelation[] }>();
  for (const [e, rels] of [...relations].sort((a, b) => a[0] - b[0])) {
    const sig = rels
      .map((r) => `${r.unit.id}:${r.dir}:${r.ports}`)
      .sort()
      .join(',');
    const members = ctx.conn.classes[e];
    if (ctx.merge) {
      const k = `${ctx.classes.rep[e].namespace}\u0000${sig}`;
      const g = groups.get(k);
      if (g) g.workloads.push(...members);
      else groups.set(k, { workloads: [...members], rels });
    } else {
      for (const w of members) groups.set(`${w.key}`, { workloads: [w], rels });
    }
  }
  const list = [...groups.values()].map((g) => ({ ...g, workloads: g.workloads.sort(byName) }));
  return list.sort((a, b) =>
    a.workloads[0].namespace < b.workloads[0].namespace
      ? -1
      : a.workloads[0].namespace > b.workloads[0].namespace
        ? 1
        : byName(a.workloads[0], b.workloads[0]),
  );
}
