// Helpers for the environment tests: a workspace folder written from inline files, its
// environments found, rendered with the real kubectl (and the stand-in helm of test/fixtures/helm)
// and checked, as the CLI does.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkEnvironments, type EnvironmentsCheck } from '../../../server/src/environments';
import type { CheckContext } from '../../../server/src/environments/check';
import { type Discovery, discoverEnvironments } from '../../../server/src/environments/discover';
import { folderView } from '../../../server/src/environments/listing';
import { RenderService } from '../../../server/src/environments/render';
import type { SourceLookup } from '../../../server/src/environments/source';
import { type ManifestFile, parseFile } from '../../../server/src/model/document';
import { readSettings, type NetpolSettings } from '../../../server/src/settings';
import { readFileSync } from 'node:fs';

export const ROOT = path.resolve(__dirname, '../../..');
export const STAND_IN_HELM = path.join(ROOT, 'test/fixtures/helm/helm');

/** Strips the common indentation of a template literal and a leading newline. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Writes files (relative path -> text) into a new temporary folder. */
export function writeWorkspace(files: Readonly<Record<string, string>>, prefix = 'netpol-env-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Opened {
  readonly dir: string;
  readonly discovery: Discovery;
  readonly service: RenderService;
  readonly ctx: CheckContext;
  readonly settings: NetpolSettings;
  /** The parsed file at a relative path. */
  file(rel: string): ManifestFile;
  uri(rel: string): string;
}

export function openFolder(
  dir: string,
  raw: Record<string, unknown> = {},
  limits: { timeoutMs?: number; maxOutputBytes?: number } = {},
): Opened {
  const settings = readSettings({ render: { helm: STAND_IN_HELM }, ...raw });
  const discovery = discoverEnvironments(folderView(dir), settings.environments);
  const files = new Map<string, ManifestFile>();
  const uri = (rel: string): string => pathToFileURL(path.join(dir, rel)).toString();
  const lookup: SourceLookup = {
    file(rel) {
      if (!files.has(rel)) {
        try {
          files.set(rel, parseFile(uri(rel), readFileSync(path.join(dir, rel), 'utf8')));
        } catch {
          return undefined;
        }
      }
      return files.get(rel);
    },
  };
  const service = new RenderService({
    root: dir,
    commands: settings.render,
    trusted: true,
    defaultNamespace: settings.defaultNamespace,
    ...limits,
  });
  const ctx: CheckContext = { settings, lookup, uriOf: uri, kustomizations: discovery.kustomizations };
  return {
    dir,
    discovery,
    service,
    ctx,
    settings,
    uri,
    file(rel) {
      const f = lookup.file(rel);
      if (!f) throw new Error(`no file ${rel}`);
      return f;
    },
  };
}

export function checkAll(o: Opened, only?: readonly string[]): Promise<EnvironmentsCheck> {
  return checkEnvironments(o.discovery, o.service, o.ctx, only ? new Set(only) : undefined);
}

/** A finding as a line: `file:line rule message` (1-based line). */
export function show(
  f: { uri: string; doc: { positionAt(o: number): { line: number } }; s: number; rule: string; message: string },
  dir: string,
): string {
  const rel = path.relative(dir, new URL(f.uri).pathname);
  return `${rel}:${f.doc.positionAt(f.s).line + 1} ${f.rule} ${f.message}`;
}

/** The repository of the issue: a base without namespaces and two overlays; prod adds a policy and patches a port. */
export const GITOPS: Readonly<Record<string, string>> = {
  'apps/api/base/kustomization.yaml': yaml(`
    resources:
      - deploy.yaml
      - netpol.yaml
  `),
  'apps/api/base/deploy.yaml': yaml(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: web}]}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          containers:
            - name: api
              image: api
              ports: [{containerPort: 8080}, {containerPort: 9090}]
  `),
  'apps/api/base/netpol.yaml': yaml(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: api
    spec:
      podSelector:
        matchLabels:
          app: api
      ingress:
        - from:
            - podSelector:
                matchLabels:
                  app: web
          ports:
            - port: 8080
  `),
  'apps/api/overlays/dev/kustomization.yaml': yaml(`
    namespace: dev
    resources:
      - ../../base
  `),
  'apps/api/overlays/prod/kustomization.yaml': yaml(`
    namespace: prod
    resources:
      - ../../base
      - allow-monitoring.yaml
    patches:
      - target:
          kind: NetworkPolicy
          name: api
        patch: |-
          - op: add
            path: /spec/ingress/0/ports/-
            value: {port: 9090}
  `),
  'apps/api/overlays/prod/allow-monitoring.yaml': yaml(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: allow-monitoring
    spec:
      podSelector: {}
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: monitoring
  `),
};

/** The includeSelectors trap: a base whose labels go into the DNS peer's selector, and two overlays. */
export const TRAP: Readonly<Record<string, string>> = {
  'app/base/kustomization.yaml': yaml(`
    resources: [policy.yaml, deploy.yaml]
    labels:
      - pairs:
          team: shop
        includeSelectors: true
  `),
  'app/base/deploy.yaml': yaml(`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]}
  `),
  'app/base/policy.yaml': yaml(`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: api-egress
    spec:
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
  'app/prod/kustomization.yaml': 'namespace: prod\nresources: [../base]\n',
  'app/dev/kustomization.yaml': 'namespace: dev\nresources: [../base]\n',
};
