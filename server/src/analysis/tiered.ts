// The admin tiers as one model (docs/semantics.md D.1): AdminNetworkPolicy and
// BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) and ClusterNetworkPolicy
// (v1alpha2) read into TieredPolicy/TieredRule, with the nodes of the manifest for explanations.
// Reading is lenient like policy.ts; `valid` (tieredValid.ts) says whether the policy takes part.

import type { TieredPolicyKind, TieredPolicyObject } from '../model/resources';
import { get, looseStr, num, type PMap, type PNode, type PSeq, str } from '../model/tree';
import { type Cidr, parseCidr } from './ipset';
import { isProtocol, MAX_PORT, MIN_PORT, type Protocol } from './ports';
import { compileSelector, MATCH_ALL, type Selector } from './selectors';
import { adminPolicyErrors } from './tieredValid';
import type { Direction } from './policy';

export type Tier = 'Admin' | 'Baseline';
/** v1alpha1 `Allow` is read as `Accept`. */
export type TierAction = 'Accept' | 'Deny' | 'Pass';

export type TierPeer =
  | { readonly kind: 'namespaces'; readonly index: number; readonly node: PNode; readonly namespaces: Selector }
  | {
      readonly kind: 'pods';
      readonly index: number;
      readonly node: PNode;
      /** Every namespace when left out (v1alpha2) or missing (read as {}, docs/semantics.md D.1). */
      readonly namespaceSelector: Selector;
      readonly podSelector: Selector;
    }
  | { readonly kind: 'networks'; readonly index: number; readonly node: PNode; readonly cidrs: readonly Cidr[] }
  | { readonly kind: 'nodes'; readonly index: number; readonly node: PNode }
  | { readonly kind: 'domainNames'; readonly index: number; readonly node: PNode; readonly names: readonly string[] };

/** One port entry: a range of one protocol (empty when from > to), or a named port. */
export type TierPort =
  | {
      readonly kind: 'range';
      readonly node: PNode;
      readonly protocol: Protocol;
      readonly from: number;
      readonly to: number;
    }
  | { readonly kind: 'named'; readonly node: PNode; readonly name: string }
  /** An entry that matches nothing (v1alpha1 protocol other than TCP/UDP/SCTP, unreadable). */
  | { readonly kind: 'none'; readonly node: PNode };

export interface TieredRule {
  /** Position in its direction's list, from 0. */
  readonly index: number;
  readonly direction: Direction;
  readonly node: PNode;
  readonly name?: string;
  readonly action: TierAction;
  readonly peers: readonly TierPeer[];
  /** undefined: every port of every protocol. */
  readonly ports?: readonly TierPort[];
}

export type TierSubject =
  | { readonly kind: 'namespaces'; readonly namespaces: Selector }
  | { readonly kind: 'pods'; readonly namespaceSelector: Selector; readonly podSelector: Selector };

export interface TieredPolicy {
  readonly obj: TieredPolicyObject;
  readonly kind: TieredPolicyKind;
  readonly apiVersion: string;
  readonly name: string;
  readonly tier: Tier;
  /** undefined for the BaselineAdminNetworkPolicy (it comes after every Baseline CNP). */
  readonly priority?: number;
  readonly subject: TierSubject;
  readonly ingress: readonly TieredRule[];
  readonly egress: readonly TieredRule[];
  readonly valid: boolean;
  /** The structural errors that leave the policy out of connectivity (docs/semantics.md D.1, D.2). */
  readonly errors: readonly string[];
  readonly specNode?: PMap;
}

function asMap(n: PNode | undefined): PMap | undefined {
  return n && n.t === 'map' ? n : undefined;
}

function asSeq(n: PNode | undefined): PSeq | undefined {
  return n && n.t === 'seq' ? n : undefined;
}

/** A selector that is missing or null reads as the empty one (docs/semantics.md D.1, AV08). */
function selectorOr(n: PNode | undefined): Selector {
  return compileSelector(n) ?? MATCH_ALL;
}

