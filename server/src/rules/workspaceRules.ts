// Pitfalls that need the workspace, one module per area: DNS blocked by egress isolation (P10,
// dnsRule.ts), Service port instead of the container port and named ports that resolve nowhere
// (P11, P12, portRules.ts), policies that select nothing, pod-only peers that only match pods of
// other namespaces, NotIn matching unlabelled objects and hostNetwork pods (P37, P25, P27, P39,
// selectorRules.ts), shadowed and redundant rules (P38, redundancy.ts), ipBlocks over pod or
// Service CIDRs and single-family ipBlocks in dual-stack clusters (P21, P23, ipBlockRules.ts).

import { checkDns } from './dnsRule';
import { checkIpBlocks } from './ipBlockRules';
import { checkPorts } from './portRules';
import { checkRedundancy } from './redundancy';
import { checkSelectors } from './selectorRules';
import type { RuleModule } from './types';

export const workspaceRules: RuleModule = {
  rules: [
    {
      id: 'NPP10',
      name: 'dns-blocked',
      severity: 'warning',
      title: 'egress isolation that blocks DNS',
      description:
        'Once a pod is egress-isolated, name lookups fail unless an egress rule allows UDP and TCP 53 to the cluster DNS (kube-system, k8s-app=kube-dns by default; see the netpolLens.dns settings). Add a rule to the DNS pods on both protocols.',
      reference: 'C.10',
      crossFile: true,
      fixes: ['Add a DNS egress rule (UDP and TCP 53 to the cluster DNS)'],
    },
    {
      id: 'NPP11',
      name: 'service-port-instead-of-target-port',
      severity: 'warning',
      title: "Service port used instead of the pod's port",
      description:
        "Policies match traffic after the Service has translated it, on the pod's containerPort (the Service's targetPort). `port: 80` for a Service 80→8080 does not allow the traffic.",
      reference: 'C.11',
      crossFile: true,
      fixes: ['Replace with the targetPort'],
    },
    {
      id: 'NPP12',
      name: 'unresolved-named-port',
      severity: 'warning',
      title: 'named port that no destination defines',
      description:
        "A named port is looked up in the destination pods' container ports (name and protocol). Where it is not defined, the entry allows nothing and the traffic is silently denied.",
      reference: 'C.12',
      crossFile: true,
    },
    {
      id: 'NPP21',
      name: 'ip-block-over-cluster-cidr',
      severity: 'warning',
      title: 'ipBlock covering the pod or Service CIDR',
      description:
        'Pod IPs change all the time and some plugins (Cilium, Terway) never match pod IPs with ipBlock; Service IPs are translated before policy runs. Set netpolLens.podCidrs/serviceCidrs to enable this check.',
      reference: 'C.21',
    },
    {
      id: 'NPP23',
      name: 'single-family-ip-blocks',
      severity: 'info',
      title: 'ipBlocks of one IP family in a dual-stack cluster',
      description:
        '0.0.0.0/0 covers IPv4 only. With netpolLens.dualStack on, rules whose ipBlocks are all one family get this note.',
      reference: 'C.23',
    },
    {
      id: 'NPP25',
      name: 'pod-peer-in-other-namespace',
      severity: 'warning',
      title: 'podSelector peer that only matches pods of other namespaces',
      description:
        "A peer with only podSelector looks in the policy's own namespace. If the labels match pods elsewhere only, a namespaceSelector is missing from the same peer.",
      reference: 'C.25',
      crossFile: true,
      fixes: ['Add a namespaceSelector by name'],
    },
    {
      id: 'NPP27',
      name: 'negative-selector-matches-unlabelled',
      severity: 'info',
      title: 'NotIn also matches unlabelled objects',
      description:
        '`env NotIn [prod]` matches every object without an env label too (as DoesNotExist does by definition). The note lists the unlabelled objects it picks up in the workspace; requiring the key (Exists) in the same selector silences it.',
      reference: 'C.27',
      crossFile: true,
    },
    {
      id: 'NPP37',
      name: 'selects-no-workload',
      severity: 'warning',
      title: 'podSelector that selects no workload',
      description:
        'With the workloads of the namespace in the workspace, a policy whose podSelector matches none of them does nothing: typically a label typo or the wrong namespace.',
      reference: 'C.37',
      crossFile: true,
    },
    {
      id: 'NPP38',
      name: 'shadowed-rule',
      severity: 'hint',
      title: 'rule shadowed by another rule or policy',
      description:
        'Policies add up: a rule allowing a subset of what another rule (or an allow-all policy for the same pods) allows changes nothing, and a second policy can never deny what another allows.',
      reference: 'C.38',
      crossFile: true,
    },
    {
      id: 'NPP39',
      name: 'host-network-workload',
      severity: 'warning',
      title: 'policy selecting or matching hostNetwork pods',
      description:
        'Behaviour for hostNetwork pods is undefined: most plugins neither isolate them nor match them with selectors. Use ipBlocks on node addresses.',
      reference: 'C.39',
      crossFile: true,
    },
  ],
  check(ctx, report) {
    for (const p of ctx.policies) {
      checkDns(ctx, p, report);
      checkPorts(ctx, p, report);
      checkSelectors(ctx, p, report);
      checkRedundancy(ctx, p, report);
      checkIpBlocks(ctx, p, report);
    }
  },
};
