// Cases for what the API server rejects in the admin-tier kinds: rules AV01-AV26 of
// docs/semantics.md D.2 (NPA01-NPA26).

import { fires, type RuleCase, silent, yaml } from '../helpers';

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() ? by + l : l))
    .join('\n');
}

/** An admin-tier policy document; `spec` is the body under `spec:` (dedented here). */
function admin(
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy',
  name: string,
  spec: string,
  apiVersion = kind === 'ClusterNetworkPolicy' ? V2 : V1,
): string {
  return [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    'spec:',
    indent(yaml(spec), '  '),
    '',
  ].join('\n');
}

const anp = (spec: string): string => admin('AdminNetworkPolicy', 'guard', spec);
const banp = (spec: string, name = 'default'): string => admin('BaselineAdminNetworkPolicy', name, spec);
const cnp = (spec: string): string => admin('ClusterNetworkPolicy', 'guard', spec);

/** Every admin validation rule: a clean policy raises none of them. */
export const NPA_IDS = Array.from({ length: 26 }, (_, i) => `NPA${String(i + 1).padStart(2, '0')}`);

/** An ANP ingress rule list item (body under "- "). */
const anpIngress = (rule: string): string =>
  anp(`
priority: 10
subject:
  namespaces: {}
ingress:
  - ${rule.trim().split('\n').join('\n    ')}
`);

/** An ANP egress rule. */
const anpEgress = (rule: string): string =>
  anp(`
priority: 10
subject:
  namespaces: {}
egress:
  - ${rule.trim().split('\n').join('\n    ')}
`);

/** A CNP (Admin tier) ingress rule. */
const cnpIngress = (rule: string): string =>
  cnp(`
tier: Admin
priority: 10
subject:
  namespaces: {}
ingress:
  - ${rule.trim().split('\n').join('\n    ')}
`);

/** A CNP (Admin tier) egress rule. */
const cnpEgress = (rule: string): string =>
  cnp(`
tier: Admin
priority: 10
subject:
  namespaces: {}
egress:
  - ${rule.trim().split('\n').join('\n    ')}
`);

const clean = { alsoAbsent: NPA_IDS, atMost: 'info' as const };

