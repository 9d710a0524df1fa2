// Cases for what the API server rejects: validation rules V01-V26 (NPV*), decode errors (NPD01),
// and the field-level pitfalls checked with them (NPP19, NPP30, NPP43, NPP44, NPP45).

import { fires, policy, type RuleCase, silent, yaml } from '../helpers';

const ingressOnly = `
podSelector: {}
policyTypes: [Ingress]
`;

/** An ingress rule with one port entry (the entry's body, e.g. "port: 80"). */
const withPort = (entry: string): string => `
podSelector: {}
policyTypes: [Ingress]
ingress:
  - ports:
      - ${entry.trim().split('\n').join('\n        ')}
`;

/** An ingress rule with peers (the first peer's body as YAML under "- "; later lines starting with "- " are further peers). */
const withPeer = (peer: string): string => `
podSelector: {}
policyTypes: [Ingress]
ingress:
  - from:
      - ${peer
        .trim()
        .split('\n')
        .map((l, i) => (i === 0 ? l : l.startsWith('- ') ? `      ${l}` : `        ${l}`))
        .join('\n')}
`;

/** A spec podSelector with one matchExpressions requirement. */
const withRequirement = (req: string): string => `
podSelector:
  matchExpressions:
    - ${req}
policyTypes: [Ingress]
`;

