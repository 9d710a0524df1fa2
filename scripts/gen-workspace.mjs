#!/usr/bin/env node
// Seeded generator of realistic Kubernetes manifests for the benchmarks (issue 2 item 4, issue 3
// item 8). The same seed and shape always give byte-identical output.
//
//   node scripts/gen-workspace.mjs --preset engine|big|medium|many|large|copies [--seed N] [--single FILE | --dir DIR]
//   node scripts/gen-workspace.mjs --namespaces 50 --workloads 5000 --policies 3000 --services 2500 \
//        (--single FILE | --dir DIR [--files object|namespace|N] [--copies N]) [--seed N]
//
// What it writes: Namespaces with team/env/tier labels (some with an explicit
// kubernetes.io/metadata.name); workloads of every kind (Deployment, StatefulSet, DaemonSet, Job,
// CronJob, ReplicaSet, Pod, including Pods of one ReplicaSet owner) with labels from small
// vocabularies (many share a label set, some are unique) and named container ports; Services whose
// port differs from the targetPort (numeric and named targetPorts); NetworkPolicies using every
// feature: default-deny ingress/egress/all, DNS egress to kube-system kube-dns on UDP/TCP 53,
// pod-only, namespace-only and AND peers, matchExpressions with In/NotIn/Exists/DoesNotExist,
// ipBlock with except, IPv6 blocks, endPort ranges, named ports, several rules/peers/ports, policies
// without policyTypes, and about 1% that the API server would reject. `--copies N` writes the same
// files into N environment folders (dev, qa, staging, prod, then env-5, …): the same objects N times,
// as plain folders (no kustomization), as a monorepo of environments has them.
//
// The module also exports `generate(params)` and `PRESETS` for the benchmark scripts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the output for given parameters changes: the benchmarks regenerate stale data. */
export const GENERATOR_VERSION = 2;

/** Output goes under bench-out/ (gitignored). Paths are relative to the project root. */
export const PRESETS = {
  // issue 2 item 4: the engine benchmark (analysis after parsing, peak RSS)
  // (`count: 'distinct'`: 5,000 distinct workloads; Pods of one owner add manifests, not workloads)
  engine: {
    namespaces: 50,
    workloads: 5000,
    policies: 3000,
    services: 2500,
    dir: 'bench-out/engine',
    files: 'namespace',
    count: 'distinct',
  },
  // issue 2 item 4 / issue 3 item 8: one ~9.6 MB file of 9,060 documents
  big: { namespaces: 60, workloads: 3000, policies: 3000, services: 3000, single: 'bench-out/big.yaml' },
  // issue 3 item 8: one ~1.6 MB file of 1,520 documents
  medium: { namespaces: 20, workloads: 500, policies: 500, services: 500, single: 'bench-out/medium.yaml' },
  // issue 3 item 8: 2,000 small files (one object each)
  many: { namespaces: 20, workloads: 660, policies: 660, services: 660, dir: 'bench-out/many', files: 'object' },
  // issue 10 items 2-3: a 26 MB workspace of 8,000 files (24,400 documents, about 3 per file)
  large: { namespaces: 400, workloads: 8000, policies: 8000, services: 8000, dir: 'bench-out/large', files: 8000 },
  // issue 10 item 3: the same 1,500 documents (one file per namespace) in 4 environment folders
  copies: {
    namespaces: 20,
    workloads: 494,
    policies: 493,
    services: 493,
    dir: 'bench-out/copies',
    files: 'namespace',
    copies: 4,
  },
};

/** The folder names of `copies` environment folders. */
export function copyFolders(copies) {
  const named = ['dev', 'qa', 'staging', 'prod'];
  return Array.from({ length: copies }, (_, i) => (copies <= named.length ? named[i] : `env-${i + 1}`));
}

export const DEFAULT_SEED = 20240601;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ------------------------------------------------------------------------------ randomness

/** mulberry32: a small, fast 32-bit PRNG; deterministic for a seed. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** Picks by weight from [[value, weight], ...]. */
  weighted(pairs) {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let x = this.next() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  /** k distinct elements, in the array's order. */
  sample(arr, k) {
    const idx = arr.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx
      .slice(0, Math.min(k, arr.length))
      .sort((x, y) => x - y)
      .map((i) => arr[i]);
  }
  shuffle(arr) {
    const a = arr.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
  /** Short lowercase suffix, like the ones generated names carry. */
  suffix(n = 5) {
    const chars = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(this.next() * chars.length)];
    return s;
  }
}

/** Splits `total` into parts proportional to `weights` (largest remainder; exact sum). */
function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k][1]]++;
  return out;
}

// ------------------------------------------------------------------------------ YAML emitter

const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
const PLAIN = /^[A-Za-z][A-Za-z0-9_./@-]*(?::[A-Za-z0-9_./@-]+)*$/;
const PLAIN_CIDR = /^[0-9a-fA-F:.]+\/[0-9]+$/;
const PLAIN_QUANTITY = /^[0-9]+(?:m|Ki|Mi|Gi|%)$/;

function scalar(v) {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && v.raw !== undefined) return v.raw; // pre-rendered (for deliberate mistakes)
  const s = String(v);
  if (s !== '' && !RESERVED.test(s) && (PLAIN.test(s) || PLAIN_CIDR.test(s) || PLAIN_QUANTITY.test(s))) return s;
  return JSON.stringify(s);
}

const isCollection = (v) => v !== null && typeof v === 'object' && v.raw === undefined;
const isEmpty = (v) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** Block-style YAML, sequences indented under their key (the usual hand-written style). */
function emit(v, indent, out) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isCollection(item) && !isEmpty(item)) {
        if (Array.isArray(item)) {
          out.push(`${pad}-\n`);
          emit(item, indent + 2, out);
        } else {
          // first entry on the dash line
          const sub = [];
          emit(item, indent + 2, sub);
          sub[0] = `${pad}- ${sub[0].slice(indent + 2)}`;
          for (const s of sub) out.push(s);
        }
      } else out.push(`${pad}- ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}\n`);
    }
    return;
  }
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    if (k.startsWith('#')) {
      out.push(`${pad}# ${val}\n`);
      continue;
    }
    const key = scalar(k);
    if (isCollection(val)) {
      if (isEmpty(val)) out.push(`${pad}${key}: ${Array.isArray(val) ? '[]' : '{}'}\n`);
      else {
        out.push(`${pad}${key}:\n`);
        emit(val, indent + 2, out);
      }
    } else out.push(`${pad}${key}: ${scalar(val)}\n`);
  }
}

export function toYaml(obj) {
  const out = [];
  emit(obj, 0, out);
  return out.join('');
}

// ------------------------------------------------------------------------------ vocabularies

const TEAMS = [
  'payments',
  'checkout',
  'search',
  'identity',
  'catalog',
  'platform',
  'data',
  'ml',
  'growth',
  'billing',
  'media',
  'support',
  'logistics',
  'ads',
];
const ENVS = [
  ['prod', 5],
  ['staging', 3],
  ['dev', 2],
  ['qa', 1],
];
const NS_TIERS = ['frontend', 'backend', 'data', 'shared'];
const VERSIONS = [
  ['v1', 6],
  ['v2', 3],
  ['v3', 1],
  ['canary', 1],
];

