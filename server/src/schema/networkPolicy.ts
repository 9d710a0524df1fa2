// NetworkPolicy networking.k8s.io/v1 (docs/semantics.md A.1-A.7, versions docs/semantics.md A.12): the fields,
// their documentation, and the policies completion offers as snippets.

import { LABEL_SELECTOR, LABEL_SELECTOR_OBJECTS, NAMESPACE_NAME_LABEL, objectMeta } from './meta';
import type { KindSchema } from './types';

const PEER_SELECTOR = { object: LABEL_SELECTOR } as const;
const PORTS = {
  type: { list: { object: 'NetworkPolicyPort' } },
  doc: 'Destination ports, any of them (OR). Absent or `[]`: every port of every protocol.',
} as const;

export const NETWORK_POLICY: KindSchema = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  root: 'NetworkPolicy',
  formerApiVersions: { 'extensions/v1beta1': 'it stopped being served in Kubernetes 1.16' },
  strayUnderSelector: [
    'ingress',
    'egress',
    'policyTypes',
    'podSelector',
    'namespaceSelector',
    'ipBlock',
    'from',
    'to',
    'ports',
  ],
  objects: {
    NetworkPolicy: {
      fields: {
        apiVersion: {
          type: 'string',
          doc: 'Must be `networking.k8s.io/v1`.',
          enum: ['networking.k8s.io/v1'],
          hover: false,
        },
        kind: { type: 'string', doc: '`NetworkPolicy`.', enum: ['NetworkPolicy'] },
        metadata: { type: { object: 'ObjectMeta' }, doc: 'Name and namespace.' },
        spec: { type: { object: 'NetworkPolicySpec' }, doc: 'What the policy selects and allows.' },
      },
    },
    ObjectMeta: objectMeta({
      name: "The policy's name (DNS-1123 subdomain).",
      namespace: 'The namespace the policy applies in; it only selects pods there.',
      labels: 'Labels of the policy object (no effect on traffic).',
      annotations: 'Annotations (no effect on traffic).',
    }),
    NetworkPolicySpec: {
      fields: {
        podSelector: {
          type: PEER_SELECTOR,
          doc: "The pods of the policy's namespace it applies to (`{}`: every pod).",
          selects: 'pods',
        },
        policyTypes: {
          type: { list: 'string' },
          doc: 'Directions the policy isolates: `Ingress`, `Egress`. Absent: Ingress, plus Egress when there are egress rules.',
          enum: ['Ingress', 'Egress'],
          maxItems: 2,
          since: 'since Kubernetes 1.8',
        },
        ingress: {
          type: { list: { object: 'NetworkPolicyIngressRule' } },
          doc: 'Allow rules for incoming connections (only with Ingress in policyTypes).',
        },
        egress: {
          type: { list: { object: 'NetworkPolicyEgressRule' } },
          doc: 'Allow rules for outgoing connections (only with Egress in policyTypes).',
          since: 'since Kubernetes 1.8',
        },
      },
    },
    NetworkPolicyIngressRule: {
      fields: {
        from: {
          type: { list: { object: 'NetworkPolicyPeer' } },
          doc: 'Sources, any of them (OR). Absent or `[]`: every source, including addresses outside the cluster.',
        },
        ports: PORTS,
      },
      apiOrder: ['ports', 'from'],
    },
    NetworkPolicyEgressRule: {
      fields: {
        to: {
          type: { list: { object: 'NetworkPolicyPeer' } },
          doc: 'Destinations, any of them (OR). Absent or `[]`: every destination, including the internet.',
        },
        ports: PORTS,
      },
      apiOrder: ['ports', 'to'],
    },
    NetworkPolicyPeer: {
      fields: {
        podSelector: {
          type: PEER_SELECTOR,
          doc: "Pods that match. Without `namespaceSelector` it only looks in the policy's own namespace; with it, both must match (AND).",
          selects: 'pods',
        },
        namespaceSelector: {
          type: PEER_SELECTOR,
          doc: 'Namespaces whose pods match (`{}`: every namespace). Alone, it means every pod of those namespaces.',
          selects: 'namespaces',
        },
        ipBlock: {
          type: { object: 'IPBlock' },
          doc: 'Addresses outside the cluster (`cidr`, `except`). Cannot be combined with the selectors.',
          since: 'since Kubernetes 1.8',
        },
      },
      requireOneOf: ['podSelector', 'namespaceSelector', 'ipBlock'],
      exclusive: [['ipBlock'], ['podSelector', 'namespaceSelector']],
    },
    IPBlock: {
      fields: {
        cidr: {
          type: 'string',
          doc: 'An IPv4 or IPv6 CIDR, e.g. `192.168.1.0/24` (required; a bare IP needs `/32`).',
          required: true,
          format: 'cidr',
        },
        except: {
          type: { list: 'string' },
          doc: 'CIDRs removed from `cidr`; each must lie strictly inside it.',
          format: 'cidr',
        },
      },
    },
    NetworkPolicyPort: {
      fields: {
        protocol: {
          type: 'string',
          doc: '`TCP` (the default), `UDP` or `SCTP` (case-sensitive).',
          enum: ['TCP', 'UDP', 'SCTP'],
          since: '`SCTP` since Kubernetes 1.20; the network plugin must support it',
        },
        port: {
          type: 'intOrString',
          doc: 'A number (1-65535) or a named port, looked up on the destination pods. Absent: every port of the protocol.',
          format: 'port',
          values: 'namedPorts',
        },
        endPort: {
          type: 'int',
          doc: 'Inclusive end of a range starting at a numeric `port` (needs network-plugin support).',
          format: 'portNumber',
          since: 'since Kubernetes 1.25; the network plugin must support it',
        },
      },
    },
    ...LABEL_SELECTOR_OBJECTS,
  },
  snippets: [
    {
      label: 'NetworkPolicy: default-deny ingress',
      detail: 'deny every incoming connection to every pod of the namespace',
      name: 'default-deny-ingress',
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      label: 'NetworkPolicy: default-deny all',
      detail: 'deny every incoming and outgoing connection of every pod of the namespace',
      name: 'default-deny-all',
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      label: 'NetworkPolicy: allow DNS egress',
      detail: 'allow UDP and TCP {dnsPort} to the cluster DNS ({dnsNamespace})',
      name: 'allow-dns-egress',
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: { hole: 'dnsNamespace' } } },
                podSelector: { matchLabels: { hole: 'dnsPodLabels' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: { hole: 'dnsPort' } },
              { protocol: 'TCP', port: { hole: 'dnsPort' } },
            ],
          },
        ],
      },
    },
    {
      label: 'NetworkPolicy: allow from same namespace',
      detail: "allow incoming connections from every pod of the policy's own namespace",
      name: 'allow-same-namespace',
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    },
    {
      label: 'NetworkPolicy: allow from a namespace by name',
      detail: `allow incoming connections from every pod of one namespace (by ${NAMESPACE_NAME_LABEL})`,
      name: 'allow-from-namespace',
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: { hole: 'peerNamespace' } } } }] },
        ],
      },
    },
  ],
};