export const adminCases: RuleCase[] = [
  // ---------------------------------------------------------------- object
  fires('NPA01', 'an AdminNetworkPolicy in v1alpha2', {
    files: admin('AdminNetworkPolicy', 'guard', 'priority: 1\nsubject: {namespaces: {}}', V2),
    spans: [V2],
    message: [
      `apiVersion "${V2}" does not serve AdminNetworkPolicy`,
      'no matches for kind',
      'ClusterNetworkPolicy',
      `Use ${V1}`,
    ],
    data: { apiVersion: V1 },
  }),
  fires('NPA01', 'a ClusterNetworkPolicy in v1alpha1', {
    files: admin('ClusterNetworkPolicy', 'guard', 'tier: Admin\npriority: 1\nsubject: {namespaces: {}}', V1),
    spans: [V1],
    message: [`does not serve ClusterNetworkPolicy`, `Use ${V2}`],
  }),
  silent('NPA01', 'each kind in its own version', {
    files: [
      anp('priority: 1\nsubject: {namespaces: {}}'),
      cnp('tier: Baseline\npriority: 1\nsubject: {namespaces: {}}'),
    ].join('---\n'),
    ...clean,
  }),
  fires('NPA02', 'an upper-case name', {
    files: admin('ClusterNetworkPolicy', 'Guard_1', 'tier: Admin\npriority: 1\nsubject: {namespaces: {}}'),
    spans: ['Guard_1'],
    message: ['metadata.name: Invalid value "Guard_1"', 'RFC 1123 subdomain', 'rejects the policy'],
  }),
  fires('NPA02', 'no name', {
    files: yaml(`
      apiVersion: ${V2}
      kind: ClusterNetworkPolicy
      metadata: {}
      spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
    `),
    spans: ['metadata'],
    message: ['metadata.name: Required value'],
  }),
  silent('NPA02', 'a dotted lowercase name', {
    files: admin('ClusterNetworkPolicy', 'platform.deny-1', 'tier: Admin\npriority: 1\nsubject: {namespaces: {}}'),
    ...clean,
  }),
  fires('NPA03', 'a BaselineAdminNetworkPolicy named baseline', {
    files: banp('subject: {namespaces: {}}', 'baseline'),
    spans: ['baseline'],
    message: ['Only one baseline admin network policy with metadata.name="default"', 'Rename it to default'],
    data: { replace: 'default' },
  }),
  silent('NPA03', 'the BaselineAdminNetworkPolicy named default', {
    files: banp('subject: {namespaces: {}}'),
    ...clean,
  }),
  fires('NPA04', 'no spec', {
    files: yaml(`
      apiVersion: ${V1}
      kind: AdminNetworkPolicy
      metadata:
        name: guard
    `),
    spans: ['kind'],
    message: ['spec: Required value'],
  }),
  fires('NPA04', 'a spec key without a value', {
    files: `apiVersion: ${V1}\nkind: AdminNetworkPolicy\nmetadata:\n  name: guard\nspec:\n`,
    spans: ['spec'],
    message: ['spec: Required value'],
  }),
  silent('NPA04', 'a spec with a subject', { files: anp('priority: 3\nsubject: {namespaces: {}}'), ...clean }),
  fires('NPA05', 'priority above 1000', {
    files: anp('priority: 1001\nsubject: {namespaces: {}}'),
    spans: ['1001'],
    message: ['spec.priority: Invalid value: 1001', 'less than or equal to 1000'],
  }),
  fires('NPA05', 'a ClusterNetworkPolicy without priority', {
    files: cnp('tier: Admin\nsubject: {namespaces: {}}'),
    spans: ['spec'],
    message: ['spec.priority: Required value', '0 to 1000'],
  }),
  silent('NPA05', 'priorities 0 and 1000', {
    files: [
      anp('priority: 0\nsubject: {namespaces: {}}'),
      cnp('tier: Baseline\npriority: 1000\nsubject: {namespaces: {}}'),
    ].join('---\n'),
    ...clean,
  }),
  fires('NPA06', 'tier in lower case', {
    files: cnp('tier: admin\npriority: 1\nsubject: {namespaces: {}}'),
    spans: ['admin'],
    message: ['spec.tier: Unsupported value: "admin"', 'use "Admin"'],
    data: { replace: 'Admin' },
  }),
  fires('NPA06', 'no tier', {
    files: cnp('priority: 1\nsubject: {namespaces: {}}'),
    spans: ['spec'],
    message: ['spec.tier: Required value: Admin or Baseline'],
  }),
  silent('NPA06', 'tier Baseline', { files: cnp('tier: Baseline\npriority: 1\nsubject: {namespaces: {}}'), ...clean }),
  fires('NPA07', 'a subject with both namespaces and pods', {
    files: anp(`
      priority: 1
      subject:
        namespaces: {}
        pods: {namespaceSelector: {}, podSelector: {}}
    `),
    spans: ['pods'],
    message: ['must specify exactly one of namespaces or pods, not both'],
  }),
  fires('NPA07', 'an empty subject', {
    files: anp('priority: 1\nsubject: {}'),
    spans: ['{}'],
    message: ['must specify exactly one of namespaces or pods'],
  }),
  silent('NPA07', 'a subject of pods', {
    files: anp('priority: 1\nsubject:\n  pods:\n    namespaceSelector: {}\n    podSelector: {matchLabels: {app: db}}'),
    ...clean,
  }),
  fires('NPA08', 'v1alpha1 pods without podSelector', {
    files: anp(`
      priority: 1
      subject:
        pods:
          namespaceSelector: {matchLabels: {team: a}}
    `),
    spans: ['pods'],
    message: ['spec.subject.pods.podSelector: Required value', 'podSelector: {}', 'every pod'],
  }),
  fires('NPA08', 'v1alpha1 peer pods without namespaceSelector', {
    files: anpIngress(`
action: Allow
from:
  - pods:
      podSelector: {matchLabels: {app: web}}
`),
    spans: ['pods'],
    message: ['spec.ingress[0].from[0].pods.namespaceSelector: Required value', 'namespaceSelector: {}'],
  }),
  silent('NPA08', 'v1alpha2 pods without namespaceSelector', {
    files: cnpIngress(`
action: Accept
from:
  - pods:
      podSelector: {matchLabels: {app: web}}
`),
    ...clean,
  }),
  fires('NPA09', '26 egress rules in a ClusterNetworkPolicy', {
    files: cnp(
      `tier: Admin\npriority: 1\nsubject: {namespaces: {}}\negress:\n${Array.from({ length: 26 }, () => '  - {action: Deny, to: [{namespaces: {}}]}').join('\n')}`,
    ),
    spans: ['egress'],
    message: ['spec.egress: Too many: 26: must have at most 25 items'],
  }),
  silent('NPA09', '26 egress rules in an AdminNetworkPolicy', {
    files: anp(
      `priority: 1\nsubject: {namespaces: {}}\negress:\n${Array.from({ length: 26 }, () => '  - {action: Deny, to: [{namespaces: {}}]}').join('\n')}`,
    ),
    ...clean,
  }),
  fires('NPA10', 'a 101-character rule name', {
    files: anpIngress(`name: ${'r'.repeat(101)}\naction: Deny\nfrom: [{namespaces: {}}]`),
    spans: ['r'.repeat(101)],
    message: ['spec.ingress[0].name: Too long: may not be more than 100'],
  }),
  silent('NPA10', 'a 100-character rule name', {
    files: anpIngress(`name: ${'r'.repeat(100)}\naction: Deny\nfrom: [{namespaces: {}}]`),
    ...clean,
  }),
  fires('NPA11', 'Accept in v1alpha1', {
    files: anpIngress('action: Accept\nfrom: [{namespaces: {}}]'),
    spans: ['Accept'],
    message: ['spec.ingress[0].action: Unsupported value: "Accept"', 'v1alpha1 writes Allow'],
    data: { replace: 'Allow' },
  }),
  fires('NPA11', 'Allow in v1alpha2', {
    files: cnpIngress('action: Allow\nfrom: [{namespaces: {}}]'),
    spans: ['Allow'],
    message: ['Unsupported value: "Allow"', 'a ClusterNetworkPolicy writes Accept'],
    data: { replace: 'Accept' },
  }),
  fires('NPA11', 'Pass in the BaselineAdminNetworkPolicy', {
    files: banp('subject: {namespaces: {}}\negress:\n  - {action: Pass, to: [{namespaces: {}}]}'),
    spans: ['Pass'],
    message: ['supported values: "Allow", "Deny"', 'cannot pass: it is the last tier'],
  }),
  fires('NPA11', 'a rule without action', {
    files: anpIngress('name: no-action\nfrom: [{namespaces: {}}]'),
    spans: ['name'],
    message: ['spec.ingress[0].action: Required value: Allow, Deny or Pass'],
  }),
  silent('NPA11', 'Pass in v1alpha1 and v1alpha2 admin policies', {
    files: [
      anpIngress('action: Pass\nfrom: [{namespaces: {}}]'),
      cnpIngress('action: Pass\nfrom: [{namespaces: {}}]'),
    ].join('---\n'),
    ...clean,
  }),
  fires('NPA12', 'from: []', {
    files: anpIngress('action: Deny\nfrom: []'),
    spans: ['[]'],
    message: ['spec.ingress[0].from: Invalid value: 0 peers', 'at least 1 item', 'namespaces: {}'],
  }),
  fires('NPA12', 'an egress rule without to', {
    files: cnpEgress('action: Deny\nprotocols: [{tcp: {destinationPort: {number: 22}}}]'),
    spans: ['action'],
    message: ['spec.egress[0].to: Required value'],
  }),
  silent('NPA12', 'one peer', { files: cnpEgress('action: Deny\nto: [{namespaces: {}}]'), ...clean }),
  fires('NPA13', 'networks in an ingress peer', {
    files: anpIngress('action: Deny\nfrom:\n  - networks: [10.0.0.0/8]'),
    spans: ['networks'],
    message: ['spec.ingress[0].from[0].networks: Forbidden: ingress peers are pods only'],
  }),
  fires('NPA13', 'domainNames in the BaselineAdminNetworkPolicy', {
    files: banp('subject: {namespaces: {}}\negress:\n  - {action: Allow, to: [{domainNames: [example.com]}]}'),
    spans: ['domainNames'],
    message: ['a BaselineAdminNetworkPolicy has no domainNames peers'],
  }),
  fires('NPA13', 'a peer with two fields', {
    files: cnpEgress('action: Deny\nto:\n  - namespaces: {}\n    networks: [0.0.0.0/0]'),
    spans: ['networks'],
    message: ['a peer has exactly one field, found namespaces and networks', 'its own "-"'],
  }),
  fires('NPA13', 'an empty peer', {
    files: cnpEgress('action: Deny\nto:\n  - {}'),
    spans: ['{}'],
    message: ['must specify exactly one of namespaces, pods, nodes, networks or domainNames'],
  }),
  silent('NPA13', 'networks, nodes and domainNames as separate egress peers', {
    files: cnpEgress(
      'action: Accept\nto:\n  - networks: [0.0.0.0/0]\n  - nodes: {}\n  - domainNames: ["*.example.com"]',
    ),
    ...clean,
  }),
  fires('NPA14', 'the same network twice', {
    files: cnpEgress('action: Deny\nto:\n  - networks: [10.0.0.0/8, 192.168.0.0/16, 10.0.0.0/8]'),
    spans: ['10.0.0.0/8'],
    message: ['networks[2]: Duplicate value: "10.0.0.0/8"'],
  }),
  fires('NPA14', 'an empty networks list', {
    files: cnpEgress('action: Deny\nto:\n  - networks: []'),
    spans: ['[]'],
    message: ['networks: Invalid value: 0 entries: must have at least 1 item'],
  }),
  silent('NPA14', 'two different networks', {
    files: cnpEgress('action: Deny\nto:\n  - networks: [10.0.0.0/8, "fd00::/8"]'),
    ...clean,
  }),
  fires('NPA15', 'a bare address and leading zeros', {
    files: anpEgress('action: Deny\nto:\n  - networks: [203.0.113.7, 010.0.0.0/8]'),
    spans: ['203.0.113.7', '010.0.0.0/8'],
    message: ['must be a valid CIDR'],
  }),
  silent('NPA15', 'host bits after the prefix are accepted', {
    files: anpEgress('action: Deny\nto:\n  - networks: [10.0.0.1/8, "2001:db8::/32"]'),
    ...clean,
  }),
  fires('NPA16', 'localhost and a wildcard in the middle', {
    files: cnpEgress('action: Accept\nto:\n  - domainNames: [localhost, "a.*.example.com"]'),
    spans: ['localhost', '"a.*.example.com"'],
    message: ['must be a domain name of at least two labels'],
  }),
  silent('NPA16', 'a wildcard first label and a trailing dot', {
    files: cnpEgress('action: Accept\nto:\n  - domainNames: ["*.example.com", api.example.org.]'),
    ...clean,
  }),
  fires('NPA17', 'a port entry with portNumber and namedPort', {
    files: anpIngress(
      'action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portNumber: {port: 80}\n    namedPort: http',
    ),
    spans: ['namedPort'],
    message: [
      'spec.ingress[0].ports[0]: Invalid value: exactly one of portNumber, namedPort or portRange, found portNumber and namedPort',
    ],
  }),
  fires('NPA17', 'ports: []', {
    files: anpIngress('action: Allow\nfrom: [{namespaces: {}}]\nports: []'),
    spans: ['[]'],
    message: ['must have at least 1 item', 'Leave ports out to match every port'],
  }),
  silent('NPA17', 'one kind of port per entry', {
    files: anpIngress(
      'action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portNumber: {port: 80}\n  - namedPort: http',
    ),
    ...clean,
  }),
  fires('NPA18', 'port 0', {
    files: anpIngress('action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portNumber: {protocol: UDP, port: 0}'),
    spans: ['0'],
    message: ['ports[0].portNumber.port: Invalid value: 0: must be between 1 and 65535'],
  }),
  fires('NPA18', 'portNumber without port', {
    files: anpIngress('action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portNumber: {protocol: UDP}'),
    spans: ['portNumber'],
    message: ['portNumber.port: Required value'],
  }),
  silent('NPA18', 'port 65535', {
    files: anpIngress('action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portNumber: {protocol: TCP, port: 65535}'),
    ...clean,
  }),
  fires('NPA19', 'a portRange without end', {
    files: anpIngress('action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portRange: {start: 8000}'),
    spans: ['portRange'],
    message: ['portRange.end: Required value'],
  }),
  silent('NPA19', 'a portRange whose start is not below end (the v1alpha1 CRDs accept it)', {
    files: anpIngress('action: Allow\nfrom: [{namespaces: {}}]\nports:\n  - portRange: {start: 9000, end: 8000}'),
    ...clean,
  }),
  fires('NPA20', 'a protocol entry with tcp and udp', {
    files: cnpIngress(
      'action: Accept\nfrom: [{namespaces: {}}]\nprotocols:\n  - tcp: {destinationPort: {number: 53}}\n    udp: {destinationPort: {number: 53}}',
    ),
    spans: ['udp'],
    message: ['exactly one of tcp, udp, sctp or destinationNamedPort, found tcp and udp', 'write two entries'],
  }),
  silent('NPA20', 'tcp and udp as two entries', {
    files: cnpIngress(
      'action: Accept\nfrom: [{namespaces: {}}]\nprotocols:\n  - tcp: {destinationPort: {number: 53}}\n  - udp: {destinationPort: {number: 53}}',
    ),
    ...clean,
  }),
  fires('NPA21', 'tcp: {} without destinationPort', {
    files: cnpIngress('action: Deny\nfrom: [{namespaces: {}}]\nprotocols:\n  - tcp: {}'),
    spans: ['tcp'],
    message: ['protocols[0].tcp.destinationPort: Required value', 'range: {start: 1, end: 65535}'],
  }),
  fires('NPA21', 'number 70000', {
    files: cnpIngress(
      'action: Deny\nfrom: [{namespaces: {}}]\nprotocols:\n  - sctp: {destinationPort: {number: 70000}}',
    ),
    spans: ['70000'],
    message: ['destinationPort.number: Invalid value: 70000'],
  }),
  silent('NPA21', 'every TCP port as a range', {
    files: cnpIngress(
      'action: Deny\nfrom: [{namespaces: {}}]\nprotocols:\n  - tcp: {destinationPort: {range: {start: 1, end: 65535}}}',
    ),
    ...clean,
  }),
  fires('NPA22', 'a range of one port', {
    files: cnpIngress(
      'action: Deny\nfrom: [{namespaces: {}}]\nprotocols:\n  - tcp: {destinationPort: {range: {start: 80, end: 80}}}',
    ),
    spans: ['{start: 80, end: 80}'],
    message: ['Start port must be less than End port (80-80)', 'A single port is written as number: 80'],
    data: { number: 80 },
  }),
  silent('NPA22', 'a range 80-81', {
    files: cnpIngress(
      'action: Deny\nfrom: [{namespaces: {}}]\nprotocols:\n  - tcp: {destinationPort: {range: {start: 80, end: 81}}}',
    ),
    ...clean,
  }),
  fires('NPA23', 'destinationNamedPort next to a networks peer', {
    files: cnpEgress('action: Deny\nto:\n  - networks: [10.0.0.0/8]\nprotocols:\n  - destinationNamedPort: metrics'),
    spans: ['destinationNamedPort'],
    message: ['networks peer cannot be set with named ports'],
  }),
  fires('NPA23', 'a v1alpha1 namedPort next to a nodes peer', {
    files: anpEgress('action: Deny\nto:\n  - nodes: {}\nports:\n  - namedPort: metrics'),
    spans: ['namedPort'],
    message: ['nodes peer cannot be set with named ports'],
  }),
  silent('NPA23', 'a named port with pod peers only', {
    files: cnpEgress('action: Deny\nto:\n  - namespaces: {}\nprotocols:\n  - destinationNamedPort: metrics'),
    ...clean,
  }),
  fires('NPA24', 'domainNames in a Deny rule', {
    files: cnpEgress('action: Deny\nto:\n  - domainNames: ["*.example.com"]'),
    spans: ['domainNames'],
    message: ['domainNames may only be used in Accept rules (this rule is Deny)'],
  }),
  silent('NPA24', 'domainNames in an Allow rule of an AdminNetworkPolicy', {
    files: anpEgress('action: Allow\nto:\n  - domainNames: ["*.example.com"]'),
    ...clean,
  }),
  fires('NPA25', 'operator in lower case in the subject', {
    files: anp(
      'priority: 1\nsubject:\n  namespaces:\n    matchExpressions:\n      - {key: env, operator: in, values: [prod]}',
    ),
    spans: ['in'],
    message: ['operator: Invalid value: "in"', 'use "In"', 'network plugin cannot use the selector'],
    data: { replace: 'In' },
  }),
  fires('NPA25', 'an invalid label value in a peer', {
    files: cnpIngress('action: Deny\nfrom:\n  - namespaces: {matchLabels: {team: -a-}}'),
    spans: ['-a-'],
    message: ['matchLabels: Invalid value "-a-"'],
  }),
  silent('NPA25', 'valid selectors', {
    files: cnpIngress('action: Deny\nfrom:\n  - namespaces: {matchExpressions: [{key: env, operator: Exists}]}'),
    ...clean,
  }),
  fires('NPA26', 'a quoted priority', {
    files: anp('priority: "10"\nsubject: {namespaces: {}}'),
    spans: ['"10"'],
    message: ['spec.priority: expected an integer, found a string', 'remove the quotes'],
    data: { fix: 'unquote' },
  }),
  fires('NPA26', 'ports in a ClusterNetworkPolicy rule', {
    files: cnpIngress('action: Deny\nfrom: [{namespaces: {}}]\nports: [{portNumber: {port: 22}}]'),
    spans: ['ports'],
    message: [
      'unknown field "ports"',
      '`ports` is the v1alpha1 field',
      'a lenient client drops the field, which leaves a rule that matches every port',
    ],
  }),
  fires('NPA26', 'tier in an AdminNetworkPolicy', {
    files: anp('tier: Admin\npriority: 1\nsubject: {namespaces: {}}'),
    spans: ['tier'],
    message: ['unknown field "tier"', 'an AdminNetworkPolicy is always in the Admin tier'],
  }),
  silent('NPA26', 'protocols in a ClusterNetworkPolicy rule', {
    files: cnpIngress('action: Deny\nfrom: [{namespaces: {}}]\nprotocols: [{tcp: {destinationPort: {number: 22}}}]'),
    ...clean,
  }),

  // ---------------------------------------------------------------- docs/semantics.md D.6, on the tree
  fires('NPT07', 'an AdminNetworkPolicy next to a ClusterNetworkPolicy in another file', {
    files: {
      'a.yaml': anp('priority: 10\nsubject: {namespaces: {}}'),
      'b.yaml': cnp('tier: Baseline\npriority: 1000\nsubject: {namespaces: {}}'),
    },
    target: 'a.yaml',
    spans: ['AdminNetworkPolicy'],
    message: [
      'AdminNetworkPolicy is v1alpha1',
      'ClusterNetworkPolicies (v1alpha2)',
      'tier: Admin',
      'the quick fix converts it',
    ],
    related: [{ file: 'b.yaml', text: 'ClusterNetworkPolicy', message: ['ClusterNetworkPolicy guard (v1alpha2)'] }],
  }),
  fires('NPT07', 'the BaselineAdminNetworkPolicy next to a ClusterNetworkPolicy', {
    files: [banp('subject: {namespaces: {}}'), cnp('tier: Admin\npriority: 1\nsubject: {namespaces: {}}')].join(
      '---\n',
    ),
    spans: ['BaselineAdminNetworkPolicy'],
    message: ['tier: Baseline, priority 1000'],
  }),
  silent('NPT07', 'v1alpha1 policies only', {
    files: [anp('priority: 10\nsubject: {namespaces: {}}'), banp('subject: {namespaces: {}}')].join('---\n'),
    ...clean,
  }),
  silent('NPT07', 'a ClusterNetworkPolicy in v1alpha1 is not a v1alpha2 policy', {
    files: {
      'a.yaml': anp('priority: 10\nsubject: {namespaces: {}}'),
      'b.yaml': admin('ClusterNetworkPolicy', 'guard', 'tier: Admin\npriority: 1\nsubject: {namespaces: {}}', V1),
    },
    target: 'a.yaml',
  }),
];
