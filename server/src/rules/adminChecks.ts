// The checks of adminRules.ts (docs/semantics.md D.6 AP01-AP05), decided on the workloads of the
// workspace with the pair-by-pair evaluator of the tiers (analysis/tierEval.ts). Each check looks
// at a bounded number of (workload, remote end) pairs so that a large workspace stays fast.

import type { Endpoint } from '../analysis/evaluate';
import { applies, evaluateDirection, peerMatches, rulePorts } from '../analysis/evaluate';
import type { RelatedLocation } from '../analysis/findings';
import type { Direction, NormPolicy, NormRule } from '../analysis/policy';
import {
  EMPTY_PORTS,
  describePorts,
  intersectPorts,
  isEmptyPorts,
  type PortSet,
  portsSubset,
  subtractPorts,
  unionPorts,
} from '../analysis/ports';
import {
  applyTiers,
  subjectSelects,
  type TierDecision,
  tierDecisions,
  tierPeerMatches,
  tierRulePorts,
} from '../analysis/tierEval';
import { tierRuleName } from '../analysis/tierExplain';
import type { TieredPolicy, TieredRule } from '../analysis/tiered';
import type { Workload, World } from '../analysis/world';
import { getEntry } from '../model/tree';
import type { Report, RuleContext } from './types';

/** At most this many (workload, remote end) pairs per check. */
const MAX_PAIRS = 4000;
const DIRS: readonly Direction[] = ['Ingress', 'Egress'];

function rulesOf(p: TieredPolicy, d: Direction): readonly TieredRule[] {
  return d === 'Ingress' ? p.ingress : p.egress;
}

function dirWord(d: Direction): string {
  return d === 'Ingress' ? 'ingress' : 'egress';
}

function name(w: Workload): string {
  return `${w.namespace}/${w.name}`;
}

function subjects(world: World, p: TieredPolicy): Workload[] {
  return world.workloads.filter((w) => subjectSelects(world, p, w));
}

/** The remote ends a rule's peers match: workloads, and one address per piece of its networks. */
function endsOf(world: World, r: TieredRule, tier: readonly TieredPolicy[]): Endpoint[] {
  const out: Endpoint[] = world.workloads
    .filter((w) => r.peers.some((x) => tierPeerMatches(world, x, { kind: 'workload', w })))
    .map((w) => ({ kind: 'workload', w }));
  for (const peer of r.peers) {
    if (peer.kind !== 'networks') continue;
    for (const c of peer.cidrs) {
      const pts = new Set<bigint>([c.lo]);
      // the boundaries of every network of the tier inside this one: each piece is decided alike
      for (const p of tier) {
        for (const rule of p.egress) {
          for (const x of rule.peers) {
            if (x.kind !== 'networks') continue;
            for (const o of x.cidrs) {
              if (o.family !== c.family) continue;
              for (const b of [o.lo, o.hi + 1n]) if (b > c.lo && b <= c.hi) pts.add(b);
            }
          }
        }
      }
      for (const ip of pts) out.push({ kind: 'ip', family: c.family, ip });
    }
  }
  return out;
}

function receiverOf(d: Direction, self: Workload, other: Endpoint): Workload | null {
  return d === 'Ingress' ? self : other.kind === 'workload' ? other.w : null;
}

function endName(e: Endpoint): string {
  return e.kind === 'workload' ? name(e.w) : 'an outside address';
}

/** Where a node of an admin policy is, for related information. */
function related(p: TieredPolicy, node: { s: number; e: number }, message: string): RelatedLocation {
  return { uri: p.obj.uri, doc: p.obj.doc, s: node.s, e: node.e, message };
}

/** The span of a rule's `action` value (or the rule). */
function actionSpan(r: TieredRule): { s: number; e: number } {
  const en = getEntry(r.node, 'action');
  return en ? { s: en.ks, e: en.value.e } : { s: r.node.s, e: r.node.e };
}

/** The policies of a tier (same priority scale) that take part, in order. */
function tierOf(world: World, p: TieredPolicy): readonly TieredPolicy[] {
  return p.tier === 'Admin' ? world.adminTier : world.baselineTier;
}

