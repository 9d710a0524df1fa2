// P11: a Service's port used instead of the pods' port; P12: named ports that the destinations
// do not define. The answers per destination set and port are memoised per world (copies of a
// policy ask the same questions).

import { resolveNamedPort } from '../analysis/evaluate';
import type { RelatedLocation } from '../analysis/findings';
import type { NormPolicy, NormRule } from '../analysis/policy';
import type { Protocol } from '../analysis/ports';
import type { Workload } from '../analysis/world';
import type { PNode } from '../model/tree';
import { get } from '../model/tree';
import type { Report, RuleContext } from './types';
import { listNames, workloadLocations } from './util';
import { plural } from '../model/words';
import { type Destinations, destinations } from './worldFacts';

type PortEntry = NonNullable<NormRule['ports']>[number];

interface ServicePortFact {
  readonly svc: string;
  readonly target: number | string;
  readonly resolved: number[];
  readonly rel: RelatedLocation;
}

function servicePortFacts(ctx: RuleContext, w: Workload, port: number, protocol: Protocol): ServicePortFact[] {
  const out: ServicePortFact[] = [];
  for (const s of ctx.inv.servicesOf(w)) {
    for (const sp of s.obj.ports) {
      if (sp.port !== port || sp.protocol !== protocol) continue;
      const target = sp.targetPort ?? sp.port;
      const resolved = typeof target === 'number' ? [target] : resolveNamedPort(w, target, protocol);
      if (resolved.length === 1 && resolved[0] === port) continue;
      out.push({
        svc: `${s.namespace}/${s.obj.name}`,
        target,
        resolved,
        rel: {
          uri: s.obj.uri,
          doc: s.obj.doc,
          s: sp.node.s,
          e: sp.node.e,
          message: `Service ${s.namespace}/${s.obj.name}: port ${port} → targetPort ${target}`,
        },
      });
    }
  }
  return out;
}

/** P11: no destination has this port, but Services in front of them translate it. */
function checkServicePort(
  ctx: RuleContext,
  pe: PortEntry & { port: number },
  portNode: PNode,
  dst: Destinations,
  report: Report,
): void {
  const port = pe.port;
  const facts = ctx.inv.memo(`rules:npp11\u0000${dst.key}\u0000${port}\u0000${pe.protocol}`, () =>
    dst.workloads.some((w) => w.ports.some((c) => c.port === port))
      ? []
      : dst.workloads.flatMap((w) => servicePortFacts(ctx, w, port, pe.protocol)),
  );
  if (!facts.length) return;
  const targets = [...new Set(facts.flatMap((f) => f.resolved))];
  const f0 = facts[0];
  const targetText = targets.length ? targets.join(' or ') : String(f0.target);
  report({
    rule: 'NPP11',
    severity: 'warning',
    s: portNode.s,
    e: portNode.e,
    message: `${port} is the port of Service ${f0.svc} (${port} → ${f0.target}), not a port of the pods. NetworkPolicy sees traffic after the Service has translated it, on the pod's port ${targetText}, so this entry does not allow the traffic you meant. Use ${targetText}${typeof f0.target === 'string' ? ` or the named port "${f0.target}"` : ''}.`,
    data:
      targets.length === 1
        ? { replacePort: targets[0], name: typeof f0.target === 'string' ? f0.target : undefined }
        : undefined,
    related: facts.slice(0, 3).map((f) => f.rel),
  });
}

function portsText(w: Workload): string {
  return w.ports.length
    ? `container ports ${listNames(
        w.ports.map((p) => `${p.name ? `${p.name}=` : ''}${p.port}/${p.protocol}`),
        6,
      )}`
    : 'no container ports';
}

const otherProtocol = (w: Workload, name: string, protocol: Protocol): boolean =>
  w.ports.some((c) => c.name === name && c.protocol !== protocol);

/**
 * P12 for an egress rule without `to`: the name can match any pod (external addresses have no
 * named ports); say so when no workload of the workspace defines it.
 */
