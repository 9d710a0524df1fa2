// Manifests for the diagram tests (unit and browser): a small shop with peers of every kind, a
// hostile one, and a large generated namespace. Built through the real engine.

import { computeConnectivity, type Connectivity } from '../../server/src/analysis/connectivity';
import type { World } from '../../server/src/analysis/world';
import type { ManifestFile } from '../../server/src/model/document';
import { buildWorkspace } from '../support/workspace';

export interface TestWorld {
  readonly files: readonly ManifestFile[];
  readonly world: World;
  readonly conn: Connectivity;
}

export function worldOf(files: Record<string, string>): TestWorld {
  const { files: parsed, world } = buildWorkspace(files, { root: 'file:///fixtures/' });
  return { files: parsed, world, conn: computeConnectivity(world) };
}

const deploy = (
  ns: string,
  name: string,
  labels: Record<string, string>,
  ports: Array<[string, number]> = [],
): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify(name)}
  namespace: ${ns}
spec:
  template:
    metadata:
      labels:
${Object.entries(labels)
  .map(([k, v]) => `        ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
  .join('\n')}
    spec:
      containers:
        - name: main
          image: example
${ports.length ? `          ports:\n${ports.map(([n, p]) => `            - name: ${n}\n              containerPort: ${p}`).join('\n')}` : ''}
`;

/** The shop: namespaces shop (drawn), payments, monitoring, ingress-nginx, kube-system, legacy. */
export const SHOP = {
  'namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: web
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    team: money
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
---
apiVersion: v1
kind: Namespace
metadata:
  name: ingress-nginx
  labels:
    role: edge
`,
  'shop.yaml': [
    deploy('shop', 'frontend', { app: 'frontend', tier: 'web' }, [['http', 8080]]),
    deploy('shop', 'cart', { app: 'cart' }, [['http', 8080]]),
    deploy('shop', 'checkout', { app: 'checkout' }),
    deploy('shop', 'db', { app: 'db' }),
    deploy('shop', 'worker-a', { app: 'worker', shard: 'a' }),
    deploy('shop', 'worker-b', { app: 'worker', shard: 'b' }),
    deploy('shop', 'worker-c', { app: 'worker', shard: 'c' }),
  ].join('---\n'),
  'peers.yaml': [
    deploy('payments', 'api', { app: 'payments-api' }),
    deploy('payments', 'ledger', { app: 'ledger' }),
    deploy('monitoring', 'prometheus', { app: 'prometheus' }),
    deploy('monitoring', 'grafana', { app: 'grafana' }),
    deploy('ingress-nginx', 'controller', { app: 'ingress-nginx' }),
    deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }),
    deploy('legacy', 'old-app', { app: 'old' }),
  ].join('---\n'),
  'policies.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: dns
  namespace: shop
spec:
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
      ports:
        - port: 53
          protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: metrics
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
      ports:
        - port: 9090
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: frontend
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - port: 8080
    - from:
        - namespaceSelector:
            matchLabels:
              role: edge
      ports:
        - port: 8443
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: cart
        - podSelector:
            matchLabels:
              app: checkout
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cart
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: cart
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontend
      ports:
        - port: http
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: db
      ports:
        - port: 5432
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: checkout
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: checkout
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontend
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              team: money
          podSelector:
            matchLabels:
              app: payments-api
      ports:
        - port: 443
    - to:
        - podSelector:
            matchLabels:
              app: db
      ports:
        - port: 5432
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: cart
        - podSelector:
            matchLabels:
              app: checkout
      ports:
        - port: 5432
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: workers
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: worker
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: [10.0.0.0/8]
      ports:
        - port: 443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: payments-api
  namespace: payments
spec:
  podSelector:
    matchLabels:
      app: payments-api
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: web
`,
};

/** Strings that must show as text: HTML, Mermaid syntax, directives, entities. */
export const HOSTILE_NAME = '"><img src=x onerror="window.__pwned=1">';
export const HOSTILE_LABEL = '<script>window.__pwned=2</script>';
export const MERMAID_NAME =
  'a"]-->B[x end; click a call alert() %%{init: {"securityLevel":"loose"}}%% #quot; `md` <b>bold</b> &amp; |pipe|';

export const HOSTILE_NS = '%%{init: {"theme":"forest"}}%% <img src=x onerror="window.__pwned=4">';

export const HOSTILE = {
  'hostile.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify(HOSTILE_NAME)}
  namespace: evil
spec:
  template:
    metadata:
      labels:
        app: ${JSON.stringify(HOSTILE_LABEL)}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify(MERMAID_NAME)}
  namespace: evil
spec:
  template:
    metadata:
      labels:
        app: ${JSON.stringify('x\nsubgraph y\nend')}
        "style": "fill:#f00;"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: end
  namespace: evil
spec:
  template:
    metadata:
      labels:
        app: plain
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify('peer <img src=x onerror="window.__pwned=5">')}
  namespace: ${JSON.stringify(HOSTILE_NS)}
spec:
  template:
    metadata:
      labels:
        role: peer
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: evil-ingress
  namespace: evil
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              role: peer
      ports:
        - port: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: plain-ingress
  namespace: evil
spec:
  podSelector:
    matchLabels:
      app: plain
  ingress:
    - from:
        - podSelector: {}
`,
  'evil-ns.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: evil
  labels:
    ${JSON.stringify('"><svg onload=alert(1)>')}: ${JSON.stringify('`x` <b>y</b>')}
`,
};

