// What the API server would reject (docs/semantics.md A.9/A.10) and the CIDR warnings of docs/semantics.md A.11. The
// checks live in analysis/validate.ts (the engine needs them to drop invalid policies); this
// module surfaces them as diagnostics and holds their metadata.

import type { RuleMeta, RuleModule } from './types';

const v = (id: string, name: string, title: string, description: string, fixes?: string[]): RuleMeta => ({
  id,
  name,
  severity: 'error',
  title,
  description,
  reference: `A.9 ${id.replace('NPV', 'V')}`,
  ...(fixes ? { fixes } : {}),
});

export const validationRules: RuleMeta[] = [
  v(
    'NPV01',
    'name-required',
    'metadata.name is missing',
    'Every object needs metadata.name (or generateName). The API server rejects the policy, so it never exists in the cluster.',
  ),
  v(
    'NPV02',
    'invalid-name',
    'metadata.name is not a DNS-1123 subdomain',
    'Policy names must be lowercase letters, digits, "-" and ".", start and end with a letter or digit, at most 253 characters. The API server rejects the policy.',
  ),
  v(
    'NPV03',
    'invalid-namespace',
    'metadata.namespace is not a DNS-1123 label',
    'Namespace names must be lowercase letters, digits and "-", start and end with a letter or digit, at most 63 characters.',
  ),
  v(
    'NPV04',
    'too-many-policy-types',
    'more than two policyTypes',
    'policyTypes may list Ingress and Egress at most once each; a longer list is rejected.',
  ),
  v(
    'NPV05',
    'invalid-policy-type',
    'policyTypes value other than Ingress or Egress',
    'Only "Ingress" and "Egress" are allowed, case-sensitive: "ingress" or "both" are rejected.',
    ['Fix the case of the value'],
  ),
  v(
    'NPV06',
    'invalid-protocol',
    'protocol other than TCP, UDP or SCTP',
    'NetworkPolicy only filters TCP, UDP and SCTP, written in upper case. "tcp", "ICMP" or "ALL" are rejected.',
    ['Fix the case of the protocol'],
  ),
  v(
    'NPV07',
    'port-out-of-range',
    'port outside 1-65535',
    'A numeric port must be between 1 and 65535; 0 and negative numbers are rejected.',
  ),
  v(
    'NPV08',
    'invalid-port-name',
    'invalid named port (or a quoted number)',
    'A string port is a port name (IANA_SVC_NAME): 1-15 lowercase letters, digits and "-", with at least one letter. `port: "80"` is a string, not a number, and is rejected.',
    ['Remove the quotes from a number'],
  ),
  v(
    'NPV09',
    'end-port-with-named-port',
    'endPort with a named port',
    'endPort only works with a numeric port; the API server rejects it with a named port.',
  ),
  v(
    'NPV10',
    'end-port-without-port',
    'endPort without port',
    'endPort is the upper end of a range that starts at port; without port it is rejected.',
  ),
  v('NPV11', 'end-port-below-port', 'endPort smaller than port', 'endPort must be greater than or equal to port.'),
  v('NPV12', 'end-port-out-of-range', 'endPort outside 1-65535', 'endPort must be between 1 and 65535.'),
  v(
    'NPV13',
    'empty-peer',
    'peer without podSelector, namespaceSelector or ipBlock',
    'A peer must say what it matches. `- {}` (or a peer whose fields are all null) is rejected; to allow every peer, leave out from/to instead.',
  ),
  v(
    'NPV14',
    'ip-block-with-selector',
    'ipBlock combined with a selector in one peer',
    'A peer is either an ipBlock or selectors, never both. Usually an indentation slip: start the selector with its own "-" to make two peers (which means OR).',
    ['Split into two peers (either one allows the traffic: OR)'],
  ),
  v('NPV15', 'cidr-required', 'ipBlock without cidr', 'ipBlock.cidr is required.'),
  v(
    'NPV16',
    'invalid-cidr',
    'cidr is not a valid CIDR',
    'cidr must be an IPv4 or IPv6 CIDR such as 10.0.0.0/24 or 2001:db8::/64; a bare address needs /32 or /128.',
    ['Add /32 or /128 to a bare address'],
  ),
  v('NPV18', 'invalid-except', 'except entry is not a valid CIDR', 'Every except entry must be a CIDR.'),
  v(
    'NPV19',
    'except-not-in-cidr',
    'except is not strictly inside cidr',
    'Each except must be a strict subset of cidr: inside it, narrower, and of the same IP family.',
  ),
  v(
    'NPV20',
    'invalid-label-key',
    'invalid label key',
    'Label keys are an optional DNS subdomain prefix and "/" plus a name of at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric.',
  ),
  v(
    'NPV21',
    'invalid-label-value',
    'invalid label value',
    'Label values are empty or at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric.',
  ),
  v(
    'NPV22',
    'invalid-operator',
    'invalid selector operator',
    'matchExpressions operators are In, NotIn, Exists and DoesNotExist, case-sensitive. Gt/Lt exist only in node selectors.',
    ['Fix the case of the operator'],
  ),
  v('NPV23', 'values-required', 'In/NotIn without values', 'In and NotIn need at least one value.'),
  v('NPV24', 'values-forbidden', 'Exists/DoesNotExist with values', 'Exists and DoesNotExist take no values.', [
    'Remove the values',
  ]),
  v(
    'NPV25',
    'invalid-requirement-key',
    'invalid matchExpressions key',
    'The key of a requirement must be a valid label key.',
  ),
  v(
    'NPV26',
    'invalid-requirement-value',
    'invalid matchExpressions value',
    'Values of a requirement must be valid label values (checked on create since Kubernetes 1.26).',
  ),
  {
    id: 'NPD01',
    name: 'wrong-type',
    severity: 'error',
    title: 'value of the wrong type',
    description:
      'The API server cannot decode a number or boolean where a string is expected (an unquoted true, yes, on, 1 or 00000 label value), a quoted number where an integer is expected, or a list where a map is expected, and rejects the whole object.',
    reference: 'A.10',
    fixes: ['Quote the value', 'Remove the quotes'],
  },
  {
    id: 'NPP19',
    name: 'non-canonical-cidr',
    severity: 'warning',
    title: 'CIDR with host bits, leading zeros or a non-canonical form',
    description:
      '`10.0.0.1/24` is accepted as 10.0.0.0/24 with a warning, and is ambiguous (did you mean /32?). Leading zeros, IPv4-mapped IPv6 and non-RFC-5952 IPv6 are warned about today and rejected under StrictIPCIDRValidation.',
    reference: 'C.19, A.11',
    fixes: ['Replace with the canonical CIDR'],
  },
  {
    id: 'NPP30',
    name: 'duplicate-key',
    severity: 'error',
    title: 'duplicate key in a map',
    description:
      'The same key twice in one map (typically in matchLabels): strict field validation rejects it; a lenient client silently keeps the last value.',
    reference: 'C.30',
  },
  {
    id: 'NPP43',
    name: 'misindented-selector',
    severity: 'error',
    title: 'policy fields indented under a selector',
    description:
      '`podSelector:` followed by rules indented beneath it makes the rules unknown fields of the LabelSelector: the selector is then `{}` (everything) and the rules are gone.',
    reference: 'C.43',
  },
  {
    id: 'NPP44',
    name: 'unknown-field',
    severity: 'error',
    title: 'unknown or misspelled field',
    description:
      "A field the NetworkPolicy schema does not have (matchLabel, cidrs, policyType, ipblock, status). Strict field validation (kubectl's default) rejects the object; a lenient client silently drops the field.",
    reference: 'C.44',
  },
  {
    id: 'NPP45',
    name: 'wrong-api-version',
    severity: 'error',
    title: 'NetworkPolicy with an apiVersion other than networking.k8s.io/v1',
    description:
      'extensions/v1beta1 stopped serving NetworkPolicy in Kubernetes 1.16 and networking.k8s.io/v1beta1 never had it: the API server answers "no matches for kind". Such a policy takes no part in the analysis.',
    reference: 'C.45',
    fixes: ['Change apiVersion to networking.k8s.io/v1'],
  },
];

export const validation: RuleModule = {
  rules: validationRules,
  check(ctx, report) {
    for (const p of ctx.policies) for (const f of p.findings) report(f);
  },
};
