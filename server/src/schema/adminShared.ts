// Object types and field documentation that the admin-tier kinds share (AdminNetworkPolicy and
// BaselineAdminNetworkPolicy v1alpha1, ClusterNetworkPolicy v1alpha2; docs/semantics.md D.1, D.2):
// cluster-scoped metadata, subjects, and the selector-based peers.

import { LABEL_SELECTOR, LABEL_SELECTOR_OBJECTS, objectMeta } from './meta';
import type { FieldSpec, ObjectSpec } from './types';

export const ADMIN_API_GROUP = 'policy.networking.k8s.io';
export const ADMIN_V1ALPHA1 = `${ADMIN_API_GROUP}/v1alpha1`;
export const ADMIN_V1ALPHA2 = `${ADMIN_API_GROUP}/v1alpha2`;

export const SELECTOR = { object: LABEL_SELECTOR } as const;

/** metadata of a cluster-scoped policy: a `namespace` is accepted and ignored. */
export function clusterMeta(kind: string, name?: FieldSpec): ObjectSpec {
  const meta = objectMeta({
    name: `The ${kind}'s name (DNS-1123 subdomain); explanations name the policy by it.`,
    labels: 'Labels of the policy object (no effect on traffic).',
    annotations: 'Annotations (no effect on traffic).',
  });
  const fields: Record<string, FieldSpec> = { ...meta.fields };
  if (name) fields.name = name;
  fields.namespace = {
    type: 'string',
    doc: `Ignored: a ${kind} is cluster-scoped and has no namespace; its subject selects pods in any namespace.`,
    offer: false,
  };
  return { ...meta, fields };
}

/** The `subject` of every kind: exactly one of `namespaces` and `pods`. */
export function subjectSpec(pods: string): ObjectSpec {
  return {
    fields: {
      namespaces: {
        type: SELECTOR,
        doc: 'Every pod of the namespaces whose labels match (`{}`: every namespace of the cluster).',
        selects: 'namespaces',
      },
      pods: {
        type: { object: pods },
        doc: 'The pods that match `podSelector` in the namespaces that match `namespaceSelector`.',
      },
    },
    requireOneOf: ['namespaces', 'pods'],
    exclusive: [['namespaces'], ['pods']],
  };
}

/** `pods` of a subject or peer; v1alpha1 requires both selectors, v1alpha2 only `podSelector`. */
export function namespacedPodSpec(v1alpha1: boolean): ObjectSpec {
  return {
    fields: {
      namespaceSelector: {
        type: SELECTOR,
        doc: v1alpha1
          ? 'The namespaces to look in (`{}`: every namespace).'
          : 'The namespaces to look in (`{}` or absent: every namespace, unlike a NetworkPolicy peer).',
        selects: 'namespaces',
        ...(v1alpha1 ? { required: true } : {}),
      },
      podSelector: {
        type: SELECTOR,
        doc: 'The pods of those namespaces that match (`{}`: every pod). Required: for every pod of some namespaces, use `namespaces` instead.',
        selects: 'pods',
        required: true,
      },
    },
  };
}

/** Peer fields that select pods (ingress and egress). */
export function selectorPeerFields(pods: string): Record<string, FieldSpec> {
  return {
    namespaces: {
      type: SELECTOR,
      doc: 'Every pod of the namespaces whose labels match (`{}`: every pod of the cluster). Never an address outside the cluster.',
      selects: 'namespaces',
    },
    pods: {
      type: { object: pods },
      doc: 'The pods that match `podSelector` in the namespaces that match `namespaceSelector`.',
    },
  };
}

export const NODES_PEER: FieldSpec = {
  type: SELECTOR,
  doc: 'The IPs of the nodes whose labels match (egress only). Manifests have no node inventory: netpol-lens matches nothing with it.',
  since: 'experimental channel of the CRDs',
};

export const NETWORKS_PEER: FieldSpec = {
  type: { list: 'string' },
  doc: 'Destination CIDRs, IPv4 or IPv6, 1-25 entries (egress only). netpol-lens matches addresses outside the cluster with them, never pods.',
  format: 'cidr',
  maxItems: 25,
};

export const DOMAIN_NAMES_PEER: FieldSpec = {
  type: { list: 'string' },
  doc: 'Destination domain names (`*.` prefix allowed), 1-25 entries, egress `Accept`/`Allow` rules only. Resolved at run time: netpol-lens cannot analyse them.',
  format: 'domainName',
  maxItems: 25,
  since: 'experimental channel of the CRDs',
};

export const RULE_NAME: FieldSpec = {
  type: 'string',
  doc: 'A name for the rule (at most 100 characters); explanations and logs show it.',
};

/** A spec's `subject`, `ingress` and `egress`: the same in every admin kind but for the subject type and the rule limit. */
export function subjectAndRules(subject: string, maxRules: number): Record<string, FieldSpec> {
  const rules = (to: string, dir: string, rule: string): FieldSpec => ({
    type: { list: { object: rule } },
    doc: `Rules for connections ${to} the subject, tried in order: the first that matches decides (at most ${maxRules}). None: ${dir} is not affected.`,
    maxItems: maxRules,
  });
  return {
    subject: {
      type: { object: subject },
      doc: 'The pods the policy applies to: `namespaces` (every pod of those namespaces) or `pods`.',
      required: true,
    },
    ingress: rules('to', 'ingress', 'IngressRule'),
    egress: rules('from', 'egress', 'EgressRule'),
  };
}

/** The object types every admin kind has besides its own. */
export const SHARED_OBJECTS: Readonly<Record<string, ObjectSpec>> = LABEL_SELECTOR_OBJECTS;

/** Peer exclusivity: a peer sets exactly one of its fields. */
export function onePeer(fields: readonly string[]): Pick<ObjectSpec, 'requireOneOf' | 'exclusive'> {
  return { requireOneOf: fields, exclusive: fields.map((f) => [f]) };
}
