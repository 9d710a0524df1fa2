// Fingerprints of a world for the workspace index's per-document cache: content keys per part of
// the workspace (workloads, Services and policies per namespace, namespaces, admin policies), turned
// into version numbers, and what each document's findings depend on.

import { inventoryOf, type ReplacedPart } from '../analysis/inventory';
import { normalizedPolicy, type World } from '../analysis/world';
import type { K8sObject } from '../model/resources';
import { isExpectations } from '../rules/expectations';
import type { NetpolSettings } from '../settings';

let nextId = 1;
const ids = new WeakMap<object, number>();
export function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

export interface Fingerprints {
  /**
   * Per key `w:<ns>` (the workloads of a namespace: labels, ports), `n` (namespaces and their
   * labels), `p:<ns>` (the policies of a namespace) and `s:<ns>` (its Services): one content key
   * per object. Content keys are computed once per parsed object, so comparing two lists compares
   * string references, not text.
   */
  readonly parts: ReadonlyMap<string, readonly string[]>;
}

/** Fingerprints turned into version numbers: comparing them per document costs nothing. */
export interface Versions {
  readonly inventory: number;
  readonly parts: ReadonlyMap<string, number>;
}

/** A dependency key that is never fresh: the document is checked again on every pass. */
export const VOLATILE = '!';

const contentKeys = new WeakMap<object, string>();

/** A content key of an object, computed once per parsed object. */
export function contentKey(o: object, make: () => string): string {
  let k = contentKeys.get(o);
  if (k === undefined) contentKeys.set(o, (k = make()));
  return k;
}

/** A policy's content key: the object itself (a new parse is a new object). */
export function policyKey(o: K8sObject): string {
  return contentKey(o, () => String(idOf(o)));
}

export function labelsText(l: Readonly<Record<string, string>>): string {
  return Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(',');
}

export function fingerprints(world: World): Fingerprints {
  const parts = new Map<string, string[]>();
  const push = (k: string, v: string): void => {
    let l = parts.get(k);
    if (!l) parts.set(k, (l = []));
    l.push(v);
  };
  // An object that replaces a copy of itself is keyed by its identity too: when another copy takes
  // over (or the kept copy is parsed again), findings that point at it must be made again.
  const copies = new Set<K8sObject>();
  for (const r of world.replaced) copies.add(r.kept);
  const key = (o: K8sObject, make: () => string): string =>
    copies.has(o) ? `${contentKey(o, make)}@${idOf(o)}` : contentKey(o, make);
  for (const w of world.workloads) {
    push(
      `w:${w.namespace}`,
      key(
        w.sources[0],
        () =>
          `${w.key}|${labelsText(w.labels)}|${w.ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).join(',')}|${w.hostNetwork ? 1 : 0}`,
      ),
    );
    if (w.labelConflicts.length) push(`w:${w.namespace}`, `conflicts ${w.key} ${w.labelConflicts.length}`);
  }
  for (const n of world.namespaces.values()) {
    push('n', n.declared ? key(n.declared, () => `ns:${n.name}|${labelsText(n.labels)}|1`) : `ns:${n.name}`);
  }
  for (const s of world.services) {
    push(
      `s:${s.namespace}`,
      key(
        s.obj,
        () =>
          `svc:${s.namespace}/${s.obj.name}|${JSON.stringify(s.obj.selector)}|${s.obj.ports.map((p) => `${p.port}>${String(p.targetPort)}/${p.protocol}`).join(',')}`,
      ),
    );
  }
  for (const p of world.policies) push(`p:${p.namespace}`, policyKey(p.obj));
  // admin policies (docs/semantics.md D): one part, read by every NetworkPolicy's tier checks
  for (const t of world.tieredPolicies) push('t', String(idOf(t.obj)));
  return { parts };
}

/** The same replacements (the same objects in the same roles); none on both sides is the usual case. */
export function sameReplacements(a: readonly ReplacedPart[], b: readonly ReplacedPart[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].mine !== b[i].mine || a[i].other !== b[i].other || a[i].kept !== b[i].kept) return false;
  }
  return true;
}

/** Element-wise equality of two content-key lists (mostly the same string objects). */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What a document's findings depend on besides itself (keys of Fingerprints.parts, or `*` for
 * every workload and namespace): for a policy, the policies, workloads and Services of its own
 * namespace, the workloads (and, for egress, the Services) of the namespaces its peers reach, the
 * namespaces' labels, and the cluster DNS pods' namespace. A pod-only peer that matches nothing in
 * its namespace, or an egress rule with named ports and no `to`, looks at every workload (`*`).
 */
export function depsOf(
  world: World,
  objects: readonly K8sObject[],
  fp: Versions,
  settings: NetpolSettings,
): Map<string, number> {
  const deps = new Map<string, number>();
  const add = (key: string): void => {
    if (!deps.has(key)) deps.set(key, key === '*' ? fp.inventory : (fp.parts.get(key) ?? 0));
  };
  const inv = inventoryOf(world);
  for (const o of objects) {
    if (o.type === 'policy') {
      const p = normalizedPolicy(world, o);
      const ns = p.namespace;
      for (const k of [`p:${ns}`, `s:${ns}`, `w:${ns}`, 'n', 't']) add(k);
      if (p.types.has('Egress') || p.egress.length) add(`w:${settings.dns.namespace}`);
      for (const r of [...p.ingress, ...p.egress]) {
        if (r.direction === 'Egress' && r.peers === undefined && r.ports?.some((x) => typeof x.port === 'string')) {
          add('*');
        }
        for (const peer of r.peers ?? []) {
          if (peer.kind !== 'pods') continue;
          const reached = peer.namespaceSelector
            ? inv.namespacesMatching(peer.namespaceSelector).map((n) => n.name)
            : [ns];
          for (const n of reached) {
            add(`w:${n}`);
            if (r.direction === 'Egress') add(`s:${n}`);
          }
          if (!peer.namespaceSelector && peer.podSelector && inv.peerWorkloads(peer, ns).length === 0) add('*');
        }
      }
    } else if (o.type === 'namespace' && o.name) {
      add(`p:${o.name}`);
      add(`w:${o.name}`);
      add('n');
    } else if (o.type === 'workload') {
      add(`w:${world.namespaceOf(o)}`);
    } else if (o.type === 'tiered') {
      // admin policies select and match across every namespace and tier: checked every time (few)
      deps.set(VOLATILE, -1);
    } else if (isExpectations(o)) {
      // connectivity expectations read every workload, policy and namespace, including parts
      // that do not exist yet: checked again every time (they are few and cheap)
      deps.set(VOLATILE, -1);
    }
  }
  return deps;
}
