// The world after an edit that only rewrote policies in place, without building it again. Writing
// policies is what users of the editor do most, and rebuilding the world of a large workspace
// (24,000 objects) for each keystroke costs far more than swapping the edited policies: the new
// world is the previous one with the edited policy objects in the places of the old ones (in the
// kept objects and policies, and in the replacements when the policy has copies elsewhere).
//
// It applies when every changed file keeps its number of documents, and every changed document
// held only NetworkPolicies before and after, with the same kind, namespace and name in the same
// order: then which object replaces which stays the same. Anything else (a workload, Service or
// Namespace edited, a document added, removed or moved, a policy renamed, a kustomization) builds
// the world again.

import type { NormPolicy } from '../analysis/policy';
import { documentObjects, normalizedPolicy, type Replaced, type World } from '../analysis/world';
import type { ManifestFile } from '../model/document';
import type { K8sObject } from '../model/resources';

/** A file as it was when the world was last built, and as it is now (undefined: absent). */
export interface FileChange {
  readonly before: ManifestFile | undefined;
  readonly after: ManifestFile | undefined;
}

type Swap = readonly [old: K8sObject, neu: K8sObject];

/** Where each object sits in a world's arrays (built on first use, then kept up to date by patches). */
export class WorldPositions {
  private objectIndex: Map<K8sObject, number> | null = null;
  private policyIndex: Map<K8sObject, number> | null = null;
  private replacedIndex: Map<K8sObject, number[]> | null = null;

  constructor(private world: World) {}

  /** Index in world.objects (kept objects only). */
  objects(): Map<K8sObject, number> {
    return (this.objectIndex ??= new Map(this.world.objects.map((o, i) => [o, i])));
  }

  /** Index in world.policies, by policy object (kept policies only). */
  policies(): Map<K8sObject, number> {
    return (this.policyIndex ??= new Map(this.world.policies.map((p, i) => [p.obj, i])));
  }

  /** Indexes in world.replaced of the pairs an object is part of (kept or replaced). */
  replaced(): Map<K8sObject, number[]> {
    if (!this.replacedIndex) {
      const m = new Map<K8sObject, number[]>();
      const add = (o: K8sObject, i: number): void => {
        const l = m.get(o);
        if (l) l.push(i);
        else m.set(o, [i]);
      };
      this.world.replaced.forEach((r, i) => {
        add(r.replaced, i);
        add(r.kept, i);
      });
      this.replacedIndex = m;
    }
    return this.replacedIndex;
  }

  /** The positions of `next`, which is `world` with `swaps` applied. */
  moveTo(next: World, swaps: readonly Swap[]): void {
    for (const m of [this.objects(), this.policies(), this.replaced()] as Array<Map<K8sObject, unknown>>) {
      for (const [old, neu] of swaps) {
        if (!m.has(old)) continue;
        m.set(neu, m.get(old));
        m.delete(old);
      }
    }
    this.world = next;
  }
}

/** A patched world, the policy objects swapped, and the namespaces whose (kept) policies changed. */
export interface Patch {
  readonly world: World;
  readonly swaps: readonly Swap[];
  readonly namespaces: ReadonlySet<string>;
}

const keyOf = (world: World, o: K8sObject): string => `${o.kind}\u0000${world.namespaceOf(o)}\u0000${o.name ?? ''}`;

/** The policies an edit swapped (old -> new, in order), or undefined when the edit is not policies only. */
function policySwaps(world: World, changes: readonly FileChange[]): Swap[] | undefined {
  const swaps: Swap[] = [];
  for (const { before, after } of changes) {
    if (!before || !after || before.skipped || after.skipped) return undefined;
    if (before.documents.length !== after.documents.length) return undefined;
    for (let i = 0; i < after.documents.length; i++) {
      const was = before.documents[i];
      const now = after.documents[i];
      if (was === now) continue;
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
export function patchWorld(world: World, positions: WorldPositions, changes: readonly FileChange[]): Patch | undefined {
  const swaps = policySwaps(world, changes);
  if (!swaps) return undefined;
  let objects: K8sObject[] | undefined;
  let policies: NormPolicy[] | undefined;
  let replaced: Replaced[] | undefined;
  const namespaces = new Set<string>();
  const objectAt = positions.objects();
  const policyAt = positions.policies();
  const pairsOf = positions.replaced();
  for (const [old, neu] of swaps) {
    const o = objectAt.get(old);
    const p = policyAt.get(old);
    const pairs = pairsOf.get(old);
    // kept: in the objects and policies; replaced by a later copy: only in the replacements
    if ((o === undefined) !== (p === undefined) || (o === undefined && !pairs)) return undefined;
    if (o !== undefined && p !== undefined) {
      (objects ??= world.objects.slice())[o] = neu;
      const np = normalizedPolicy(world, neu as K8sObject & { type: 'policy' });
      (policies ??= world.policies.slice())[p] = np;
      namespaces.add(np.namespace);
    }
    for (const i of pairs ?? []) {
      replaced ??= world.replaced.slice();
      const r = replaced[i];
      replaced[i] = r.kept === old ? { kept: neu, replaced: r.replaced } : { kept: r.kept, replaced: neu };
    }
  }
  const next: World = {
    ...world,
    ...(objects ? { objects } : {}),
    ...(policies ? { policies, activePolicies: policies.filter((x) => x.valid) } : {}),
    ...(replaced ? { replaced } : {}),
  };
  return { world: next, swaps, namespaces };
}