// ------------------------------------------------------------------------------ AP01

/** Do two rules overlap for `self`: a common remote end and a common port? */
function overlap(world: World, d: Direction, self: Workload, a: TieredRule, b: TieredRule): string | null {
  for (const w of world.workloads) {
    if (w === self) continue;
    const e: Endpoint = { kind: 'workload', w };
    if (!a.peers.some((x) => tierPeerMatches(world, x, e)) || !b.peers.some((x) => tierPeerMatches(world, x, e))) {
      continue;
    }
    const recv = receiverOf(d, self, e);
    const ports = intersectPorts(tierRulePorts(a, recv), tierRulePorts(b, recv));
    if (!isEmptyPorts(ports)) return `${describePorts(ports)} with ${name(w)}`;
  }
  for (const x of a.peers) {
    for (const y of b.peers) {
      if (x.kind !== 'networks' || y.kind !== 'networks') continue;
      const hit = x.cidrs.find((c) => y.cidrs.some((o) => o.family === c.family && o.lo <= c.hi && c.lo <= o.hi));
      const ports = intersectPorts(tierRulePorts(a, null), tierRulePorts(b, null));
      if (hit && !isEmptyPorts(ports)) return `${describePorts(ports)} with addresses in ${hit.canonical}`;
    }
  }
  return null;
}

/** AP01: another policy of the tier with the same priority whose rules overlap with this one's. */
export function checkSamePriority(ctx: RuleContext, p: TieredPolicy, report: Report): void {
  const { world } = ctx;
  if (p.priority === undefined) return;
  const entry = getEntry(p.specNode, 'priority');
  if (!entry) return;
  const mine = subjects(world, p);
  for (const q of tierOf(world, p)) {
    if (q === p || q.priority !== p.priority) continue;
    const common = mine.filter((w) => subjectSelects(world, q, w)).slice(0, 50);
    let found: string | null = null;
    for (const d of DIRS) {
      for (const w of common) {
        for (const a of rulesOf(p, d)) {
          for (const b of rulesOf(q, d)) {
            const o = overlap(world, d, w, a, b);
            if (o && !found) {
              found = `${dirWord(d)} of ${name(w)}: rule ${a.index + 1} and rule ${b.index + 1} both match ${o}`;
            }
          }
        }
      }
    }
    if (!found) continue;
    const first = [p, q].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.kind < y.kind ? -1 : 1))[0];
    report({
      rule: 'NPT01',
      severity: 'warning',
      s: entry.ks,
      e: entry.value.e,
      message: `${p.kind} ${p.name} and ${q.kind} ${q.name} have the same priority ${p.priority} in the ${p.tier} tier and overlap (${found}): which one decides is undefined. netpol-lens evaluates ${first.name} first; give them different priorities.`,
      related: [
        related(
          q,
          getEntry(q.specNode, 'priority')?.value ?? q.obj.node,
          `${q.kind} ${q.name}: priority ${q.priority}`,
        ),
      ],
    });
  }
}

// ------------------------------------------------------------------------------ AP02

