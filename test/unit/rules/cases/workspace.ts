// Cases for the rules that need the workspace: workloads, namespaces and Services in other files
// (NPP10, 11, 12, 21, 23, 25, 27, 37, 38, 39).

import { deployment, docs, fires, namespace, policy, type RuleCase, service, silent } from '../helpers';

/** A small cluster spread over files, as a repository would hold it. */
const cluster = {
  'cluster/namespaces.yaml': docs(
    namespace('shop', { env: 'prod' }),
    namespace('dev'),
    namespace('kube-system'),
    namespace('monitoring'),
  ),
  'cluster/dns.yaml': deployment('coredns', 'kube-system', { 'k8s-app': 'kube-dns' }, [
    { port: 53, name: 'dns', protocol: 'UDP' },
    { port: 53, name: 'dns-tcp' },
  ]),
  'shop/api.yaml': docs(
    deployment('api', 'shop', { app: 'api' }, [
      { port: 8080, name: 'http' },
      { port: 9100, name: 'stats', protocol: 'UDP' },
    ]),
    service('api', 'shop', { app: 'api' }, [
      { name: 'web', port: 80, targetPort: 8080 },
      { name: 'named', port: 443, targetPort: 'http' },
    ]),
  ),
  'shop/web.yaml': deployment('web', 'shop', { app: 'web' }, [{ port: 8081, name: 'http' }]),
  'dev/tool.yaml': deployment('tool', 'dev', { app: 'tool' }),
  'monitoring/agent.yaml': deployment('node-agent', 'monitoring', { app: 'node-agent' }, [], {
    hostNetwork: true,
    kind: 'DaemonSet',
  }),
};

const P = 'shop/policy.yaml';
const withPolicy = (spec: string, name = 'api'): Record<string, string> => ({ ...cluster, [P]: policy(name, spec) });

