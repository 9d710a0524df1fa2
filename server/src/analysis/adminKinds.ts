// The admin-tier kinds (docs/semantics.md D.1) recognised on the tree by kind alone, whatever the
// model calls their objects, and a light reading of one policy for the editor features (tier,
// priority, rules and their actions, with nodes). The engine's tiered model is built elsewhere;
// this reading never decides connectivity.

import type { K8sObject } from '../model/resources';
import { get, type PMap, type PNode } from '../model/tree';
import {
  ADMIN_NETWORK_POLICY,
  BASELINE_ADMIN_NETWORK_POLICY,
  CLUSTER_NETWORK_POLICY,
  type KindSchema,
} from '../schema';

export type AdminKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';

/** The schema of each admin kind in the one apiVersion that serves it. */
export const ADMIN_SCHEMAS: Readonly<Record<AdminKind, KindSchema>> = {
  AdminNetworkPolicy: ADMIN_NETWORK_POLICY,
  BaselineAdminNetworkPolicy: BASELINE_ADMIN_NETWORK_POLICY,
  ClusterNetworkPolicy: CLUSTER_NETWORK_POLICY,
};

export function isAdminKind(kind: string | undefined): kind is AdminKind {
  return kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy' || kind === 'ClusterNetworkPolicy';
}

/** An object of the document whose kind is one of the admin kinds (of any apiVersion). */
export type AdminObject = K8sObject & { readonly kind: AdminKind };

export function isAdminObject(o: K8sObject): o is AdminObject {
  return isAdminKind(o.kind);
}

/** The objects of a list that are admin-tier policies. */
export function adminObjects(objects: readonly K8sObject[]): AdminObject[] {
  return objects.filter(isAdminObject);
}

export type Tier = 'Admin' | 'Baseline';

export interface AdminRuleView {
  readonly direction: 'Ingress' | 'Egress';
  /** Index in its section, from 0. */
  readonly index: number;
  readonly name?: string;
  readonly action?: string;
  readonly node: PNode;
}

/** What the editor shows of an admin policy, read from its tree as written. */
export interface AdminView {
  readonly kind: AdminKind;
  /** The tier the kind or `spec.tier` puts it in; undefined when a v1alpha2 tier is missing or unknown. */
  readonly tier?: Tier;
  readonly priority?: number;
  readonly ingress: readonly AdminRuleView[];
  readonly egress: readonly AdminRuleView[];
}

function rules(spec: PNode | undefined, key: 'ingress' | 'egress'): AdminRuleView[] {
  const list = get(spec, key);
  if (!list || list.t !== 'seq') return [];
  const direction = key === 'ingress' ? 'Ingress' : 'Egress';
  return list.items.map((node, index) => {
    const name = get(node, 'name');
    const action = get(node, 'action');
    return {
      direction,
      index,
      name: name?.t === 'scalar' && typeof name.v === 'string' ? name.v : undefined,
      action: action?.t === 'scalar' && typeof action.v === 'string' ? action.v : undefined,
      node,
    };
  });
}

/** Reads an admin policy's tier, priority and rules from its map. */
export function adminView(kind: AdminKind, node: PMap): AdminView {
  const spec = get(node, 'spec');
  const tierN = get(spec, 'tier');
  const prioN = get(spec, 'priority');
  const tierV = tierN?.t === 'scalar' ? tierN.v : undefined;
  const tier: Tier | undefined =
    kind === 'AdminNetworkPolicy'
      ? 'Admin'
      : kind === 'BaselineAdminNetworkPolicy'
        ? 'Baseline'
        : tierV === 'Admin' || tierV === 'Baseline'
          ? tierV
          : undefined;
  const priority = prioN?.t === 'scalar' && typeof prioN.v === 'number' ? prioN.v : undefined;
  return { kind, tier, priority, ingress: rules(spec, 'ingress'), egress: rules(spec, 'egress') };
}
