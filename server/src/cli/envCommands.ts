// `netpol-lens check` over environments and `netpol-lens environments`: every environment checked
// on its own (findings in the source files, saying which environments they come from), and the
// list of environments with their kind, files and render status.

import * as path from 'node:path';
import { buildWorld } from '../analysis/world';
import { checkEnvironments, type Environment, PLAIN, type Rendered } from '../environments';
import { type ExpectationWorld, renderedExpectationWorld, withExpectationsIn } from '../environments/expectations';
import { checkFile, type DocFinding } from '../rules/registry';
import type { FileResult } from './check';
import type { Workspace } from './envs';
import { displayPath } from './load';

/** The check results of the environments chosen (all when `only` is undefined), one entry per file. */
export async function checkWorkspace(ws: Workspace, only?: Environment): Promise<FileResult[]> {
  const byUri = new Map<string, { file: FileResult['file']; findings: DocFinding[] }>();
  const add = (file: FileResult['file'], findings: readonly DocFinding[]): void => {
    const r = byUri.get(file.uri);
    if (r) r.findings.push(...findings);
    else byUri.set(file.uri, { file, findings: [...findings] });
  };
  if (!only || only.kind === 'plain') {
    const world = buildWorld(ws.plain, { defaultNamespace: ws.settings.defaultNamespace });
    for (const f of ws.plain) add(f, checkFile(f, world, ws.settings));
  }
  if (ws.service && ws.ctx && (!only || only.kind !== 'plain')) {
    const names = only ? new Set([only.name]) : undefined;
    const res = await checkEnvironments(ws.discovery, ws.service, ws.ctx, names);
    for (const f of res.findings) add(f.file, [f]);
    if (!only) expectationsEverywhere(ws, res.rendered, byUri);
  }
  return [...byUri.values()]
    .map((r) => ({ file: r.file, path: ws.loaded.pathOf(r.file.uri), findings: r.findings }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Expectations documents of the plain manifests, checked in every environment they apply to. */
function expectationsEverywhere(
  ws: Workspace,
  rendered: readonly Rendered[],
  byUri: Map<string, { file: FileResult['file']; findings: DocFinding[] }>,
): void {
  const ctx = ws.ctx!;
  const worlds: ExpectationWorld[] = [
    { name: PLAIN, world: buildWorld(ws.plain, { defaultNamespace: ws.settings.defaultNamespace }) },
    ...rendered.flatMap((r) => (r.ok ? [renderedExpectationWorld(r, ctx)] : [])),
  ];
  if (!ws.plain.length) worlds.shift();
  if (worlds.length < 2 && ws.plain.length) return;
  for (const f of ws.plain) {
    const r = byUri.get(f.uri);
    const again = withExpectationsIn(f, r?.findings ?? [], worlds, ws.settings);
    if (again) byUri.set(f.uri, { file: f, findings: again });
  }
}

export interface EnvironmentRow {
  readonly name: string;
  readonly kind: string;
  readonly definition: string | null;
  readonly files: readonly string[];
  readonly status: 'plain' | 'rendered' | 'failed';
  readonly objects: number;
  readonly ms?: number;
  readonly command?: readonly string[];
  readonly error?: string;
}

/** Lists the environments, rendering each (through the cache) to say whether it renders. */
export async function environmentRows(ws: Workspace): Promise<EnvironmentRow[]> {
  const show = (rel: string): string => (ws.root ? displayPath(path.join(ws.root, rel)) : displayPath(rel));
  const rows: EnvironmentRow[] = [];
  for (const e of ws.discovery.environments) {
    const base = {
      name: e.name,
      kind: e.kind,
      definition: e.definition !== undefined ? show(e.definition) : null,
      files: e.inputs.map(show),
    };
    if (e.kind === 'plain' || !ws.service) {
      const objects = ws.plain.reduce((n, f) => n + f.documents.filter((d) => d.kind === 'k8s').length, 0);
      rows.push({ ...base, status: 'plain', objects });
      continue;
    }
    const r: Rendered = await ws.service.render(e);
    rows.push(
      r.ok
        ? { ...base, status: 'rendered', objects: r.docs.length, ms: r.ms, command: shownCommand(r.command, ws) }
        : {
            ...base,
            status: 'failed',
            objects: 0,
            ms: r.ms,
            command: shownCommand(r.command, ws),
            error: r.problem.message,
          },
    );
  }
  return rows;
}

function shownCommand(cmd: readonly string[], ws: Workspace): string[] {
  // the wrapper folder is temporary: show the environment's folder instead
  return cmd.map((a) =>
    /netpol-lens-render-/.test(a) ? '<wrapper>' : ws.root && a.startsWith(ws.root) ? displayPath(a) : a,
  );
}

export function environmentsText(rows: readonly EnvironmentRow[]): string {
  if (!rows.length) return 'no environments (no manifests, kustomizations or Helm charts)\n';
  const status = (r: EnvironmentRow): string =>
    r.status === 'plain'
      ? `${r.files.length} manifest file${r.files.length === 1 ? '' : 's'}`
      : r.status === 'rendered'
        ? `rendered: ${r.objects} object${r.objects === 1 ? '' : 's'} in ${((r.ms ?? 0) / 1000).toFixed(1)} s`
        : 'NOT RENDERED';
  const w = Math.max(...rows.map((r) => r.name.length), 4);
  const lines = [`${'NAME'.padEnd(w)}  ${'KIND'.padEnd(9)}  STATUS`];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(w)}  ${r.kind.padEnd(9)}  ${status(r)}`);
    if (r.definition) lines.push(`${''.padEnd(w)}  ${''.padEnd(9)}  from ${r.definition} (${r.files.length} files)`);
    if (r.error) lines.push(`${''.padEnd(w)}  ${''.padEnd(9)}  ${r.error}`);
  }
  return `${lines.join('\n')}\n`;
}

export function environmentsJson(rows: readonly EnvironmentRow[], root: string | undefined): string {
  return `${JSON.stringify({ root: root ? displayPath(root) : null, environments: rows }, null, 2)}\n`;
}
