// The semantics of docs/semantics.md B, pair by pair, with explanations. This is the readable
// definition of what the fast engine (connectivity.ts) must compute; tests compare the two on
// random worlds. It also answers "why" questions (explain, hovers, diagram click-through).

import { type Family, ipRangesContain } from './ipset';
import type { Direction, NormPeer, NormPolicy, NormRule } from './policy';
import {
  ALL_PORTS,
  EMPTY_PORTS,
  intersectPorts,
  isEmptyPorts,
  MAX_PORT,
  MIN_PORT,
  type PortSet,
  portSetOf,
  type Protocol,
  unionPorts,
} from './ports';
import { inventoryOf } from './inventory';

export { namespaceLabels };
import { matches } from './selectors';
import { applyTiers, type TierTrace } from './tierEval';
import { namespaceLabels, type Workload, type World } from './world';

export type Endpoint =
  | { readonly kind: 'workload'; readonly w: Workload }
  | { readonly kind: 'ip'; readonly family: Family; readonly ip: bigint };

export function wl(w: Workload): Endpoint {
  return { kind: 'workload', w };
}

/** Does a policy select a workload for a direction (docs/semantics.md B.3)? */
export function applies(p: NormPolicy, w: Workload, dir: Direction): boolean {
  return p.namespace === w.namespace && p.types.has(dir) && matches(p.podSelector, w.labels);
}

/**
 * The active policies that apply to a workload for a direction, in world order: by definition
 * `world.activePolicies.filter((p) => applies(p, w, dir))`, read from the inventory's per-namespace
 * index (computed once per world) instead of testing every policy on each call.
 */
export function isolatingPolicies(world: World, w: Workload, dir: Direction): NormPolicy[] {
  return inventoryOf(world).isolatedBy(w, dir);
}

/** Does a peer match an endpoint (docs/semantics.md B.4)? ipBlocks never match workloads (docs/semantics.md 0). */
export function peerMatches(world: World, peer: NormPeer, policyNs: string, ep: Endpoint): boolean {
  if (peer.kind === 'ipBlock') {
    if (ep.kind !== 'ip' || ep.family !== peer.cidr.family) return false;
    if (ep.ip < peer.cidr.lo || ep.ip > peer.cidr.hi) return false;
    for (const e of peer.except) if (e.family === ep.family && ipRangesContain([[e.lo, e.hi]], ep.ip)) return false;
    return true;
  }
  if (ep.kind !== 'workload') return false;
  const w = ep.w;
  const nsOk =
    peer.namespaceSelector === undefined
      ? w.namespace === policyNs
      : matches(peer.namespaceSelector, namespaceLabels(world, w.namespace));
  return nsOk && (peer.podSelector === undefined || matches(peer.podSelector, w.labels));
}

/** Container ports of a workload that a named port resolves to for a protocol. */
export function resolveNamedPort(w: Workload, name: string, protocol: Protocol): number[] {
  const out: number[] = [];
  for (const c of w.ports) if (c.name === name && c.protocol === protocol) out.push(c.port);
  return out;
}

/** The ports a rule allows towards a destination (docs/semantics.md B.5); `dst` null for external addresses. */
export function rulePorts(rule: NormRule, dst: Workload | null): PortSet {
  if (!rule.ports) return ALL_PORTS;
  const entries: Array<{ protocol: Protocol; from: number; to: number }> = [];
  for (const pe of rule.ports) {
    if (pe.port === undefined) entries.push({ protocol: pe.protocol, from: MIN_PORT, to: MAX_PORT });
    else if (typeof pe.port === 'number') {
      entries.push({ protocol: pe.protocol, from: pe.port, to: pe.endPort ?? pe.port });
    } else if (dst) {
      for (const n of resolveNamedPort(dst, pe.port, pe.protocol)) {
        entries.push({ protocol: pe.protocol, from: n, to: n });
      }
    }
  }
  return portSetOf(entries);
}

export interface RuleMatch {
  readonly policy: NormPolicy;
  readonly rule: NormRule;
  /** The peer that matched; undefined when the rule has no peer list (every peer). */
  readonly peer?: NormPeer;
  readonly ports: PortSet;
}

export interface RuleMiss {
  readonly policy: NormPolicy;
  readonly rule?: NormRule;
  readonly reason: string;
}

export interface DirectionVerdict {
  readonly direction: Direction;
  /** The policies that select the protected workload for this direction (empty: not isolated). */
  readonly isolatedBy: readonly NormPolicy[];
  readonly allowed: PortSet;
  readonly matches: readonly RuleMatch[];
  readonly misses: readonly RuleMiss[];
  /**
   * With admin policies in the world (docs/semantics.md D.3): what each tier decided. `allowed`
   * is then the effective result of every tier, and `isolatedBy`/`matches` the NetworkPolicy part.
   */
  readonly tiers?: TierTrace;
}