function checkNamedPortAnywhere(ctx: RuleContext, pe: PortEntry, name: string, portNode: PNode, report: Report): void {
  if (!ctx.world.workloads.length) return;
  // only the workloads with a port of that name can define it (the index keeps world order)
  const named = ctx.inv.workloadsWithPortName(name);
  if (named.some((w) => resolveNamedPort(w, name, pe.protocol).length > 0)) return;
  const otherProto = named.filter((w) => otherProtocol(w, name, pe.protocol));
  report({
    rule: 'NPP12',
    severity: 'warning',
    s: portNode.s,
    e: portNode.e,
    related: workloadLocations(otherProto, (w) => `${w.key}: ${portsText(w)}`, 'ports', 3, name),
    message: `Named port "${name}" (${pe.protocol}) is not defined on any workload in the workspace, and external addresses have no named ports, so this entry allows nothing${otherProto.length ? `; ${listNames(otherProto.map((w) => w.key))} define${otherProto.length === 1 ? 's' : ''} "${name}" with another protocol — set protocol to match` : ''}. Check the name against the containers' ports, or use the port number.`,
  });
}

/** P12 towards known destinations: the name resolves on none or only some of them. */
function checkNamedPortOn(
  ctx: RuleContext,
  r: NormRule,
  pe: PortEntry,
  name: string,
  portNode: PNode,
  dst: Destinations,
  report: Report,
): void {
  const dsts = dst.workloads;
  const split = ctx.inv.memo(`rules:npp12\u0000${dst.key}\u0000${name}\u0000${pe.protocol}`, () => {
    const hits = dsts.filter((w) => resolveNamedPort(w, name, pe.protocol).length > 0);
    if (hits.length === dsts.length) return null;
    const hit = new Set(hits);
    return {
      hits,
      otherProto: dsts.filter((w) => otherProtocol(w, name, pe.protocol)),
      misses: dsts.filter((w) => !hit.has(w)),
    };
  });
  if (!split) return;
  const { hits, otherProto, misses } = split;
  if (!hits.length) {
    report({
      rule: 'NPP12',
      severity: 'warning',
      s: portNode.s,
      e: portNode.e,
      related: workloadLocations(
        otherProto.length ? otherProto : dsts,
        (w) => `${w.key}: ${portsText(w)}`,
        'ports',
        3,
        name,
      ),
      message: `Named port "${name}" (${pe.protocol}) is not defined on any ${r.direction === 'Ingress' ? 'selected' : 'destination'} workload (${listNames(dsts.map((w) => w.key))}), so this entry allows nothing${otherProto.length ? `; ${listNames(otherProto.map((w) => w.key))} define${otherProto.length === 1 ? 's' : ''} "${name}" with another protocol — set protocol to match` : ''}. Check the name against the containers' ports.`,
    });
  } else {
    report({
      rule: 'NPP12',
      severity: 'info',
      s: portNode.s,
      e: portNode.e,
      related: workloadLocations(misses, (w) => `${w.key}: ${portsText(w)}`, 'ports'),
      message: `Named port "${name}" (${pe.protocol}) resolves on ${plural(hits.length, 'workload')} but not on ${listNames(misses.map((w) => w.key))}; to those it allows nothing. Name the port the same way in their containers, or list their port separately.`,
    });
  }
}

/** P11 and P12 for every port entry of a policy. */
export function checkPorts(ctx: RuleContext, p: NormPolicy, report: Report): void {
  for (const r of [...p.ingress, ...p.egress]) {
    if (!r.ports) continue;
    const dst = destinations(ctx.inv, p, r);
    for (const pe of r.ports) {
      const portNode = pe.node.t === 'map' ? get(pe.node, 'port') : undefined;
      if (!portNode) continue;
      const known = dst && dst.workloads.length ? dst : null;
      if (typeof pe.port === 'number' && pe.endPort === undefined && known) {
        checkServicePort(ctx, pe as PortEntry & { port: number }, portNode, known, report);
      } else if (typeof pe.port === 'string' && r.direction === 'Egress' && r.peers === undefined) {
        checkNamedPortAnywhere(ctx, pe, pe.port, portNode, report);
      } else if (typeof pe.port === 'string' && known) {
        checkNamedPortOn(ctx, r, pe, pe.port, portNode, known, report);
      }
    }
  }
}
