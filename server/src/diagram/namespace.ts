// Which namespace a diagram is about: the one asked for, else the one the active document is
// mostly about, else a default. The language server and the diagram share this one rule.

import { inventoryOf } from '../analysis/inventory';
import type { World } from '../analysis/world';
import { clip } from './escape';
import type { DiagramParams } from '../protocol/diagram';

/**
 * Picks the namespace to draw, in this order:
 *
 * 1. `params.namespace`, when the world has that namespace.
 * 2. The namespace the document `params.uri` is mostly about: each of its policies counts 2 for its
 *    namespace, each workload 1, each Namespace object 1 for itself (other objects count nothing);
 *    the highest count wins, a tie goes to the name that sorts first. Used only when the world has
 *    that namespace.
 * 3. The first of `namespaces` (expected sorted, without `''`) that has both a policy taking part
 *    in connectivity and a workload, else the first with a workload, else the first one, else `''`
 *    (the world has no namespace).
 *
 * `note` says why the requested namespace was not drawn ("is not in the workspace any more"), when
 * one was requested and the world lacks it.
 */
export function pickNamespace(
  world: World,
  namespaces: readonly string[],
  params: DiagramParams,
): { ns: string; note?: string } {
  if (params.namespace && world.namespaces.has(params.namespace)) return { ns: params.namespace };
  let note: string | undefined;
  if (params.namespace) note = `Namespace "${clip(params.namespace, 63)}" is not in the workspace any more.`;
  if (params.uri) {
    const best = documentNamespace(world, params.uri);
    if (best && world.namespaces.has(best)) return { ns: best, note };
  }
  const inv = inventoryOf(world);
  // once per world: the namespaces with a policy taking part, and with a workload
  const withPolicy = inv.memo('diagram:withPolicy', () => new Set(world.activePolicies.map((p) => p.namespace)));
  const withWorkloads = inv.byNamespace;
  const ns =
    namespaces.find((n) => withPolicy.has(n) && withWorkloads.has(n)) ??
    namespaces.find((n) => withWorkloads.has(n)) ??
    namespaces[0] ??
    '';
  return { ns, note };
}

/** Rule 2 of pickNamespace: the namespace the objects of one document are mostly in ('' if none). */
function documentNamespace(world: World, uri: string): string {
  const counts = new Map<string, number>();
  for (const o of inventoryOf(world).objectsOfFile(uri)) {
    const ns =
      o.type === 'namespace'
        ? (o.name ?? '')
        : o.type === 'workload' || o.type === 'policy'
          ? world.namespaceOf(o)
          : '';
    if (ns) counts.set(ns, (counts.get(ns) ?? 0) + (o.type === 'policy' ? 2 : 1));
  }
  let best = '';
  for (const [ns, c] of counts) {
    if (!best || c > counts.get(best)! || (c === counts.get(best)! && ns < best)) best = ns;
  }
  return best;
}