// App name -> profile. A profile gives the workload kinds it usually runs as, the tier label and the
// container ports (several port numbers possible for one name, so named ports resolve differently).
const PROFILES = {
  web: {
    kinds: [
      ['Deployment', 8],
      ['ReplicaSet', 1],
      ['Pod', 1],
    ],
    tier: 'frontend',
    ports: [
      ['http', [8080, 3000, 80], 'TCP'],
      ['metrics', [9102], 'TCP'],
    ],
  },
  api: {
    kinds: [
      ['Deployment', 8],
      ['ReplicaSet', 1],
      ['Pod', 1],
    ],
    tier: 'backend',
    ports: [
      ['http', [8080, 8000], 'TCP'],
      ['grpc', [9090, 50051], 'TCP'],
      ['metrics', [9102], 'TCP'],
    ],
  },
  gateway: {
    kinds: [['Deployment', 1]],
    tier: 'frontend',
    ports: [
      ['http', [8080], 'TCP'],
      ['https', [8443], 'TCP'],
      ['admin', [9901], 'TCP'],
    ],
  },
  worker: {
    kinds: [
      ['Deployment', 5],
      ['Job', 2],
      ['CronJob', 3],
      ['Pod', 1],
    ],
    tier: 'backend',
    ports: [['metrics', [9102, 8081], 'TCP']],
  },
  db: {
    kinds: [['StatefulSet', 1]],
    tier: 'data',
    ports: [
      ['postgres', [5432], 'TCP'],
      ['metrics', [9187], 'TCP'],
    ],
  },
  mysql: { kinds: [['StatefulSet', 1]], tier: 'data', ports: [['mysql', [3306], 'TCP']] },
  cache: {
    kinds: [
      ['StatefulSet', 2],
      ['Deployment', 1],
    ],
    tier: 'cache',
    ports: [['redis', [6379], 'TCP']],
  },
  queue: {
    kinds: [['StatefulSet', 1]],
    tier: 'messaging',
    ports: [
      ['amqp', [5672], 'TCP'],
      ['management', [15672], 'TCP'],
    ],
  },
  stream: {
    kinds: [['StatefulSet', 1]],
    tier: 'messaging',
    ports: [
      ['kafka', [9092], 'TCP'],
      ['metrics', [9308], 'TCP'],
    ],
  },
  search: {
    kinds: [['StatefulSet', 1]],
    tier: 'data',
    ports: [
      ['http', [9200], 'TCP'],
      ['transport', [9300], 'TCP'],
    ],
  },
  batch: {
    kinds: [
      ['Job', 1],
      ['CronJob', 2],
    ],
    tier: 'batch',
    ports: [],
  },
  agent: {
    kinds: [['DaemonSet', 1]],
    tier: 'infra',
    ports: [
      ['statsd', [8125], 'UDP'],
      ['metrics', [9102], 'TCP'],
    ],
  },
  sctp: {
    kinds: [['Deployment', 1]],
    tier: 'backend',
    ports: [
      ['sigtran', [2905], 'SCTP'],
      ['metrics', [9102], 'TCP'],
    ],
  },
};

// App names in a namespace, with their profile and popularity (Zipf-like: some apps have many workloads).
const APPS = [
  ['api', 'api'],
  ['web', 'web'],
  ['frontend', 'web'],
  ['backend', 'api'],
  ['worker', 'worker'],
  ['gateway', 'gateway'],
  ['postgres', 'db'],
  ['mysql', 'mysql'],
  ['redis', 'cache'],
  ['rabbitmq', 'queue'],
  ['kafka', 'stream'],
  ['elasticsearch', 'search'],
  ['auth', 'api'],
  ['orders', 'api'],
  ['inventory', 'api'],
  ['notifier', 'worker'],
  ['reporter', 'batch'],
  ['ingest', 'worker'],
  ['scheduler', 'worker'],
  ['graphql', 'api'],
  ['admin', 'web'],
  ['exporter', 'agent'],
  ['cleanup', 'batch'],
  ['recommender', 'api'],
  ['pricing', 'api'],
  ['signaling', 'sctp'],
];

const IMAGES_REGISTRY = 'registry.example.com';

// ------------------------------------------------------------------------------ the model

function nsObject(ns) {
  const meta = { name: ns.name, labels: ns.labels };
  if (ns.annotations) meta.annotations = ns.annotations;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta };
}

function containerPorts(ports) {
  return ports.map((p) => {
    const o = { name: p.name, containerPort: p.port };
    if (p.protocol !== 'TCP' || p.explicitProtocol) o.protocol = p.protocol;
    return o;
  });
}

