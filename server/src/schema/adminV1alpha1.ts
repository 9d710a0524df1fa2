// AdminNetworkPolicy and BaselineAdminNetworkPolicy policy.networking.k8s.io/v1alpha1
// (network-policy-api up to v0.1.8, experimental channel; docs/semantics.md D.1, D.2): the fields,
// their documentation, and the snippets completion offers.

import {
  ADMIN_V1ALPHA1,
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

const ACTION_DOC: Record<string, string> = {
  AdminNetworkPolicy:
    'What a match does: `Allow` (allowed; NetworkPolicies and the baseline are not consulted), `Deny` (denied; nothing else is consulted) or `Pass` (skip the rest of the Admin tier: NetworkPolicies, then the baseline, decide).',
  BaselineAdminNetworkPolicy:
    'What a match does: `Allow` or `Deny`. The baseline is only consulted where no NetworkPolicy isolates the pod for that direction.',
};

function rule(kind: string, actions: readonly string[], peersKey: 'from' | 'to', peer: string): ObjectSpec {
  return {
    fields: {
      name: RULE_NAME,
      action: { type: 'string', doc: ACTION_DOC[kind], enum: actions, required: true },
      [peersKey]: {
        type: { list: { object: peer } },
        doc:
          peersKey === 'from'
            ? 'Sources, any of them (OR): 1-100 peers, pods only (no admin ingress rule matches an address outside the cluster).'
            : 'Destinations, any of them (OR): 1-100 peers.',
        required: true,
        maxItems: 100,
      },
      ports: {
        type: { list: { object: 'AdminNetworkPolicyPort' } },
        doc: 'Destination ports, any of them (OR), 1-100 entries. Absent: every port of every protocol.',
        maxItems: 100,
      },
    },
    apiOrder: ['name', 'action', peersKey, 'ports'],
  };
}

const PROTOCOL: FieldSpec = {
  type: 'string',
  doc: '`TCP` (the default), `UDP` or `SCTP`. The v1alpha1 CRDs accept any string; other values match no traffic.',
};

const PORT_OBJECTS: Readonly<Record<string, ObjectSpec>> = {
  AdminNetworkPolicyPort: {
    fields: {
      portNumber: { type: { object: 'Port' }, doc: 'One port of one protocol (`protocol`, `port`).' },
      namedPort: {
        type: 'string',
        doc: 'A container port name, looked up on the pods that receive the connection, with its own protocol.',
        since: 'experimental channel of the CRDs',
      },
      portRange: {
        type: { object: 'PortRange' },
        doc: 'The ports `start`-`end` (inclusive) of one protocol.',
      },
    },
    ...onePeer(['portNumber', 'namedPort', 'portRange']),
  },
  Port: {
    fields: {
      protocol: PROTOCOL,
      port: { type: 'int', doc: 'The port number (1-65535).', required: true, format: 'portNumber' },
    },
  },
  PortRange: {
    fields: {
      protocol: PROTOCOL,
      start: { type: 'int', doc: 'First port of the range (1-65535).', required: true, format: 'portNumber' },
      end: {
        type: 'int',
        doc: 'Last port of the range (1-65535), inclusive; should be greater than `start` (the v1alpha1 CRDs do not check it).',
        required: true,
        format: 'portNumber',
      },
    },
  },
};

function v1alpha1Kind(kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy'): KindSchema {
  const anp = kind === 'AdminNetworkPolicy';
  const actions = anp ? ['Allow', 'Deny', 'Pass'] : ['Allow', 'Deny'];
  const egressPeer = anp
    ? ['namespaces', 'pods', 'nodes', 'networks', 'domainNames']
    : ['namespaces', 'pods', 'nodes', 'networks'];
  const spec: Record<string, FieldSpec> = {};
  if (anp) {
    spec.priority = {
      type: 'int',
      doc: 'Order in the Admin tier: lower numbers are evaluated first (0-1000). Two policies with the same priority that overlap give an undefined result.',
      required: true,
    };
  }
  Object.assign(spec, subjectAndRules('AdminNetworkPolicySubject', 100));
  return {
    apiVersion: ADMIN_V1ALPHA1,
    kind,
    root: kind,
    objects: {
      [kind]: {
        fields: {
          apiVersion: { type: 'string', doc: `Must be \`${ADMIN_V1ALPHA1}\`.`, enum: [ADMIN_V1ALPHA1], hover: false },
          kind: {
            type: 'string',
            doc: anp
              ? '`AdminNetworkPolicy`: cluster-wide rules evaluated before every NetworkPolicy.'
              : '`BaselineAdminNetworkPolicy`: the cluster default, consulted only where no NetworkPolicy isolates a pod.',
            enum: [kind],
          },
          metadata: {
            type: { object: 'ObjectMeta' },
            doc: anp ? 'The name (no namespace: the object is cluster-scoped).' : 'The name, which must be `default`.',
          },
          spec: { type: { object: 'Spec' }, doc: 'What the policy selects and its rules.', required: true },
        },
      },
      ObjectMeta: clusterMeta(
        kind,
        anp
          ? undefined
          : {
              type: 'string',
              doc: 'Must be `default`: the cluster has at most one BaselineAdminNetworkPolicy.',
              enum: ['default'],
            },
      ),
      Spec: { fields: spec },
      AdminNetworkPolicySubject: subjectSpec('NamespacedPod'),
      NamespacedPod: namespacedPodSpec(true),
      IngressRule: rule(kind, actions, 'from', 'IngressPeer'),
      EgressRule: rule(kind, actions, 'to', 'EgressPeer'),
      IngressPeer: { fields: selectorPeerFields('NamespacedPod'), ...onePeer(['namespaces', 'pods']) },
      EgressPeer: {
        fields: {
          ...selectorPeerFields('NamespacedPod'),
          nodes: NODES_PEER,
          networks: NETWORKS_PEER,
          ...(anp ? { domainNames: DOMAIN_NAMES_PEER } : {}),
        },
        ...onePeer(egressPeer),
      },
      ...PORT_OBJECTS,
      ...SHARED_OBJECTS,
    },
    snippets: [
      anp
        ? {
            label: 'AdminNetworkPolicy: deny from a namespace',
            detail:
              'Admin tier (v1alpha1): deny ingress from one namespace to every namespace, before any NetworkPolicy',
            name: 'deny-from-namespace',
            spec: {
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
          }
        : {
            label: 'BaselineAdminNetworkPolicy: default-deny ingress',
            detail: 'Baseline tier (v1alpha1): deny ingress from every pod wherever no NetworkPolicy isolates the pod',
            name: 'default',
            spec: {
              subject: { namespaces: {} },
              ingress: [{ name: 'deny-all-ingress', action: 'Deny', from: [{ namespaces: {} }] }],
            },
          },
    ],
  };
}

export const ADMIN_NETWORK_POLICY: KindSchema = v1alpha1Kind('AdminNetworkPolicy');
export const BASELINE_ADMIN_NETWORK_POLICY: KindSchema = v1alpha1Kind('BaselineAdminNetworkPolicy');
