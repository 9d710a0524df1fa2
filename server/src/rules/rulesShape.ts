// Pitfalls in the shape of rules, peers and ports: allow-all rules (docs/semantics.md C.6), explicit empty lists
// (docs/semantics.md C.7), and, from their own modules, port entries (P8, P9, P42: shapePorts.ts), peers (P1, P2,
// P13, P18, P41: shapePeers.ts) and namespace references (P24: namespaceRefs.ts).

import type { NormPolicy, NormRule } from '../analysis/policy';
import { checkNamespaceRefs } from './namespaceRefs';
import { checkPeers } from './shapePeers';
import { checkPortEntries } from './shapePorts';
import type { Report, RuleContext, RuleModule } from './types';
import { keyOf, peersKeyOf, sectionOf } from './util';
import { plural } from '../model/words';
import { selectedSet } from './worldFacts';

function rulesOf(p: NormPolicy): NormRule[] {
  return [...p.ingress, ...p.egress];
}

function checkAllowAll(ctx: RuleContext, p: NormPolicy, r: NormRule, report: Report): void {
  if (r.peers !== undefined || r.ports !== undefined || !p.types.has(r.direction)) return;
  const dir = r.direction;
  const sel = ctx.inv.selectedBy(p);
  const selSet = selectedSet(ctx.inv, p);
  // another policy of the namespace that denies this direction for some of the same pods
  const shadowed = ctx.inv
    .denyAllPoliciesIn(p.namespace, dir)
    .filter((q) => q !== p && ctx.inv.selectedBy(q).some((w) => selSet.has(w)));
  const what =
    dir === 'Ingress'
      ? 'every source (any pod, any namespace, any external address), on every port and protocol'
      : 'every destination (any pod, any namespace, the internet), on every port and protocol';
  const base = `This rule allows ${dir === 'Ingress' ? 'ingress from' : 'egress to'} ${what}${sel.length ? ` for ${plural(sel.length, 'selected workload')}` : ''}. Policies add up, so no other policy can narrow it.`;
  if (shadowed.length) {
    report({
      rule: 'NPP06',
      severity: 'warning',
      s: r.node.s,
      e: r.node.e,
      message: `${base} It overrides the default-deny ${shadowed.map((q) => q.name).join(', ')} for the same pods. If you meant "deny all", use \`${sectionOf(dir)}: []\` instead of \`[{}]\`.`,
      related: shadowed.map((q) => ({
        uri: q.obj.uri,
        doc: q.obj.doc,
        s: q.obj.node.s,
        e: q.obj.node.s,
        message: `default-deny ${q.namespace}/${q.name}`,
      })),
    });
  } else {
    report({
      rule: 'NPP06',
      severity: 'info',
      s: r.node.s,
      e: r.node.e,
      message: `${base} \`${sectionOf(dir)}: [{}]\` is allow-all; \`${sectionOf(dir)}: []\` is deny-all.`,
    });
  }
}

function checkEmptyLists(p: NormPolicy, report: Report): void {
  for (const r of rulesOf(p)) {
    if (r.node.t !== 'map') continue;
    for (const key of [peersKeyOf(r.direction), 'ports']) {
      const en = keyOf(r.node, key);
      if (en && en.value.t === 'seq' && en.value.items.length === 0) {
        const meaning =
          key === 'ports'
            ? 'every port of every protocol'
            : r.direction === 'Ingress'
              ? 'every source, including external addresses'
              : 'every destination, including the internet';
        report({
          rule: 'NPP07',
          severity: 'warning',
          s: en.ks,
          e: en.value.e,
          message: `\`${key}: []\` matches ${meaning}, not nothing. Remove it if that is what you want, or list ${key === 'ports' ? 'ports' : 'peers'}; to deny everything, use an empty ${sectionOf(r.direction)} list instead.`,
        });
      }
    }
  }
}

