// The settings the analysis reads, with their defaults. The client sends the `netpolLens`
// section; the CLI reads the same keys from a `.netpol-lens.json` / `.netpol-lens.yaml` file.
// package.json's `contributes.configuration` must list the same keys (a unit test checks it).

export type RuleLevel = 'off' | 'error' | 'warning' | 'info' | 'hint';

export interface DnsSettings {
  /** Namespace where the cluster DNS pods run. */
  readonly namespace: string;
  /** Labels of the DNS pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Port the DNS pods listen on (UDP and TCP). */
  readonly port: number;
}

/** One `netpolLens.environments` entry: adds, names, excludes or tunes an environment (docs/environments.md). */
export interface EnvironmentSetting {
  /** An environment's name, or the folder of a kustomization or chart, relative to the workspace folder. */
  readonly path: string;
  readonly name?: string;
  /** Not rendered: its files are analysed as plain manifests. */
  readonly exclude?: boolean;
  /** Helm: values files (relative to the chart folder), in order. */
  readonly valuesFiles?: readonly string[];
  readonly releaseName?: string;
  readonly namespace?: string;
  /** Extra arguments for kubectl kustomize / kustomize build or helm template. */
  readonly flags?: readonly string[];
}

export interface NetpolSettings {
  /** Namespace of objects that name none. */
  readonly defaultNamespace: string;
  readonly dns: DnsSettings;
  /** Cluster pod CIDRs (docs/semantics.md C.21: ipBlocks should not cover pods). */
  readonly podCidrs: readonly string[];
  /** Cluster Service CIDRs (docs/semantics.md C.21). */
  readonly serviceCidrs: readonly string[];
  /** The cluster is dual-stack (docs/semantics.md C.23: a rule's ipBlocks should cover both families). */
  readonly dualStack: boolean;
  /** Per-rule severity overrides by rule id, e.g. { "NPP37": "off" }. */
  readonly rules: Readonly<Record<string, RuleLevel>>;
  /** Glob patterns of files not to index (in addition to files.exclude). */
  readonly exclude: readonly string[];
  /** Files larger than this many megabytes are skipped. */
  readonly maxFileSizeMB: number;
  /** Which inlay hints the editor shows. */
  readonly inlayHints: {
    /** The defaulted policyTypes after `spec:` of a policy that does not write them. */
    readonly policyTypes: boolean;
    /** The numbers a named port resolves to on the rule's destinations. */
    readonly namedPorts: boolean;
  };
  /** Environments added, named, excluded or tuned (docs/environments.md). */
  readonly environments: readonly EnvironmentSetting[];
  /** The programs that render environments. */
  readonly render: {
    readonly kubectl: string;
    /** Empty: `kubectl kustomize`. */
    readonly kustomize: string;
    readonly helm: string;
  };
}

export const DEFAULT_SETTINGS: NetpolSettings = {
  defaultNamespace: 'default',
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, port: 53 },
  podCidrs: [],
  serviceCidrs: [],
  dualStack: false,
  rules: {},
  exclude: [],
  maxFileSizeMB: 32,
  inlayHints: { policyTypes: true, namedPorts: true },
  environments: [],
  render: { kubectl: 'kubectl', kustomize: '', helm: 'helm' },
};

/** The largest netpolLens.maxFileSizeMB accepted (package.json declares the same maximum). */
export const MAX_FILE_SIZE_MB = 512;

const LEVELS: readonly string[] = ['off', 'error', 'warning', 'info', 'hint'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function strings(x: unknown, fallback: readonly string[]): readonly string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : fallback;
}

function environmentSettings(x: unknown): EnvironmentSetting[] {
  if (!Array.isArray(x)) return [];
  const out: EnvironmentSetting[] = [];
  for (const e of x) {
    if (!isRecord(e) || typeof e.path !== 'string' || !e.path.trim()) continue;
    const text = (k: string): string | undefined => (typeof e[k] === 'string' && e[k] ? (e[k] as string) : undefined);
    out.push({
      path: e.path,
      ...(text('name') !== undefined ? { name: text('name') } : {}),
      ...(typeof e.exclude === 'boolean' ? { exclude: e.exclude } : {}),
      ...(Array.isArray(e.valuesFiles) ? { valuesFiles: strings(e.valuesFiles, []) } : {}),
      ...(text('releaseName') !== undefined ? { releaseName: text('releaseName') } : {}),
      ...(text('namespace') !== undefined ? { namespace: text('namespace') } : {}),
      ...(Array.isArray(e.flags) ? { flags: strings(e.flags, []) } : {}),
    });
  }
  return out;
}

/** Reads settings from untrusted input (client configuration or a config file), key by key. */
export function readSettings(raw: unknown): NetpolSettings {
  const r = isRecord(raw) ? raw : {};
  const d = DEFAULT_SETTINGS;
  const dnsRaw = isRecord(r.dns) ? r.dns : {};
  const hints = isRecord(r.inlayHints) ? r.inlayHints : {};
  const render = isRecord(r.render) ? r.render : {};
  const command = (k: 'kubectl' | 'kustomize' | 'helm'): string =>
    typeof render[k] === 'string' ? (render[k] as string).trim() || d.render[k] : d.render[k];
  const labels: Record<string, string> = {};
  if (isRecord(dnsRaw.podLabels)) {
    for (const [k, v] of Object.entries(dnsRaw.podLabels)) if (typeof v === 'string') labels[k] = v;
  }
  const rules: Record<string, RuleLevel> = {};
  if (isRecord(r.rules)) {
    for (const [k, v] of Object.entries(r.rules)) {
      if (typeof v === 'string' && LEVELS.includes(v)) rules[k.toUpperCase()] = v as RuleLevel;
    }
  }
  const port =
    typeof dnsRaw.port === 'number' && Number.isInteger(dnsRaw.port) && dnsRaw.port >= 1 && dnsRaw.port <= 65535
      ? dnsRaw.port
      : d.dns.port;
  return {
    defaultNamespace:
      typeof r.defaultNamespace === 'string' && r.defaultNamespace ? r.defaultNamespace : d.defaultNamespace,
    dns: {
      namespace: typeof dnsRaw.namespace === 'string' && dnsRaw.namespace ? dnsRaw.namespace : d.dns.namespace,
      podLabels: Object.keys(labels).length ? labels : d.dns.podLabels,
      port,
    },
    podCidrs: strings(r.podCidrs, d.podCidrs),
    serviceCidrs: strings(r.serviceCidrs, d.serviceCidrs),
    dualStack: typeof r.dualStack === 'boolean' ? r.dualStack : d.dualStack,
    rules,
    exclude: strings(r.exclude, d.exclude),
    // the limits of package.json (1 to 512 MB): a workspace setting must not make the server read a huge file
    maxFileSizeMB:
      typeof r.maxFileSizeMB === 'number' && r.maxFileSizeMB > 0 && r.maxFileSizeMB <= MAX_FILE_SIZE_MB
        ? r.maxFileSizeMB
        : d.maxFileSizeMB,
    inlayHints: {
      policyTypes: typeof hints.policyTypes === 'boolean' ? hints.policyTypes : d.inlayHints.policyTypes,
      namedPorts: typeof hints.namedPorts === 'boolean' ? hints.namedPorts : d.inlayHints.namedPorts,
    },
    environments: environmentSettings(r.environments),
    render: { kubectl: command('kubectl'), kustomize: command('kustomize'), helm: command('helm') },
  };
}
