// Environments benchmark (issue 8 item 7): a generated repository with one base of 200 objects
// (70 Deployments, 30 Services, 100 NetworkPolicies, no namespaces) and 3 overlays (a namespace,
// a patch each), rendered with the real `kubectl kustomize`. Measures discovery, the first render
// and check of every environment, a second check with nothing changed (served from the cache), a
// check after an edit of a base file (every overlay renders again) and after an edit of one
// overlay's file (that overlay only), and the CLI's wall time. Then the same in the editor: the
// built language server (dist/server.js) over stdio on the same repository: the start-up (index,
// every render, every check), the edited base file's own diagnostics after an unsaved edit (no
// render), a save of the base file (the 3 overlays render and are checked again in the background)
// and a change to one overlay's file on disk (that overlay only). Prints figures for
// docs/performance.md; asserts nothing.
//
//   node --import tsx scripts/bench-environments.ts [--overlays 3] [--objects 200] [--runs 3]

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkEnvironments } from '../server/src/environments';
import type { CheckContext } from '../server/src/environments/check';
import { discoverEnvironments } from '../server/src/environments/discover';
import { folderView } from '../server/src/environments/listing';
import { RenderService } from '../server/src/environments/render';
import { type ManifestFile, parseFile } from '../server/src/model/document';
import { readSettings } from '../server/src/settings';
import { LspClient } from '../test/support/lspClient';

const root = path.resolve(__dirname, '..');
const arg = (name: string, d: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const OVERLAYS = arg('overlays', 3);
const OBJECTS = arg('objects', 200);
const RUNS = arg('runs', 3);

function generate(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const deployments = Math.round(OBJECTS * 0.35);
  const services = Math.round(OBJECTS * 0.15);
  const policies = OBJECTS - deployments - services;
  const files: string[] = [];
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const app = (i: number): string => `svc-${i % deployments}`;
  for (let f = 0; f < 10; f++) {
    const docs: string[] = [];
    for (let i = f; i < deployments; i += 10) {
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app(i)}\nspec:\n  selector: {matchLabels: {app: ${app(i)}}}\n  template:\n    metadata: {labels: {app: ${app(i)}, tier: t${i % 4}}}\n    spec:\n      containers:\n        - name: c\n          image: example/${app(i)}\n          ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]\n`,
      );
    }
    for (let i = f; i < services; i += 10) {
      docs.push(
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app(i)}\nspec:\n  selector: {app: ${app(i)}}\n  ports: [{port: 80, targetPort: http}]\n`,
      );
    }
    for (let i = f; i < policies; i += 10) {
      docs.push(
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p-${i}\nspec:\n  podSelector: {matchLabels: {app: ${app(i)}}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: ${app(i + 1)}}}}, {podSelector: {matchLabels: {tier: t${i % 4}}}}]\n      ports: [{port: http}, {port: 9090}]\n  egress:\n    - to: [{podSelector: {matchLabels: {app: ${app(i + 2)}}}}]\n      ports: [{port: 8080}]\n    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]\n`,
      );
    }
    const name = `objects-${f}.yaml`;
    files.push(name);
    write(`base/${name}`, docs.join('---\n'));
  }
  write('base/kustomization.yaml', `resources:\n${files.map((f) => `  - ${f}\n`).join('')}`);
  for (let o = 0; o < OVERLAYS; o++) {
    write(
      `overlays/env-${o}/kustomization.yaml`,
      `namespace: env-${o}\nresources:\n  - ../../base\n  - extra.yaml\npatches:\n  - target: {kind: NetworkPolicy, name: p-0}\n    patch: |-\n      - op: add\n        path: /spec/ingress/0/ports/-\n        value: {port: ${9100 + o}}\n`,
    );
    write(
      `overlays/env-${o}/extra.yaml`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: extra\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`,
    );
  }
}

interface Counters {
  renders: number;
  environmentChecks: number;
}