export const rulesShape: RuleModule = {
  rules: [
    {
      id: 'NPP01',
      name: 'and-versus-or-peers',
      severity: 'info',
      title: 'namespace-only and pod-only peers side by side (OR, not AND)',
      description:
        'One "-" decides between AND and OR: `- namespaceSelector: …\\n  podSelector: …` is one peer (pods matching both), while two items are two peers (all pods of those namespaces, or those pods of the policy\'s own namespace). A warning when the pod-only peer only matches pods in other namespaces.',
      reference: 'C.1',
      crossFile: true,
      fixes: ['Merge into one peer (AND)'],
    },
    {
      id: 'NPP02',
      name: 'null-selector',
      severity: 'warning',
      title: 'null selector in a peer',
      description:
        '`namespaceSelector:` with no value is null, treated as absent: the peer means "the policy\'s own namespace", not "all namespaces". Use `{}` to select everything.',
      reference: 'C.2',
      fixes: ['Replace null with {}'],
    },
    {
      id: 'NPP06',
      name: 'allow-all-rule',
      severity: 'info',
      title: 'rule that allows everything',
      description:
        '`ingress: [{}]` (or an egress rule `{}`) allows every peer on every port and protocol, including external traffic, and overrides any default-deny for the same pods because policies add up. `[]` is deny-all; `[{}]` is allow-all.',
      reference: 'C.6',
      crossFile: true,
    },
    {
      id: 'NPP07',
      name: 'explicit-empty-list',
      severity: 'warning',
      title: '`from: []`, `to: []` or `ports: []` means "any"',
      description:
        'An empty from/to/ports list is the same as leaving it out: it matches every peer or port, not none.',
      reference: 'C.7',
    },
    {
      id: 'NPP08',
      name: 'port-entry-without-port',
      severity: 'hint',
      title: 'port entry without a port: all ports of one protocol',
      description:
        '`ports: [{}]` is defaulted to {protocol: TCP}: all TCP ports, not all ports. Next to numeric entries of the same protocol it makes them redundant.',
      reference: 'C.8',
    },
    {
      id: 'NPP09',
      name: 'udp-port-without-protocol',
      severity: 'warning',
      title: 'UDP service port without protocol (defaults to TCP)',
      description:
        'protocol defaults to TCP. `port: 53` alone allows DNS over TCP only; UDP 53 stays blocked and lookups fail. Also NTP (123), syslog (514), SNMP, VXLAN, WireGuard.',
      reference: 'C.9',
      fixes: ['Add the same port with protocol: UDP'],
    },
    {
      id: 'NPP13',
      name: 'named-port-to-ip-block',
      severity: 'warning',
      title: 'named port in an egress rule to ipBlocks only',
      description:
        "Named ports are looked up in the destination pod's containers; external addresses have none, so the entry matches nothing.",
      reference: 'C.13',
    },
    {
      id: 'NPP18',
      name: 'redundant-except',
      severity: 'hint',
      title: 'except inside another except',
      description: 'An except entry inside another except entry of the same ipBlock changes nothing.',
      reference: 'C.18',
    },
    {
      id: 'NPP24',
      name: 'namespace-label-not-present',
      severity: 'warning',
      title: 'namespace selected by a label it does not have',
      description:
        'Namespaces carry kubernetes.io/metadata.name=<name> automatically, but not `name`, `namespace` or `ns` unless someone added them. A selector on a missing label matches nothing.',
      reference: 'C.24',
      crossFile: true,
      fixes: ['Select by kubernetes.io/metadata.name'],
    },
    {
      id: 'NPP41',
      name: 'egress-ports-without-to',
      severity: 'info',
      title: 'egress rule with ports but no `to`',
      description: 'Without `to`, an egress rule allows its ports to every destination, including the internet.',
      reference: 'C.41',
    },
    {
      id: 'NPP42',
      name: 'cni-dependent-feature',
      severity: 'hint',
      title: 'endPort or SCTP needs network-plugin support',
      description:
        'endPort ranges and SCTP are enforced only by plugins that support them; others enforce only `port` or ignore SCTP.',
      reference: 'C.42',
    },
  ],
  check(ctx, report) {
    for (const p of ctx.policies) {
      for (const r of rulesOf(p)) checkAllowAll(ctx, p, r, report);
      checkEmptyLists(p, report);
      checkPortEntries(p, report);
      checkPeers(ctx, p, report);
      checkNamespaceRefs(ctx, p, report);
    }
  },
};
