// ClusterNetworkPolicy policy.networking.k8s.io/v1alpha2 (network-policy-api v0.2.0,
// experimental channel; docs/semantics.md D.1, D.2): the fields, their documentation, and the
// snippets completion offers.

import {
  ADMIN_V1ALPHA2,
  subjectAndRules,
  clusterMeta,
  DOMAIN_NAMES_PEER,
  namespacedPodSpec,
  NETWORKS_PEER,
  NODES_PEER,
  onePeer,
  RULE_NAME,
  selectorPeerFields,
  SHARED_OBJECTS,
  subjectSpec,
} from './adminShared';
import { NAMESPACE_NAME_LABEL } from './meta';
import type { FieldSpec, KindSchema, ObjectSpec } from './types';

const ACTION: FieldSpec = {
  type: 'string',
  doc: 'What a match does: `Accept` (allowed; lower tiers are not consulted), `Deny` (denied; nothing else is consulted) or `Pass` (skip the rest of this tier: in the Admin tier NetworkPolicies, then the Baseline tier, decide).',
  enum: ['Accept', 'Deny', 'Pass'],
  required: true,
};

const PROTOCOLS: FieldSpec = {
  type: { list: { object: 'Protocol' } },
  doc: 'Destination ports, any of them (OR), 1-25 entries. Absent: every port of every protocol.',
  maxItems: 25,
};

function rule(peersKey: 'from' | 'to', peer: string): ObjectSpec {
  return {
    fields: {
      name: RULE_NAME,
      action: ACTION,
      [peersKey]: {
        type: { list: { object: peer } },
        doc:
          peersKey === 'from'
            ? 'Sources, any of them (OR): 1-25 peers, pods only (no ingress rule matches an address outside the cluster).'
            : 'Destinations, any of them (OR): 1-25 peers.',
        required: true,
        maxItems: 25,
      },
      protocols: PROTOCOLS,
    },
    apiOrder: ['name', 'action', peersKey, 'protocols'],
  };
}

const PROTOCOL_PORT = (proto: string): FieldSpec => ({
  type: { object: 'ProtocolPort' },
  doc: `${proto} to \`destinationPort\` (a \`number\` or a \`range\`; required: for every ${proto} port, write the range 1-65535).`,
});

export const CLUSTER_NETWORK_POLICY: KindSchema = {
  apiVersion: ADMIN_V1ALPHA2,
  kind: 'ClusterNetworkPolicy',
  root: 'ClusterNetworkPolicy',
  objects: {
    ClusterNetworkPolicy: {
      fields: {
        apiVersion: { type: 'string', doc: `Must be \`${ADMIN_V1ALPHA2}\`.`, enum: [ADMIN_V1ALPHA2], hover: false },
        kind: {
          type: 'string',
          doc: '`ClusterNetworkPolicy`: cluster-wide rules in the Admin tier (before NetworkPolicies) or the Baseline tier (after them).',
          enum: ['ClusterNetworkPolicy'],
        },
        metadata: { type: { object: 'ObjectMeta' }, doc: 'The name (no namespace: the object is cluster-scoped).' },
        spec: {
          type: { object: 'Spec' },
          doc: 'Tier, priority, what the policy selects and its rules.',
          required: true,
        },
      },
    },
    ObjectMeta: clusterMeta('ClusterNetworkPolicy'),
    Spec: {
      fields: {
        tier: {
          type: 'string',
          doc: '`Admin`: evaluated before every NetworkPolicy, which cannot override it. `Baseline`: consulted only where no NetworkPolicy isolates the pod for that direction.',
          enum: ['Admin', 'Baseline'],
          required: true,
        },
        priority: {
          type: 'int',
          doc: 'Order within the tier: lower numbers are evaluated first (0-1000). Two policies of one tier with the same priority that overlap give an undefined result.',
          required: true,
        },
        ...subjectAndRules('ClusterNetworkPolicySubject', 25),
      },
    },
    ClusterNetworkPolicySubject: subjectSpec('NamespacedPod'),
    NamespacedPod: namespacedPodSpec(false),
    IngressRule: rule('from', 'IngressPeer'),
    EgressRule: rule('to', 'EgressPeer'),
    IngressPeer: { fields: selectorPeerFields('NamespacedPod'), ...onePeer(['namespaces', 'pods']) },
    EgressPeer: {
      fields: {
        ...selectorPeerFields('NamespacedPod'),
        nodes: NODES_PEER,
        networks: NETWORKS_PEER,
        domainNames: DOMAIN_NAMES_PEER,
      },
      ...onePeer(['namespaces', 'pods', 'nodes', 'networks', 'domainNames']),
    },
    Protocol: {
      fields: {
        tcp: PROTOCOL_PORT('TCP'),
        udp: PROTOCOL_PORT('UDP'),
        sctp: PROTOCOL_PORT('SCTP'),
        destinationNamedPort: {
          type: 'string',
          doc: 'A container port name, looked up on the pods that receive the connection, with its own protocol. Not with `networks`, `nodes` or `domainNames` peers.',
        },
      },
      ...onePeer(['tcp', 'udp', 'sctp', 'destinationNamedPort']),
    },
    ProtocolPort: {
      fields: {
        destinationPort: {
          type: { object: 'DestinationPort' },
          doc: 'The destination port: a `number` or a `range`.',
          required: true,
        },
      },
    },
    DestinationPort: {
      fields: {
        number: { type: 'int', doc: 'One port (1-65535).', format: 'portNumber' },
        range: { type: { object: 'ProtocolPortRange' }, doc: 'The ports `start`-`end`, inclusive; `start` < `end`.' },
      },
      ...onePeer(['number', 'range']),
    },
    ProtocolPortRange: {
      fields: {
        start: { type: 'int', doc: 'First port (1-65535), smaller than `end`.', required: true, format: 'portNumber' },
        end: {
          type: 'int',
          doc: 'Last port (1-65535), inclusive, greater than `start`.',
          required: true,
          format: 'portNumber',
        },
      },
    },
    ...SHARED_OBJECTS,
  },
  snippets: [
    {
      label: 'ClusterNetworkPolicy: Admin tier',
      detail: 'Admin tier (v1alpha2): decided before any NetworkPolicy; deny ingress from one namespace',
      name: 'admin-deny-from-namespace',
      spec: {
        tier: 'Admin',
        priority: 10,
        subject: { namespaces: {} },
        ingress: [
          {
            name: 'deny-from-namespace',
            action: 'Deny',
            from: [{ namespaces: { matchLabels: { [NAMESPACE_NAME_LABEL]: { hole: 'peerNamespace' } } } }],
          },
        ],
      },
    },
    {
      label: 'ClusterNetworkPolicy: Baseline tier',
      detail: 'Baseline tier (v1alpha2): deny ingress from every pod wherever no NetworkPolicy isolates the pod',
      name: 'baseline-default-deny',
      spec: {
        tier: 'Baseline',
        priority: 1000,
        subject: { namespaces: {} },
        ingress: [{ name: 'deny-all-ingress', action: 'Deny', from: [{ namespaces: {} }] }],
      },
    },
  ],
};
