// How users name the ends of a connection and a port in text (`netpol-lens explain`, connectivity
// expectations): `namespace/name`, `namespace/name[Kind]` or an IP address; `PORT` or
// `PORT/PROTOCOL`. Callers phrase their own errors.

import type { Endpoint } from './evaluate';
import { inventoryOf } from './inventory';
import { parseIp } from './ipset';
import { isProtocol, type Protocol } from './ports';
import type { Workload, World } from './world';

export type EndpointRef =
  | { readonly kind: 'ip'; readonly e: Endpoint }
  /** `namespace/name[Kind]` and the workloads it names (none, one, or several kinds). */
  | { readonly kind: 'workload'; readonly ns: string; readonly name: string; readonly found: readonly Workload[] }
  | { readonly kind: 'malformed' };

export function resolveRef(world: World, ref: string, allowIp = true): EndpointRef {
  if (allowIp) {
    const ip = parseIp(ref);
    if (ip) return { kind: 'ip', e: { kind: 'ip', family: ip.family, ip: ip.value } };
  }
  const m = /^([^/[\]]+)\/([^/[\]]+)(?:\[([A-Za-z]+)\])?$/.exec(ref);
  if (!m) return { kind: 'malformed' };
  const [, ns, name, kind] = m;
  return {
    kind: 'workload',
    ns,
    name,
    // the workloads of that namespace only (indexed once per world), in world order
    found: (inventoryOf(world).byNamespace.get(ns) ?? []).filter((w) => w.name === name && (!kind || w.kind === kind)),
  };
}

/** `5432`, `53/UDP` (TCP by default); undefined when malformed or out of range. */
export function parsePortSpec(s: string): { port: number; protocol: Protocol } | undefined {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[1]);
  const protocol = (m[2] ?? 'TCP').toUpperCase();
  if (port < 1 || port > 65535 || !isProtocol(protocol)) return undefined;
  return { port, protocol };
}
