// Pitfalls of the admin tiers that the tree shows without evaluating anything, from
// docs/semantics.md D.6: v1alpha1 policies in a workspace that also uses v1alpha2 (AP07, NPT07, with a quick fix
// that converts one policy). The spelling mix-ups of AP06 (Allow in v1alpha2, Accept in v1alpha1,
// Pass in a BaselineAdminNetworkPolicy) and the other version's field names (AP13) are rejected by
// the API server, so NPA11 and NPA26 report them with their own messages and fixes.

import { adminObjects, type AdminObject } from '../analysis/adminKinds';
import { ADMIN_V1ALPHA1, ADMIN_V1ALPHA2 } from '../schema/adminShared';
import type { RuleContext, RuleModule } from './types';
import { keyOf } from './util';

/** The first v1alpha2 ClusterNetworkPolicy of the workspace (memoised per world). */
function firstV2(ctx: RuleContext): AdminObject | null {
  return ctx.inv.memo('rules:npt07', () => {
    for (const o of adminObjects(ctx.world.objects)) {
      if (o.kind === 'ClusterNetworkPolicy' && o.apiVersion === ADMIN_V1ALPHA2) return o;
    }
    return null;
  });
}

export const adminTiers: RuleModule = {
  rules: [
    {
      id: 'NPT07',
      name: 'v1alpha1-next-to-v1alpha2',
      severity: 'info',
      title: 'v1alpha1 admin policy in a workspace that uses ClusterNetworkPolicy',
      description:
        'AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1) are the previous API: ClusterNetworkPolicy (v1alpha2) replaces both. Mixing the versions makes the order of the tiers harder to see; the conversion of one policy is mechanical.',
      reference: 'D.6 AP07',
      crossFile: true,
      fixes: ['Convert this policy to a ClusterNetworkPolicy'],
    },
  ],
  check(ctx, report) {
    for (const o of adminObjects(ctx.objects)) {
      if (o.kind === 'ClusterNetworkPolicy' || o.apiVersion !== ADMIN_V1ALPHA1) continue;
      const v2 = firstV2(ctx);
      if (!v2) continue;
      const k = keyOf(o.node, 'kind');
      const tier = o.kind === 'AdminNetworkPolicy' ? 'tier: Admin, the same priority' : 'tier: Baseline, priority 1000';
      report({
        rule: 'NPT07',
        severity: 'info',
        s: k?.value.s ?? o.node.s,
        e: k?.value.e ?? o.node.s,
        message: `${o.kind} is v1alpha1, and this workspace also has ClusterNetworkPolicies (v1alpha2), which replace it; clusters and plugins move to v1alpha2, and mixing both makes the order of the tiers harder to see. As a ClusterNetworkPolicy it becomes ${tier}, with Accept for Allow and protocols for ports; the quick fix converts it.`,
        related: [
          {
            uri: v2.uri,
            doc: v2.doc,
            s: keyOf(v2.node, 'kind')?.value.s ?? v2.node.s,
            e: keyOf(v2.node, 'kind')?.value.e ?? v2.node.s,
            message: `ClusterNetworkPolicy${v2.name ? ` ${v2.name}` : ''} (v1alpha2)`,
          },
        ],
      });
    }
  },
};
