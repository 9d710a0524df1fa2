// Pitfalls of the admin tiers that need the tiered model and the workspace (docs/semantics.md D.6):
// two policies of one tier with the same priority that overlap (AP01), a rule that earlier rules
// shadow (AP02), a Pass that nothing below decides (AP03), a NetworkPolicy rule that an admin Deny
// makes dead (AP04), and an admin Accept that voids a NetworkPolicy's isolation (AP05). The checks
// are in adminChecks.ts.

import { readTieredPolicy } from '../analysis/tiered';
import { checkNetworkPolicyAgainstTiers, checkPassBelow, checkSamePriority, checkShadowed } from './adminChecks';
import type { RuleModule } from './types';

export const adminRules: RuleModule = {
  rules: [
    {
      id: 'NPT01',
      name: 'same-priority-overlap',
      severity: 'warning',
      title: 'two admin policies of one tier with the same priority that overlap',
      description:
        'When two policies of one tier have the same priority and both can match a connection, the result is undefined: an implementation may apply either. Give them different priorities.',
      reference: 'D.6 AP01',
      crossFile: true,
    },
    {
      id: 'NPT02',
      name: 'shadowed-admin-rule',
      severity: 'hint',
      title: 'admin rule shadowed by earlier rules',
      description:
        'Within a tier the first matching rule decides. A rule whose connections are all decided by earlier rules of the same policy, or of policies with lower priority numbers, never decides anything.',
      reference: 'D.6 AP02',
      crossFile: true,
    },
    {
      id: 'NPT03',
      name: 'pass-without-effect',
      severity: 'info',
      title: 'Pass that no lower tier decides',
      description:
        'Pass is not "deny unless a NetworkPolicy allows": where no NetworkPolicy isolates the pod and no Baseline rule matches, a passed connection is allowed by default, as if the rule did not exist.',
      reference: 'D.6 AP03',
    },
    {
      id: 'NPT04',
      name: 'rule-dead-by-admin-deny',
      severity: 'warning',
      title: 'NetworkPolicy rule that an admin Deny makes dead',
      description:
        'The Admin tier decides before NetworkPolicies: a NetworkPolicy rule whose every connection an admin Deny denies can never take effect.',
      reference: 'D.6 AP04',
      crossFile: true,
    },
    {
      id: 'NPT05',
      name: 'isolation-voided-by-admin-accept',
      severity: 'info',
      title: "admin Accept that voids a NetworkPolicy's isolation",
      description:
        'Traffic that the Admin tier accepts is never checked against NetworkPolicies: the isolation of this policy does not stop it.',
      reference: 'D.6 AP05',
      crossFile: true,
    },
  ],
  check(ctx, report) {
    const { world } = ctx;
    if (!world.tieredPolicies.length) return;
    for (const o of ctx.objects) {
      if (o.type !== 'tiered') continue;
      const p = readTieredPolicy(o);
      if (!p.valid || !world.tieredPolicies.includes(p)) continue;
      checkSamePriority(ctx, p, report);
      checkShadowed(ctx, p, report);
      checkPassBelow(ctx, p, report);
    }
    if (!world.adminTier.length) return;
    for (const p of ctx.policies) {
      if (p.valid && world.activePolicies.includes(p)) checkNetworkPolicyAgainstTiers(ctx, p, report);
    }
  },
};
