// Cases for pitfalls in the shape of rules, peers and ports (NPP01, 02, 06, 07, 08, 09, 13, 18,
// 24, 41, 42).

import { deployment, docs, fires, namespace, policy, type RuleCase, silent } from '../helpers';

const monitoring = {
  'ns.yaml': docs(namespace('shop'), namespace('monitoring')),
  'workloads.yaml': docs(
    deployment('web', 'shop', { app: 'web' }, [{ port: 8080, name: 'http' }]),
    deployment('prometheus', 'monitoring', { app: 'prometheus' }),
  ),
};

const orPeers = `
podSelector:
  matchLabels:
    app: web
policyTypes: [Ingress]
ingress:
  - from:
      - namespaceSelector:
          matchLabels:
            kubernetes.io/metadata.name: monitoring
      - podSelector:
          matchLabels:
            app: prometheus
`;

export const shapeCases: RuleCase[] = [
  fires('NPP01', 'namespace-only and pod-only peers side by side (no inventory)', {
    files: policy('web', orPeers),
    severity: 'info',
    spans: [
      'namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring\n        - podSelector:\n            matchLabels:\n              app: prometheus',
    ],
    message: [
      'two peers (OR)',
      'every pod in the selected namespaces, or the selected pods of shop',
      'removing the second "-"',
    ],
  }),
  fires('NPP01', 'a warning when the pod-only peer only matches pods of other namespaces', {
    files: { ...monitoring, 'policy.yaml': policy('web', orPeers) },
    target: 'policy.yaml',
    severity: 'warning',
    spans: [
      'namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring\n        - podSelector:\n            matchLabels:\n              app: prometheus',
    ],
    message: [
      'matches no pod in shop, only monitoring/prometheus[Deployment]',
      'meant to go with the namespaceSelector',
    ],
    related: [
      {
        file: 'workloads.yaml',
        text: '{app: "prometheus"}',
        message: ['monitoring/prometheus[Deployment]: app=prometheus'],
      },
    ],
  }),
  silent('NPP01', 'one peer with both selectors (AND)', {
    files: {
      ...monitoring,
      'policy.yaml': policy(
        'web',
        `
      podSelector:
        matchLabels:
          app: web
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: monitoring
              podSelector:
                matchLabels:
                  app: prometheus
    `,
      ),
    },
    target: 'policy.yaml',
    alsoAbsent: ['NPP25'],
    atMost: 'info',
  }),
  silent('NPP01', 'two namespace-only peers', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector: {matchLabels: {team: a}}
            - namespaceSelector: {matchLabels: {team: b}}
    `,
    ),
  }),

  fires('NPP02', 'a null namespaceSelector next to a podSelector', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: prometheus
              namespaceSelector:
    `,
    ),
    spans: ['namespaceSelector'],
    message: [
      'null, which means "absent"',
      "only matches pods in the policy's own namespace (shop)",
      'namespaceSelector: {}',
    ],
    data: { nullToEmpty: true },
  }),
  fires('NPP02', 'a null podSelector next to a namespaceSelector is only a hint', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  team: ops
              podSelector:
    `,
    ),
    severity: 'hint',
    spans: ['podSelector'],
    message: ['the same as `{}`'],
  }),
  silent('NPP02', 'empty selectors written as {}', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: prometheus
              namespaceSelector: {}
    `,
    ),
    clean: true,
  }),

  fires('NPP06', '`ingress: [{}]` allows everything', {
    files: policy(
      'allow-all',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - {}
    `,
    ),
    severity: 'info',
    spans: ['{}'],
    message: ['allows ingress from every source', 'any external address', '`ingress: []` is deny-all'],
  }),
  fires('NPP06', 'a warning when it overrides a default deny for the same pods (other file)', {
    files: {
      ...monitoring,
      'deny.yaml': policy(
        'default-deny',
        `
        podSelector: {}
        policyTypes: [Ingress]
      `,
      ),
      'policy.yaml': policy(
        'allow-web',
        `
        podSelector:
          matchLabels:
            app: web
        policyTypes: [Ingress]
        ingress:
          - {}
      `,
      ),
    },
    target: 'policy.yaml',
    severity: 'warning',
    spans: ['{}'],
    message: [
      'for 1 selected workload',
      'overrides the default-deny default-deny',
      'use `ingress: []` instead of `[{}]`',
    ],
    related: [
      {
        file: 'deny.yaml',
        startsWith: 'apiVersion: networking.k8s.io/v1',
        message: ['default-deny shop/default-deny'],
      },
    ],
  }),
  silent('NPP06', '`ingress: []` denies everything', {
    files: policy(
      'deny-all',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress: []
    `,
    ),
    clean: true,
  }),

  fires('NPP07', '`from: []` and `ports: []`', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from: []
          ports: []
    `,
    ),
    spans: ['from: []', 'ports: []'],
    message: ['not nothing', 'use an empty ingress list instead'],
  }),
  fires('NPP07', '`to: []` in an egress rule', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to: []
    `,
    ),
    spans: ['to: []'],
    message: ['`to: []` matches every destination, including the internet'],
  }),
  silent('NPP07', 'peers listed', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector: {}
          ports:
            - port: 80
    `,
    ),
    clean: true,
  }),

  fires('NPP08', '`ports: [{}]` is every TCP port', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - {}
    `,
    ),
    spans: ['{}'],
    message: ['defaulted to {protocol: TCP}', 'UDP and SCTP stay blocked'],
  }),
  fires('NPP08', 'an entry without port next to numbered TCP entries', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: 80
            - protocol: TCP
    `,
    ),
    spans: ['protocol: TCP'],
    message: ['allows every TCP port', 'the other TCP entries of this rule are redundant'],
  }),
  silent('NPP08', 'a UDP-only entry without port next to TCP ports is no hint', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: 80
            - protocol: UDP
    `,
    ),
    clean: true,
  }),

  fires('NPP09', 'port 53 without protocol', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - ports:
            - port: 53
    `,
    ),
    severity: 'warning',
    spans: ['53'],
    message: ['TCP 53 only', 'DNS uses UDP 53', 'Add an entry with protocol: UDP'],
    data: { addUdp: 53 },
  }),
  fires('NPP09', 'port 123 (NTP) is an info', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock: {cidr: 192.0.2.0/24}
          ports:
            - port: 123
    `,
    ),
    severity: 'info',
    spans: ['123'],
    message: ['NTP uses UDP 123'],
  }),
  silent('NPP09', 'UDP and TCP 53 both listed', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - ports:
            - port: 53
            - port: 53
              protocol: UDP
    `,
    ),
  }),
  silent('NPP09', 'a port range that happens to contain 123', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: 100
              endPort: 200
    `,
    ),
  }),

  fires('NPP13', 'named port towards ipBlocks only', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 203.0.113.0/24
          ports:
            - port: https
    `,
    ),
    spans: ['https'],
    message: [
      'Named port "https" never matches here',
      'external endpoints have no container ports',
      'Use the port number',
    ],
  }),
  silent('NPP13', 'the port number towards ipBlocks', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 203.0.113.0/24
          ports:
            - port: 443
    `,
    ),
  }),
  silent('NPP13', 'a named port when a pod peer is in the rule too', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 203.0.113.0/24
            - podSelector: {}
          ports:
            - port: https
    `,
    ),
  }),

  fires('NPP18', 'an except inside another, and a duplicate', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
                except:
                  - 10.0.0.0/8
                  - 10.1.0.0/16
                  - 192.168.0.0/16
                  - 192.168.0.0/16
    `,
    ),
    spans: ['10.1.0.0/16', '192.168.0.0/16'],
    message: [/already covered by except 10\.0\.0\.0\/8|listed twice/, 'Remove it'],
  }),
  silent('NPP18', 'disjoint excepts', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
                except:
                  - 10.0.0.0/8
                  - 192.168.0.0/16
    `,
    ),
  }),

  fires('NPP24', 'namespace selected by `name` (no Namespace manifests: a hint)', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  name: monitoring
    `,
    ),
    severity: 'hint',
    spans: ['name: monitoring'],
    message: ['Namespaces are not labelled "name"', 'kubernetes.io/metadata.name: monitoring'],
    data: { useNameLabel: 'monitoring', key: 'name' },
  }),
  fires('NPP24', 'a warning when declared namespaces lack the label', {
    files: {
      ...monitoring,
      'policy.yaml': policy(
        'web',
        `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  ns: monitoring
    `,
      ),
    },
    target: 'policy.yaml',
    severity: 'warning',
    spans: ['ns: monitoring'],
    message: ['no namespace in the workspace has ns=monitoring'],
    related: [
      {
        file: 'ns.yaml',
        text: 'monitoring',
        message: ['Namespace monitoring: kubernetes.io/metadata.name=monitoring'],
      },
      { file: 'ns.yaml', text: 'shop', message: ['Namespace shop: kubernetes.io/metadata.name=shop'] },
    ],
  }),
  fires('NPP24', 'a namespaceSelector that matches no declared namespace', {
    files: {
      ...monitoring,
      'policy.yaml': policy(
        'web',
        `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  team: observability
    `,
      ),
    },
    target: 'policy.yaml',
    severity: 'warning',
    spans: ['namespaceSelector'],
    message: ['matches no namespace in the workspace (monitoring, shop)', 'allows nothing'],
    related: [
      { file: 'ns.yaml', text: 'monitoring' },
      { file: 'ns.yaml', text: 'shop' },
    ],
  }),
  silent('NPP24', 'select by kubernetes.io/metadata.name', {
    files: {
      ...monitoring,
      'policy.yaml': policy(
        'web',
        `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: monitoring
    `,
      ),
    },
    target: 'policy.yaml',
  }),
  silent('NPP24', 'a namespace chosen by name that the workspace does not declare (kube-system for DNS)', {
    files: {
      ...monitoring,
      'policy.yaml': policy(
        'web',
        `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: kube-system
              podSelector:
                matchLabels:
                  k8s-app: kube-dns
    `,
      ),
    },
    target: 'policy.yaml',
  }),
  silent('NPP24', '`name` when the Namespace really carries it', {
    files: {
      'ns.yaml': docs(namespace('shop'), namespace('monitoring', { name: 'monitoring' })),
      'policy.yaml': policy(
        'web',
        `
        podSelector: {}
        policyTypes: [Ingress]
        ingress:
          - from:
              - namespaceSelector:
                  matchLabels:
                    name: monitoring
      `,
      ),
    },
    target: 'policy.yaml',
  }),

  fires('NPP41', 'egress ports without `to`', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - ports:
            - port: 443
    `,
    ),
    spans: ['ports'],
    message: ['to any destination, including the internet', 'Add `to` peers'],
  }),
  silent('NPP41', 'egress ports with `to`', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 203.0.113.0/24
          ports:
            - port: 443
    `,
    ),
  }),

  fires('NPP42', 'an endPort range and SCTP', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: 8000
              endPort: 8100
            - port: 3868
              protocol: SCTP
    `,
    ),
    spans: ['endPort', 'SCTP'],
    message: [/network plugin/],
  }),
  silent('NPP42', 'endPort equal to port, and an endPort below port (an error, not a range)', {
    files: policy(
      'web',
      `
      podSelector: {}
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: 8000
              endPort: 8000
            - port: 9000
              endPort: 8000
    `,
    ),
  }),
];
