// The custom requests on one environment: which environment the diagram draws (the picker's
// choice, else the one the active document feeds, else the plain manifests), its world (the
// rendered objects), and the diagram's locations placed in the source files.

import { computeConnectivity, type Connectivity } from '../analysis/connectivity';
import { buildWorld, type World } from '../analysis/world';
import { renderedWorld, type RenderedOk } from '../environments/check';
import { PLAIN } from '../environments/discover';
import type { EnvironmentSession, SessionLocation } from '../environments/session';
import type { DiagramLocation, DiagramResult } from '../protocol';
import type { EnvironmentsService } from './environments';

export interface EnvironmentChoice {
  /** The names to choose from (`.` first when there are plain manifests). */
  readonly names: string[];
  readonly name: string;
  /** The rendered environment, when it is one and its render succeeded. */
  readonly rendered?: { readonly session: EnvironmentSession; readonly r: RenderedOk; readonly world: World };
  readonly problem?: string;
}

const connectivities = new WeakMap<World, Connectivity>();

/** The connectivity of a rendered environment's world (once per render). */
export function connectivityOf(world: World): Connectivity {
  let c = connectivities.get(world);
  if (!c) connectivities.set(world, (c = computeConnectivity(world)));
  return c;
}

/** The environment names of the workspace: empty when none is rendered (the diagram has no picker then). */
export function environmentNames(envs: EnvironmentsService | undefined): string[] {
  const sessions = envs?.sessions() ?? [];
  if (!sessions.some((s) => s.rendered.length)) return [];
  const plain = sessions.some((s) => s.discovery.environments.some((e) => e.kind === 'plain'));
  const names = sessions.flatMap((s) => s.rendered.map((e) => e.name));
  return [...(plain ? [PLAIN] : []), ...[...new Set(names)].sort()];
}

/** The environment a request is about: asked for by name, else the one `uri` feeds, else the first. */
export function chooseEnvironment(
  envs: EnvironmentsService | undefined,
  asked: string | undefined,
  uri: string | undefined,
  defaultNamespace: string | undefined,
): EnvironmentChoice | undefined {
  const names = environmentNames(envs);
  if (!envs || !names.length) return undefined;
  let name = asked !== undefined && names.includes(asked) ? asked : undefined;
  if (name === undefined && uri) {
    const folder = envs.folderReading(uri);
    const rel = folder ? decodeURIComponent(uri.slice(folder.uri.replace(/\/?$/, '/').length)) : undefined;
    if (folder && rel !== undefined) name = folder.session.service.feeding(rel).find((n) => names.includes(n));
  }
  name ??= names[0];
  if (name === PLAIN) return { names, name };
  const session = envs.sessionOf(name);
  const last = session?.service.last(name);
  if (!session || !last) return { names, name, problem: `Environment ${name} is being rendered.` };
  if (!last.ok) return { names, name, problem: last.problem.message };
  return { names, name, rendered: { session, r: last, world: renderedWorld(last, defaultNamespace) } };
}

/** An empty world (an environment that could not be rendered draws nothing). */
export const EMPTY_WORLD = buildWorld([]);

/** The diagram's locations in rendered objects, placed in their source files (in place). */
export function placeDiagram(result: DiagramResult, session: EnvironmentSession, r: RenderedOk): DiagramResult {
  const move = (l: DiagramLocation): DiagramLocation | undefined =>
    session.placeLocation(r, l as SessionLocation) as DiagramLocation | undefined;
  for (const n of Object.values(result.nodes)) {
    n.locations = n.locations.flatMap((l) => move(l) ?? []);
    for (const w of n.workloads) {
      const l = w.location && move(w.location);
      if (l) w.location = l;
      else delete w.location;
    }
  }
  for (const e of Object.values(result.edges)) {
    for (const rule of e.rules) {
      const l = move(rule.location);
      if (l) rule.location = l;
    }
  }
  return result;
}