/**
 * A realistic large namespace: 200 workloads with distinct labels (nothing merges) in tiers
 * (20 gateways, 60 APIs, 80 services, 30 stores, 10 jobs) and exactly 300 arrows between tiers,
 * each allowed by the source's egress and the destination's ingress policy.
 */
export function tieredNamespace(): Record<string, string> {
  const tiers: Array<[string, number]> = [
    ['gw', 20],
    ['api', 60],
    ['svc', 80],
    ['store', 30],
    ['job', 10],
  ];
  const names: string[][] = tiers.map(([t, n]) => Array.from({ length: n }, (_, i) => `${t}-${i}`));
  const [gw, api, svc, store, job] = names;
  const edges: Array<[string, string]> = [];
  gw.forEach((g, i) => {
    edges.push([g, api[(i * 3) % 60]], [g, api[(i * 3 + 1) % 60]], [g, api[(i * 3 + 2) % 60]]);
  }); // 60
  api.forEach((a, i) => {
    edges.push([a, svc[i % 80]], [a, svc[(i + 23) % 80]]);
  }); // 120
  svc.forEach((v, i) => {
    edges.push([v, store[i % 30]]);
  }); // 80
  job.forEach((j, i) => {
    edges.push([j, store[(i * 3) % 30]], [j, svc[(i * 7) % 80]], [j, api[(i * 5) % 60]], [j, store[(i * 3 + 1) % 30]]);
  }); // 40
  return policyWorld('big', names.flat(), edges);
}

function policyWorld(
  ns: string,
  names: readonly string[],
  edges: ReadonlyArray<readonly [string, string]>,
): Record<string, string> {
  const ins = new Map<string, string[]>();
  const outs = new Map<string, string[]>();
  for (const [a, b] of edges) {
    (outs.get(a) ?? outs.set(a, []).get(a)!).push(b);
    (ins.get(b) ?? ins.set(b, []).get(b)!).push(a);
  }
  const peer = (j: string): string => `        - podSelector:\n            matchLabels:\n              app: ${j}`;
  const docs: string[] = [];
  names.forEach((name, i) => {
    docs.push(deploy(ns, name, { app: name }));
    const from = ins.get(name) ?? [];
    const to = outs.get(name) ?? [];
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  policyTypes: [Ingress, Egress]
${from.length ? `  ingress:\n    - from:\n${from.map(peer).join('\n')}\n      ports:\n        - port: ${8000 + (i % 50)}\n` : ''}${to.length ? `  egress:\n    - to:\n${to.map(peer).join('\n')}\n` : ''}`);
  });
  return { [`${ns}.yaml`]: docs.join('---\n') };
}

/**
 * The worst case for a layered layout: a ring of `n` workloads (n ranks deep), 300 arrows when
 * n = 200:
 * i -> i+1 for every i, and i -> i+7 for even i.
 */
export function largeNamespace(n = 200): Record<string, string> {
  const edges: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) {
    edges.push([`svc-${i}`, `svc-${(i + 1) % n}`]);
    if (i % 2 === 0) edges.push([`svc-${i}`, `svc-${(i + 7) % n}`]);
  }
  return policyWorld(
    'big',
    Array.from({ length: n }, (_, i) => `svc-${i}`),
    edges,
  );
}
