// Stage 2: group arrows. Where one rule allows a whole set of peers ("anywhere", "any pod in the
// cluster", "any pod in NS", "any pod in namespaces <selector>", or pods that no workload of the
// workspace matches), the diagram draws one arrow to a group node instead of an arrow per
// workload. This module finds those groups per class and direction from the isolating policies'
// rules, labels them with their ports, and says which ports of a pair a class's group arrows
// already cover (the individual arrows only show the rest).

import type { Connectivity } from '../analysis/connectivity';
import { namespaceLabels } from '../analysis/world';
import type { Inventory } from '../analysis/inventory';
import type { Direction, NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import { isMatchAll, matches, type Selector } from '../analysis/selectors';
import { NAME_LABEL, type Workload, type World } from '../analysis/world';
import type { DiagramPorts } from './portSets';
import { isOpen } from './relations';

/** A group of peers that one rule allows as a whole. */
export interface GroupDef {
  readonly key: string;
  /** `unmatched`: a peer that selects particular pods, none of which is in the workspace. */
  readonly kind: 'anywhere' | 'cluster' | 'namespace' | 'selector' | 'unmatched';
  readonly namespace?: string;
  /** The namespace selector (`selector`; `unmatched` peers with a namespaceSelector). */
  readonly selector?: Selector;
  /** The pod selector of an `unmatched` peer. */
  readonly pods?: Selector;
}

/** A rule (and its peer, when it has a peer list) behind a group arrow. */
export interface GroupRule {
  readonly policy: NormPolicy;
  readonly rule: NormRule;
  readonly peer?: NormPeer;
}

/** The group arrows of one class and direction: one per group, with the rules and their ports. */
export interface ClassGroup {
  readonly def: GroupDef;
  readonly rules: GroupRule[];
  /** The arrow's label: numeric ports, plus named egress ports as written. */
  label: string;
}

/** The one namespace a namespaceSelector names (`kubernetes.io/metadata.name: X`), if it does. */
export function namedNamespace(ns: Selector): string | undefined {
  return ns.reqs.length === 1 &&
    ns.reqs[0].key === NAME_LABEL &&
    ns.reqs[0].op === 'In' &&
    ns.reqs[0].values.length === 1
    ? ns.reqs[0].values[0]
    : undefined;
}

/**
 * The group a rule peer stands for, or undefined for a specific one (individual arrows). A peer
 * that selects particular pods is drawn through the workloads it matches; when it matches none
 * in the workspace (`matchesNothing`), it becomes an `unmatched` group so that the rule still
 * shows (the pods may live in manifests kept elsewhere).
 */
export function groupOf(
  rule: NormRule,
  peer: NormPeer | undefined,
  policyNs: string,
  matchesNothing: (peer: NormPeer) => boolean,
): GroupDef | undefined {
  if (!peer) return rule.peers === undefined ? { key: 'anywhere', kind: 'anywhere' } : undefined;
  if (peer.kind !== 'pods') return undefined; // ipBlocks: drawn from the address segments
  const ns = peer.namespaceSelector;
  const podsAll = !peer.podSelector || isMatchAll(peer.podSelector);
  if (!podsAll) {
    if (!matchesNothing(peer)) return undefined;
    const where = !ns ? policyNs : namedNamespace(ns);
    return {
      key: `none:${where !== undefined ? `N${where}` : `S${ns!.key}`}:${peer.podSelector!.key}`,
      kind: 'unmatched',
      pods: peer.podSelector,
      ...(where !== undefined ? { namespace: where } : { selector: ns }),
    };
  }
  if (!ns) return { key: `ns:${policyNs}`, kind: 'namespace', namespace: policyNs };
  if (isMatchAll(ns)) return { key: 'cluster', kind: 'cluster' };
  const name = namedNamespace(ns);
  if (name !== undefined) return { key: `ns:${name}`, kind: 'namespace', namespace: name };
  return { key: `sel:${ns.key}`, kind: 'selector', selector: ns };
}

/** Does a group contain a workload? (`unmatched` groups contain none by definition.) */
export function groupContains(world: World, g: GroupDef, w: Workload): boolean {
  switch (g.kind) {
    case 'anywhere':
    case 'cluster':
      return true;
    case 'namespace':
      return w.namespace === g.namespace;
    case 'selector':
      return matches(g.selector!, namespaceLabels(world, w.namespace));
    case 'unmatched':
      return false;
  }
}

/** The group arrows of the namespace's classes, computed once per class and direction. */
export class ClassGroups {
  private readonly memo = new Map<string, ClassGroup[]>(); // `${class}:${dir}`
  private readonly coveredMemo = new Map<string, number>();

  constructor(
    private readonly world: World,
    private readonly conn: Connectivity,
    private readonly inv: Inventory,
    private readonly ports: DiagramPorts,
    /** Per class: the workload that speaks for it. */
    private readonly rep: readonly Workload[],
  ) {}

  /** The group arrows of class `c` in direction `d`, sorted by group key; none that allow no port. */
  of(c: number, d: Direction): ClassGroup[] {
    const k = `${c}:${d}`;
    let gs = this.memo.get(k);
    if (gs) return gs;
    gs = [];
    for (const g of this.collect(c, d)) {
      g.label = this.label(g, c, d);
      if (g.label) gs.push(g);
    }
    gs.sort((a, b) => (a.def.key < b.def.key ? -1 : 1));
    this.memo.set(k, gs);
    return gs;
  }

  /** The ports of a rule on an arrow of class `c`: named ports resolve on `c` for ingress, on `peer` for egress. */
  rulePorts(rule: NormRule, c: number, d: Direction, peer: Workload | null): number {
    return this.ports.forRule(rule, d === 'Ingress' ? this.rep[c] : peer);
  }

  /** Ports of the pair (class `c`, direction `d`, peer workload) that `c`'s group arrows cover. */
  covered(c: number, d: Direction, peer: Workload): number {
    if (isOpen(this.conn, c, d)) return 0;
    const k = `${c}:${d}:${this.conn.classOf[peer.id]}`;
    let id = this.coveredMemo.get(k);
    if (id !== undefined) return id;
    id = 0;
    for (const g of this.of(c, d)) {
      if (!groupContains(this.world, g.def, peer)) continue;
      for (const gr of g.rules) id = this.ports.union(id, this.rulePorts(gr.rule, c, d, peer));
    }
    this.coveredMemo.set(k, id);
    return id;
  }

  /** Ports the "anywhere" group covers for external addresses. */
  anywhereIpPorts(c: number, d: Direction): number {
    let id = 0;
    for (const g of this.of(c, d)) {
      if (g.def.kind !== 'anywhere') continue;
      for (const gr of g.rules) id = this.ports.union(id, this.rulePorts(gr.rule, c, d, null));
    }
    return id;
  }

  /** The rules of the policies isolating `c` for `d`, gathered by the group their peer stands for. */
  private collect(c: number, d: Direction): Iterable<ClassGroup> {
    const byKey = new Map<string, ClassGroup>();
    for (const pid of this.conn.isolation[d][c]) {
      const p = this.world.activePolicies[pid];
      for (const r of d === 'Ingress' ? p.ingress : p.egress) {
        const peers: ReadonlyArray<NormPeer | undefined> = r.peers === undefined ? [undefined] : r.peers;
        for (const peer of peers) {
          const def = groupOf(r, peer, p.namespace, (x) => this.inv.peerWorkloads(x, p.namespace).length === 0);
          if (!def) continue;
          let g = byKey.get(def.key);
          if (!g) byKey.set(def.key, (g = { def, rules: [], label: '' }));
          g.rules.push(peer ? { policy: p, rule: r, peer } : { policy: p, rule: r });
        }
      }
    }
    return byKey.values();
  }

  /** A group arrow's label: numeric ports (named ports resolved on the workload for ingress), plus
   *  named egress ports as written (they resolve per destination); '' when it allows nothing. */
  private label(g: ClassGroup, c: number, d: Direction): string {
    let num = 0;
    const named = new Set<string>();
    for (const gr of g.rules) {
      num = this.ports.union(num, this.rulePorts(gr.rule, c, d, null));
      if (d === 'Egress') {
        for (const pe of gr.rule.ports ?? []) if (typeof pe.port === 'string') named.add(`${pe.protocol} ${pe.port}`);
      }
    }
    if (!num && !named.size) return '';
    const parts = num ? [this.ports.label(num)] : [];
    if (named.size) parts.push(`named ${[...named].sort().join(', ')}`);
    return parts.join(', ');
  }
}
