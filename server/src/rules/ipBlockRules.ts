// ipBlocks: over the pod or Service CIDR (docs/semantics.md C.21), of one IP family in a dual-stack cluster (docs/semantics.md C.23).

import { type Cidr, parseCidr } from '../analysis/ipset';
import type { NormPolicy } from '../analysis/policy';
import { get } from '../model/tree';
import type { Report, RuleContext } from './types';

/** The cluster's pod and Service CIDRs from the settings (parsed once per world and settings). */
function clusterCidrs(ctx: RuleContext): ReadonlyArray<{ c: Cidr; what: string }> {
  const { podCidrs, serviceCidrs } = ctx.settings;
  return ctx.inv.memo(`rules:clusterCidrs\u0000${podCidrs.join(',')}\u0000${serviceCidrs.join(',')}`, () => {
    const cluster: Array<{ c: Cidr; what: string }> = [];
    for (const s of podCidrs) {
      const c = parseCidr(s);
      if (c) cluster.push({ c, what: `the pod CIDR ${c.canonical}` });
    }
    for (const s of serviceCidrs) {
      const c = parseCidr(s);
      if (c) cluster.push({ c, what: `the Service CIDR ${c.canonical}` });
    }
    return cluster;
  });
}

export function checkIpBlocks(ctx: RuleContext, p: NormPolicy, report: Report): void {
  const cluster = clusterCidrs(ctx);
  for (const r of [...p.ingress, ...p.egress]) {
    const blocks = (r.peers ?? []).filter((x): x is Extract<typeof x, { kind: 'ipBlock' }> => x.kind === 'ipBlock');
    for (const b of blocks) {
      for (const { c, what } of cluster) {
        if (c.family !== b.cidr.family || c.hi < b.cidr.lo || c.lo > b.cidr.hi) continue;
        const excluded = b.except.some((e) => e.family === c.family && e.lo <= c.lo && e.hi >= c.hi);
        if (excluded) continue;
        const cidrNode = get(get(b.node, 'ipBlock'), 'cidr') ?? b.node;
        report({
          rule: 'NPP21',
          severity: 'warning',
          s: cidrNode.s,
          e: cidrNode.e,
          message: `${b.cidr.canonical} overlaps ${what}. Pod IPs change all the time, some plugins never match pod IPs with ipBlock, and Service IPs are translated before policy applies. Use pod and namespace selectors for in-cluster traffic${b.cidr.prefix === 0 ? `, or add ${c.canonical} to except` : ''}.`,
        });
      }
    }
    if (ctx.settings.dualStack && blocks.length && (r.peers ?? []).every((x) => x.kind === 'ipBlock')) {
      const fams = new Set(blocks.map((b) => b.cidr.family));
      if (fams.size === 1) {
        const f = [...fams][0];
        report({
          rule: 'NPP23',
          severity: 'info',
          s: blocks[0].node.s,
          e: blocks[0].node.e,
          message: `All ipBlocks of this rule are IPv${f}; in a dual-stack cluster IPv${f === 4 ? 6 : 4} traffic is not covered${blocks.some((b) => b.cidr.prefix === 0) ? ` (add ${f === 4 ? '::/0' : '0.0.0.0/0'} too)` : `. Add the IPv${f === 4 ? 6 : 4} blocks of the same destinations`}.`,
        });
      }
    }
  }
}