function readSubject(n: PNode | undefined): TierSubject {
  const pods = asMap(get(n, 'pods'));
  if (pods) {
    return {
      kind: 'pods',
      namespaceSelector: selectorOr(get(pods, 'namespaceSelector')),
      podSelector: selectorOr(get(pods, 'podSelector')),
    };
  }
  // an invalid subject (the policy takes no part) reads as namespaces {}
  return { kind: 'namespaces', namespaces: selectorOr(get(n, 'namespaces')) };
}

function readPeer(n: PNode, index: number): TierPeer | undefined {
  const m = asMap(n);
  if (!m) return undefined;
  const pods = asMap(get(m, 'pods'));
  if (pods) {
    const namespaceSelector = selectorOr(get(pods, 'namespaceSelector'));
    return { kind: 'pods', index, node: n, namespaceSelector, podSelector: selectorOr(get(pods, 'podSelector')) };
  }
  const ns = get(m, 'namespaces');
  if (ns) return { kind: 'namespaces', index, node: n, namespaces: selectorOr(ns) };
  const nets = asSeq(get(m, 'networks'));
  if (nets) {
    const cidrs: Cidr[] = [];
    for (const it of nets.items) {
      const c = str(it) !== undefined ? parseCidr(str(it)!) : null;
      if (c) cidrs.push(c);
    }
    return { kind: 'networks', index, node: n, cidrs };
  }
  if (get(m, 'nodes')) return { kind: 'nodes', index, node: n };
  const dn = asSeq(get(m, 'domainNames'));
  if (dn) return { kind: 'domainNames', index, node: n, names: dn.items.map((x) => looseStr(x) ?? '') };
  return undefined;
}

function portNum(n: PNode | undefined): number | undefined {
  const v = num(n);
  return v !== undefined && Number.isInteger(v) && v >= MIN_PORT && v <= MAX_PORT ? v : undefined;
}

/** A v1alpha1 `ports` entry (docs/semantics.md D.4: protocol defaults to TCP; start > end matches nothing). */
function readV1Port(n: PNode): TierPort {
  const pn = asMap(get(n, 'portNumber'));
  const pr = asMap(get(n, 'portRange'));
  const named = str(get(n, 'namedPort'));
  const proto = (m: PMap): Protocol | undefined => {
    const p = get(m, 'protocol');
    const v = p === undefined ? 'TCP' : str(p);
    return isProtocol(v) ? v : undefined;
  };
  if (pn) {
    const protocol = proto(pn);
    const port = portNum(get(pn, 'port'));
    if (protocol && port !== undefined) return { kind: 'range', node: n, protocol, from: port, to: port };
  } else if (pr) {
    const protocol = proto(pr);
    const from = portNum(get(pr, 'start'));
    const to = portNum(get(pr, 'end'));
    if (protocol && from !== undefined && to !== undefined) return { kind: 'range', node: n, protocol, from, to };
  } else if (named !== undefined) return { kind: 'named', node: n, name: named };
  return { kind: 'none', node: n };
}

/** A v1alpha2 `protocols` entry. */
function readV2Port(n: PNode): TierPort {
  const named = str(get(n, 'destinationNamedPort'));
  if (named !== undefined) return { kind: 'named', node: n, name: named };
  for (const [field, protocol] of [
    ['tcp', 'TCP'],
    ['udp', 'UDP'],
    ['sctp', 'SCTP'],
  ] as const) {
    const dp = asMap(get(asMap(get(n, field)), 'destinationPort'));
    if (!dp) continue;
    const number = portNum(get(dp, 'number'));
    if (number !== undefined) return { kind: 'range', node: n, protocol, from: number, to: number };
    const range = asMap(get(dp, 'range'));
    const from = portNum(get(range, 'start'));
    const to = portNum(get(range, 'end'));
    if (from !== undefined && to !== undefined) return { kind: 'range', node: n, protocol, from, to };
  }
  return { kind: 'none', node: n };
}

