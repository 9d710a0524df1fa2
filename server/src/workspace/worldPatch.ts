// The world after an edit that only rewrote policies in place, without building it again. Writing
// policies is what users of the editor do most, and rebuilding the world of a large workspace
// (24,000 objects) for each keystroke costs far more than swapping the edited policies: the new
// world is the previous one with the edited policy objects in the places of the old ones.
//
// It applies when every changed file keeps its number of documents, every changed document held
// only NetworkPolicies before and after, with the same kind, namespace and name in the same order,
// and none of them takes part in a replacement (a later object with the same kind, namespace and
// name). Anything else (a workload, Service or Namespace edited, a document added, removed or moved,
// a policy renamed or duplicated, a kustomization) builds the world again.

import { type Inventory } from '../analysis/inventory';
import type { NormPolicy } from '../analysis/policy';
import { documentObjects, normalizedPolicy, type World } from '../analysis/world';
import type { ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';

/** A file as it was when the world was last built, and as it is now (undefined: absent). */
export interface FileChange {
  readonly before: ManifestFile | undefined;
  readonly after: ManifestFile | undefined;
}

/** Where each object and policy sits in a world's arrays (built once, then kept up to date by patches). */
export class WorldPositions {
  private objectIndex: Map<K8sObject, number> | null = null;
  private policyIndex: Map<K8sObject, number> | null = null;

  constructor(private world: World) {}

  objects(): Map<K8sObject, number> {
    return (this.objectIndex ??= new Map(this.world.objects.map((o, i) => [o, i])));
  }

  policies(): Map<K8sObject, number> {
    return (this.policyIndex ??= new Map(this.world.policies.map((p, i) => [p.obj, i])));
  }

  /** The positions of `next`, which is `world` with `swaps` (old -> new object) applied. */
  moveTo(next: World, swaps: ReadonlyArray<readonly [K8sObject, K8sObject]>): void {
    const objects = this.objects();
    const policies = this.policies();
    for (const [old, neu] of swaps) {
      objects.set(neu, objects.get(old)!);
      objects.delete(old);
      policies.set(neu, policies.get(old)!);
      policies.delete(old);
    }
    this.world = next;
  }
}

/** A patched world, the policy objects swapped, and the namespaces whose policies changed. */
export interface Patch {
  readonly world: World;
  readonly swaps: ReadonlyArray<readonly [K8sObject, K8sObject]>;
  readonly namespaces: ReadonlySet<string>;
}

const keyOf = (world: World, o: K8sObject): string => `${o.kind}\u0000${world.namespaceOf(o)}\u0000${o.name ?? ''}`;

/** The policies an edit swapped (old -> new, in order), or undefined when the edit is not policies only. */
function policySwaps(
  world: World,
  inv: Inventory,
  changes: readonly FileChange[],
): Array<[K8sObject, K8sObject]> | undefined {
  const swaps: Array<[K8sObject, K8sObject]> = [];
  for (const { before, after } of changes) {
    if (!before || !after || before.skipped || after.skipped) return undefined;
    if (before.documents.length !== after.documents.length) return undefined;
    for (let i = 0; i < after.documents.length; i++) {
      const was = before.documents[i];
      const now = after.documents[i];
      if (was === now) continue;
      if (inv.replacedIn(was).length) return undefined;
      const old = documentObjects(before.uri, was);
      const neu = documentObjects(after.uri, now);
      if (old.length !== neu.length) return undefined;
      for (let k = 0; k < old.length; k++) {
        if (old[k].type !== 'policy' || neu[k].type !== 'policy') return undefined;
        if (keyOf(world, old[k]) !== keyOf(world, neu[k])) return undefined;
        swaps.push([old[k], neu[k]]);
      }
    }
  }
  return swaps;
}

/** `world` with the changes applied, when they only rewrote policies in place (see above). */
export function patchWorld(
  world: World,
  inv: Inventory,
  positions: WorldPositions,
  changes: readonly FileChange[],
): Patch | undefined {
  const swaps = policySwaps(world, inv, changes);
  if (!swaps) return undefined;
  const objects = world.objects.slice();
  const policies: NormPolicy[] = world.policies.slice();
  const namespaces = new Set<string>();
  const objectAt = positions.objects();
  const policyAt = positions.policies();
  for (const [old, neu] of swaps) {
    const o = objectAt.get(old);
    const p = policyAt.get(old);
    if (o === undefined || p === undefined) return undefined;
    objects[o] = neu;
    policies[p] = normalizedPolicy(world, neu as K8sObject & { type: 'policy' });
    namespaces.add(policies[p].namespace);
  }
  const next: World = { ...world, objects, policies, activePolicies: policies.filter((p) => p.valid) };
  return { world: next, swaps, namespaces };
}