/** AP02: a rule that never decides a port, because earlier rules of the tier decide them all. */
export function checkShadowed(ctx: RuleContext, p: TieredPolicy, report: Report): void {
  const { world } = ctx;
  const tier = tierOf(world, p);
  const selfs = subjects(world, p);
  for (const d of DIRS) {
    for (const r of rulesOf(p, d)) {
      const ends = endsOf(world, r, tier);
      if (!selfs.length || !ends.length || selfs.length * ends.length > MAX_PAIRS) continue;
      let matched = false;
      let decides = false;
      const earlier = new Map<TieredRule, TierDecision>();
      for (const w of selfs) {
        for (const e of ends) {
          if (e.kind === 'workload' && e.w === w) continue;
          const ports = tierRulePorts(r, receiverOf(d, w, e));
          if (isEmptyPorts(ports)) continue;
          matched = true;
          const ds = tierDecisions(world, tier, d, w, e);
          if (ds.some((x) => x.rule === r)) decides = true;
          for (const x of ds) if (!isEmptyPorts(intersectPorts(x.ports, ports))) earlier.set(x.rule, x);
          if (decides) break;
        }
        if (decides) break;
      }
      const by = [...earlier.values()];
      // an equal priority in another policy makes the order undefined: NPT01 says so instead
      if (!matched || decides || by.some((x) => x.policy !== p && x.policy.priority === p.priority)) continue;
      const other = by.find((x) => x.policy.obj.doc !== p.obj.doc) ?? by[0];
      report({
        rule: 'NPT02',
        severity: 'hint',
        ...actionSpan(r),
        message: `This rule never decides anything: every connection it matches is decided first by ${by
          .slice(0, 3)
          .map((x) => tierRuleName(x.policy, x.rule))
          .join(
            ', ',
          )}${by.length > 3 ? ` and ${by.length - 3} more` : ''} (in the ${p.tier} tier the first matching rule wins).`,
        tags: ['unnecessary'],
        ...(other
          ? { related: [related(other.policy, actionSpan(other.rule), tierRuleName(other.policy, other.rule))] }
          : {}),
      });
    }
  }
}

// ------------------------------------------------------------------------------ AP03

/** AP03: a Pass whose ports no NetworkPolicy and no Baseline rule decide below it. */
export function checkPassBelow(ctx: RuleContext, p: TieredPolicy, report: Report): void {
  const { world } = ctx;
  if (p.tier !== 'Admin') return;
  const selfs = subjects(world, p);
  for (const d of DIRS) {
    for (const r of rulesOf(p, d)) {
      if (r.action !== 'Pass') continue;
      const ends = endsOf(world, r, world.adminTier);
      if (selfs.length * ends.length > MAX_PAIRS) continue;
      let passed = 0;
      let example = '';
      let effective = false;
      for (const w of selfs) {
        for (const e of ends) {
          if (e.kind === 'workload' && e.w === w) continue;
          const t = applyTiers(world, d, w, e, evaluateDirection(world, d, w, e));
          const mine = t.admin.find((x) => x.rule === r);
          if (!mine) continue;
          passed++;
          example ||= `${describePorts(mine.ports)} between ${name(w)} and ${endName(e)}`;
          if (t.npDecided || t.baseline.some((b) => !isEmptyPorts(intersectPorts(b.ports, mine.ports)))) {
            effective = true;
            break;
          }
        }
        if (effective) break;
      }
      if (!passed || effective) continue;
      report({
        rule: 'NPT03',
        severity: 'info',
        ...actionSpan(r),
        message: `This Pass hands ${example}${passed > 1 ? ` (and ${passed - 1} more pair(s))` : ''} down, but nothing below decides it: no NetworkPolicy isolates the ${dirWord(d)} of these workloads and no Baseline rule matches, so it is allowed by default, as if the rule did not exist. Use Deny (or add the NetworkPolicy or Baseline rule you meant).`,
      });
    }
  }
}

// ------------------------------------------------------------------------------ AP04, AP05

function npRuleName(p: NormPolicy, r: NormRule): string {
  return `${p.namespace}/${p.name} ${dirWord(r.direction)} rule ${r.index + 1}`;
}

/** AP04 and AP05 for one NetworkPolicy. */
export function checkNetworkPolicyAgainstTiers(ctx: RuleContext, p: NormPolicy, report: Report): void {
  const { world } = ctx;
  const selfs = world.workloads.filter((w) => applies(p, w, 'Ingress') || applies(p, w, 'Egress'));
  for (const d of DIRS) {
    if (!p.types.has(d)) continue;
    const mine = selfs.filter((w) => applies(p, w, d));
    for (const r of d === 'Ingress' ? p.ingress : p.egress) deadRule(ctx, p, r, mine, report);
    voidedIsolation(ctx, p, d, mine, report);
  }
}