const ACTIONS: Record<string, TierAction> = { Allow: 'Accept', Accept: 'Accept', Deny: 'Deny', Pass: 'Pass' };

function readRules(list: PSeq | undefined, direction: Direction, v2: boolean): TieredRule[] {
  const out: TieredRule[] = [];
  list?.items.forEach((n, index) => {
    const m = asMap(n);
    if (!m) return;
    const action = ACTIONS[str(get(m, 'action')) ?? ''] ?? 'Deny';
    const peers: TierPeer[] = [];
    asSeq(get(m, direction === 'Ingress' ? 'from' : 'to'))?.items.forEach((p, i) => {
      const peer = readPeer(p, i);
      if (peer) peers.push(peer);
    });
    // the other version's field is unknown and dropped: the rule then matches every port (AP13)
    const portsSeq = asSeq(get(m, v2 ? 'protocols' : 'ports'));
    const ports = portsSeq ? portsSeq.items.map((p) => (v2 ? readV2Port(p) : readV1Port(p))) : undefined;
    const name = str(get(m, 'name'));
    const rule: TieredRule = { index, direction, node: n, action, peers, ...(ports ? { ports } : {}) };
    out.push(name !== undefined ? { ...rule, name } : rule);
  });
  return out;
}

const cache = new WeakMap<TieredPolicyObject, TieredPolicy>();

/** Reads one admin policy object (memoised per object). */
export function readTieredPolicy(obj: TieredPolicyObject): TieredPolicy {
  const hit = cache.get(obj);
  if (hit) return hit;
  const spec = asMap(get(obj.node, 'spec'));
  const v2 = obj.kind === 'ClusterNetworkPolicy';
  const errors = adminPolicyErrors(obj);
  const tier: Tier =
    obj.kind === 'AdminNetworkPolicy' ? 'Admin' : obj.kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : tierOf(spec);
  const priority = obj.kind === 'BaselineAdminNetworkPolicy' ? undefined : num(get(spec, 'priority'));
  const p: TieredPolicy = {
    obj,
    kind: obj.kind,
    apiVersion: obj.apiVersion ?? '',
    name: obj.name ?? '',
    tier,
    ...(priority !== undefined ? { priority } : {}),
    subject: readSubject(get(spec, 'subject')),
    ingress: readRules(asSeq(get(spec, 'ingress')), 'Ingress', v2),
    egress: readRules(asSeq(get(spec, 'egress')), 'Egress', v2),
    valid: errors.length === 0,
    errors,
    ...(spec ? { specNode: spec } : {}),
  };
  cache.set(obj, p);
  return p;
}

function tierOf(spec: PMap | undefined): Tier {
  return str(get(spec, 'tier')) === 'Baseline' ? 'Baseline' : 'Admin';
}

/** Order within a tier (docs/semantics.md D.3): priority (the BANP last), then name, then kind. */
export function compareTiered(a: TieredPolicy, b: TieredPolicy): number {
  const pa = a.priority ?? Infinity;
  const pb = b.priority ?? Infinity;
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/** The valid policies of a tier in evaluation order. */
export function tierOrder(policies: readonly TieredPolicy[], tier: Tier): TieredPolicy[] {
  return policies.filter((p) => p.valid && p.tier === tier).sort(compareTiered);
}

/** How a rule is named in explanations: `ingress rule deny-x (rule 2)` or `ingress rule 2`. */
export function tieredRuleLabel(r: TieredRule): string {
  const dir = r.direction === 'Ingress' ? 'ingress' : 'egress';
  return r.name ? `${dir} rule ${r.name} (rule ${r.index + 1})` : `${dir} rule ${r.index + 1}`;
}

/** The written action of a rule in its policy's spelling (Allow in v1alpha1, Accept in v1alpha2). */
export function writtenAction(p: TieredPolicy, a: TierAction): string {
  return a === 'Accept' && p.kind !== 'ClusterNetworkPolicy' ? 'Allow' : a;
}