/** The editor's figures: the built language server over stdio on the generated repository. */
async function editorFigures(dir: string, note: (k: string, v: number) => void): Promise<void> {
  const c = new LspClient(path.join(root, 'dist/server.js'));
  const idle = (): Promise<Counters> => c.request<Counters>('netpolLens/workCountersWhenIdle', undefined);
  try {
    let t = performance.now();
    await c.initialize(pathToFileURL(dir).toString());
    await c.waitForStatus();
    note('editor: index (ready)', performance.now() - t);
    const start = await idle();
    note('editor: start-up to rendered and checked', performance.now() - t);
    note('editor: renders at start-up', start.renders);
    const rel = 'base/objects-0.yaml';
    const u = pathToFileURL(path.join(dir, rel)).toString();
    const text = fs.readFileSync(path.join(dir, rel), 'utf8');
    await c.open(u, text, 1);
    await c.waitForDiagnostics((p) => p.uri === u && p.version === 1, 60000);
    const edited = text.replace('port: 8081', 'port: 8082');
    t = performance.now();
    await c.change(u, 2, [{ text: edited }]);
    await c.waitForDiagnostics((p) => p.uri === u && p.version === 2, 60000);
    note('editor: base file diagnostics after an unsaved edit', performance.now() - t);
    const before = await idle();
    note('editor: renders after an unsaved edit', before.renders - start.renders);
    t = performance.now();
    fs.writeFileSync(path.join(dir, rel), edited);
    await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
    const saved = await idle();
    note('editor: save of a base file to re-checked', performance.now() - t);
    note('editor: renders after the save', saved.renders - before.renders);
    note('editor: environments checked after the save', saved.environmentChecks - before.environmentChecks);
    const extra = path.join(dir, 'overlays/env-1/extra.yaml');
    fs.writeFileSync(extra, fs.readFileSync(extra, 'utf8').replace('[Ingress]', '[Ingress, Egress]'));
    t = performance.now();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(extra).toString(), type: 2 }],
    });
    const overlay = await idle();
    note('editor: overlay file changed on disk to re-checked', performance.now() - t);
    note('editor: renders after the overlay change', overlay.renders - saved.renders);
  } finally {
    await c.shutdown();
  }
}

function ms(t: number): string {
  return `${(performance.now() - t).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const dir = path.join(root, 'bench-out', 'environments');
  generate(dir);
  const settings = readSettings({});
  const parsed = new Map<string, ManifestFile>();
  const uriOf = (rel: string): string => pathToFileURL(path.join(dir, rel)).toString();
  const ctx = (disc: ReturnType<typeof discoverEnvironments>): CheckContext => ({
    settings,
    uriOf,
    kustomizations: disc.kustomizations,
    lookup: {
      file(rel) {
        if (!parsed.has(rel)) parsed.set(rel, parseFile(uriOf(rel), fs.readFileSync(path.join(dir, rel), 'utf8')));
        return parsed.get(rel);
      },
    },
  });
  const out: Record<string, number[]> = {};
  const note = (k: string, v: number): void => {
    (out[k] ??= []).push(Math.round(v));
  };
  for (let run = 0; run < RUNS; run++) {
    generate(dir);
    parsed.clear();
    let t = performance.now();
    const disc = discoverEnvironments(folderView(dir), []);
    note('discover', performance.now() - t);
    const service = new RenderService({ root: dir, commands: settings.render, trusted: true });
    t = performance.now();
    const first = await checkEnvironments(disc, service, ctx(disc));
    note('first check (3 renders + rules)', performance.now() - t);
    for (const r of first.rendered) note('render (kubectl) per overlay', r.ms);
    t = performance.now();
    await checkEnvironments(disc, service, ctx(disc));
    note('re-check, nothing changed', performance.now() - t);
    const base = path.join(dir, 'base/objects-0.yaml');
    fs.writeFileSync(base, fs.readFileSync(base, 'utf8').replace('port: 8080', 'port: 8081'));
    parsed.clear();
    t = performance.now();
    const before = service.renders;
    await checkEnvironments(disc, service, ctx(disc));
    note('re-check after a base edit', performance.now() - t);
    note('renders after a base edit', service.renders - before);
    const extra = path.join(dir, 'overlays/env-0/extra.yaml');
    fs.writeFileSync(extra, fs.readFileSync(extra, 'utf8').replace('[Ingress]', '[Ingress, Egress]'));
    parsed.clear();
    t = performance.now();
    const before2 = service.renders;
    await checkEnvironments(disc, service, ctx(disc));
    note('re-check after an overlay edit', performance.now() - t);
    note('renders after an overlay edit', service.renders - before2);
    t = performance.now();
    const cli = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'check', dir, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    note('CLI check (wall)', performance.now() - t);
    if (cli.status !== 0 && cli.status !== 1) throw new Error(cli.stderr);
    t = performance.now();
    spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'connectivity', dir, '--env', 'overlays/env-0'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    note('CLI connectivity --env (wall)', performance.now() - t);
    await editorFigures(dir, note);
    process.stderr.write(`bench-environments: run ${run + 1} done (${ms(t)} for the last step)\n`);
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  process.stdout.write(`${OVERLAYS} overlays x ${OBJECTS} objects, ${RUNS} runs (median, then all):\n`);
  for (const [k, v] of Object.entries(out)) {
    process.stdout.write(`  ${k.padEnd(60)} ${String(median(v)).padStart(6)}   [${v.join(', ')}]\n`);
  }
  process.stdout.write(`${JSON.stringify({ overlays: OVERLAYS, objects: OBJECTS, runs: out })}\n`);
}

void main().catch((e) => {
  process.stderr.write(`bench-environments: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
