// P38: rules that change nothing, because another rule of the policy or an allow-all policy for
// the same pods already allows everything they allow.

import type { Direction, NormPolicy, NormRule } from '../analysis/policy';
import { evaluatePairPortsOnRule } from './ruleMath';
import type { Report, RuleContext } from './types';
import { keyOf, sectionOf } from './util';
import { selectedSet } from './worldFacts';

/** Does rule `a` allow at least everything rule `b` allows (structurally)? */
function coversRule(a: NormRule, b: NormRule): boolean {
  if (a.peers !== undefined) {
    if (b.peers === undefined) return false;
    const keyA = new Set(a.peers.map(peerKey));
    if (!b.peers.every((x) => keyA.has(peerKey(x)))) return false;
  }
  return evaluatePairPortsOnRule(a, b);
}

function peerKey(p: NonNullable<NormRule['peers']>[number]): string {
  if (p.kind === 'ipBlock') {
    return `ip:${p.cidr.canonical}:${p.except
      .map((e) => e.canonical)
      .sort()
      .join(',')}`;
  }
  return `pods:${p.namespaceSelector?.key ?? '-'}:${p.podSelector?.key ?? '-'}`;
}

/** Across policies: another policy allows everything in this direction for all of these pods. */
function checkShadowedSection(ctx: RuleContext, p: NormPolicy, dir: Direction, report: Report): boolean {
  const selected = ctx.inv.selectedBy(p);
  if (!selected.length || !(dir === 'Ingress' ? p.ingress : p.egress).length) return false;
  const q = ctx.inv.allowAllPoliciesIn(p.namespace, dir).find((o) => {
    if (o === p) return false;
    const covered = selectedSet(ctx.inv, o);
    return selected.every((w) => covered.has(w));
  });
  const en = q ? keyOf(p.specNode, sectionOf(dir)) : undefined;
  if (!q || !en) return false;
  report({
    rule: 'NPP38',
    severity: 'hint',
    s: en.ks,
    e: en.ke,
    message: `Policy ${q.namespace}/${q.name} already allows all ${sectionOf(dir)} for every pod this policy selects; policies add up, so these rules change nothing (a policy cannot deny what another allows). Narrow the allow-all policy if these rules are meant to restrict, or remove them.`,
    tags: ['unnecessary'],
    related: [
      {
        uri: q.obj.uri,
        doc: q.obj.doc,
        s: q.obj.node.s,
        e: q.obj.node.s,
        message: `allow-all ${sectionOf(dir)} in ${q.name}`,
      },
    ],
  });
  return true;
}

/** Within the policy: a rule covered by another rule of the same direction. */
function checkCoveredRules(dir: Direction, rules: readonly NormRule[], report: Report): void {
  rules.forEach((r, i) => {
    const cover = rules.find((o, j) => j !== i && coversRule(o, r) && !(coversRule(r, o) && j > i));
    if (cover) {
      report({
        rule: 'NPP38',
        severity: 'hint',
        s: r.node.s,
        e: r.node.e,
        message: `This rule is redundant: ${sectionOf(dir)} rule ${cover.index + 1} already allows everything it allows, and rules add up. Remove it, or narrow the other rule if this one was meant to restrict it.`,
        tags: ['unnecessary'],
      });
    }
  });
}

export function checkRedundancy(ctx: RuleContext, p: NormPolicy, report: Report): void {
  if (!p.valid) return;
  for (const dir of ['Ingress', 'Egress'] as const) {
    if (!p.types.has(dir)) continue;
    if (checkShadowedSection(ctx, p, dir, report)) continue;
    checkCoveredRules(dir, dir === 'Ingress' ? p.ingress : p.egress, report);
  }
}