function podSpec(w, rng) {
  const c = {
    name: w.app,
    image: `${IMAGES_REGISTRY}/${w.team}/${w.app}:${rng.int(1, 4)}.${rng.int(0, 19)}.${rng.int(0, 9)}`,
    imagePullPolicy: 'IfNotPresent',
  };
  if (w.ports.length) c.ports = containerPorts(w.ports);
  c.env = [
    { name: 'LOG_LEVEL', value: rng.pick(['info', 'info', 'debug', 'warn']) },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
  ];
  if (rng.chance(0.5))
    c.env.push({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring.svc:4317' });
  c.resources = {
    requests: { cpu: `${rng.pick([50, 100, 200, 250, 500])}m`, memory: `${rng.pick([64, 128, 256, 512])}Mi` },
    limits: { cpu: `${rng.pick([500, 1000, 2000])}m`, memory: `${rng.pick([256, 512, 1024, 2048])}Mi` },
  };
  c.securityContext = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: rng.chance(0.7),
    capabilities: { drop: ['ALL'] },
  };
  if (rng.chance(0.4)) c.volumeMounts = [{ name: 'config', mountPath: `/etc/${w.app}`, readOnly: true }];
  const http = w.ports.find((p) => p.name === 'http');
  if (http) {
    c.readinessProbe = { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 };
    c.livenessProbe = { httpGet: { path: '/livez', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 20 };
  } else if (w.ports.length && w.ports[0].protocol === 'TCP') {
    c.readinessProbe = { tcpSocket: { port: w.ports[0].name }, periodSeconds: 10 };
  }
  const spec = {};
  if (w.serviceAccount) spec.serviceAccountName = w.serviceAccount;
  if (w.hostNetwork) spec.hostNetwork = true;
  if (w.restartPolicy) spec.restartPolicy = w.restartPolicy;
  spec.containers = [c];
  if (c.volumeMounts) spec.volumes = [{ name: 'config', configMap: { name: `${w.app}-config` } }];
  spec.securityContext = { seccompProfile: { type: 'RuntimeDefault' } };
  if (w.sidecar) {
    spec.containers.push({
      name: 'log-shipper',
      image: `${IMAGES_REGISTRY}/platform/fluent-bit:2.2.${rng.int(0, 3)}`,
      ports: [{ name: 'fb-metrics', containerPort: 2020 }],
      resources: { requests: { cpu: '20m', memory: '32Mi' } },
    });
  }
  return spec;
}

function templateMeta(w) {
  const m = { labels: w.labels };
  if (w.ports.some((p) => p.name === 'metrics'))
    m.annotations = {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(w.ports.find((p) => p.name === 'metrics').port),
    };
  return m;
}

function workloadObjects(w, rng) {
  const meta = { name: w.name, namespace: w.namespace, labels: { app: w.app, team: w.team } };
  if (w.labels['app.kubernetes.io/part-of'])
    meta.labels['app.kubernetes.io/part-of'] = w.labels['app.kubernetes.io/part-of'];
  const selector = { matchLabels: w.selectorLabels };
  const template = { metadata: templateMeta(w), spec: podSpec(w, rng) };
  switch (w.kind) {
    case 'Deployment':
      return [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { ...meta, annotations: { 'deployment.kubernetes.io/revision': String(rng.int(1, 40)) } },
          spec: {
            replicas: rng.pick([1, 2, 3, 3, 5]),
            revisionHistoryLimit: 5,
            selector,
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
            template,
          },
        },
      ];
    case 'StatefulSet':
      return [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: meta,
          spec: {
            serviceName: `${w.name}-headless`,
            replicas: rng.pick([1, 3, 3]),
            selector,
            template,
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: `${rng.pick([10, 20, 50, 100])}Gi` } },
                },
              },
            ],
          },
        },
      ];
    case 'DaemonSet':
      return [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: meta,
          spec: { selector, updateStrategy: { type: 'RollingUpdate' }, template },
        },
      ];
    case 'ReplicaSet':
      return [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: meta,
          spec: { replicas: rng.pick([1, 2, 3]), selector, template },
        },
      ];
    case 'Job':
      template.spec.restartPolicy = 'Never';
      return [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: meta,
          spec: { backoffLimit: 3, ttlSecondsAfterFinished: 3600, template },
        },
      ];
    case 'CronJob':
      template.spec.restartPolicy = 'OnFailure';
      return [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: meta,
          spec: {
            schedule: `${rng.int(0, 59)} ${rng.pick(['*', '*/6', '2', '4'])} * * *`,
            concurrencyPolicy: 'Forbid',
            successfulJobsHistoryLimit: 3,
            jobTemplate: { spec: { backoffLimit: 2, template } },
          },
        },
      ];
    case 'Pod': {
      if (!w.owner)
        return [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
            spec: podSpec(w, rng),
          },
        ];
      // Pods of one ReplicaSet owner (as in a cluster dump): one workload, named after the owner
      const out = [];
      for (let i = 0; i < w.owner.pods; i++) {
        out.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${w.name}-${rng.suffix(5)}`,
            namespace: w.namespace,
            labels: { ...w.labels, 'pod-template-hash': w.owner.hash },
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: w.name,
                uid: uid(rng),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: podSpec(w, rng),
        });
      }
      return out;
    }
    default:
      throw new Error(`unknown kind ${w.kind}`);
  }
}

function uid(rng) {
  const h = () =>
    Math.floor(rng.next() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return `${h()}${h()}-${h()}-${h()}-${h()}-${h()}${h()}${h()}`;
}

// ------------------------------------------------------------------------------ generation

function makeNamespaces(count, rng) {
  const out = [];
  const used = new Set();
  const system = count >= 4;
  if (system) {
    out.push({
      name: 'kube-system',
      system: true,
      labels: { 'kubernetes.io/metadata.name': 'kube-system' },
      weight: 0,
    });
    out.push({
      name: 'ingress-nginx',
      system: true,
      labels: {
        'kubernetes.io/metadata.name': 'ingress-nginx',
        'app.kubernetes.io/name': 'ingress-nginx',
        tier: 'edge',
      },
      weight: 0,
    });
    out.push({
      name: 'monitoring',
      system: true,
      labels: { 'kubernetes.io/metadata.name': 'monitoring', team: 'platform', tier: 'shared' },
      weight: 0,
    });
    for (const n of out) used.add(n.name);
  }
  while (out.length < count) {
    const team = rng.pick(TEAMS);
    const env = rng.weighted(ENVS);
    let name = `${team}-${env}`;
    for (let i = 2; used.has(name); i++) name = `${team}-${env}-${i}`;
    used.add(name);
    const tier = rng.pick(NS_TIERS);
    const labels = {};
    // most namespaces carry the automatic label explicitly (as `kubectl get -o yaml` shows it)
    if (rng.chance(0.7)) labels['kubernetes.io/metadata.name'] = name;
    labels.team = team;
    labels.env = env;
    labels.tier = tier;
    if (rng.chance(0.3)) labels['istio-injection'] = rng.pick(['enabled', 'disabled']);
    const ns = { name, team, env, tier, labels, weight: 0.4 + rng.next() * 1.6 };
    if (rng.chance(0.5))
      ns.annotations = { owner: `${team}@example.com`, 'scheduler.alpha.kubernetes.io/node-selector': `pool=${env}` };
    out.push(ns);
  }
  return out;
}

const SYSTEM_WORKLOADS = {
  'kube-system': [
    {
      kind: 'Deployment',
      name: 'coredns',
      labels: { 'k8s-app': 'kube-dns' },
      app: 'coredns',
      ports: [
        ['dns', 53, 'UDP'],
        ['dns-tcp', 53, 'TCP'],
        ['metrics', 9153, 'TCP'],
      ],
    },
    {
      kind: 'DaemonSet',
      name: 'kube-proxy',
      labels: { 'k8s-app': 'kube-proxy' },
      app: 'kube-proxy',
      ports: [],
      hostNetwork: true,
    },
    {
      kind: 'Deployment',
      name: 'metrics-server',
      labels: { 'k8s-app': 'metrics-server' },
      app: 'metrics-server',
      ports: [['https', 10250, 'TCP']],
    },
  ],
  'ingress-nginx': [
    {
      kind: 'Deployment',
      name: 'ingress-nginx-controller',
      labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
      app: 'ingress-nginx',
      ports: [
        ['http', 80, 'TCP'],
        ['https', 443, 'TCP'],
        ['metrics', 10254, 'TCP'],
      ],
    },
  ],
  monitoring: [
    {
      kind: 'StatefulSet',
      name: 'prometheus',
      labels: { app: 'prometheus', 'app.kubernetes.io/name': 'prometheus' },
      app: 'prometheus',
      ports: [['web', 9090, 'TCP']],
    },
    {
      kind: 'StatefulSet',
      name: 'alertmanager',
      labels: { app: 'alertmanager' },
      app: 'alertmanager',
      ports: [['web', 9093, 'TCP']],
    },
    { kind: 'Deployment', name: 'grafana', labels: { app: 'grafana' }, app: 'grafana', ports: [['http', 3000, 'TCP']] },
    {
      kind: 'DaemonSet',
      name: 'node-exporter',
      labels: { app: 'node-exporter' },
      app: 'node-exporter',
      ports: [['metrics', 9100, 'TCP']],
      hostNetwork: true,
    },
    {
      kind: 'Deployment',
      name: 'otel-collector',
      labels: { app: 'otel-collector' },
      app: 'otel-collector',
      ports: [
        ['otlp-grpc', 4317, 'TCP'],
        ['otlp-http', 4318, 'TCP'],
      ],
    },
  ],
};

function makeWorkloads(namespaces, total, rng, countDistinct = false) {
  const workloads = [];
  const sys = [];
  for (const ns of namespaces) {
    if (!ns.system) continue;
    for (const s of SYSTEM_WORKLOADS[ns.name]) sys.push({ ns, s });
  }
  const sysCount = total >= 100 ? sys.length : 0;
  const teamNs = namespaces.filter((n) => !n.system);
  const quotas = apportion(
    total - sysCount,
    teamNs.map((n) => n.weight),
  );
  for (let i = 0; i < sysCount; i++) {
    const { ns, s } = sys[i];
    workloads.push({
      kind: s.kind,
      name: s.name,
      namespace: ns.name,
      app: s.app,
      team: 'platform',
      labels: { ...s.labels },
      selectorLabels: { ...s.labels },
      ports: s.ports.map(([name, port, protocol]) => ({ name, port, protocol, explicitProtocol: true })),
      hostNetwork: !!s.hostNetwork,
      system: true,
    });
  }
  teamNs.forEach((ns, k) => {
    const quota = quotas[k];
    ns.apps = [];
    if (!quota) return;
    const nApps = Math.max(2, Math.min(APPS.length, Math.round(quota / 4)));
    const apps = rng
      .sample(APPS, nApps)
      .map(([app, profile], i) => ({ app, profile, weight: 1 / (1 + i * 0.35), portChoice: {} }));
    ns.apps = apps;
    const names = new Set();
    // `quota` counts workload manifests (Pods of one owner are several manifests of one workload),
    // or distinct workloads with countDistinct
    for (let i = 0; i < quota; i++) {
      const a = rng.weighted(apps.map((x) => [x, x.weight]));
      const prof = PROFILES[a.profile];
      const kind = rng.weighted(prof.kinds);
      // name: app-variant; mostly readable, unique per namespace
      let name;
      do
        name = `${a.app}-${rng.chance(0.5) ? rng.pick(['main', 'v2', 'internal', 'public', 'blue', 'green', 'replica', 'eu', 'us']) + '-' : ''}${rng.suffix(4)}`;
      while (names.has(name));
      names.add(name);
      const version = rng.weighted(VERSIONS);
      const labels = { app: a.app, tier: prof.tier, team: ns.team, version };
      if (rng.chance(0.25)) labels['app.kubernetes.io/part-of'] = `${ns.team}-platform`;
      // a few unique label sets (instance label), most shared
      if (rng.chance(0.15)) labels['app.kubernetes.io/instance'] = name;
      if (a.profile === 'db' && rng.chance(0.5)) labels.role = rng.pick(['primary', 'replica']);
      // port numbers: usually the app's choice in this namespace, sometimes a different one
      const ports = prof.ports.map(([pname, numbers, protocol]) => {
        if (a.portChoice[pname] === undefined) a.portChoice[pname] = rng.pick(numbers);
        return {
          name: pname,
          port: rng.chance(0.1) ? rng.pick(numbers) : a.portChoice[pname],
          protocol,
          explicitProtocol: rng.chance(0.3),
        };
      });
      const w = {
        kind,
        name,
        namespace: ns.name,
        app: a.app,
        profile: a.profile,
        team: ns.team,
        labels,
        selectorLabels: labels['app.kubernetes.io/instance']
          ? { app: a.app, 'app.kubernetes.io/instance': name }
          : { app: a.app, version },
        ports,
        hostNetwork: a.profile === 'agent' && rng.chance(0.3),
        sidecar: rng.chance(0.15),
        serviceAccount: rng.chance(0.6) ? a.app : undefined,
      };
      if (kind === 'Pod' && rng.chance(0.4) && quota - i >= 2) {
        w.owner = { pods: Math.min(rng.int(2, 3), quota - i), hash: rng.suffix(9) };
        if (!countDistinct) i += w.owner.pods - 1;
      }
      workloads.push(w);
    }
  });
  return workloads;
}

const SERVICE_PORT = { http: 80, https: 443, grpc: 9090, metrics: 9102, web: 9090, admin: 9901 };

function makeServices(workloads, total, rng) {
  const eligible = workloads.filter((w) => w.ports.length && w.kind !== 'Job' && w.kind !== 'CronJob');
  if (!eligible.length || total <= 0) return [];
  const order = rng.shuffle(eligible);
  const services = [];
  const names = new Map();
  for (let i = 0; i < total; i++) {
    const w = order[i % order.length];
    const round = Math.floor(i / order.length);
    let name =
      round === 0
        ? w.name
        : `${w.name}-${['headless', 'internal', 'metrics', 'canary', 'lb'][(round - 1) % 5]}${round > 5 ? `-${round}` : ''}`;
    const used = names.get(w.namespace) ?? new Set();
    names.set(w.namespace, used);
    while (used.has(name)) name = `${name}-${rng.suffix(3)}`;
    used.add(name);
    const ports = w.ports.slice(0, 3).map((p) => {
      const port = SERVICE_PORT[p.name] ?? (rng.chance(0.3) ? p.port + 10000 : p.port);
      const o = { name: p.name, port, targetPort: rng.chance(0.5) ? p.name : p.port };
      if (p.protocol !== 'TCP' || rng.chance(0.4)) o.protocol = p.protocol;
      return o;
    });
    const spec = {};
    if (w.kind === 'StatefulSet' && round === 1) spec.clusterIP = 'None';
    else
      spec.type = rng.weighted([
        ['ClusterIP', 12],
        ['NodePort', 1],
        ['LoadBalancer', 1],
      ]);
    spec.selector = w.selectorLabels;
    spec.ports = ports;
    spec.sessionAffinity = 'None';
    spec.ipFamilyPolicy = 'SingleStack';
    spec.ipFamilies = ['IPv4'];
    spec.internalTrafficPolicy = 'Cluster';
    services.push({
      namespace: w.namespace,
      obj: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name,
          namespace: w.namespace,
          labels: { app: w.app, team: w.team },
          ...(rng.chance(0.5) ? { annotations: { 'service.example.com/owner': `${w.team}@example.com` } } : {}),
        },
        spec,
      },
    });
  }
  return services;
}

// ---- policies

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function portEntry(p, rng, named) {
  const o = {};
  if (p.protocol !== 'TCP' || rng.chance(0.5)) o.protocol = p.protocol;
  o.port = named ? p.name : p.port;
  return o;
}

/** Ports of an app's profile as policy port entries (named or numeric). */
function appPorts(app, rng, { max = 2, skipMetrics = true } = {}) {
  const prof = PROFILES[app.profile];
  let ps = prof.ports.filter(([n]) => !skipMetrics || n !== 'metrics');
  if (!ps.length) ps = prof.ports;
  const named = rng.chance(0.5);
  return ps.slice(0, max).map(([name, , protocol]) => {
    const p = { name, port: app.portChoice[name] ?? prof.ports.find((x) => x[0] === name)[1][0], protocol };
    return portEntry(p, rng, named);
  });
}

function appSelector(app, rng) {
  const r = rng.next();
  if (r < 0.65) return { matchLabels: { app: app.app } };
  if (r < 0.8) return { matchLabels: { app: app.app, version: rng.weighted(VERSIONS) } };
  if (r < 0.9)
    return {
      matchExpressions: [
        { key: 'app', operator: 'In', values: [app.app] },
        { key: 'version', operator: 'NotIn', values: ['canary'] },
      ],
    };
  return { matchLabels: { app: app.app }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] };
}

function nameSel(ns) {
  return { matchLabels: { 'kubernetes.io/metadata.name': ns } };
}

class PolicyFactory {
  constructor(rng, namespaces) {
    this.rng = rng;
    this.namespaces = namespaces;
    this.byTeam = new Map();
    for (const n of namespaces)
      if (!n.system) (this.byTeam.get(n.team) ?? this.byTeam.set(n.team, []).get(n.team)).push(n);
    this.hasSystem = namespaces.some((n) => n.system);
  }

  wrap(ns, name, spec, extraMeta) {
    const metadata = { name, namespace: ns.name };
    metadata.labels = {
      team: ns.team ?? 'platform',
      'app.kubernetes.io/managed-by': this.rng.pick(['helm', 'kustomize', 'argocd']),
    };
    if (this.rng.chance(0.8))
      metadata.annotations = {
        'policy.example.com/ticket': `NET-${this.rng.int(100, 9999)}`,
        'policy.example.com/description': `${name.replace(/-\d+$/, '').replace(/-/g, ' ')} (${ns.name})`,
      };
    if (extraMeta) Object.assign(metadata, extraMeta);
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
  }

  defaultDeny(ns, mode) {
    const rng = this.rng;
    const desc = {
      'policy.example.com/description': `Deny all ${mode === 'all' ? 'traffic' : mode.toLowerCase()} by default; allow rules are added per application.`,
    };
    if (mode === 'all')
      return [
        this.wrap(
          ns,
          'default-deny-all',
          { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
          { annotations: desc },
        ),
      ];
    if (mode === 'split') {
      return [
        this.wrap(ns, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
        this.wrap(ns, 'default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      ];
    }
    if (mode === 'Ingress') {
      // written without policyTypes half of the time (defaults to Ingress)
      return [
        this.wrap(
          ns,
          'default-deny-ingress',
          rng.chance(0.5) ? { podSelector: {} } : { podSelector: {}, policyTypes: ['Ingress'] },
          { annotations: desc },
        ),
      ];
    }
    return [this.wrap(ns, 'default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] }, { annotations: desc })];
  }

  dns(ns) {
    const r = this.rng.next();
    const ports = [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ];
    let to;
    if (r < 0.7)
      to = [{ namespaceSelector: nameSel('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }];
    else if (r < 0.85) to = [{ namespaceSelector: nameSel('kube-system') }];
    else if (r < 0.93) to = [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }];
    else
      return this.wrap(ns, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { namespaceSelector: nameSel('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
            ],
            ports: [{ protocol: 'UDP', port: 53 }],
          },
        ],
      }); // UDP only: a common mistake
    return this.wrap(ns, 'allow-dns-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to, ports }] });
  }

  otherNs(ns) {
    const same = (this.byTeam.get(ns.team) ?? []).filter((n) => n !== ns);
    if (same.length && this.rng.chance(0.6)) return this.rng.pick(same);
    return this.rng.pick(this.namespaces.filter((n) => !n.system && n.apps && n.apps.length));
  }

  /** One application policy; `egressIsolated` says whether the namespace denies egress by default. */
  appPolicy(ns, idx, egressIsolated) {
    const rng = this.rng;
    const apps = ns.apps;
    const dst = rng.pick(apps);
    const kind = rng.weighted([
      ['fromApps', 28],
      ['ingressController', this.hasSystem ? 7 : 0],
      ['monitoring', this.hasSystem ? 7 : 0],
      ['crossNs', 10],
      ['nsOnly', 3],
      ['egressApps', egressIsolated ? 16 : 3],
      ['external', egressIsolated ? 6 : 2],
      ['endPort', 4],
      ['expressions', 5],
      ['noTypesBoth', 4],
      ['multi', 5],
      ['allowAll', 1],
      ['selectsNothing', 1],
    ]);
    const base = `${dst.app}`;
    const n = (s) => `${s}-${idx}`;
    switch (kind) {
      case 'fromApps': {
        const srcs = rng.sample(
          apps.filter((a) => a !== dst),
          rng.int(1, 3),
        );
        if (!srcs.length) srcs.push(dst);
        const spec = { podSelector: appSelector(dst, rng) };
        if (rng.chance(0.6)) spec.policyTypes = ['Ingress'];
        spec.ingress = [
          { from: srcs.map((s) => ({ podSelector: { matchLabels: { app: s.app } } })), ports: appPorts(dst, rng) },
        ];
        if (!spec.ingress[0].ports.length) delete spec.ingress[0].ports;
        return this.wrap(ns, n(`allow-${base}-from-${srcs.map((s) => s.app).join('-')}`.slice(0, 200)), spec);
      }
      case 'ingressController': {
        const ports = appPorts(dst, rng, { max: 1 });
        return this.wrap(ns, n(`allow-ingress-nginx-to-${base}`), {
          podSelector: appSelector(dst, rng),
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: nameSel('ingress-nginx'),
                  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
                },
              ],
              ...(ports.length ? { ports } : {}),
            },
          ],
        });
      }
      case 'monitoring': {
        const sel = rng.chance(0.5)
          ? {}
          : {
              matchExpressions: [
                { key: 'app', operator: 'In', values: rng.sample(apps, rng.int(1, 4)).map((a) => a.app) },
              ],
            };
        return this.wrap(ns, n('allow-prometheus-scrape'), {
          podSelector: sel,
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { team: 'platform', 'kubernetes.io/metadata.name': 'monitoring' } },
                  podSelector: { matchLabels: { app: 'prometheus' } },
                },
              ],
              ports: [{ protocol: 'TCP', port: 'metrics' }],
            },
          ],
        });
      }
      case 'crossNs': {
        const other = this.otherNs(ns);
        const srcApps = rng.sample(other.apps, rng.int(1, 3)).map((a) => a.app);
        const nsSel = rng.chance(0.5) ? { matchLabels: { team: other.team, env: other.env } } : nameSel(other.name);
        const from = [
          {
            namespaceSelector: nsSel,
            podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: srcApps }] },
          },
        ];
        const ports = appPorts(dst, rng);
        return this.wrap(ns, n(`allow-${base}-from-${other.team}`), {
          podSelector: appSelector(dst, rng),
          policyTypes: ['Ingress'],
          ingress: [{ from, ...(ports.length ? { ports } : {}) }],
        });
      }
      case 'nsOnly': {
        const nsSel = {
          matchExpressions: [
            { key: 'team', operator: 'In', values: [ns.team] },
            { key: 'env', operator: 'NotIn', values: ['dev', 'qa'] },
          ],
        };
        const ports = appPorts(dst, rng, { max: 1 });
        return this.wrap(ns, n(`allow-${base}-from-team`), {
          podSelector: appSelector(dst, rng),
          ingress: [{ from: [{ namespaceSelector: nsSel }], ...(ports.length ? { ports } : {}) }],
        });
      }
      case 'egressApps': {
        const src = rng.pick(apps);
        const targets = rng.sample(
          apps.filter((a) => PROFILES[a.profile].ports.length),
          rng.int(1, 2),
        );
        if (!targets.length) return this.appPolicy(ns, idx, false);
        const to = [];
        const ports = [];
        for (const t of targets) {
          const cross = rng.chance(0.25);
          if (cross) {
            const other = this.otherNs(ns);
            to.push({ namespaceSelector: nameSel(other.name), podSelector: { matchLabels: { app: t.app } } });
          } else to.push({ podSelector: { matchLabels: { app: t.app } } });
          ports.push(...appPorts(t, rng, { max: 1 }));
        }
        return this.wrap(ns, n(`allow-${src.app}-egress`), {
          podSelector: { matchLabels: { app: src.app } },
          policyTypes: ['Egress'],
          egress: [{ to, ports }],
        });
      }
      case 'external': {
        const src = rng.pick(apps);
        const egress = [];
        const r = rng.next();
        if (r < 0.5)
          egress.push({
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_V4.slice() } }],
            ports: [{ protocol: 'TCP', port: 443 }],
          });
        else if (r < 0.75)
          egress.push({
            to: [
              { ipBlock: { cidr: `203.0.${rng.int(0, 255)}.0/24` } },
              { ipBlock: { cidr: `198.51.100.${rng.int(0, 15) * 16}/28` } },
            ],
            ports: [
              { protocol: 'TCP', port: 5432 },
              { protocol: 'TCP', port: 8000, endPort: 8100 },
            ],
          });
        else
          egress.push({
            to: [
              { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
              { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
            ],
            ports: [
              { protocol: 'TCP', port: 443 },
              { protocol: 'UDP', port: 443 },
            ],
          });
        if (rng.chance(0.3))
          egress.push({ to: [{ ipBlock: { cidr: `2001:db8:${rng.int(1, 0xfff).toString(16)}::/48` } }] });
        return this.wrap(ns, n(`allow-${src.app}-external`), {
          podSelector: { matchLabels: { app: src.app } },
          policyTypes: ['Egress'],
          egress,
        });
      }
      case 'endPort': {
        const lo = rng.pick([8000, 9000, 30000, 10000]);
        const hi = lo + rng.pick([10, 99, 999, 2767]);
        const ingress = rng.chance(0.5);
        const srcApps = rng.sample(apps, rng.int(1, 2));
        const rule = {
          ports: [
            { protocol: 'TCP', port: lo, endPort: hi },
            { protocol: 'UDP', port: lo, endPort: lo + 9 },
          ],
        };
        if (ingress) rule.from = srcApps.map((a) => ({ podSelector: { matchLabels: { app: a.app } } }));
        else
          rule.to = [
            { namespaceSelector: { matchLabels: { team: ns.team } }, podSelector: { matchLabels: { app: dst.app } } },
          ];
        return this.wrap(
          ns,
          n(`allow-${base}-port-range`),
          ingress
            ? { podSelector: appSelector(dst, rng), policyTypes: ['Ingress'], ingress: [rule] }
            : { podSelector: { matchLabels: { app: srcApps[0].app } }, policyTypes: ['Egress'], egress: [rule] },
        );
      }
      case 'expressions': {
        return this.wrap(ns, n(`allow-${base}-from-tiers`), {
          podSelector: {
            matchExpressions: [
              { key: 'app', operator: 'In', values: [dst.app] },
              { key: 'role', operator: 'DoesNotExist' },
            ],
          },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  podSelector: {
                    matchExpressions: [
                      { key: 'tier', operator: 'In', values: ['frontend', 'backend'] },
                      { key: 'version', operator: 'NotIn', values: ['canary'] },
                      { key: 'app.kubernetes.io/part-of', operator: 'Exists' },
                    ],
                  },
                },
              ],
              ports: appPorts(dst, rng, { max: 2, skipMetrics: false }),
            },
          ],
        });
      }
      case 'noTypesBoth': {
        // no policyTypes, but an egress section: effective types are Ingress and Egress
        const src = rng.pick(apps);
        const t = rng.pick(apps);
        const ports = appPorts(t, rng, { max: 1 });
        return this.wrap(ns, n(`${src.app}-traffic`), {
          podSelector: { matchLabels: { app: src.app } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: rng.pick(apps).app } } }] }],
          egress: [{ to: [{ podSelector: { matchLabels: { app: t.app } } }], ...(ports.length ? { ports } : {}) }],
        });
      }
      case 'multi': {
        const other = this.otherNs(ns);
        const rules = [];
        rules.push({
          from: rng.sample(apps, 2).map((a) => ({ podSelector: { matchLabels: { app: a.app } } })),
          ports: appPorts(dst, rng, { max: 3, skipMetrics: false }),
        });
        const net = rng.int(0, 255);
        rules.push({
          from: [
            { namespaceSelector: nameSel(other.name) },
            { ipBlock: { cidr: `10.${net}.0.0/16`, except: [`10.${net}.${rng.int(0, 255)}.0/24`] } },
          ],
          ports: [{ port: 'metrics' }, { protocol: 'SCTP', port: 2905 }],
        });
        if (rng.chance(0.5))
          rules.push({
            from: [{ ipBlock: { cidr: 'fd00:10::/32', except: ['fd00:10:1::/48'] } }],
            ports: [{ protocol: 'TCP', port: 443 }],
          });
        rules.forEach((r) => {
          if (!r.ports.length) delete r.ports;
        });
        return this.wrap(ns, n(`allow-${base}-multi`), {
          podSelector: appSelector(dst, rng),
          policyTypes: ['Ingress'],
          ingress: rules,
        });
      }
      case 'allowAll':
        return this.wrap(ns, n(`allow-all-to-${base}`), {
          podSelector: { matchLabels: { app: dst.app } },
          policyTypes: ['Ingress'],
          ingress: [{}],
        });
      case 'selectsNothing':
        // a typo in the app label: selects no pod
        return this.wrap(ns, n(`allow-${base}s`), {
          podSelector: { matchLabels: { app: `${dst.app}s` } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: rng.pick(apps).app } } }] }],
        });
      default:
        throw new Error(kind);
    }
  }

  /** A policy the API server would reject (or could not decode). */
  broken(ns, idx) {
    const rng = this.rng;
    const app = rng.pick(ns.apps).app;
    const sel = { matchLabels: { app } };
    const variants = [
      () => ({ podSelector: sel, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 0 }] }] }),
      () => ({
        podSelector: sel,
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: 9000, endPort: 8000 }] }],
      }),
      () => ({ podSelector: sel, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'tcp', port: 8080 }] }] }),
      () => ({
        podSelector: sel,
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }],
      }),
      () => ({ podSelector: sel, policyTypes: ['Ingress'], ingress: [{ from: [{}] }] }),
      () => ({
        podSelector: sel,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' }, podSelector: { matchLabels: { app } } }] }],
      }),
      () => ({ podSelector: sel, policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
      () => ({
        podSelector: { matchExpressions: [{ key: 'app', operator: 'in', values: [app] }] },
        policyTypes: ['Ingress'],
      }),
      () => ({
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
        policyTypes: ['Ingress'],
      }),
      () => ({
        podSelector: sel,
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: 'http', endPort: 8090 }] }],
      }),
      () => ({
        podSelector: sel,
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP', port: { raw: '"8080"' } }] }],
      }),
      () => ({ podSelector: sel, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1' } }] }] }),
    ];
    return this.wrap(ns, `allow-${app}-${idx}`, rng.pick(variants)());
  }
}

function makePolicies(namespaces, workloads, total, rng) {
  const f = new PolicyFactory(rng, namespaces);
  const out = [];
  const teamNs = namespaces.filter((n) => !n.system && n.apps && n.apps.length);
  // system namespaces: a handful of policies when the shape is large enough
  const sysPolicies = [];
  if (f.hasSystem && total >= 50) {
    const ingressNs = namespaces.find((n) => n.name === 'ingress-nginx');
    const mon = namespaces.find((n) => n.name === 'monitoring');
    sysPolicies.push({
      ns: ingressNs,
      obj: f.wrap(ingressNs, 'allow-public-http', {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
            ports: [{ port: 80 }, { port: 443 }, { protocol: 'UDP', port: 443 }],
          },
        ],
      }),
    });
    sysPolicies.push({
      ns: mon,
      obj: f.wrap(mon, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    });
    sysPolicies.push({
      ns: mon,
      obj: f.wrap(mon, 'allow-grafana-from-ingress', {
        podSelector: { matchLabels: { app: 'grafana' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: nameSel('ingress-nginx') }], ports: [{ port: 'http' }] }],
      }),
    });
    sysPolicies.push({
      ns: mon,
      obj: f.wrap(mon, 'allow-otlp-from-cluster', {
        podSelector: { matchLabels: { app: 'otel-collector' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'otlp-grpc' }, { port: 'otlp-http' }] }],
      }),
    });
    sysPolicies.push({
      ns: mon,
      obj: f.wrap(mon, 'allow-alertmanager-from-prometheus', {
        podSelector: { matchLabels: { app: 'alertmanager' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9093 }] }],
      }),
    });
  }
  const budget = total - sysPolicies.length;
  const nsWork = teamNs.map((n) => workloads.filter((w) => w.namespace === n.name).length);
  const quotas = apportion(
    Math.max(0, budget),
    nsWork.map((c) => c + 1),
  );
  const brokenEvery = total >= 20 ? 100 : Infinity;
  let counter = 0;
  const byNs = new Map();
  teamNs.forEach((ns, k) => {
    const list = [];
    const quota = quotas[k];
    const r = rng.next();
    const mode = r < 0.5 ? 'all' : r < 0.6 ? 'split' : r < 0.88 ? 'Ingress' : r < 0.93 ? 'Egress' : 'none';
    const egressIsolated = mode === 'all' || mode === 'split' || mode === 'Egress';
    if (mode !== 'none') list.push(...f.defaultDeny(ns, mode));
    if (egressIsolated || rng.chance(0.2)) list.push(f.dns(ns));
    for (let i = 1; list.length < quota; i++) {
      counter++;
      list.push(counter % brokenEvery === 0 ? f.broken(ns, i) : f.appPolicy(ns, i, egressIsolated));
    }
    byNs.set(ns.name, list.slice(0, quota));
  });
  for (const p of sysPolicies) {
    if (!byNs.has(p.ns.name)) byNs.set(p.ns.name, []);
    byNs.get(p.ns.name).push(p.obj);
  }
  for (const ns of namespaces) for (const obj of byNs.get(ns.name) ?? []) out.push({ namespace: ns.name, obj });
  return out;
}

// ------------------------------------------------------------------------------ top level

/**
 * Generates the objects for a shape. Returns objects in namespace order, each with its namespace and
 * a file-friendly name; `text` is its YAML (no leading `---`).
 */
export function generate({
  namespaces: nsCount,
  workloads: wlCount,
  policies: polCount,
  services: svcCount,
  seed = DEFAULT_SEED,
  count,
}) {
  const rng = new Rng(seed);
  const namespaces = makeNamespaces(Math.max(1, nsCount), rng);
  const workloads = makeWorkloads(namespaces, wlCount, rng, count === 'distinct');
  const services = makeServices(workloads, svcCount, rng);
  const policies = makePolicies(namespaces, workloads, polCount, rng);
  const items = [];
  const perNs = new Map(namespaces.map((n) => [n.name, []]));
  for (const w of workloads) {
    const objs = workloadObjects(w, rng);
    for (const o of objs) perNs.get(w.namespace).push({ kind: o.kind, name: o.metadata.name, obj: o });
  }
  for (const s of services) perNs.get(s.namespace).push({ kind: 'Service', name: s.obj.metadata.name, obj: s.obj });
  for (const p of policies)
    perNs.get(p.namespace).push({ kind: 'NetworkPolicy', name: p.obj.metadata.name, obj: p.obj });
  for (const ns of namespaces) {
    items.push({ namespace: ns.name, kind: 'Namespace', name: ns.name, text: toYaml(nsObject(ns)) });
    for (const it of perNs.get(ns.name)) {
      let text = toYaml(it.obj);
      if (it.kind === 'NetworkPolicy' && rng.chance(0.1))
        text = `# owner: ${ns.team ?? 'platform'}; reviewed ${2023 + rng.int(0, 2)}-${String(rng.int(1, 12)).padStart(2, '0')}\n${text}`;
      items.push({ namespace: ns.name, kind: it.kind, name: it.name, text });
    }
  }
  const counts = {
    namespaces: namespaces.length,
    workloads: workloads.reduce((n, w) => n + (w.owner ? w.owner.pods : 1), 0), // manifests
    distinctWorkloads: workloads.length, // Pods of one owner merged
    services: services.length,
    policies: policies.length,
    documents: items.length,
  };
  return { items, counts };
}

