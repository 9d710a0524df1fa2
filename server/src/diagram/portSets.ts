// The diagram's own port-set table. The connectivity's table is shared with other requests, so
// the diagram interns its sets here instead: the ports of class relations (copied in on first
// use), the ports each rule allows, and the differences "what an arrow still has to say after the
// group arrows". Ids are small integers; 0 is no port, PortSetTable.ALL every port.
//
// The ids are compared and sorted by the later stages, so the order in which sets are interned is
// part of the output: the stages must keep asking in the same order.

import type { Connectivity } from '../analysis/connectivity';
import { rulePorts } from '../analysis/evaluate';
import type { NormRule } from '../analysis/policy';
import { describePorts, isAllPorts, type PortSet, PortSetTable, subtractPorts } from '../analysis/ports';
import type { Workload } from '../analysis/world';

/** An arrow's label for a port set: "all", or "TCP 80,UDP 53". */
export function portsLabel(ps: PortSet): string {
  return isAllPorts(ps) ? 'all' : describePorts(ps);
}

export class DiagramPorts {
  private readonly table = new PortSetTable();
  private readonly fromConn: number[] = [];
  private readonly subMemo = new Map<number, number>();
  private readonly ruleNo = new Map<NormRule, number>();
  private readonly rulePortMemo = new Map<string, number>();

  constructor(private readonly conn: Connectivity) {}

  /** The local id of a port set of the connectivity's table. */
  fromConnectivity(connId: number): number {
    return (this.fromConn[connId] ??= this.table.intern(this.conn.table.get(connId)));
  }

  get(id: number): PortSet {
    return this.table.get(id);
  }

  /** The local id of a port set (of another connectivity, such as the NetworkPolicies-only one). */
  of(ps: PortSet): number {
    return this.table.intern(ps);
  }

  label(id: number): string {
    return portsLabel(this.table.get(id));
  }

  union(a: number, b: number): number {
    return this.table.union(a, b);
  }

  /** The ports in both. */
  and(a: number, b: number): number {
    return this.table.intersect(a, b);
  }

  /** The ports of `a` that are not in `b`. */
  minus(a: number, b: number): number {
    if (a === 0 || b === 0) return a;
    if (b === PortSetTable.ALL || a === b) return 0;
    const k = a * 1048576 + b;
    let r = this.subMemo.get(k);
    if (r === undefined) {
      r = this.table.intern(subtractPorts(this.table.get(a), this.table.get(b)));
      this.subMemo.set(k, r);
    }
    return r;
  }

  /** The ports a rule allows towards a destination workload (null: an external address). */
  forRule(r: NormRule, dst: Workload | null): number {
    let rn = this.ruleNo.get(r);
    if (rn === undefined) this.ruleNo.set(r, (rn = this.ruleNo.size));
    const named = !!r.ports && r.ports.some((p) => typeof p.port === 'string');
    const k = named && dst ? `${rn}:${dst.id}` : `${rn}`;
    let id = this.rulePortMemo.get(k);
    if (id === undefined) this.rulePortMemo.set(k, (id = this.table.intern(rulePorts(r, named ? dst : null))));
    return id;
  }
}
