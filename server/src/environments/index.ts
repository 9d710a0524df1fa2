// The environments of a workspace folder, checked together: each rendered environment on its own
// world, findings placed in their sources and merged across environments, a failed render as one
// NPX09, and the text-level checks of the files environments read. The plain environment `.` is
// checked by the caller as files always were (rules/registry.ts checkFile on its own world).

import type { ManifestDocument, ManifestFile } from '../model/document';
import {
  type CheckContext,
  checkRendered,
  checkSourceText,
  type EnvFinding,
  mergeFindings,
  presenceOf,
  renderFailure,
} from './check';
import type { Discovery } from './discover';
import type { PlacedFinding } from './mapBack';
import type { Rendered, RenderService } from './render';

export { type Discovery, discoverEnvironments, environmentsFeeding, type FileView, PLAIN } from './discover';
export { type CheckContext, type EnvFinding, renderedWorld } from './check';
export { type Rendered, RenderService } from './render';
export type { Environment } from './types';

export interface EnvironmentsCheck {
  readonly findings: readonly EnvFinding[];
  readonly rendered: readonly Rendered[];
  /** Which environments render an object of each source document (hovers say so). */
  readonly presence: ReadonlyMap<ManifestDocument, ReadonlySet<string>>;
}

/** How many environments render at the same time (each one renders at most once at a time). */
export const RENDERS_AT_ONCE = 2;

/** `fn` over `items` with at most `limit` running at once; results in the order of `items`. */
async function inParallel<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Renders (through the service's cache) and checks every environment but the plain one, or those named. */
export async function checkEnvironments(
  discovery: Discovery,
  service: RenderService,
  ctx: CheckContext,
  only?: ReadonlySet<string>,
): Promise<EnvironmentsCheck> {
  const envs = discovery.environments.filter((e) => e.kind !== 'plain' && (!only || only.has(e.name)));
  service.setEnvironments(discovery.environments);
  const rendered = await inParallel(envs, RENDERS_AT_ONCE, (e) => service.render(e));
  const placed: PlacedFinding[] = [];
  const presence = new Map<ManifestDocument, Set<string>>();
  const sources = new Set<string>();
  for (const r of rendered) {
    if (r.ok) {
      placed.push(...checkRendered(r, ctx));
      presenceOf(r, ctx, presence);
    } else {
      const f = renderFailure(r, ctx);
      if (f) placed.push(f);
    }
    for (const f of r.env.inputs) sources.add(f);
  }
  const findings = [...mergeFindings(placed, presence), ...sourceTextFindings([...sources].sort(), ctx)];
  return { findings, rendered, presence };
}

function sourceTextFindings(rels: readonly string[], ctx: CheckContext): EnvFinding[] {
  const out: EnvFinding[] = [];
  for (const rel of rels) {
    const file: ManifestFile | undefined = ctx.lookup.file(rel);
    if (!file) continue;
    for (const f of checkSourceText(file, ctx.settings)) {
      out.push({ ...f, uri: ctx.uriOf(rel), file, environments: [] });
    }
  }
  return out;
}