export const validationCases: RuleCase[] = [
  // ---------------------------------------------------------------- metadata
  fires('NPV01', 'metadata without a name', {
    files: yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        namespace: shop
      spec:
        podSelector: {}
    `),
    spans: ['metadata'],
    message: ['metadata.name: Required value', 'rejects the whole policy', 'Give the policy a name'],
  }),
  fires('NPV01', 'a name key without a value', {
    files: yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name:
        namespace: shop
      spec:
        podSelector: {}
    `),
    spans: ['name'],
    message: ['name or generateName is required'],
  }),
  silent('NPV01', 'generateName instead of name', {
    files: yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        generateName: deny-
        namespace: shop
      spec:
        podSelector: {}
        policyTypes: [Ingress]
    `),
    clean: true,
  }),
  fires('NPV02', 'upper case and underscore in the name', {
    files: policy('Deny_All', ingressOnly),
    spans: ['Deny_All'],
    message: [
      'metadata.name: Invalid value "Deny_All"',
      'lowercase RFC 1123 subdomain',
      'Use e.g. "deny-all"',
      'rejects the whole policy',
    ],
  }),
  silent('NPV02', 'a dotted lowercase name is a valid subdomain', {
    files: policy('deny.all-2', ingressOnly),
    clean: true,
  }),
  fires('NPV03', 'namespace with an underscore', {
    files: policy('deny', ingressOnly, { namespace: 'team_a' }),
    spans: ['team_a'],
    message: ['metadata.namespace: Invalid value "team_a"', 'RFC 1123 label', 'Did you mean "team-a"?'],
  }),
  silent('NPV03', 'a namespace name with a dot would be wrong, a dash is right', {
    files: policy('deny', ingressOnly, { namespace: 'team-a' }),
    clean: true,
  }),

  // ---------------------------------------------------------------- policyTypes
  fires('NPV04', 'three policyTypes', {
    files: policy(
      'deny',
      `
      podSelector: {}
      policyTypes: [Ingress, Egress, Ingress]
    `,
    ),
    spans: ['[Ingress, Egress, Ingress]'],
    message: ['may not specify more than two policyTypes (found 3)', 'at most once each'],
  }),
  silent('NPV04', 'two policyTypes', {
    files: policy(
      'deny',
      `
      podSelector: {}
      policyTypes: [Ingress, Egress]
    `,
    ),
    alsoAbsent: ['NPV05', 'NPP31'],
  }),
  fires('NPV05', 'lower-case "egress"', {
    files: policy(
      'deny',
      `
      podSelector: {}
      policyTypes:
        - Ingress
        - egress
    `,
    ),
    spans: ['egress'],
    message: ['spec.policyTypes[1]: Unsupported value: "egress"', 'case-sensitive: use "Egress"'],
    data: { replace: 'Egress' },
  }),
  fires('NPV05', '"Both" is not a policy type', {
    files: policy(
      'deny',
      `
      podSelector: {}
      policyTypes: [Both]
    `,
    ),
    spans: ['Both'],
    message: ['supported values: "Ingress", "Egress"'],
  }),
  silent('NPV05', 'correctly cased types', {
    files: policy(
      'deny',
      `
      podSelector: {}
      policyTypes:
        - Ingress
        - Egress
    `,
    ),
    alsoAbsent: ['NPV04'],
  }),

  // ---------------------------------------------------------------- ports
  fires('NPV06', 'lower-case protocol', {
    files: policy('web', withPort('port: 443\nprotocol: tcp')),
    spans: ['tcp'],
    message: ['protocol: Unsupported value: "tcp"', 'case-sensitive: use "TCP"'],
    data: { replace: 'TCP' },
  }),
  fires('NPV06', 'ICMP cannot be matched', {
    files: policy('web', withPort('protocol: ICMP')),
    spans: ['ICMP'],
    message: ['"ICMP"', 'cannot match ICMP'],
  }),
  silent('NPV06', 'SCTP in upper case', {
    files: policy('web', withPort('port: 443\nprotocol: SCTP')),
    alsoAbsent: ['NPD01'],
  }),
  fires('NPV07', 'port 0', {
    files: policy('web', withPort('port: 0')),
    spans: ['0'],
    message: ['port: Invalid value: 0: must be between 1 and 65535'],
  }),
  fires('NPV07', 'port 65536', {
    files: policy('web', withPort('port: 65536')),
    spans: ['65536'],
    message: ['65536: must be between 1 and 65535'],
  }),
  silent('NPV07', 'port 65535', { files: policy('web', withPort('port: 65535')), clean: true }),
  fires('NPV08', 'a quoted number is a port name', {
    files: policy('web', withPort('port: "8080"')),
    spans: ['"8080"'],
    message: ['must contain at least one letter', 'quoted, so it is a string', 'remove the quotes'],
    data: { fix: 'unquote' },
  }),
  fires('NPV08', 'upper case and too long', {
    files: policy('web', withPort('port: Metrics-Endpoint-Http')),
    spans: ['Metrics-Endpoint-Http', 'Metrics-Endpoint-Http'],
    message: ['Invalid value: "Metrics-Endpoint-Http"'],
  }),
  silent('NPV08', 'a valid port name and an unquoted number', {
    files: policy('web', withPort('port: metrics-http')),
    alsoAbsent: ['NPD01'],
  }),
  silent('NPV08', 'an unquoted number', { files: policy('web', withPort('port: 8080')), clean: true }),
  fires('NPV09', 'endPort with a named port', {
    files: policy('web', withPort('port: http\nendPort: 8090')),
    spans: ['8090'],
    message: ['endPort: Invalid value: may not be specified when `port` is non-numeric'],
  }),
  silent('NPV09', 'endPort with a numeric port', {
    files: policy('web', withPort('port: 8080\nendPort: 8090')),
    alsoAbsent: ['NPV10', 'NPV11', 'NPV12'],
  }),
  fires('NPV10', 'endPort without port', {
    files: policy('web', withPort('endPort: 8090')),
    spans: ['8090'],
    message: ['may not be specified when `port` is not specified'],
  }),
  silent('NPV10', 'port and endPort', {
    files: policy('web', withPort('port: 8000\nendPort: 8090')),
    alsoAbsent: ['NPV09'],
  }),
  fires('NPV11', 'endPort below port', {
    files: policy('web', withPort('port: 9000\nendPort: 8090')),
    spans: ['8090'],
    message: ['8090: must be greater than or equal to `port` (9000)'],
  }),
  silent('NPV11', 'endPort equal to port', {
    files: policy('web', withPort('port: 9000\nendPort: 9000')),
    clean: true,
  }),
  fires('NPV12', 'endPort above 65535', {
    files: policy('web', withPort('port: 9000\nendPort: 70000')),
    spans: ['70000'],
    message: ['endPort: Invalid value: 70000: must be between 1 and 65535'],
  }),
  silent('NPV12', 'endPort 65535', {
    files: policy('web', withPort('port: 9000\nendPort: 65535')),
    alsoAbsent: ['NPV11'],
    atMost: 'hint',
  }),

  // ---------------------------------------------------------------- peers and ipBlocks
  fires('NPV13', 'an empty peer', {
    files: policy('web', withPeer('{}')),
    spans: ['{}'],
    message: ['must specify a peer', 'leave out `from`/`to`'],
  }),
  fires('NPV13', 'a peer whose only selector is null', {
    files: policy('web', withPeer('podSelector:')),
    spans: ['podSelector:'],
    message: ['must specify a peer'],
  }),
  silent('NPV13', 'a peer with an empty selector', { files: policy('web', withPeer('podSelector: {}')), clean: true }),
  fires('NPV14', 'ipBlock and namespaceSelector in one peer (indentation slip)', {
    files: policy('web', withPeer('ipBlock:\n  cidr: 10.0.0.0/8\nnamespaceSelector: {}')),
    spans: ['namespaceSelector'],
    message: ['may not specify both ipBlock and another peer', 'its own "-"'],
  }),
  silent('NPV14', 'the same as two peers', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - ipBlock:
                cidr: 10.0.0.0/8
            - namespaceSelector: {}
    `,
    ),
    clean: true,
  }),
  fires('NPV15', 'ipBlock without cidr', {
    files: policy('web', withPeer('ipBlock:\n  except: [10.1.0.0/16]')),
    spans: ['except: [10.1.0.0/16]'],
    message: ['ipBlock.cidr: Required value'],
  }),
  fires('NPV15', 'empty cidr', {
    files: policy('web', withPeer('ipBlock: {cidr: ""}')),
    spans: ['""'],
    message: ['cidr: Required value'],
  }),
  silent('NPV15', 'ipBlock with a cidr', {
    files: policy('web', withPeer('ipBlock:\n  cidr: 10.0.0.0/8\n  except: [10.1.0.0/16]')),
    clean: true,
  }),
  fires('NPV16', 'a bare address', {
    files: policy('web', withPeer('ipBlock: {cidr: 192.168.1.10}')),
    spans: ['192.168.1.10'],
    message: ['must be a valid CIDR value', 'needs a prefix length: 192.168.1.10/32'],
    data: { fix: 'addPrefix', prefix: 32 },
  }),
  fires('NPV16', 'an octet above 255', {
    files: policy('web', withPeer('ipBlock: {cidr: 300.1.1.0/24}')),
    spans: ['300.1.1.0/24'],
    message: ['Invalid value: "300.1.1.0/24"'],
  }),
  silent('NPV16', 'a /32 and an IPv6 /128', {
    files: policy('web', withPeer('ipBlock: {cidr: 192.168.1.10/32}\n- ipBlock: {cidr: "2001:db8::1/128"}')),
    clean: true,
  }),
  fires('NPV18', 'an except that is no CIDR', {
    files: policy('web', withPeer('ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0]}')),
    spans: ['10.1.0.0'],
    message: ['except[0]: Invalid value: "10.1.0.0"'],
  }),
  silent('NPV18', 'a valid except', {
    files: policy('web', withPeer('ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}')),
    clean: true,
  }),
  fires('NPV19', 'except outside, equal to, and of another family than cidr', {
    files: policy(
      'web',
      withPeer('ipBlock:\n  cidr: 10.0.0.0/16\n  except:\n    - 10.1.0.0/24\n    - 10.0.0.0/16\n    - "fd00::/64"'),
    ),
    spans: ['10.1.0.0/24', '10.0.0.0/16', '"fd00::/64"'],
    message: ['must be a strict subset of `cidr` (10.0.0.0/16)'],
  }),
  silent('NPV19', 'except strictly inside cidr', {
    files: policy('web', withPeer('ipBlock:\n  cidr: 10.0.0.0/16\n  except:\n    - 10.0.1.0/24')),
    clean: true,
  }),

  // ---------------------------------------------------------------- labels and selectors
  fires('NPV20', 'label key with a space, and an upper-case prefix', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          "app name": web
          Example.com/tier: web
      policyTypes: [Ingress]
    `,
    ),
    spans: ['"app name"', 'Example.com/tier'],
    message: ['matchLabels: Invalid value'],
  }),
  silent('NPV20', 'prefixed and plain keys', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app.kubernetes.io/name: web
          Tier_2: web
      policyTypes: [Ingress]
    `,
    ),
    clean: true,
  }),
  fires('NPV21', 'label value with a slash', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: team/web
      policyTypes: [Ingress]
    `,
    ),
    spans: ['team/web'],
    message: ['Invalid value "team/web"', 'a valid label must be an empty string'],
  }),
  silent('NPV21', 'empty and dotted values', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: web.v2
          canary: ""
      policyTypes: [Ingress]
    `,
    ),
    clean: true,
  }),
  fires('NPV22', 'lower-case operator', {
    files: policy('web', withRequirement('{key: app, operator: in, values: [web]}')),
    spans: ['in'],
    message: ['operator: Invalid value: "in"', 'use "In"'],
    data: { replace: 'In' },
  }),
  fires('NPV22', 'Gt is a node-selector operator', {
    files: policy('web', withRequirement('{key: tier, operator: Gt, values: ["2"]}')),
    spans: ['Gt'],
    message: ['only in node selectors'],
  }),
  fires('NPV22', 'a requirement without operator (the API server reads it as "")', {
    files: policy('web', withRequirement('{key: app, values: [web]}')),
    spans: ['{key: app, values: [web]}'],
    message: ['operator: Invalid value: ""', 'not a valid selector operator (In, NotIn, Exists, DoesNotExist)'],
  }),
  silent('NPV22', 'valid operators', {
    files: policy('web', withRequirement('{key: app, operator: NotIn, values: [web]}')),
    clean: true,
  }),
  fires('NPV23', 'In without values', {
    files: policy('web', withRequirement('{key: app, operator: In, values: []}')),
    spans: ['[]'],
    message: ["values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
  }),
  silent('NPV23', 'In with a value', {
    files: policy('web', withRequirement('{key: app, operator: In, values: [web]}')),
    clean: true,
  }),
  fires('NPV24', 'Exists with values', {
    files: policy('web', withRequirement('{key: app, operator: Exists, values: [web]}')),
    spans: ['[web]'],
    message: ["may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
  }),
  silent('NPV24', 'Exists without values', {
    files: policy('web', withRequirement('{key: app, operator: Exists}')),
    clean: true,
  }),
  fires('NPV25', 'requirement key with two slashes', {
    files: policy('web', withRequirement('{key: a/b/c, operator: Exists}')),
    spans: ['a/b/c'],
    message: ['key: Invalid value "a/b/c"'],
  }),
  silent('NPV25', 'prefixed requirement key', {
    files: policy('web', withRequirement('{key: example.com/tier, operator: Exists}')),
    clean: true,
  }),
  fires('NPV26', 'requirement value with a space', {
    files: policy('web', withRequirement('{key: app, operator: In, values: [web, "web app"]}')),
    spans: ['"web app"'],
    message: ['values[1]: Invalid value: "web app"'],
  }),
  silent('NPV26', 'valid requirement values', {
    files: policy('web', withRequirement('{key: app, operator: In, values: [web, web-app]}')),
    clean: true,
  }),

  // ---------------------------------------------------------------- decoding (docs/semantics.md A.10)
  fires('NPD01', 'unquoted true and 00000 label values', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          canary: true
          zip: 00000
      policyTypes: [Ingress]
    `,
    ),
    spans: ['true', '00000'],
    message: ['label values must be strings', 'quote the value'],
    data: { fix: 'quote' },
  }),
  fires('NPD01', 'YAML 1.1 "yes" is a boolean for Kubernetes', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          enabled: yes
      policyTypes: [Ingress]
    `,
    ),
    spans: ['yes'],
    message: ['found a boolean (in YAML 1.1, which Kubernetes uses)'],
  }),
  fires('NPD01', 'a quoted endPort', {
    files: policy('web', withPort('port: 8000\nendPort: "8090"')),
    spans: ['"8090"'],
    message: ['endPort: expected an integer, found a string', 'remove the quotes', 'rejects the whole object'],
    data: { fix: 'unquote' },
  }),
  fires('NPD01', 'a map where the ingress list belongs', {
    files: policy(
      'web',
      `
      podSelector: {}
      ingress:
        from:
          - podSelector: {}
    `,
    ),
    spans: ['from:\n      - podSelector: {}'],
    message: ['spec.ingress: expected a list, found a map'],
  }),
  silent('NPD01', 'quoted label values and a numeric endPort', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          canary: "true"
          zip: "00000"
          enabled: "yes"
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: 8000
              endPort: 8090
    `,
    ),
    atMost: 'hint',
  }),
  fires('NPP19', 'host bits set, and leading zeros in an except', {
    files: policy('web', withPeer('ipBlock:\n  cidr: 10.0.0.1/16\n  except: [010.0.1.0/24]')),
    spans: ['10.0.0.1/16', '010.0.1.0/24'],
    message: ['will reject it under strict CIDR validation'],
    data: { fix: 'canonical', canonical: '10.0.0.0/16' },
  }),
  fires('NPP19', 'non-canonical IPv6', {
    files: policy('web', withPeer('ipBlock: {cidr: "2001:DB8:0:0::/64"}')),
    spans: ['"2001:DB8:0:0::/64"'],
    message: ['RFC 5952', 'write 2001:db8::/64'],
  }),
  silent('NPP19', 'canonical CIDRs', {
    files: policy(
      'web',
      withPeer('ipBlock:\n  cidr: 10.0.0.0/16\n  except: [10.0.1.0/24]\n- ipBlock: {cidr: "2001:db8::/64"}'),
    ),
    clean: true,
  }),
  fires('NPP30', 'the same matchLabels key twice', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: web
          app: api
      policyTypes: [Ingress]
    `,
    ),
    spans: ['app'],
    message: ['duplicate key "app"', 'the last value silently wins'],
  }),
  silent('NPP30', 'two different keys', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: web
          tier: api
      policyTypes: [Ingress]
    `,
    ),
    clean: true,
  }),
  fires('NPP43', 'rules indented under podSelector', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: web
        ingress:
          - from:
              - podSelector: {}
      policyTypes: [Ingress]
    `,
    ),
    spans: ['ingress'],
    message: ['unknown field "ingress" in NetworkPolicy.spec.podSelector', 'indented under the selector', 'Outdent it'],
  }),
  silent('NPP43', 'rules at the level of podSelector', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: web
      ingress:
        - from:
            - podSelector: {}
      policyTypes: [Ingress]
    `,
    ),
    clean: true,
  }),
  fires('NPP44', 'misspelled matchLabels and cidr, and a status', {
    files: yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: web
        namespace: shop
      spec:
        podSelector:
          matchLabel:
            app: web
        policyTypes: [Ingress]
        ingress:
          - from:
              - ipBlock:
                  cidrs: [10.0.0.0/8]
                  cidr: 10.0.0.0/8
      status: {}
    `),
    spans: ['matchLabel', 'cidrs', 'status'],
    message: ['unknown field', 'rejects'],
  }),
  fires('NPP44', 'a misspelling gets a suggestion', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyType: [Ingress]
    `,
    ),
    spans: ['policyType'],
    message: ['did you mean "policyTypes"?', 'A non-strict client silently drops it', 'Rename it to "policyTypes"'],
    data: { suggestion: 'policyTypes' },
  }),
  fires('NPP44', 'an unrelated field gets no suggestion', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      comment: deny everything
    `,
    ),
    spans: ['comment'],
    message: ['unknown field "comment" in NetworkPolicy.spec. A non-strict client', 'Remove it or fix its name'],
  }),
  fires('NPP44', 'keys that are names of JavaScript object properties are unknown fields, not a crash', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      constructor: {a: 1}
      ingress:
        - toString: [x]
    `,
    ),
    spans: ['constructor', 'toString'],
    message: ['unknown field', 'strict validation'],
  }),
  silent('NPP44', 'every field spelled right', {
    files: policy(
      'web',
      `
      podSelector:
        matchLabels:
          app: web
      policyTypes: [Ingress]
      ingress:
        - from:
            - ipBlock:
                cidr: 10.0.0.0/8
    `,
    ),
    clean: true,
  }),
  fires('NPP45', 'extensions/v1beta1', {
    files: policy('web', ingressOnly, { apiVersion: 'extensions/v1beta1' }),
    spans: ['extensions/v1beta1'],
    message: ['does not serve NetworkPolicy', 'Kubernetes 1.16', 'Use networking.k8s.io/v1'],
    data: { fix: 'apiVersion' },
  }),
  fires('NPP45', 'no apiVersion at all', {
    files: yaml(`
      kind: NetworkPolicy
      metadata:
        name: web
        namespace: shop
      spec:
        podSelector: {}
    `),
    spans: ['NetworkPolicy'],
    message: ['apiVersion is missing', 'Add apiVersion: networking.k8s.io/v1'],
  }),
  silent('NPP45', 'networking.k8s.io/v1', { files: policy('web', ingressOnly), clean: true }),
];
