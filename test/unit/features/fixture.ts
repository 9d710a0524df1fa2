// A small workspace for feature tests: namespaces, workloads of several kinds (with named ports,
// a hostNetwork DaemonSet, a CronJob) and a Service. Policies come from each test.

export const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: storefront
    env: prod
---
apiVersion: v1
kind: Namespace
metadata:
  name: pay
  labels:
    team: payments
    env: prod
`;

export const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
        - name: web
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: api
        tier: back
    spec:
      containers:
        - name: api
          ports:
            - name: http
              containerPort: 8081
            - name: grpc
              containerPort: 7070
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: db
        tier: back
    spec:
      containers:
        - name: pg
          ports:
            - name: pg
              containerPort: 5432
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: pay
spec:
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
        - name: ledger
          ports:
            - name: http
              containerPort: 8443
            - name: syslog
              containerPort: 514
              protocol: UDP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      containers:
        - name: coredns
          ports:
            - name: dns
              containerPort: 53
              protocol: UDP
            - name: dns-tcp
              containerPort: 53
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
  namespace: shop
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app: cleanup
        spec:
          containers:
            - name: c
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: agent
    spec:
      hostNetwork: true
      containers:
        - name: a
`;

/** The fixture files plus extra files (one of them usually holds the cursor marker). */
export function files(extra: Record<string, string>): Record<string, string> {
  return { 'ns.yaml': NAMESPACES, 'workloads.yaml': WORKLOADS, ...extra };
}

/** A NetworkPolicy document in namespace shop with the given spec lines (2-space indented). */
export function policy(name: string, spec: string, ns = 'shop'): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${spec}`;
}
