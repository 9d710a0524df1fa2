// The admin tiers, pair by pair (docs/semantics.md D.3, D.4), with what each tier decided for
// explanations (docs/semantics.md D.5). This is the readable definition; tiers.ts computes the same for all pairs.

import type { DirectionVerdict, Endpoint } from './evaluate';
import type { Direction } from './policy';
import {
  ALL_PORTS,
  EMPTY_PORTS,
  intersectPorts,
  isEmptyPorts,
  isProtocol,
  type PortSet,
  portSetOf,
  type Protocol,
  subtractPorts,
  unionPorts,
} from './ports';
import { matches } from './selectors';
import type { TierAction, TieredPolicy, TieredRule, TierPeer } from './tiered';
import { NAME_LABEL, type Workload, type World } from './world';

/** One rule that decided some ports of a direction. */
export interface TierDecision {
  readonly policy: TieredPolicy;
  readonly rule: TieredRule;
  readonly action: TierAction;
  readonly peer: TierPeer;
  /** The ports this rule decided (those no earlier rule had decided). */
  readonly ports: PortSet;
}

/** A rule of a policy selecting `self` whose peers include some that netpol-lens cannot resolve. */
export interface TierUnresolved {
  readonly policy: TieredPolicy;
  readonly rule: TieredRule;
  readonly peer: TierPeer & { kind: 'nodes' | 'domainNames' };
}

export interface TierTrace {
  /** Admin rules in the order they decided ports. */
  readonly admin: readonly TierDecision[];
  /** Ports that left the Admin tier (passed, or matched by no Admin rule). */
  readonly rest: PortSet;
  /** True when NetworkPolicies isolate `self` for the direction: they decided `rest`. */
  readonly npDecided: boolean;
  /** Baseline rules in the order they decided ports (only when no NetworkPolicy isolates). */
  readonly baseline: readonly TierDecision[];
  /** Ports allowed by default: no Admin rule decided them, nothing isolates, no Baseline rule. */
  readonly defaulted: PortSet;
  readonly unresolved: readonly TierUnresolved[];
  /** The effective allowed ports of the direction. */
  readonly allowed: PortSet;
}

function nsLabels(world: World, ns: string): Readonly<Record<string, string>> {
  return world.namespaces.get(ns)?.labels ?? { [NAME_LABEL]: ns };
}

/** Does a policy's subject select a workload (docs/semantics.md D.4)? */
export function subjectSelects(world: World, p: TieredPolicy, w: Workload): boolean {
  const s = p.subject;
  if (s.kind === 'namespaces') return matches(s.namespaces, nsLabels(world, w.namespace));
  return matches(s.namespaceSelector, nsLabels(world, w.namespace)) && matches(s.podSelector, w.labels);
}

/** Does an admin peer match an endpoint (docs/semantics.md D.4)? `nodes` and `domainNames` match nothing. */
export function tierPeerMatches(world: World, peer: TierPeer, ep: Endpoint): boolean {
  switch (peer.kind) {
    case 'namespaces':
      return ep.kind === 'workload' && matches(peer.namespaces, nsLabels(world, ep.w.namespace));
    case 'pods':
      return (
        ep.kind === 'workload' &&
        matches(peer.namespaceSelector, nsLabels(world, ep.w.namespace)) &&
        matches(peer.podSelector, ep.w.labels)
      );
    case 'networks':
      return ep.kind === 'ip' && peer.cidrs.some((c) => c.family === ep.family && c.lo <= ep.ip && ep.ip <= c.hi);
    default:
      return false;
  }
}

/** Every container port of `w` with that name, each on its own protocol (docs/semantics.md D.4). */
export function namedTierPorts(w: Workload, name: string): Array<{ protocol: Protocol; from: number; to: number }> {
  const out: Array<{ protocol: Protocol; from: number; to: number }> = [];
  for (const c of w.ports) {
    if (c.name === name && isProtocol(c.protocol)) out.push({ protocol: c.protocol, from: c.port, to: c.port });
  }
  return out;
}

