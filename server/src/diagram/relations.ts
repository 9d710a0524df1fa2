// Stage 1: the workload classes of the drawn namespace and their relations. The connectivity
// engine already groups workloads into classes (same namespace, labels and named ports) and lists
// the allowed class pairs; this keeps the pairs that touch the namespace, per class and direction,
// with the ports as ids of the diagram's table (portSets.ts).

import type { Connectivity } from '../analysis/connectivity';
import type { Direction } from '../analysis/policy';
import type { Workload } from '../analysis/world';
import type { DiagramPorts } from './portSets';

export interface NamespaceClasses {
  /** Per class (all classes of the world): its first workload, which speaks for the class. */
  readonly rep: readonly Workload[];
  /** Per class: 1 when it is in the drawn namespace. */
  readonly internal: Uint8Array;
  /** The classes of the drawn namespace, ascending. */
  readonly inNamespace: readonly number[];
  /** Per class of the namespace: destination class -> ports it may open to it. */
  readonly outRel: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** Per class of the namespace: source class -> ports it accepts from it. */
  readonly inRel: ReadonlyMap<number, ReadonlyMap<number, number>>;
}

export function namespaceClasses(conn: Connectivity, ns: string, ports: DiagramPorts): NamespaceClasses {
  const nClasses = conn.classes.length;
  const rep = conn.classes.map((m) => m[0]);
  const internal = new Uint8Array(nClasses);
  const inNamespace: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    if (rep[c] && rep[c].namespace === ns) {
      internal[c] = 1;
      inNamespace.push(c);
    }
  }
  const outRel = new Map<number, Map<number, number>>();
  const inRel = new Map<number, Map<number, number>>();
  for (const c of inNamespace) {
    outRel.set(c, new Map());
    inRel.set(c, new Map());
  }
  for (const cp of conn.classPairs) {
    if (internal[cp.src]) outRel.get(cp.src)!.set(cp.dst, ports.fromConnectivity(cp.ports));
    if (internal[cp.dst]) inRel.get(cp.dst)!.set(cp.src, ports.fromConnectivity(cp.ports));
  }
  return { rep, internal, inNamespace, outRel, inRel };
}

/** The ports `src` may open to `dst` (0: none); one of the two is in the namespace. */
export function relation(nc: NamespaceClasses, src: number, dst: number): number {
  return nc.outRel.get(src)?.get(dst) ?? nc.inRel.get(dst)?.get(src) ?? 0;
}

/**
 * No NetworkPolicy isolates the class in that direction: it allows everything there, apart from
 * what the admin tiers deny (drawn as denied arrows, tierArrows.ts).
 */
export function isOpen(conn: Connectivity, c: number, d: Direction): boolean {
  return conn.isolation[d][c].length === 0;
}
