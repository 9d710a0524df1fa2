// What the rules ask about the whole workspace, answered once per world (through the inventory's
// memo): a document, a peer or a port entry then costs a lookup instead of a scan of every
// workload, namespace or policy, so copies of the same manifests (environment folders, vendored
// charts, `kubectl get -o yaml` dumps) cost linear work.

import type { RelatedLocation } from '../analysis/findings';
import type { Inventory } from '../analysis/inventory';
import type { NormPolicy, NormRule } from '../analysis/policy';
import type { Selector } from '../analysis/selectors';
import type { Workload } from '../analysis/world';
import type { NetpolSettings } from '../settings';
import { labelText, listNames, namespaceLocations } from './util';

/** Workloads of every namespace whose labels match a pod selector. */
export function workloadsAnywhere(inv: Inventory, sel: Selector): readonly Workload[] {
  return inv.memo(`rules:anywhere\u0000${sel.key}`, () => inv.workloadsMatchingAnywhere(sel));
}

/** The workloads a policy selects, as a set. */
export function selectedSet(inv: Inventory, p: NormPolicy): ReadonlySet<Workload> {
  return inv.memo(`rules:selected\u0000${p.namespace}\u0000${p.podSelector.key}`, () => new Set(inv.selectedBy(p)));
}

export interface NamespaceFacts {
  /** Some namespace has a Namespace manifest in the workspace. */
  readonly declaredAny: boolean;
  /** `key\0value` of every label of every namespace. */
  readonly labels: ReadonlySet<string>;
  /** The namespace names, listed for a message. */
  readonly names: string;
  /** Related locations of the Namespace manifests with their labels. */
  readonly related: readonly RelatedLocation[];
}

export function namespaceFacts(inv: Inventory): NamespaceFacts {
  return inv.memo('rules:namespaces', () => {
    const all = inv.namespaceList();
    const labels = new Set<string>();
    for (const n of all) for (const [k, v] of Object.entries(n.labels)) labels.add(`${k}\u0000${v}`);
    return {
      declaredAny: all.some((n) => n.declared),
      labels,
      names: listNames(all.map((n) => n.name)),
      related: namespaceLocations(all, (n) => `Namespace ${n.name}: ${labelText(n.labels)}`),
    };
  });
}

/** The workloads a rule's ports apply to, and a key naming that set (for memos over it). */
export interface Destinations {
  readonly key: string;
  readonly workloads: readonly Workload[];
}

/**
 * The workloads a rule's ports are checked against: the selected pods for ingress, the peers'
 * workloads for egress (in peer order, each once); null for an egress rule without `to` (any
 * destination).
 */
export function destinations(inv: Inventory, p: NormPolicy, r: NormRule): Destinations | null {
  if (r.direction === 'Ingress') {
    return { key: `sel\u0000${p.namespace}\u0000${p.podSelector.key}`, workloads: inv.selectedBy(p) };
  }
  if (r.peers === undefined) return null;
  const parts: string[] = [];
  for (const peer of r.peers) {
    if (peer.kind !== 'pods') continue; // ipBlocks have no workloads
    const where = peer.namespaceSelector ? `S${peer.namespaceSelector.key}` : `N${p.namespace}`;
    parts.push(`${where}\u0004${peer.podSelector?.key ?? '*'}`);
  }
  const key = `peers\u0000${parts.join('\u0001')}`;
  const workloads = inv.memo(`rules:dst\u0000${key}`, () => {
    const out = new Set<Workload>();
    for (const peer of r.peers!) for (const w of inv.peerWorkloads(peer, p.namespace)) out.add(w);
    return [...out];
  });
  return { key, workloads };
}

/** The DNS settings as a memo key. */
export function dnsKey(settings: NetpolSettings): string {
  const { namespace, podLabels, port } = settings.dns;
  const labels = Object.keys(podLabels)
    .sort()
    .map((k) => `${k}=${podLabels[k]}`)
    .join(',');
  return `${namespace}\u0000${labels}\u0000${port}`;
}