/** AP04: every connection a rule allows is denied by the Admin tier first. */
function deadRule(ctx: RuleContext, p: NormPolicy, r: NormRule, selfs: readonly Workload[], report: Report): void {
  const { world } = ctx;
  // a rule without peers, or with ipBlocks, also allows outside addresses, which admin ingress rules never name
  if (!r.peers?.length || r.peers.some((x) => x.kind !== 'pods')) return;
  const d = r.direction;
  const ends = world.workloads.filter((w) =>
    r.peers!.some((x) => peerMatches(world, x, p.namespace, { kind: 'workload', w })),
  );
  if (!selfs.length || !ends.length || selfs.length * ends.length > MAX_PAIRS) return;
  let matched = false;
  const deniers = new Map<TieredRule, TierDecision>();
  for (const w of selfs) {
    for (const o of ends) {
      if (o === w) continue;
      const e: Endpoint = { kind: 'workload', w: o };
      const ports = rulePorts(r, d === 'Ingress' ? w : o);
      if (isEmptyPorts(ports)) continue;
      matched = true;
      let denied = EMPTY_PORTS;
      for (const x of tierDecisions(world, world.adminTier, d, w, e)) {
        if (x.action !== 'Deny' || isEmptyPorts(intersectPorts(x.ports, ports))) continue;
        denied = unionPorts(denied, x.ports);
        deniers.set(x.rule, x);
      }
      if (!portsSubset(ports, denied)) return;
    }
  }
  if (!matched) return;
  const by = [...deniers.values()];
  report({
    rule: 'NPT04',
    severity: 'warning',
    s: r.node.s,
    e: r.node.e,
    message: `${npRuleName(p, r)} can never take effect: the Admin tier denies everything it allows before any NetworkPolicy is consulted (${by
      .slice(0, 3)
      .map((x) => tierRuleName(x.policy, x.rule))
      .join(', ')}).`,
    tags: ['unnecessary'],
    related: by
      .slice(0, 3)
      .map((x) => related(x.policy, actionSpan(x.rule), `${tierRuleName(x.policy, x.rule)}: Deny`)),
  });
}

/** AP05: connections the Admin tier accepts for workloads this policy isolates, which its rules do not allow. */
function voidedIsolation(
  ctx: RuleContext,
  p: NormPolicy,
  d: Direction,
  selfs: readonly Workload[],
  report: Report,
): void {
  const { world } = ctx;
  if (!selfs.length || selfs.length * world.workloads.length > MAX_PAIRS) return;
  let count = 0;
  let example: { w: Workload; o: Workload; ports: PortSet; by: TierDecision } | undefined;
  for (const w of selfs) {
    for (const o of world.workloads) {
      if (o === w) continue;
      const e: Endpoint = { kind: 'workload', w: o };
      const accepted = tierDecisions(world, world.adminTier, d, w, e).filter((x) => x.action === 'Accept');
      if (!accepted.length) continue;
      const np = evaluateDirection(world, d, w, e).allowed;
      for (const x of accepted) {
        const extra = subtractPorts(x.ports, np);
        if (isEmptyPorts(extra)) continue;
        count++;
        example ??= { w, o, ports: extra, by: x };
        break;
      }
    }
  }
  if (!example) return;
  const sel = getEntry(p.specNode, 'podSelector');
  const span = sel ? { s: sel.ks, e: sel.value.e } : { s: p.obj.node.s, e: p.obj.node.s };
  const { w, o, ports, by } = example;
  const pair = d === 'Ingress' ? `from ${name(o)} to ${name(w)}` : `from ${name(w)} to ${name(o)}`;
  report({
    rule: 'NPT05',
    severity: 'info',
    ...span,
    message: `${tierRuleName(by.policy, by.rule)} accepts ${describePorts(ports)} ${pair} before NetworkPolicies are consulted: the ${dirWord(d)} isolation of ${p.namespace}/${p.name} does not stop it${count > 1 ? ` (${count} workload pairs in all)` : ''}.`,
    related: [related(by.policy, actionSpan(by.rule), `${tierRuleName(by.policy, by.rule)}: Accept`)],
  });
}