/** What a generated output was made from: written beside it, checked by the benchmarks. */
export function signature(params) {
  const { namespaces, workloads, policies, services, seed = DEFAULT_SEED, files, count, copies } = params;
  return JSON.stringify({
    generator: GENERATOR_VERSION,
    namespaces,
    workloads,
    policies,
    services,
    seed,
    files: files ?? null,
    count: count ?? 'manifests',
    ...(copies > 1 ? { copies } : {}),
  });
}

const MARKER = '.gen-workspace';

/** The signature recorded with an output (single file: its first line; directory: the marker file). */
export function readSignature(target) {
  try {
    const st = fs.statSync(target);
    if (st.isDirectory()) return fs.readFileSync(path.join(target, MARKER), 'utf8').trim();
    const fd = fs.openSync(target, 'r');
    const buf = Buffer.alloc(512);
    const n = fs.readSync(fd, buf, 0, 512, 0);
    fs.closeSync(fd);
    const line = buf.subarray(0, n).toString('utf8').split('\n')[0];
    const m = /^# gen-workspace (\{.*\})$/.exec(line);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

/** Writes a generated workspace. Returns a summary. */
export function writeWorkspace(params) {
  const { items, counts } = generate(params);
  const sig = signature(params);
  if (params.single) {
    const file = params.single;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const parts = [`# gen-workspace ${sig}\n`];
    items.forEach((it, i) => parts.push(i === 0 ? `---\n${it.text}` : `---\n${it.text}`));
    const text = parts.join('');
    fs.writeFileSync(file, text);
    return { ...counts, files: 1, bytes: Buffer.byteLength(text), target: file };
  }
  const dir = params.dir;
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length && !entries.includes(MARKER))
      throw new Error(`${dir} exists and was not made by gen-workspace; refusing to overwrite it`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  const mode = params.files ?? 'object';
  const groups = new Map(); // relative path -> texts
  const add = (rel, text) => {
    let g = groups.get(rel);
    if (!g) groups.set(rel, (g = []));
    g.push(text);
  };
  if (mode === 'object') {
    const seen = new Set();
    for (const it of items) {
      let rel = `${it.namespace}/${it.kind.toLowerCase()}-${slug(it.name)}.yaml`;
      for (let i = 2; seen.has(rel); i++) rel = `${it.namespace}/${it.kind.toLowerCase()}-${slug(it.name)}-${i}.yaml`;
      seen.add(rel);
      add(rel, it.text);
    }
  } else if (mode === 'namespace') {
    for (const it of items) add(`${it.namespace}.yaml`, it.text);
  } else {
    const n = Math.max(1, Math.min(Number(mode), items.length));
    const width = String(n).length;
    items.forEach((it, i) =>
      add(`part-${String(Math.floor((i * n) / items.length) + 1).padStart(width, '0')}.yaml`, it.text),
    );
  }
  let bytes = 0;
  const copies = params.copies > 1 ? copyFolders(params.copies) : [''];
  for (const [rel, texts] of groups) {
    const text = texts.length === 1 ? texts[0] : texts.map((t) => `---\n${t}`).join('');
    for (const folder of copies) {
      const p = path.join(dir, folder, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      bytes += Buffer.byteLength(text);
      fs.writeFileSync(p, text);
    }
  }
  fs.writeFileSync(path.join(dir, MARKER), `${sig}\n`);
  return { ...counts, files: groups.size * copies.length, bytes, target: dir };
}

/** Parameters of a preset, with its output path resolved against the project root. */
export function presetParams(name, seed = DEFAULT_SEED) {
  const p = PRESETS[name];
  if (!p) return undefined;
  const out = { ...p, seed };
  if (p.single) out.single = path.join(ROOT, p.single);
  if (p.dir) out.dir = path.join(ROOT, p.dir);
  return out;
}

/** True when `params`' output exists and was generated from the same parameters. */
export function isFresh(params) {
  return readSignature(params.single ?? params.dir) === signature(params);
}

// ------------------------------------------------------------------------------ command line

const USAGE = `usage: node scripts/gen-workspace.mjs [--preset ${Object.keys(PRESETS).join('|')}]
         [--namespaces N] [--workloads N] [--policies N] [--services N] [--seed N]
         [--single FILE | --dir DIR [--files object|namespace|N] [--copies N]] [--quiet]

Presets (output under bench-out/ unless --single/--dir is given):
${Object.entries(PRESETS)
  .map(
    ([k, v]) =>
      `  ${k.padEnd(7)} ${v.namespaces} namespaces, ${v.workloads} workloads, ${v.services} services, ${v.policies} policies -> ${v.single ?? `${v.dir}/ (${/^\d+$/.test(String(v.files)) ? `${v.files} files` : `one file per ${v.files}`}${v.copies ? `, in ${v.copies} environment folders` : ''})`}`,
  )
  .join('\n')}
`;

function parseCli(argv) {
  const o = {};
  const num = (flag, v) => {
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--preset':
        o.preset = val();
        break;
      case '--namespaces':
        o.namespaces = num(flag, val());
        break;
      case '--workloads':
        o.workloads = num(flag, val());
        break;
      case '--policies':
        o.policies = num(flag, val());
        break;
      case '--services':
        o.services = num(flag, val());
        break;
      case '--seed':
        o.seed = num(flag, val());
        break;
      case '--single':
        o.single = val();
        break;
      case '--dir':
        o.dir = val();
        break;
      case '--files':
        o.files = val();
        break;
      case '--copies':
        o.copies = num(flag, val());
        break;
      case '--quiet':
      case '-q':
        o.quiet = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return o;
}

function main(argv) {
  let o;
  try {
    o = parseCli(argv);
  } catch (e) {
    process.stderr.write(`gen-workspace: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let params;
  if (o.preset) {
    params = presetParams(o.preset, o.seed ?? DEFAULT_SEED);
    if (!params) {
      process.stderr.write(
        `gen-workspace: unknown preset "${o.preset}" (presets: ${Object.keys(PRESETS).join(', ')})\n`,
      );
      return 2;
    }
    if (o.single || o.dir) {
      delete params.single;
      delete params.dir;
    }
  } else {
    params = { namespaces: 10, workloads: 100, policies: 60, services: 50, seed: DEFAULT_SEED };
  }
  for (const k of ['namespaces', 'workloads', 'policies', 'services', 'seed', 'files', 'copies'])
    if (o[k] !== undefined) params[k] = o[k];
  if (o.single) params.single = o.single;
  if (o.dir) params.dir = o.dir;
  if (o.single && o.dir) {
    process.stderr.write('gen-workspace: give either --single FILE or --dir DIR, not both\n');
    return 2;
  }
  if (!params.single && !params.dir) {
    process.stderr.write(`gen-workspace: give --single FILE, --dir DIR or --preset\n${USAGE}`);
    return 2;
  }
  if (params.single && params.copies > 1) {
    process.stderr.write('gen-workspace: --copies needs --dir DIR\n');
    return 2;
  }
  if (params.single) delete params.files;
  else if (
    params.files !== undefined &&
    !['object', 'namespace'].includes(params.files) &&
    !/^[1-9]\d*$/.test(String(params.files))
  ) {
    process.stderr.write('gen-workspace: --files takes object, namespace or a positive number\n');
    return 2;
  }
  try {
    const t0 = performance.now();
    const r = writeWorkspace(params);
    if (!o.quiet) {
      process.stderr.write(
        `gen-workspace: ${r.target}: ${r.documents} documents (${r.namespaces} namespaces, ${r.workloads} workloads, ${r.services} services, ${r.policies} policies) in ${r.files} file(s), ${(r.bytes / 1e6).toFixed(2)} MB, seed ${params.seed}, ${Math.round(performance.now() - t0)} ms\n`,
      );
    }
  } catch (e) {
    process.stderr.write(`gen-workspace: ${e.message}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
