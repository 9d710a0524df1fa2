// What the API server rejects in AdminNetworkPolicy, BaselineAdminNetworkPolicy and
// ClusterNetworkPolicy objects: rules AV01-AV26 of docs/semantics.md D.2 as NPA01-NPA26. The
// checks live in analysis/validateAdmin*.ts (the engine asks adminValidity.ts which policies take
// part); this module surfaces them as diagnostics and holds their metadata.

import { adminObjects } from '../analysis/adminKinds';
import { validateAdmin } from '../analysis/validateAdmin';
import type { RuleMeta, RuleModule } from './types';

const a = (id: string, name: string, title: string, description: string, fixes?: string[]): RuleMeta => ({
  id,
  name,
  severity: 'error',
  title,
  description,
  reference: `D.2 ${id.replace('NPA', 'AV')}`,
  ...(fixes ? { fixes } : {}),
});

export const adminValidationRules: RuleMeta[] = [
  a(
    'NPA01',
    'admin-kind-not-in-version',
    'admin policy kind in an apiVersion that does not serve it',
    'AdminNetworkPolicy and BaselineAdminNetworkPolicy exist only in policy.networking.k8s.io/v1alpha1, ClusterNetworkPolicy only in v1alpha2: any other apiVersion gets "no matches for kind".',
    ['Change apiVersion to the one that serves the kind'],
  ),
  a(
    'NPA02',
    'admin-name-invalid',
    'admin policy without a valid metadata.name',
    'Every admin policy needs metadata.name, a DNS-1123 subdomain (lowercase letters, digits, "-" and ".").',
  ),
  a(
    'NPA03',
    'baseline-not-named-default',
    'BaselineAdminNetworkPolicy not named default',
    'The cluster has at most one BaselineAdminNetworkPolicy and its name must be default; the API server rejects any other name.',
    ['Rename it to default'],
  ),
  a(
    'NPA04',
    'admin-spec-required',
    'admin policy without spec',
    'spec is required: it holds the subject and the rules.',
  ),
  a(
    'NPA05',
    'admin-priority-invalid',
    'priority missing or outside 0-1000',
    'AdminNetworkPolicy and ClusterNetworkPolicy need a priority from 0 to 1000; lower numbers are evaluated first.',
  ),
  a(
    'NPA06',
    'tier-invalid',
    'ClusterNetworkPolicy without a valid tier',
    'spec.tier is required and is exactly Admin (before NetworkPolicies) or Baseline (after them), case-sensitive.',
    ['Fix the case of the tier'],
  ),
  a(
    'NPA07',
    'subject-invalid',
    'subject missing, empty, or with both namespaces and pods',
    'The subject says which pods the policy applies to: exactly one of namespaces and pods.',
  ),
  a(
    'NPA08',
    'pods-selector-missing',
    'pods without podSelector (or, in v1alpha1, without namespaceSelector)',
    'pods needs a podSelector (and in v1alpha1 a namespaceSelector). The API server rejects it; tools read the missing selector as {} (every pod), and so does netpol-lens, which keeps the policy in the analysis.',
  ),
  a(
    'NPA09',
    'too-many-admin-rules',
    'more ingress or egress rules than the kind allows',
    'At most 100 rules per direction in v1alpha1 and 25 in a ClusterNetworkPolicy.',
  ),
  a('NPA10', 'rule-name-too-long', 'rule name longer than 100 characters', 'A rule name has at most 100 characters.'),
  a(
    'NPA11',
    'unsupported-action',
    'action missing or not one of the kind',
    'Allow/Deny/Pass in an AdminNetworkPolicy, Allow/Deny in the BaselineAdminNetworkPolicy, Accept/Deny/Pass in a ClusterNetworkPolicy. Accept in v1alpha1, Allow in v1alpha2 and Pass in a BaselineAdminNetworkPolicy are rejected.',
    ['Replace the action with the spelling of this version'],
  ),
  a(
    'NPA12',
    'admin-peers-count',
    'from/to missing, empty, or too long',
    'Every admin rule names its peers: 1-100 (v1alpha1) or 1-25 (v1alpha2). An empty list is rejected, it does not mean "everything".',
  ),
  a(
    'NPA13',
    'admin-peer-invalid',
    'peer with no field, several fields, or a field the kind and direction do not have',
    'A peer sets exactly one of namespaces, pods and (egress only) nodes, networks, domainNames; a BaselineAdminNetworkPolicy has no domainNames.',
  ),
  a(
    'NPA14',
    'networks-list-invalid',
    'networks empty, too long, with duplicates or overlong entries',
    'networks is a set of 1-25 CIDRs of at most 43 characters each.',
  ),
  a(
    'NPA15',
    'networks-not-cidr',
    'networks entry that is not a CIDR',
    'Each networks entry must be an IPv4 or IPv6 CIDR: not a bare address, no leading zeros, no zone, no IPv4-mapped IPv6. Bits after the prefix are accepted.',
  ),
  a(
    'NPA16',
    'domain-names-invalid',
    'domainNames empty, too long, duplicated or not domain names',
    'domainNames is a set of 1-25 domain names of at least two labels, with an optional "*." prefix.',
  ),
  a(
    'NPA17',
    'admin-ports-invalid',
    'v1alpha1 ports empty, too long, or an entry without exactly one kind of port',
    'ports has 1-100 entries, each with exactly one of portNumber, namedPort and portRange.',
  ),
  a('NPA18', 'port-number-invalid', 'portNumber without a port in 1-65535', 'portNumber.port is required, 1-65535.'),
  a(
    'NPA19',
    'port-range-invalid',
    'v1alpha1 portRange without start/end in 1-65535',
    'portRange needs start and end, both 1-65535.',
  ),
  a(
    'NPA20',
    'protocols-invalid',
    'v1alpha2 protocols empty, too long, or an entry without exactly one protocol',
    'protocols has 1-25 entries, each with exactly one of tcp, udp, sctp and destinationNamedPort.',
  ),
  a(
    'NPA21',
    'destination-port-invalid',
    'tcp/udp/sctp without a valid destinationPort',
    'tcp, udp and sctp need a destinationPort with exactly one of number (1-65535) and range; `tcp: {}` is rejected.',
  ),
  a(
    'NPA22',
    'destination-range-invalid',
    'v1alpha2 range without start < end in 1-65535',
    'range needs start and end, both 1-65535, with start smaller than end; a single port is written as number.',
    ['Write the single port as number'],
  ),
  a(
    'NPA23',
    'named-port-with-address-peer',
    'named port in an egress rule with networks, nodes or domainNames peers',
    'Addresses have no named ports: the experimental CRDs reject namedPort/destinationNamedPort in a rule that has networks, nodes or domainNames peers.',
  ),
  a(
    'NPA24',
    'domain-names-outside-accept',
    'domainNames in an egress rule that does not accept',
    'domainNames may only be used in Accept (v1alpha1: Allow) rules. The CRDs do not check it yet, implementations do not support it.',
  ),
  a(
    'NPA25',
    'admin-selector-invalid',
    'invalid label selector or labels in an admin policy',
    'Label keys and values, operators (In, NotIn, Exists, DoesNotExist) and values follow the label selector rules. The CRD checks less, but the network plugin cannot use an invalid selector.',
    ['Fix the case of the operator', 'Remove the values'],
  ),
  a(
    'NPA26',
    'admin-field-invalid',
    'value of the wrong type or unknown field in an admin policy',
    'A value of the wrong JSON type cannot be decoded and the object is rejected. An unknown field (ports in v1alpha2, protocols or tier in v1alpha1, a misspelling) is rejected by strict validation and dropped by a lenient client; the policy is then analysed without it.',
    ['Quote the value', 'Remove the quotes'],
  ),
];

export const adminValidation: RuleModule = {
  rules: adminValidationRules,
  check(ctx, report) {
    for (const o of adminObjects(ctx.objects)) {
      for (const f of validateAdmin(o.kind, o.node, o.doc, o.listIndex !== undefined).findings) report(f);
    }
  },
};
