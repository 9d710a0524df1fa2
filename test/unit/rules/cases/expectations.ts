// Cases for connectivity expectations (ConnectivityExpectations documents): NPX07 (not met) and
// NPX08 (cannot be checked).

import { deployment, docs, fires, policy, type RuleCase, silent, yaml } from '../helpers';

const workloads = docs(
  deployment('web', 'shop', { app: 'web' }, [{ port: 8080 }]),
  deployment('db', 'shop', { app: 'db' }, [{ port: 5432 }]),
);
const dbPolicy = (from: string): string =>
  policy(
    'db',
    `
podSelector:
  matchLabels: {app: db}
policyTypes: [Ingress]
ingress:
  - from:
      - podSelector:
          matchLabels: {app: ${from}}
    ports:
      - port: 5432
`,
  );
const expect = (entries: string): string =>
  yaml(`
  apiVersion: netpol-lens.dev/v1
  kind: ConnectivityExpectations
  metadata:
    name: contracts
  expectations:
${entries
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`);

export const expectationCases: readonly RuleCase[] = [
  fires('NPX07', 'an expected connection that the policies deny, and a denied one they allow', {
    files: {
      'expect.yaml': expect(`- from: shop/web
  to: shop/db
  port: 5432
  allowed: true
- from: shop/db
  to: shop/web
  allowed: false`),
      'policy.yaml': dbPolicy('api'),
      'workloads.yaml': workloads,
    },
    target: 'expect.yaml',
    spans: [
      'from: shop/web\n    to: shop/db\n    port: 5432\n    allowed: true',
      'from: shop/db\n    to: shop/web\n    allowed: false',
    ],
    message: [
      /^Expected shop\/(web|db) → shop\/(db|web) to be (allowed on TCP 5432, but nothing is allowed|denied entirely, but every port is allowed)\. Run netpol-lens explain/,
    ],
    related: [
      { file: 'policy.yaml', startsWith: 'apiVersion: networking.k8s.io/v1', message: ['isolating policy shop/db'] },
    ],
  }),
  silent('NPX07', 'expectations that the policies meet (port and whole-connection forms)', {
    files: {
      'expect.yaml': expect(`- from: shop/web
  to: shop/db
  port: 5432
  allowed: true
- from: shop/web
  to: shop/db
  port: 22
  allowed: false
- from: shop/db
  to: 203.0.113.9
  allowed: true`),
      'policy.yaml': dbPolicy('web'),
      'workloads.yaml': workloads,
    },
    target: 'expect.yaml',
    clean: true,
  }),
  fires('NPX08', 'an expectation naming a workload that is not in the workspace', {
    files: {
      'expect.yaml': expect(`- from: shop/webb
  to: shop/db
  allowed: true`),
      'workloads.yaml': workloads,
    },
    target: 'expect.yaml',
    spans: ['shop/webb'],
    message: ['from: no workload shop/webb in the workspace'],
    related: [
      { file: 'workloads.yaml', startsWith: 'apiVersion: apps/v1', message: ['workload shop/web[Deployment]'] },
      { file: 'workloads.yaml', startsWith: 'apiVersion: apps/v1', message: ['workload shop/db[Deployment]'] },
    ],
  }),
  fires('NPX08', 'malformed entries: allowed not a boolean, a bad port, two addresses', {
    files: {
      'expect.yaml': expect(`- from: shop/web
  to: shop/db
  allowed: yes please
- from: shop/web
  to: shop/db
  port: 70000
  allowed: true
- from: 10.0.0.1
  to: 10.0.0.2
  allowed: false`),
      'workloads.yaml': workloads,
    },
    target: 'expect.yaml',
    spans: ['yes please', '70000', 'from: 10.0.0.1\n    to: 10.0.0.2\n    allowed: false'],
    message: [/must|One end/],
  }),
  silent('NPX08', 'well-formed expectations, kinds written out', {
    files: {
      'expect.yaml': expect(`- from: shop/web[Deployment]
  to: shop/db
  port: 5432/TCP
  allowed: true`),
      'workloads.yaml': workloads,
    },
    target: 'expect.yaml',
    alsoAbsent: ['NPX07'],
  }),
];
