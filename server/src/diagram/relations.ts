// Stage 1: the workload classes of the drawn namespace and their relations. The connectivity
// engine already groups workloads into classes (same namespace, labels and named ports) and lists
// the allowed class pairs; this keeps the pairs that touch the namespace, per class and direction,
// with the ports as ids of the diagram's table (portSets.ts). The classes of each namespace and the
// pairs of each class are indexed once per connectivity (ClassIndex), so that a diagram looks at
// the drawn namespace's pairs only, not at every allowed pair of the workspace.

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

/** What a connectivity says per namespace and per class, indexed once (diagrams ask again and again). */
interface ClassIndex {
  /** Per class: its first workload. */
  readonly rep: readonly Workload[];
  /** Namespace -> its classes, ascending. */
  readonly byNamespace: ReadonlyMap<string, readonly number[]>;
  /** Per class: the indexes in conn.classPairs of the pairs it is the source of, ascending. */
  readonly bySrc: readonly (readonly number[])[];
  /** Per class: the indexes of the pairs it is the destination of, ascending. */
  readonly byDst: readonly (readonly number[])[];
}

const classIndexes = new WeakMap<Connectivity, ClassIndex>();

function classIndex(conn: Connectivity): ClassIndex {
  let ix = classIndexes.get(conn);
  if (ix) return ix;
  const n = conn.classes.length;
  const rep = conn.classes.map((m) => m[0]);
  const byNamespace = new Map<string, number[]>();
  for (let c = 0; c < n; c++) {
    if (!rep[c]) continue;
    const l = byNamespace.get(rep[c].namespace);
    if (l) l.push(c);
    else byNamespace.set(rep[c].namespace, [c]);
  }
  const bySrc: number[][] = Array.from({ length: n }, () => []);
  const byDst: number[][] = Array.from({ length: n }, () => []);
  conn.classPairs.forEach((cp, i) => {
    bySrc[cp.src].push(i);
    byDst[cp.dst].push(i);
  });
  ix = { rep, byNamespace, bySrc, byDst };
  classIndexes.set(conn, ix);
  return ix;
}

export function namespaceClasses(conn: Connectivity, ns: string, ports: DiagramPorts): NamespaceClasses {
  const { rep, byNamespace, bySrc, byDst } = classIndex(conn);
  const internal = new Uint8Array(conn.classes.length);
  const inNamespace = byNamespace.get(ns) ?? [];
  for (const c of inNamespace) internal[c] = 1;
  const outRel = new Map<number, Map<number, number>>();
  const inRel = new Map<number, Map<number, number>>();
  const touching: number[] = [];
  for (const c of inNamespace) {
    outRel.set(c, new Map());
    inRel.set(c, new Map());
    touching.push(...bySrc[c], ...byDst[c]);
  }
  // the pairs that touch the namespace in the order of conn.classPairs, as a scan of every pair
  // visits them (the diagram's port-set ids are handed out in this order)
  touching.sort((a, b) => a - b);
  for (let k = 0; k < touching.length; k++) {
    if (k && touching[k] === touching[k - 1]) continue;
    const cp = conn.classPairs[touching[k]];
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