export const workspaceCases: RuleCase[] = [
  // ---------------------------------------------------------------- P10 DNS
  fires('NPP10', 'egress isolation without a DNS rule, the DNS pods in another file', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes:
        - Egress
      egress:
        - to:
            - podSelector:
                matchLabels:
                  app: web
    `),
    target: P,
    spans: ['Egress'],
    message: [
      'shop/api[Deployment] is egress-isolated',
      'UDP and TCP 53',
      'kube-system/k8s-app=kube-dns',
      'name lookups will fail',
    ],
    related: [
      {
        file: 'cluster/dns.yaml',
        startsWith: 'apiVersion: apps/v1',
        message: ['cluster DNS: kube-system/coredns[Deployment]'],
      },
    ],
    data: { addDns: true },
  }),
  fires('NPP10', 'UDP allowed, TCP 53 missing (large answers)', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Egress]
      egress:
        - to:
            - namespaceSelector: {}
          ports:
            - port: 53
              protocol: UDP
    `),
    target: P,
    spans: ['Egress'],
    message: ['no egress rule allows TCP 53', 'for large answers'],
  }),
  fires('NPP10', 'the DNS location comes from settings', {
    files: {
      'policy.yaml': policy(
        'deny-egress',
        `
      podSelector: {}
      policyTypes: [Egress]
    `,
      ),
    },
    settings: { dns: { namespace: 'dns', podLabels: { app: 'node-local-dns' } } },
    spans: ['Egress'],
    message: ['The pods this policy selects are egress-isolated', '(dns/app=node-local-dns)'],
  }),
  silent('NPP10', 'an egress rule to the DNS pods on UDP and TCP 53', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Egress]
      egress:
        - to:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: kube-system
              podSelector:
                matchLabels:
                  k8s-app: kube-dns
          ports:
            - port: 53
              protocol: UDP
            - port: 53
              protocol: TCP
    `),
    target: P,
    atMost: 'info',
  }),
  silent('NPP10', 'an ingress-only policy isolates no egress', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
    `),
    target: P,
  }),

  // ---------------------------------------------------------------- P11 Service port
  fires('NPP11', 'Service port 80 instead of the container port 8080 (Service in another file)', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: web
          ports:
            - port: 80
    `),
    target: P,
    spans: ['80'],
    message: ['80 is the port of Service shop/api (80 → 8080)', "on the pod's port 8080", 'Use 8080'],
    related: [
      {
        file: 'shop/api.yaml',
        startsWith: '{name: web, port: 80, targetPort: 8080}',
        message: ['Service shop/api: port 80 → targetPort 8080'],
      },
    ],
    data: { replacePort: 8080 },
  }),
  fires('NPP11', 'a Service whose targetPort is a name', {
    files: withPolicy(
      `
      podSelector:
        matchLabels:
          app: web
      policyTypes: [Egress]
      egress:
        - to:
            - podSelector:
                matchLabels:
                  app: api
          ports:
            - port: 443
    `,
      'web',
    ),
    target: P,
    spans: ['443'],
    message: ['(443 → http)', "pod's port 8080", 'or the named port "http"'],
    data: { replacePort: 8080, name: 'http' },
  }),
  silent('NPP11', 'the container port', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: web
          ports:
            - port: 8080
    `),
    target: P,
    atMost: 'info',
  }),

  // ---------------------------------------------------------------- P12 named ports
  fires('NPP12', 'a name that the selected pods do not define', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: metrics
    `),
    target: P,
    spans: ['metrics'],
    message: [
      'Named port "metrics" (TCP) is not defined on any selected workload (shop/api[Deployment])',
      'allows nothing',
    ],
    related: [
      {
        file: 'shop/api.yaml',
        text: '{containerPort: 8080, name: http}',
        message: ['shop/api[Deployment]: container ports http=8080/TCP, stats=9100/UDP'],
      },
    ],
  }),
  fires('NPP12', 'the name exists with another protocol', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: stats
    `),
    target: P,
    spans: ['stats'],
    message: ['defines "stats" with another protocol — set protocol to match'],
    related: [{ file: 'shop/api.yaml', text: '{containerPort: 9100, name: stats, protocol: UDP}' }],
  }),
  fires('NPP12', 'resolves on some destinations only (info)', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - namespaceSelector: {}
          ports:
            - port: http
        - to:
            - namespaceSelector: {}
          ports:
            - port: 53
              protocol: UDP
            - port: 53
    `,
      'egress',
    ),
    target: P,
    severity: 'info',
    spans: ['http'],
    message: ['resolves on 2 workloads but not on', 'kube-system/coredns[Deployment]', 'to those it allows nothing'],
    related: [
      { file: 'dev/tool.yaml', text: 'containers', message: ['dev/tool[Deployment]: no container ports'] },
      {
        file: 'cluster/dns.yaml',
        text: '{containerPort: 53, name: dns, protocol: UDP}',
        message: ['dns=53/UDP, dns-tcp=53/TCP'],
      },
      { file: 'monitoring/agent.yaml', text: 'containers' },
    ],
  }),
  fires('NPP12', 'egress without `to`: no workload defines the name', {
    files: withPolicy(
      `
      podSelector:
        matchLabels:
          app: web
      policyTypes: [Egress]
      egress:
        - ports:
            - port: grpc
    `,
      'web',
    ),
    target: P,
    spans: ['grpc'],
    message: ['is not defined on any workload in the workspace', 'external addresses have no named ports'],
    related: [],
  }),
  fires('NPP12', 'egress without `to`: the name exists only with another protocol', {
    files: withPolicy(
      `
      podSelector:
        matchLabels:
          app: web
      policyTypes: [Egress]
      egress:
        - ports:
            - port: stats
    `,
      'web',
    ),
    target: P,
    spans: ['stats'],
    message: [
      'Named port "stats" (TCP) is not defined on any workload in the workspace',
      'shop/api[Deployment] defines "stats" with another protocol',
    ],
    related: [
      { file: 'shop/api.yaml', text: '{containerPort: 9100, name: stats, protocol: UDP}', message: ['9100/UDP'] },
    ],
  }),
  silent('NPP12', 'a name every selected pod defines (and the right protocol)', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - ports:
            - port: http
            - port: stats
              protocol: UDP
    `),
    target: P,
    atMost: 'info',
  }),
  silent('NPP12', 'egress without `to`: some workload defines the name', {
    files: withPolicy(
      `
      podSelector:
        matchLabels:
          app: web
      policyTypes: [Egress]
      egress:
        - ports:
            - port: http
    `,
      'web',
    ),
    target: P,
  }),

  // ---------------------------------------------------------------- P21 / P23 ipBlocks
  fires('NPP21', 'an ipBlock over the configured pod CIDR', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 10.0.0.0/8
    `,
      'egress',
    ),
    target: P,
    settings: { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] },
    spans: ['10.0.0.0/8', '10.0.0.0/8'],
    message: [
      /overlaps the (pod CIDR 10\.244\.0\.0\/16|Service CIDR 10\.96\.0\.0\/12)/,
      'Use pod and namespace selectors',
    ],
  }),
  fires('NPP21', '0.0.0.0/0 gets the hint to except the pod CIDR', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
    `,
      'egress',
    ),
    target: P,
    settings: { podCidrs: ['10.244.0.0/16'] },
    spans: ['0.0.0.0/0'],
    message: ['add 10.244.0.0/16 to except'],
  }),
  silent('NPP21', 'the pod CIDR excepted', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
                except: [10.244.0.0/16]
    `,
      'egress',
    ),
    target: P,
    settings: { podCidrs: ['10.244.0.0/16'] },
  }),
  silent('NPP21', 'no cluster CIDRs configured', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 10.0.0.0/8
    `,
      'egress',
    ),
    target: P,
  }),
  fires('NPP23', 'IPv4-only ipBlocks in a dual-stack cluster', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
    `,
      'egress',
    ),
    target: P,
    settings: { dualStack: true },
    spans: ['ipBlock:\n            cidr: 0.0.0.0/0'],
    message: ['All ipBlocks of this rule are IPv4', 'IPv6 traffic is not covered', '(add ::/0 too)'],
  }),
  silent('NPP23', 'both families listed', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
            - ipBlock:
                cidr: ::/0
    `,
      'egress',
    ),
    target: P,
    settings: { dualStack: true },
  }),
  silent('NPP23', 'single-stack cluster (the default)', {
    files: withPolicy(
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:
        - to:
            - ipBlock:
                cidr: 0.0.0.0/0
    `,
      'egress',
    ),
    target: P,
  }),

  // ---------------------------------------------------------------- P25 pod peers in other namespaces
  fires('NPP25', 'a pod-only peer whose labels match pods of another namespace only', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: tool
    `),
    target: P,
    spans: ['podSelector'],
    message: [
      "only looks in the policy's namespace (shop)",
      'the pods it describes are in dev (dev/tool[Deployment])',
      'Add a namespaceSelector',
    ],
    related: [{ file: 'dev/tool.yaml', text: '{app: "tool"}', message: ['dev/tool[Deployment]: app=tool'] }],
    data: { addNamespaceSelector: 'dev' },
  }),
  silent('NPP25', 'the same peer with a namespaceSelector', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: dev
              podSelector:
                matchLabels:
                  app: tool
    `),
    target: P,
    atMost: 'info',
  }),

  // ---------------------------------------------------------------- P27 negative selectors
  fires('NPP27', 'NotIn also matches namespaces without the label', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchExpressions:
                  - key: env
                    operator: NotIn
                    values: [prod]
    `),
    target: P,
    spans: ['NotIn'],
    message: [
      'NotIn also matches namespaces that have no "env" label at all: dev, kube-system, monitoring',
      'Add an Exists requirement on "env"',
    ],
    related: [
      { file: 'cluster/namespaces.yaml', text: 'dev', message: ['Namespace dev: no "env" label'] },
      { file: 'cluster/namespaces.yaml', text: 'kube-system' },
      { file: 'cluster/namespaces.yaml', text: 'monitoring' },
    ],
  }),
  silent('NPP27', 'every namespace has the label', {
    files: {
      'ns.yaml': docs(namespace('shop', { env: 'prod' }), namespace('dev', { env: 'dev' })),
      'w.yaml': deployment('api', 'shop', { app: 'api' }),
      'policy.yaml': policy(
        'api',
        `
        podSelector:
          matchLabels:
            app: api
        policyTypes: [Ingress]
        ingress:
          - from:
              - namespaceSelector:
                  matchExpressions:
                    - key: env
                      operator: NotIn
                      values: [prod]
      `,
      ),
    },
    target: 'policy.yaml',
  }),

  silent('NPP27', 'NotIn together with Exists on the same key (the suggested fix)', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchExpressions:
                  - key: env
                    operator: Exists
                  - key: env
                    operator: NotIn
                    values: [prod]
    `),
    target: P,
  }),
  silent('NPP27', 'DoesNotExist matches unlabelled objects by definition', {
    files: withPolicy(`
      podSelector:
        matchExpressions:
          - key: canary
            operator: DoesNotExist
      policyTypes: [Ingress]
    `),
    target: P,
  }),

  // ---------------------------------------------------------------- P37 selects nothing
  fires('NPP37', 'a label typo selects no workload', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: apii
      policyTypes: [Ingress]
    `),
    target: P,
    spans: ['podSelector'],
    message: ['selects no workload of namespace shop', 'it has 2 workloads: api, web', 'the policy does nothing'],
    related: [
      { file: 'shop/api.yaml', text: '{app: "api"}', message: ['shop/api[Deployment]: app=api'] },
      { file: 'shop/web.yaml', text: '{app: "web"}', message: ['shop/web[Deployment]: app=web'] },
    ],
  }),
  silent('NPP37', 'the right label', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
    `),
    target: P,
    clean: true,
  }),
  silent('NPP37', 'a namespace without workloads in the workspace', {
    files: {
      'policy.yaml': policy(
        'api',
        `
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
    `,
      ),
    },
  }),

  // ---------------------------------------------------------------- P38 shadowed rules
  fires('NPP38', 'an allow-all policy in another file makes these rules pointless', {
    files: {
      ...withPolicy(`
        podSelector:
          matchLabels:
            app: api
        policyTypes: [Ingress]
        ingress:
          - from:
              - podSelector:
                  matchLabels:
                    app: web
      `),
      'shop/allow-all.yaml': policy(
        'allow-all',
        `
        podSelector: {}
        policyTypes: [Ingress]
        ingress:
          - {}
      `,
      ),
    },
    target: P,
    spans: ['ingress'],
    message: [
      'Policy shop/allow-all already allows all ingress for every pod this policy selects',
      'cannot deny what another allows',
    ],
    related: [{ file: 'shop/allow-all.yaml', startsWith: 'apiVersion', message: ['allow-all ingress in allow-all'] }],
  }),
  fires('NPP38', 'a rule covered by another rule of the policy', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: web
        - from:
            - podSelector:
                matchLabels:
                  app: web
          ports:
            - port: 8080
    `),
    target: P,
    spans: [
      'from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 8080',
    ],
    message: ['This rule is redundant: ingress rule 1 already allows everything it allows', 'Remove it'],
  }),
  silent('NPP38', 'two rules for different peers', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: web
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: monitoring
          ports:
            - port: 8080
    `),
    target: P,
  }),

  // ---------------------------------------------------------------- P39 hostNetwork
  fires('NPP39', 'a policy that selects a hostNetwork DaemonSet', {
    files: {
      ...cluster,
      'monitoring/policy.yaml': policy(
        'agent',
        `
      podSelector:
        matchLabels:
          app: node-agent
      policyTypes: [Ingress]
    `,
        { namespace: 'monitoring' },
      ),
    },
    target: 'monitoring/policy.yaml',
    spans: ['podSelector'],
    message: ['monitoring/node-agent[DaemonSet] uses hostNetwork', 'undefined', 'Use an ipBlock on the node addresses'],
    related: [
      {
        file: 'monitoring/agent.yaml',
        text: 'hostNetwork',
        message: ['monitoring/node-agent[DaemonSet]: hostNetwork: true'],
      },
    ],
  }),
  fires('NPP39', 'a peer that matches a hostNetwork workload', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: monitoring
    `),
    target: P,
    spans: ['namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring'],
    message: ['This peer matches host-network workloads (monitoring/node-agent[DaemonSet])'],
    related: [{ file: 'monitoring/agent.yaml', text: 'hostNetwork' }],
  }),
  silent('NPP39', 'policies about ordinary pods', {
    files: withPolicy(`
      podSelector:
        matchLabels:
          app: api
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: dev
    `),
    target: P,
  }),
];
