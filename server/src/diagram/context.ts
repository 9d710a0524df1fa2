// What the stages of the diagram share, as explicit objects instead of the closures of one big
// function. DiagramContext is known before anything is drawn (stages 1-2 and twin merging);
// DrawContext adds the namespace's units, the nodes and arrows drawn so far and the explainer
// (stages 3-5). buildDiagram (mermaid.ts) creates them in that order.

import type { Connectivity } from '../analysis/connectivity';
import { inventoryOf } from '../analysis/inventory';
import type { World } from '../analysis/world';
import type { EdgeSet } from './edges';
import type { Explainer } from './explain';
import { ClassGroups } from './groups';
import { IdAllocator } from './ids';
import type { NodeSet } from './nodes';
import { DiagramPorts } from './portSets';
import { type NamespaceClasses, namespaceClasses } from './relations';
import type { Units } from './units';

export interface DiagramContext {
  readonly world: World;
  readonly conn: Connectivity;
  /** The drawn namespace ('' when the world has none). */
  readonly ns: string;
  /** Merge workloads (and peers) with identical connectivity into one node. */
  readonly merge: boolean;
  readonly ports: DiagramPorts;
  readonly classes: NamespaceClasses;
  readonly groups: ClassGroups;
  /** The id space of the workload and peer nodes (other nodes have fixed ids). */
  readonly nodeIds: IdAllocator;
}

export interface DrawContext extends DiagramContext {
  /** With admin policies in the effective view: the NetworkPolicies-only connectivity (denied arrows). */
  readonly npOnly?: Connectivity;
  readonly units: Units;
  readonly nodes: NodeSet;
  readonly edges: EdgeSet;
  readonly explain: Explainer;
}

/** The shared objects of a diagram of namespace `ns` (stages 1-2 run lazily from here). */
export function diagramContext(world: World, conn: Connectivity, ns: string, merge: boolean): DiagramContext {
  const ports = new DiagramPorts(conn);
  const classes = namespaceClasses(conn, ns, ports);
  const groups = new ClassGroups(world, conn, inventoryOf(world), ports, classes.rep);
  return { world, conn, ns, merge, ports, classes, groups, nodeIds: new IdAllocator() };
}
