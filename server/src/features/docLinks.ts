// Links to documentation: the Kubernetes NetworkPolicy pages that hovers cite, and the rule pages
// (docs/rules/<ID>.md) when the client knows where they are.

import type { FeatureContext } from './context';
import { esc } from './markdown';

const K8S_DOC = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';
export const REF = {
  resource: `${K8S_DOC}#networkpolicy-resource`,
  selectors: `${K8S_DOC}#behavior-of-to-and-from-selectors`,
  isolation: `${K8S_DOC}#the-two-sorts-of-pod-isolation`,
  defaults: `${K8S_DOC}#default-policies`,
  ports: `${K8S_DOC}#targeting-a-range-of-ports`,
  namespaceByName: `${K8S_DOC}#targeting-a-namespace-by-its-name`,
  hostNetwork: `${K8S_DOC}#networkpolicy-and-hostnetwork-pods`,
  labels: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
} as const;

/** A link to a rule page, or the rule id alone when no page is known. */
export function ruleLink(ctx: FeatureContext, id: string): string {
  const href = ctx.ruleDoc?.(id);
  return href ? `[${id}](${href})` : id;
}

export function refLink(label: string, href: string): string {
  return `[${esc(label)}](${href})`;
}
