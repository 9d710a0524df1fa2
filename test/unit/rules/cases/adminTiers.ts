// Cases for the pitfalls of the admin tiers (docs/semantics.md D.6): NPT01-NPT05, each with the
// admin policies and NetworkPolicies in separate files, as a cluster repository keeps them.

import { deployment, docs, fires, namespace, policy, type RuleCase, silent, yaml } from '../helpers';

const cluster = {
  'cluster/namespaces.yaml': docs(namespace('shop'), namespace('dev', { env: 'dev' }), namespace('monitoring')),
  'shop/apps.yaml': docs(
    deployment('api', 'shop', { app: 'api' }, [{ port: 8080, name: 'http' }]),
    deployment('db', 'shop', { app: 'db' }, [{ port: 5432 }]),
  ),
  'dev/tool.yaml': deployment('tool', 'dev', { app: 'tool' }),
  'monitoring/prom.yaml': deployment('prom', 'monitoring', { app: 'prom' }),
};

/** An AdminNetworkPolicy with one ingress rule set (body under `spec:`). */
function anp(name: string, spec: string): string {
  return [
    'apiVersion: policy.networking.k8s.io/v1alpha1',
    'kind: AdminNetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    yaml(spec)
      .split('\n')
      .map((l) => (l.trim() ? `  ${l}` : l))
      .join('\n'),
    '',
  ].join('\n');
}

const toShop = '\nsubject:\n  namespaces:\n    matchLabels:\n      kubernetes.io/metadata.name: shop';

const A = 'admin/policies.yaml';

export const adminTierCases: RuleCase[] = [
  // ---------------------------------------------------------------- AP01 same priority
  fires('NPT01', 'two ANPs of priority 10 that both match dev to shop', {
    files: {
      ...cluster,
      [A]: anp(
        'deny-dev',
        `priority: 10${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'admin/other.yaml': anp(
        'allow-all',
        `priority: 10${toShop}\ningress:\n  - action: Allow\n    from:\n      - namespaces: {}`,
      ),
    },
    target: A,
    spans: ['priority: 10'],
    message: [
      'AdminNetworkPolicy deny-dev and AdminNetworkPolicy allow-all',
      'same priority 10',
      'undefined',
      'dev/tool',
    ],
    related: [{ file: 'admin/other.yaml', text: '10', message: ['allow-all: priority 10'] }],
  }),
  silent('NPT01', 'the same priority without a common connection', {
    files: {
      ...cluster,
      [A]: anp(
        'deny-dev',
        `priority: 10${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'admin/other.yaml': anp(
        'allow-prom',
        `priority: 10${toShop}\ningress:\n  - action: Allow\n    from:\n      - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}`,
      ),
    },
    target: A,
  }),

  // ---------------------------------------------------------------- AP02 shadowed
  fires('NPT02', 'an Allow after a Deny of every namespace', {
    files: {
      ...cluster,
      [A]: anp(
        'shadow',
        `priority: 5${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {}\n  - action: Allow\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
    },
    target: A,
    spans: ['action: Allow'],
    message: ['never decides anything', 'AdminNetworkPolicy shadow ingress rule 1 (priority 5)'],
  }),
  fires('NPT02', 'a rule shadowed by a policy of lower priority number in another file', {
    files: {
      ...cluster,
      [A]: anp(
        'late',
        `priority: 20${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'admin/early.yaml': anp(
        'early',
        `priority: 3${toShop}\ningress:\n  - action: Pass\n    from:\n      - namespaces: {}`,
      ),
    },
    target: A,
    spans: ['action: Deny'],
    message: ['AdminNetworkPolicy early ingress rule 1 (priority 3)'],
    related: [{ file: 'admin/early.yaml', text: 'action: Pass' }],
  }),
  silent('NPT02', 'a Deny for dev before an Allow for everyone', {
    files: {
      ...cluster,
      [A]: anp(
        'ordered',
        `priority: 5${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}\n  - action: Allow\n    from:\n      - namespaces: {}`,
      ),
    },
    target: A,
  }),

  // ---------------------------------------------------------------- AP03 Pass without effect
  fires('NPT03', 'a Pass to shop, where no NetworkPolicy and no baseline rule decides', {
    files: {
      ...cluster,
      [A]: anp(
        'pass-dev',
        `priority: 5${toShop}\ningress:\n  - action: Pass\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
    },
    target: A,
    spans: ['action: Pass'],
    message: ['nothing below decides it', 'allowed by default', 'shop/api'],
  }),
  silent('NPT03', 'a Pass to shop, where a NetworkPolicy isolates the pods', {
    files: {
      ...cluster,
      [A]: anp(
        'pass-dev',
        `priority: 5${toShop}\ningress:\n  - action: Pass\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'shop/deny.yaml': policy('deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
    },
    target: A,
  }),

  // ---------------------------------------------------------------- AP04 dead NetworkPolicy rule
  fires('NPT04', 'a NetworkPolicy allowing dev, which an ANP denies', {
    files: {
      ...cluster,
      'admin/deny.yaml': anp(
        'deny-dev',
        `priority: 10${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'shop/allow-dev.yaml': policy(
        'allow-dev',
        'podSelector: {}\npolicyTypes: [Ingress]\ningress:\n  - from:\n      - namespaceSelector:\n          matchLabels:\n            env: dev',
      ),
    },
    target: 'shop/allow-dev.yaml',
    spans: ['from:\n        - namespaceSelector:\n            matchLabels:\n              env: dev'],
    message: [
      'shop/allow-dev ingress rule 1 can never take effect',
      'AdminNetworkPolicy deny-dev ingress rule 1 (priority 10)',
    ],
    related: [{ file: 'admin/deny.yaml', text: 'action: Deny' }],
  }),
  silent('NPT04', 'a NetworkPolicy allowing monitoring, which no admin rule denies', {
    files: {
      ...cluster,
      'admin/deny.yaml': anp(
        'deny-dev',
        `priority: 10${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'shop/allow.yaml': policy(
        'allow-prom',
        'podSelector: {}\npolicyTypes: [Ingress]\ningress:\n  - from:\n      - namespaceSelector:\n          matchLabels:\n            kubernetes.io/metadata.name: monitoring',
      ),
    },
    target: 'shop/allow.yaml',
  }),

  // ---------------------------------------------------------------- AP05 isolation voided
  fires('NPT05', 'a default-deny in shop, and an ANP that accepts monitoring', {
    files: {
      ...cluster,
      'admin/allow.yaml': anp(
        'allow-prom',
        `priority: 10${toShop}\ningress:\n  - action: Allow\n    from:\n      - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}`,
      ),
      'shop/deny.yaml': policy('deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
    },
    target: 'shop/deny.yaml',
    spans: ['podSelector: {}'],
    message: [
      'AdminNetworkPolicy allow-prom ingress rule 1 (priority 10) accepts All Connections from monitoring/prom',
      'does not stop it',
    ],
    related: [{ file: 'admin/allow.yaml', text: 'action: Allow' }],
  }),
  silent('NPT05', 'a default-deny in shop, and an ANP that only denies', {
    files: {
      ...cluster,
      'admin/deny.yaml': anp(
        'deny-dev',
        `priority: 10${toShop}\ningress:\n  - action: Deny\n    from:\n      - namespaces: {matchLabels: {env: dev}}`,
      ),
      'shop/deny.yaml': policy('deny', 'podSelector: {}\npolicyTypes: [Ingress]'),
    },
    target: 'shop/deny.yaml',
  }),
];
