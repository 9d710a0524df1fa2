// Cases for messages about documents and objects: missing namespace (NPP34), duplicate policy
// names (NPP35), namespaces without a default deny (NPP36), and the file-level NPX messages.

import { strict as assert } from 'node:assert';
import type { DocFinding } from '../../../../server/src/rules/registry';
import { readSettings } from '../../../../server/src/settings';
import { WorkspaceIndex } from '../../../../server/src/workspace/index';
import { BASE_URI, deployment, docs, fires, namespace, policy, type RuleCase, silent, yaml } from '../helpers';

const denyIngress = `
podSelector: {}
policyTypes: [Ingress]
`;

/** Findings of one file through the workspace index (which handles skipped files). */
function indexFindings(text: string, rawSettings: unknown): DocFinding[] {
  const index = new WorkspaceIndex({ settings: readSettings(rawSettings) });
  const uri = `${BASE_URI}big.yaml`;
  const f = index.setFile(uri, text);
  assert.equal(
    f.skipped !== undefined,
    text.length > Number(index.settings.maxFileSizeMB) * 1024 * 1024,
    'skipped exactly when over the limit',
  );
  return index.findings(f.uri);
}

/** A document whose aliases expand to more nodes than the tree budget allows. */
function aliasBomb(): string {
  const lines = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: bomb',
    '  namespace: shop',
    'spec:',
    '  podSelector: {}',
    '  policyTypes: [Ingress]',
    'x-anchors:',
    '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
  ];
  for (let i = 1; i <= 7; i++) {
    lines.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const pod = (name: string, labels: string): string =>
  yaml(`
  apiVersion: v1
  kind: Pod
  metadata:
    name: ${name}
    namespace: shop
    labels: {${labels}}
    ownerReferences:
      - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true, uid: u-${name}}
  spec:
    containers:
      - {name: web, image: nginx}
`);

export const documentCases: RuleCase[] = [
  fires('NPP34', 'a policy without metadata.namespace', {
    files: policy('deny', denyIngress, { namespace: null }),
    spans: ['name: deny'],
    message: ['No metadata.namespace', 'netpol-lens assumes "default"', 'Set the namespace explicitly'],
    data: { addNamespace: 'default' },
  }),
  fires('NPP34', 'the assumed namespace follows the setting', {
    files: policy('deny', denyIngress, { namespace: null }),
    settings: { defaultNamespace: 'apps' },
    spans: ['name: deny'],
    message: ['netpol-lens assumes "apps"'],
    data: { addNamespace: 'apps' },
  }),
  silent('NPP34', 'an explicit namespace', { files: policy('deny', denyIngress), clean: true }),
  silent('NPP34', 'a kustomization that sets the namespace of the files it lists', {
    files: {
      'base/kustomization.yaml': yaml(`
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: shop
        resources:
          - policy.yaml
      `),
      'base/policy.yaml': policy('deny', denyIngress, { namespace: null }),
    },
    target: 'base/policy.yaml',
    clean: true,
  }),

  fires('NPP35', 'the same policy name in one namespace in two files (the earlier one)', {
    files: { 'a.yaml': policy('deny', denyIngress), 'b.yaml': policy('deny', denyIngress) },
    target: 'a.yaml',
    spans: ['deny'],
    message: [
      'NetworkPolicy shop/deny is defined again later (b.yaml)',
      'the last one silently wins and this policy is lost',
      'Rename one of them',
    ],
    related: [
      {
        file: 'b.yaml',
        startsWith: 'apiVersion: networking.k8s.io/v1',
        message: ['the other NetworkPolicy shop/deny'],
      },
    ],
  }),
  fires('NPP35', 'the later one', {
    files: { 'a.yaml': policy('deny', denyIngress), 'b.yaml': policy('deny', denyIngress) },
    target: 'b.yaml',
    spans: ['deny'],
    message: ['is also defined earlier (a.yaml); this later definition replaces it'],
    related: [{ file: 'a.yaml' }],
  }),
  silent('NPP35', 'the same name in two namespaces', {
    files: { 'a.yaml': policy('deny', denyIngress), 'b.yaml': policy('deny', denyIngress, { namespace: 'dev' }) },
    target: 'a.yaml',
    alsoAbsent: ['NPX06'],
  }),

  fires('NPP36', 'a namespace whose workloads no policy isolates', {
    files: {
      'ns.yaml': namespace('shop'),
      'web.yaml': deployment('web', 'shop', { app: 'web' }),
      'policy.yaml': policy('deny', denyIngress),
    },
    target: 'ns.yaml',
    spans: ['shop'],
    message: [
      'Namespace shop has workloads that no policy isolates for egress (web: they may connect anywhere)',
      'default-deny policy',
    ],
    related: [{ file: 'web.yaml', text: '{app: "web"}', message: ['shop/web[Deployment]: not isolated for egress'] }],
  }),
  silent('NPP36', 'default deny for both directions', {
    files: {
      'ns.yaml': namespace('shop'),
      'web.yaml': deployment('web', 'shop', { app: 'web' }),
      'policy.yaml': policy(
        'deny',
        `
        podSelector: {}
        policyTypes: [Ingress, Egress]
      `,
      ),
    },
    target: 'ns.yaml',
    clean: true,
  }),
  silent('NPP36', 'a namespace without workloads', { files: namespace('shop'), clean: true }),

  fires('NPX01', 'a CiliumNetworkPolicy', {
    files: yaml(`
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata:
        name: l7
        namespace: shop
      spec:
        endpointSelector: {}
    `),
    spans: ['CiliumNetworkPolicy'],
    message: ['is a Cilium policy', 'connectivity results ignore it'],
  }),
  silent('NPX01', 'a Kubernetes NetworkPolicy', { files: policy('deny', denyIngress), clean: true }),
  silent('NPX01', 'an AdminNetworkPolicy and a ClusterNetworkPolicy (analysed, docs/semantics.md D)', {
    files: yaml(`
      apiVersion: policy.networking.k8s.io/v1alpha1
      kind: AdminNetworkPolicy
      metadata:
        name: deny-dev
      spec:
        priority: 10
        subject:
          namespaces: {}
        ingress:
          - action: Deny
            from:
              - namespaces:
                  matchLabels:
                    env: dev
      ---
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata:
        name: base
      spec:
        tier: Baseline
        priority: 10
        subject:
          namespaces: {}
        ingress:
          - action: Accept
            from:
              - namespaces: {}
    `),
  }),

  fires('NPX02', 'an alias bomb is cut at the node budget', {
    files: aliasBomb(),
    spans: ['*a4'],
    message: ['Not fully analysed', 'through aliases', 'may be incomplete'],
  }),
  fires('NPX02', 'a file above netpolLens.maxFileSizeMB is skipped (workspace index)', {
    files: {},
    produce: () => indexFindings(policy('deny', denyIngress).repeat(20), { maxFileSizeMB: 0.001 }),
    spans: [''],
    message: ['does not analyse this file', 'larger than the limit', 'Raise netpolLens.maxFileSizeMB'],
  }),
  silent('NPX02', 'the same file under the limit', {
    files: {},
    produce: () => indexFindings(policy('deny', denyIngress), { maxFileSizeMB: 0.001 }),
    clean: true,
  }),

  fires('NPX03', 'a YAML syntax error in a NetworkPolicy document', {
    files: yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: web
        namespace: shop
      spec:
        podSelector: {matchLabels: {app: web}
        policyTypes: [Ingress]
    `),
    spans: ['policyTypes: [Ingress]'],
    message: ['YAML syntax error: Flow map', 'kubectl cannot apply this document', 'out of the connectivity analysis'],
  }),
  fires('NPX03', 'a JSON policy with a syntax error', {
    files: {
      'p.json':
        '{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web"}, "spec": {"podSelector": {}}\n',
    },
    spans: [
      '{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web"}, "spec": {"podSelector": {}}',
    ],
    message: ['YAML syntax error'],
  }),
  fires('NPX03', 'a YAML syntax error in a ClusterNetworkPolicy document', {
    files: yaml(`
      apiVersion: policy.networking.k8s.io/v1alpha2
      kind: ClusterNetworkPolicy
      metadata:
        name: guard
      spec:
        subject: {namespaces: {}
        tier: Admin
    `),
    spans: ['tier: Admin'],
    message: ['YAML syntax error', 'kubectl cannot apply this document'],
  }),
  silent('NPX03', 'a syntax error in a ConfigMap is left to other YAML tools', {
    files: yaml(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
      data: {a: 1
      b: 2
    `),
    clean: true,
  }),

  fires('NPX04', 'a Helm template of a policy', {
    files: yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: {{ include "app.fullname" . }}
      spec:
        podSelector: {}
    `),
    spans: ['{{ include "app.fullname" . }}'],
    message: ['template expressions', 'helm template'],
  }),
  silent('NPX04', 'a template of another kind', {
    files: yaml(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: {{ .Release.Name }}
    `),
    clean: true,
  }),

  fires('NPX05', 'pods of one ReplicaSet with different labels (first pod in another file)', {
    files: { 'a.yaml': pod('web-1', 'app: web'), 'b.yaml': pod('web-2', 'app: web, canary: "true"') },
    target: 'b.yaml',
    spans: ['labels'],
    message: ['belongs to shop/web-7d9f[ReplicaSet]', 'labels differ from the first pod of that owner (web-1)'],
    related: [
      { file: 'a.yaml', startsWith: 'apiVersion: v1\nkind: Pod', message: ['first pod of shop/web-7d9f[ReplicaSet]'] },
    ],
  }),
  silent('NPX05', 'pods of one ReplicaSet with the same labels', {
    files: { 'a.yaml': pod('web-1', 'app: web'), 'b.yaml': pod('web-2', 'app: web') },
    target: 'b.yaml',
    clean: true,
  }),

  fires('NPX06', 'a Service defined again in another file', {
    files: {
      'a.yaml': docs(
        yaml(`
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 80}]}
      `),
      ),
      'b.yaml': yaml(`
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 8080}]}
      `),
    },
    target: 'a.yaml',
    spans: ['web'],
    message: [
      'Service shop/web is defined again later (b.yaml), which replaces this one',
      'Remove or rename one of them',
    ],
    related: [{ file: 'b.yaml', startsWith: 'apiVersion: v1', message: ['the other Service shop/web'] }],
  }),
  silent('NPX06', 'two Services with different names', {
    files: {
      'a.yaml': yaml(`
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 80}]}
      `),
      'b.yaml': yaml(`
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec: {selector: {app: api}, ports: [{port: 80}]}
      `),
    },
    target: 'a.yaml',
    clean: true,
  }),
];