/**
 * Evaluates one direction: `self` is the workload being protected (destination for ingress,
 * source for egress), `other` the other end.
 */
export function evaluateDirection(
  world: World,
  dir: Direction,
  self: Workload,
  other: Endpoint,
  isolating?: readonly NormPolicy[],
): DirectionVerdict {
  const pols = isolating ?? isolatingPolicies(world, self, dir);
  if (!pols.length) return { direction: dir, isolatedBy: [], allowed: ALL_PORTS, matches: [], misses: [] };
  const dstWorkload = dir === 'Ingress' ? self : other.kind === 'workload' ? other.w : null;
  let allowed = EMPTY_PORTS;
  const found: RuleMatch[] = [];
  const misses: RuleMiss[] = [];
  for (const p of pols) {
    const rules = dir === 'Ingress' ? p.ingress : p.egress;
    if (!rules.length) {
      misses.push({ policy: p, reason: `has no ${dir.toLowerCase()} rules: it allows nothing` });
      continue;
    }
    let matchedAny = false;
    for (const r of rules) {
      let peer: NormPeer | undefined;
      let peerOk = false;
      if (r.peers === undefined) peerOk = true;
      else {
        for (const pr of r.peers) {
          if (peerMatches(world, pr, p.namespace, other)) {
            peer = pr;
            peerOk = true;
            break;
          }
        }
      }
      if (!peerOk) {
        misses.push({ policy: p, rule: r, reason: 'no peer matches' });
        continue;
      }
      const ports = rulePorts(r, dstWorkload);
      if (isEmptyPorts(ports)) {
        const named =
          r.ports?.filter((x) => typeof x.port === 'string').map((x) => `${String(x.port)}/${x.protocol}`) ?? [];
        misses.push({
          policy: p,
          rule: r,
          reason: named.length
            ? `the peer matches, but named port ${named.join(', ')} is not defined on ${dstWorkload ? dstWorkload.key : 'an external address'}`
            : 'the peer matches, but no port is allowed',
        });
        continue;
      }
      matchedAny = true;
      allowed = unionPorts(allowed, ports);
      found.push(peer ? { policy: p, rule: r, peer, ports } : { policy: p, rule: r, ports });
    }
    if (!matchedAny && rules.length) {
      // keep the per-rule misses already recorded
    }
  }
  return { direction: dir, isolatedBy: pols, allowed, matches: found, misses };
}

export interface PairVerdict {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly egress?: DirectionVerdict; // absent when the source is external
  readonly ingress?: DirectionVerdict; // absent when the destination is external
  readonly allowed: PortSet;
}

/** One direction through every tier (docs/semantics.md D.3); without admin policies, evaluateDirection. */
export function effectiveDirection(world: World, dir: Direction, self: Workload, other: Endpoint): DirectionVerdict {
  const np = evaluateDirection(world, dir, self, other);
  if (!world.adminTier.length && !world.baselineTier.length) return np;
  const tiers = applyTiers(world, dir, self, other, np);
  return { ...np, allowed: tiers.allowed, tiers };
}

export interface PairOptions {
  /** false: NetworkPolicies only, as if no admin policy existed (the diagram's other view). */
  readonly tiers?: boolean;
}

/** What `src` may open to `dst` (docs/semantics.md B.7, D.3): both ends must allow; replies are implicit. */
export function evaluatePair(world: World, src: Endpoint, dst: Endpoint, opts: PairOptions = {}): PairVerdict {
  const dirOf = opts.tiers === false ? evaluateDirection : effectiveDirection;
  const egress = src.kind === 'workload' ? dirOf(world, 'Egress', src.w, dst) : undefined;
  const ingress = dst.kind === 'workload' ? dirOf(world, 'Ingress', dst.w, src) : undefined;
  let allowed = ALL_PORTS;
  if (egress) allowed = intersectPorts(allowed, egress.allowed);
  if (ingress) allowed = intersectPorts(allowed, ingress.allowed);
  const out: PairVerdict = { src, dst, allowed };
  return { ...out, ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}) };
}

/** Just the allowed port set of a pair (the reference evaluator for tests). */
export function allowedPorts(world: World, src: Endpoint, dst: Endpoint, opts: PairOptions = {}): PortSet {
  return evaluatePair(world, src, dst, opts).allowed;
}
