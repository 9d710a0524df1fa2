// Cases for the policyTypes pitfalls (NPP03, NPP04, NPP05, NPP31).

import { fires, policy, type RuleCase, silent } from '../helpers';

// interpolated after `egress:` in the specs below (which are indented by six spaces)
const egressRule = `
        - to:
            - podSelector: {}`;

export const policyTypesCases: RuleCase[] = [
  fires('NPP03', 'egress rules, no ingress, no policyTypes', {
    files: policy(
      'egress-only',
      `
      podSelector: {}
      egress:${egressRule}
    `,
    ),
    spans: ['egress'],
    message: ['defaults to [Ingress, Egress]', 'lose every incoming connection', 'add policyTypes: [Egress]'],
    data: { policyTypesFix: true },
  }),
  fires('NPP03', 'an explicitly empty ingress list does not help', {
    files: policy(
      'egress-only',
      `
      podSelector: {}
      ingress: []
      egress:${egressRule}
    `,
    ),
    spans: ['egress'],
    message: ['(the ingress list is empty)'],
  }),
  silent('NPP03', 'policyTypes: [Egress] says what is meant', {
    files: policy(
      'egress-only',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress:${egressRule}
    `,
    ),
    alsoAbsent: ['NPP04', 'NPP05'],
  }),
  silent('NPP03', 'ingress rules next to the egress rules', {
    files: policy(
      'both',
      `
      podSelector: {}
      ingress:
        - from:
            - podSelector: {}
      egress:${egressRule}
    `,
    ),
    alsoAbsent: ['NPP04', 'NPP05'],
  }),
  fires('NPP04', 'ingress rules with policyTypes: [Egress]', {
    files: policy(
      'dead-ingress',
      `
      podSelector: {}
      policyTypes: [Egress]
      ingress:
        - from:
            - podSelector: {}
      egress:${egressRule}
    `,
    ),
    spans: ['ingress'],
    message: ['This ingress rule is ignored', 'policyTypes does not include Ingress', 'Add Ingress to policyTypes'],
    data: { addType: 'Ingress' },
  }),
  fires('NPP04', 'two egress rules with policyTypes: [Ingress]', {
    files: policy(
      'dead-egress',
      `
      podSelector: {}
      policyTypes: [Ingress]
      egress:
        - to:
            - podSelector: {}
        - ports:
            - port: 443
    `,
    ),
    spans: ['egress'],
    message: ['These 2 egress rules are ignored', 'Add Egress to policyTypes or remove the egress section'],
    data: { addType: 'Egress' },
  }),
  silent('NPP04', 'both types listed', {
    files: policy(
      'both',
      `
      podSelector: {}
      policyTypes: [Ingress, Egress]
      ingress:
        - from:
            - podSelector: {}
      egress:${egressRule}
    `,
    ),
    alsoAbsent: ['NPP03'],
  }),
  fires('NPP05', '`egress: []` without policyTypes', {
    files: policy(
      'deny-egress',
      `
      podSelector: {}
      egress: []
    `,
    ),
    spans: ['egress: []'],
    message: ['does not isolate egress', 'egress stays open', 'add policyTypes: [Ingress, Egress]'],
    data: { policyTypesFix: true },
  }),
  silent('NPP05', '`egress: []` with policyTypes: [Egress]', {
    files: policy(
      'deny-egress',
      `
      podSelector: {}
      policyTypes: [Egress]
      egress: []
    `,
    ),
    alsoAbsent: ['NPP03', 'NPP04'],
  }),
  fires('NPP31', 'Ingress listed twice', {
    files: policy(
      'twice',
      `
      podSelector: {}
      policyTypes: [Ingress, Ingress]
    `,
    ),
    spans: ['Ingress'],
    message: ['"Ingress" is listed twice', 'did you mean Egress?'],
  }),
  silent('NPP31', 'each type once', {
    files: policy(
      'once',
      `
      podSelector: {}
      policyTypes: [Ingress, Egress]
    `,
    ),
  }),
  silent('NPP31', 'three entries are NPV04, not also a duplicate hint', {
    files: policy(
      'three',
      `
      podSelector: {}
      policyTypes: [Ingress, Egress, Ingress]
    `,
    ),
  }),
];
