// Stage 5: the arrows once drawn. EdgeSet keeps one pending arrow per pair of nodes (a second
// arrow between the same nodes merges its label and reasons into the first). After the arrow
// passes (arrows.ts) the explanations are computed, arrows that every unit of the namespace has
// to the same outside end collapse into one arrow from/to "any pod in NS", and finishEdges gives
// the arrows their ids in a stable order and adds the dotted replies.

import type { DrawContext } from './context';
import { clip } from './escape';
import { dedupeRules, type Explanation } from './explain';
import { fnv, IdAllocator } from './ids';
import type { DiagramEdge, DiagramEdgeKind, DiagramRuleRef } from '../protocol/diagram';
import { groupNode } from './nodes';

export interface PendingEdge {
  from: string;
  to: string;
  kind: DiagramEdgeKind;
  direction: DiagramEdge['direction'];
  ports: string;
  rules: DiagramRuleRef[];
  notes: string[];
  /** How to explain it when it is kept (evaluated lazily, once). */
  explain?: () => Explanation;
  /** What the admin tiers did to it (DiagramEdge.admin). */
  admin?: 'accepted' | 'denied';
}

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

/** The arrows drawn so far, one per (from, to), in the order they were first drawn. */
export class EdgeSet {
  private readonly pending = new Map<string, PendingEdge>();

  add(e: PendingEdge): void {
    const prev = this.pending.get(pairKey(e.from, e.to));
    if (!prev) {
      this.pending.set(pairKey(e.from, e.to), e);
      return;
    }
    // one arrow per pair of nodes: merge labels and reasons
    if (prev.ports !== e.ports) prev.ports = [prev.ports, e.ports].filter(Boolean).join(' + ');
    if (e.kind === 'connection' && prev.kind === 'open') prev.kind = 'connection';
    prev.rules.push(...e.rules);
    prev.notes.push(...e.notes);
    prev.admin ??= e.admin;
    const a = prev.explain;
    const b = e.explain;
    if (b) {
      prev.explain = a
        ? () => {
            const x = a();
            const y = b();
            const admin = x.admin ?? y.admin;
            return { rules: [...x.rules, ...y.rules], notes: [...x.notes, ...y.notes], ...(admin ? { admin } : {}) };
          }
        : b;
    }
  }

  delete(e: PendingEdge): void {
    this.pending.delete(pairKey(e.from, e.to));
  }

  has(from: string, to: string): boolean {
    return this.pending.has(pairKey(from, to));
  }

  get(from: string, to: string): PendingEdge | undefined {
    return this.pending.get(pairKey(from, to));
  }

  values(): IterableIterator<PendingEdge> {
    return this.pending.values();
  }

  /** Runs the lazy explanations of the arrows that stay. */
  explainAll(): void {
    for (const e of this.pending.values()) {
      if (!e.explain) continue;
      const x = e.explain();
      e.rules.push(...x.rules);
      e.notes.push(...x.notes);
      if (x.admin) e.admin ??= x.admin;
      delete e.explain;
    }
  }
}

/**
 * An arrow that every node of the namespace has, to the same outside end with the same label,
 * becomes one arrow from/to "any pod in NS" (DNS, metrics scraping, default rules). (Not to the
 * namespace box itself: dagre routes arrows to a subgraph poorly.)
 */
export function collapseNamespaceArrows(ctx: DrawContext): void {
  const { ns, units, nodes, edges } = ctx;
  if (units.list.length < 2 || !ns) return;
  const unitIds = new Set(units.list.map((u) => u.id));
  const sets = new Map<string, PendingEdge[]>();
  for (const e of edges.values()) {
    const fromUnit = unitIds.has(e.from);
    const other = fromUnit ? e.to : e.from;
    if (fromUnit === unitIds.has(e.to) || (nodes.subgraphOf.get(other) ?? '') === ns) continue;
    const k = `${other}\u0000${fromUnit}\u0000${e.kind}\u0000${e.admin ?? ''}\u0000${e.ports}`;
    let l = sets.get(k);
    if (!l) sets.set(k, (l = []));
    l.push(e);
  }
  let box: string | undefined;
  for (const list of sets.values()) {
    if (list.length !== units.list.length) continue;
    box ??= groupNode(ctx, { key: `ns:${ns}`, kind: 'namespace', namespace: ns });
    const first = list[0];
    const fromUnit = unitIds.has(first.from);
    for (const e of list) edges.delete(e);
    edges.add({
      from: fromUnit ? box : first.from,
      to: fromUnit ? first.to : box,
      kind: first.kind,
      direction: first.direction,
      ports: first.ports,
      rules: dedupeRules(list.flatMap((e) => e.rules)),
      ...(list.some((e) => e.admin) ? { admin: list.find((e) => e.admin)!.admin } : {}),
      notes: [`Every workload of namespace ${clip(ns, 63)} has this arrow`, ...list.flatMap((e) => e.notes)],
    });
  }
}

/** The final arrows: solid ones sorted (ingress, internal, egress; then by ends), then replies. */
export function finishEdges(
  pending: EdgeSet,
  showReplies: boolean,
): { edges: Map<string, DiagramEdge>; replies: number } {
  const order = { ingress: 0, internal: 1, egress: 2 } as const;
  const solid = [...pending.values()].sort(
    (a, b) =>
      order[a.direction] - order[b.direction] ||
      (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
  );
  const edges = new Map<string, DiagramEdge>();
  const ids = new IdAllocator();
  for (const e of solid) {
    const id = ids.take(`e_${fnv(`${e.from}>${e.to}`)}`);
    edges.set(id, {
      id,
      mermaidId: `L_${e.from}_${e.to}_0`,
      from: e.from,
      to: e.to,
      kind: e.kind,
      direction: e.direction,
      ports: e.ports,
      rules: dedupeRules(e.rules),
      notes: [...new Set(e.notes)],
      ...(e.admin ? { admin: e.admin } : {}),
    });
  }
  const replies = showReplies ? addReplies(edges, pending, ids) : 0;
  return { edges, replies };
}

/** The dotted reverse of each solid arrow that has no solid arrow back; returns how many. */
function addReplies(edges: Map<string, DiagramEdge>, pending: EdgeSet, ids: IdAllocator): number {
  let replies = 0;
  for (const e of [...edges.values()]) {
    if (e.from === e.to || pending.has(e.to, e.from)) continue;
    const id = ids.take(`r_${fnv(`${e.to}>${e.from}`)}`);
    edges.set(id, {
      id,
      mermaidId: `L_${e.to}_${e.from}_0`,
      from: e.to,
      to: e.from,
      kind: 'reply',
      direction: e.direction,
      ports: '',
      rules: e.rules,
      notes: ['Replies of an allowed connection are always allowed; they need no rule and are not egress'],
      replyOf: e.id,
    });
    replies++;
  }
  return replies;
}
