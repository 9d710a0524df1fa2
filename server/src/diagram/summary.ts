// Stage 7: what the panel says about the diagram: the messages shown above it (no namespace, no
// workloads, no or only invalid NetworkPolicies) and the figures of DiagramStats.

import { inventoryOf } from '../analysis/inventory';
import type { World } from '../analysis/world';
import { clip } from './escape';
import type { DiagramStats } from '../protocol/diagram';

/** The namespace's NetworkPolicies: how many take part (valid) and how many are ignored. */
export interface PolicyCounts {
  readonly valid: number;
  readonly invalid: number;
}

export function policyCounts(world: World, ns: string): PolicyCounts {
  let valid = 0;
  let invalid = 0;
  for (const p of inventoryOf(world).policiesIn(ns)) {
    if (p.valid) valid++;
    else invalid++;
  }
  return { valid, invalid };
}

/** The messages about the drawn namespace `ns` ('' when the world has none), in display order. */
export function namespaceMessages(ns: string, units: number, policies: PolicyCounts): string[] {
  if (!ns) return ['No Kubernetes namespaces or workloads found in the workspace.'];
  const out: string[] = [];
  const name = clip(ns, 63);
  const total = policies.valid + policies.invalid;
  if (!units) out.push(`No workloads in namespace ${name}.`);
  if (!total) {
    out.push(
      `No NetworkPolicy in namespace ${name}: no workload is isolated, so every workload accepts and opens all connections.`,
    );
  } else if (!policies.valid) {
    out.push(
      total === 1
        ? `The NetworkPolicy of namespace ${name} is invalid and ignored: no workload is isolated.`
        : `The ${total} NetworkPolicies of namespace ${name} are invalid and ignored: no workload is isolated.`,
    );
  } else if (policies.invalid) {
    out.push(
      `${policies.invalid} of the ${total} NetworkPolicies of namespace ${name} ${policies.invalid === 1 ? 'is' : 'are'} invalid and ignored.`,
    );
  }
  return out;
}

export function diagramStats(figures: {
  workloads: number;
  policies: PolicyCounts;
  nodes: number;
  edges: number;
  replies: number;
  /** The member counts of the namespace's nodes. */
  unitSizes: readonly number[];
  ms: number;
}): DiagramStats {
  return {
    workloads: figures.workloads,
    policies: figures.policies.valid,
    invalidPolicies: figures.policies.invalid,
    nodes: figures.nodes,
    edges: figures.edges - figures.replies,
    replies: figures.replies,
    mergedWorkloads: figures.unitSizes.reduce((n, k) => n + (k > 1 ? k : 0), 0),
    ms: Math.round(figures.ms * 10) / 10,
  };
}
