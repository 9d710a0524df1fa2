// Explanations of the admin tiers (docs/semantics.md D.5): for one direction, which tier decided
// which ports, by which policy and rule, in the order the tiers are walked; and for one port of a
// pair, the sentence that names the deciding tier. Plain text; callers add locations and markup.

import type { DirectionVerdict, PairVerdict, RuleMatch } from './evaluate';
import type { NormPolicy } from './policy';
import {
  containsPort,
  describePorts,
  intersectPorts,
  isEmptyPorts,
  type PortSet,
  portSetOf,
  type Protocol,
  subtractPorts,
  unionPorts,
} from './ports';
import type { TierDecision, TierTrace } from './tierEval';
import { type TieredPolicy, type TieredRule, tieredRuleLabel } from './tiered';

/** Where a node is, e.g. `policies.yaml:12` (absent: no locations in the text). */
export type TierLocate = (p: TieredPolicy | NormPolicy, offset: number) => string;

/** `AdminNetworkPolicy block-pci ingress rule deny-x (rule 2, priority 10)`. */
export function tierRuleName(p: TieredPolicy, r: TieredRule): string {
  const label = tieredRuleLabel(r);
  const named = /^(\w+ rule .*) \((rule \d+)\)$/.exec(label);
  const parts = [
    ...(named ? [named[2]] : []),
    ...(p.kind === 'ClusterNetworkPolicy' ? [`${p.tier} tier`] : []),
    ...(p.priority !== undefined ? [`priority ${p.priority}`] : []),
  ];
  return `${p.kind} ${p.name} ${named ? named[1] : label}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function at(locate: TierLocate | undefined, p: TieredPolicy | NormPolicy, offset: number): string {
  return locate ? ` (${locate(p, offset)})` : '';
}

const VERB = { Accept: 'ALLOWED', Deny: 'DENIED', Pass: 'passed' } as const;

function npName(p: NormPolicy): string {
  return `${p.namespace}/${p.name}`;
}

function matchName(m: RuleMatch): string {
  return `${npName(m.policy)} ${m.rule.direction === 'Ingress' ? 'ingress' : 'egress'} rule ${m.rule.index + 1}`;
}

function only(p: PortSet, port?: { port: number; protocol: Protocol }): PortSet {
  return port ? intersectPorts(p, portSetOf([{ protocol: port.protocol, from: port.port, to: port.port }])) : p;
}

function adminLine(d: TierDecision, self: string, dir: string, ports: PortSet, locate?: TierLocate): string {
  const who = `${tierRuleName(d.policy, d.rule)}${at(locate, d.policy, d.rule.node.s)}`;
  if (d.action === 'Pass') {
    return `${describePorts(ports)}: passed by ${who} to the NetworkPolicies and the Baseline tier`;
  }
  const tail =
    d.action === 'Deny'
      ? ' before any NetworkPolicy is consulted'
      : `; NetworkPolicies and the Baseline tier are not consulted for ${self} ${dir}`;
  return `${describePorts(ports)}: ${VERB[d.action]} by ${who}${tail}`;
}

/**
 * The tiers of one direction in words (docs/semantics.md D.5), one line per group of ports decided alike; `port`
 * limits the text to one port. Empty when the verdict has no tier trace (no admin policies).
 */
export function tierLines(
  v: DirectionVerdict,
  self: string,
  locate?: TierLocate,
  port?: { port: number; protocol: Protocol },
): string[] {
  const t = v.tiers;
  if (!t) return [];
  const dir = v.direction === 'Ingress' ? 'ingress' : 'egress';
  const out: string[] = [];
  for (const d of t.admin) {
    const ports = only(d.ports, port);
    if (!isEmptyPorts(ports)) out.push(adminLine(d, self, dir, ports, locate));
  }
  const rest = only(t.rest, port);
  if (!isEmptyPorts(rest)) out.push(...restLines(v, t, rest, self, dir, locate, port));
  const decided = subtractPorts(only(unionPorts(portsOf(t, 'Accept'), portsOf(t, 'Deny')), port), rest);
  for (const m of v.matches) {
    const overridden = intersectPorts(m.ports, decided);
    if (!isEmptyPorts(overridden)) {
      out.push(
        `${describePorts(overridden)}: ${matchName(m)} would allow it, but the Admin tier decided first (overridden)`,
      );
    }
  }
  for (const u of t.unresolved) {
    const what =
      u.peer.kind === 'domainNames'
        ? `domainNames, which netpol-lens cannot resolve: traffic to those names may be accepted in the cluster`
        : `nodes, which manifests do not list: traffic to nodes and hostNetwork pods is decided by it in the cluster and not analysed`;
    out.push(
      `${tieredRuleLabel(u.rule)} of ${u.policy.kind} ${u.policy.name}${at(locate, u.policy, u.rule.node.s)} matches ${what}`,
    );
  }
  return [...new Set(out)];
}

function portsOf(t: TierTrace, action: 'Accept' | 'Deny'): PortSet {
  let out = portSetOf([]);
  for (const d of t.admin) if (d.action === action) out = unionPorts(out, d.ports);
  return out;
}

function restLines(
  v: DirectionVerdict,
  t: TierTrace,
  rest: PortSet,
  self: string,
  dir: string,
  locate?: TierLocate,
  port?: { port: number; protocol: Protocol },
): string[] {
  const out: string[] = [];
  if (t.npDecided) {
    const pols = v.isolatedBy.map((p) => `${npName(p)}${at(locate, p, p.obj.node.s)}`).join(', ');
    const ok = intersectPorts(rest, t.allowed);
    const by = v.matches.filter((m) => !isEmptyPorts(intersectPorts(m.ports, rest))).map(matchName);
    if (!isEmptyPorts(ok)) {
      out.push(
        `${describePorts(ok)}: decided by the NetworkPolicies that isolate ${self} for ${dir}: allowed by ${by.join(', ')}`,
      );
    }
    const no = subtractPorts(rest, t.allowed);
    if (!isEmptyPorts(no)) {
      out.push(
        `${describePorts(no)}: denied: ${pols} isolate${v.isolatedBy.length > 1 ? '' : 's'} ${self} for ${dir} and no rule allows it`,
      );
    }
    return out;
  }
  for (const d of t.baseline) {
    const ports = only(d.ports, port);
    if (isEmptyPorts(ports)) continue;
    const who = `${tierRuleName(d.policy, d.rule)}${at(locate, d.policy, d.rule.node.s)}`;
    out.push(
      d.action === 'Pass'
        ? `${describePorts(ports)}: no NetworkPolicy isolates ${self} for ${dir}; passed by ${who}: allowed by default`
        : `${describePorts(ports)}: no NetworkPolicy isolates ${self} for ${dir}: ${VERB[d.action]} by ${who}`,
    );
  }
  const def = only(t.defaulted, port);
  const passed = t.baseline.filter((d) => d.action === 'Pass').reduce((a, d) => unionPorts(a, d.ports), portSetOf([]));
  const unmatched = subtractPorts(def, passed);
  // ports an Admin Pass handed down reached the default too, but an Admin rule did match them
  const adminPassed = t.admin
    .filter((d) => d.action === 'Pass')
    .reduce((a, d) => unionPorts(a, d.ports), portSetOf([]));
  const handed = intersectPorts(unmatched, adminPassed);
  if (!isEmptyPorts(handed)) {
    out.push(
      `${describePorts(handed)}: no NetworkPolicy isolates ${self} for ${dir} and no Baseline rule matches: allowed by default`,
    );
  }
  const plain = subtractPorts(unmatched, adminPassed);
  if (!isEmptyPorts(plain)) {
    out.push(
      `${describePorts(plain)}: no rule of the Admin tier, no NetworkPolicy and no Baseline rule matches: allowed by default`,
    );
  }
  return out;
}

/** The deciding reason of one direction for one port, in a few words (null: allowed by default). */
function portReason(v: DirectionVerdict, self: string, protocol: Protocol, port: number): string | null {
  const t = v.tiers;
  if (!t) return null;
  const dir = v.direction === 'Ingress' ? 'ingress' : 'egress';
  const d = t.admin.find((x) => containsPort(x.ports, protocol, port));
  if (d && d.action !== 'Pass') {
    return d.action === 'Deny'
      ? `DENIED by ${tierRuleName(d.policy, d.rule)} before any NetworkPolicy is consulted`
      : `ALLOWED by ${tierRuleName(d.policy, d.rule)}; NetworkPolicies are not consulted for ${self} ${dir}`;
  }
  const via = d ? `passed by ${tierRuleName(d.policy, d.rule)}, then ` : '';
  if (t.npDecided) {
    const m = v.matches.find((x) => containsPort(x.ports, protocol, port));
    return m
      ? `${via}${via ? 'allowed' : 'ALLOWED'} by NetworkPolicy ${matchName(m)}`
      : `${via}DENIED: ${v.isolatedBy.map(npName).join(', ')} isolate${v.isolatedBy.length > 1 ? '' : 's'} ${self} for ${dir} and no rule allows it`;
  }
  const b = t.baseline.find((x) => containsPort(x.ports, protocol, port));
  if (b && b.action !== 'Pass') {
    return `${via}no NetworkPolicy isolates ${self} for ${dir}: ${VERB[b.action]} by ${tierRuleName(b.policy, b.rule)}`;
  }
  return via ? `${via}allowed by default` : null;
}

/**
 * The sentence for one port of a pair (docs/semantics.md D.5): `TCP 5432 from a to b: DENIED by ...`. Egress is
 * named first when it denies; an allowed port names the reason of each direction that has one.
 */
export function portSentence(v: PairVerdict, src: string, dst: string, protocol: Protocol, port: number): string {
  const head = `${protocol} ${port} from ${src} to ${dst}`;
  const dirs = [v.egress && { v: v.egress, self: src }, v.ingress && { v: v.ingress, self: dst }].filter(
    (x): x is { v: DirectionVerdict; self: string } => !!x,
  );
  const denying = dirs.find((x) => !containsPort(x.v.allowed, protocol, port));
  if (denying) {
    const r = portReason(denying.v, denying.self, protocol, port);
    return `${head}: ${r && /DENIED/.test(r) ? r : `DENIED${r ? ` (${r})` : ''}`}`;
  }
  const reasons = dirs.map((x) => portReason(x.v, x.self, protocol, port)).filter((x): x is string => !!x);
  if (!reasons.length) {
    return `${head}: ALLOWED: no rule of the Admin tier, no NetworkPolicy and no Baseline rule matches: allowed by default`;
  }
  return `${head}: ${/^ALLOWED/.test(reasons[0]) ? '' : 'ALLOWED: '}${reasons.join('; ')}`;
}