/** The ports a rule matches towards the receiving workload (null: an outside address). */
export function tierRulePorts(r: TieredRule, receiver: Workload | null): PortSet {
  if (!r.ports) return ALL_PORTS;
  const entries: Array<{ protocol: Protocol; from: number; to: number }> = [];
  for (const p of r.ports) {
    if (p.kind === 'range') {
      if (p.from <= p.to) entries.push({ protocol: p.protocol, from: p.from, to: p.to });
    } else if (p.kind === 'named' && receiver) entries.push(...namedTierPorts(receiver, p.name));
  }
  return portSetOf(entries);
}

function rulesOf(p: TieredPolicy, dir: Direction): readonly TieredRule[] {
  return dir === 'Ingress' ? p.ingress : p.egress;
}

/** Walks one tier: the first matching rule decides a port; Pass (and no match) leave it open. */
function walkTier(
  world: World,
  policies: readonly TieredPolicy[],
  dir: Direction,
  self: Workload,
  other: Endpoint,
  unresolved: TierUnresolved[],
): TierDecision[] {
  const receiver = dir === 'Ingress' ? self : other.kind === 'workload' ? other.w : null;
  const out: TierDecision[] = [];
  let undecided = ALL_PORTS;
  for (const policy of policies) {
    if (!subjectSelects(world, policy, self)) continue;
    for (const rule of rulesOf(policy, dir)) {
      for (const peer of rule.peers) {
        if (peer.kind === 'nodes' || peer.kind === 'domainNames') unresolved.push({ policy, rule, peer });
      }
      const peer = rule.peers.find((x) => tierPeerMatches(world, x, other));
      if (!peer || isEmptyPorts(undecided)) continue;
      const ports = intersectPorts(undecided, tierRulePorts(rule, receiver));
      if (isEmptyPorts(ports)) continue;
      out.push({ policy, rule, action: rule.action, peer, ports });
      undecided = subtractPorts(undecided, ports);
    }
  }
  return out;
}

/** The rules of one tier that decide ports of a direction, in order (the walk of docs/semantics.md D.3, steps 1 and 3). */
export function tierDecisions(
  world: World,
  policies: readonly TieredPolicy[],
  dir: Direction,
  self: Workload,
  other: Endpoint,
): TierDecision[] {
  return walkTier(world, policies, dir, self, other, []);
}

function portsOf(ds: readonly TierDecision[], action: TierAction): PortSet {
  let out = EMPTY_PORTS;
  for (const d of ds) if (d.action === action) out = unionPorts(out, d.ports);
  return out;
}

/**
 * One direction through every tier (docs/semantics.md D.3): `np` is the NetworkPolicy verdict of the direction
 * (consulted only for ports that leave the Admin tier, when NetworkPolicies isolate `self`).
 */
export function applyTiers(
  world: World,
  dir: Direction,
  self: Workload,
  other: Endpoint,
  np: DirectionVerdict,
): TierTrace {
  const unresolved: TierUnresolved[] = [];
  const admin = walkTier(world, world.adminTier, dir, self, other, unresolved);
  const accepted = portsOf(admin, 'Accept');
  const rest = subtractPorts(ALL_PORTS, unionPorts(accepted, portsOf(admin, 'Deny')));
  if (np.isolatedBy.length) {
    const allowed = unionPorts(accepted, intersectPorts(rest, np.allowed));
    return { admin, rest, npDecided: true, baseline: [], defaulted: EMPTY_PORTS, unresolved, allowed };
  }
  const baselineAll = walkTier(world, world.baselineTier, dir, self, other, unresolved);
  const baseline = baselineAll
    .map((d) => ({ ...d, ports: intersectPorts(d.ports, rest) }))
    .filter((d) => !isEmptyPorts(d.ports));
  const defaulted = subtractPorts(rest, unionPorts(portsOf(baseline, 'Accept'), portsOf(baseline, 'Deny')));
  const allowed = unionPorts(accepted, subtractPorts(rest, portsOf(baseline, 'Deny')));
  return { admin, rest, npDecided: false, baseline, defaulted, unresolved, allowed };
}
