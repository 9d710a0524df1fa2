// The Markdown export of a traffic diagram (the panel's "Save as Markdown" and `netpol-lens diagram
// --format md`): a pure format of three fields of the protocol's DiagramResult, so it lives with
// the wire types and the client formats the result it already holds (no second request, and the
// Mermaid text is not sent twice on every refresh).

import type { DiagramResult } from './diagram';

/** The legend, one entry a line (the panel draws its own; the Markdown export prints this). */
export const DIAGRAM_LEGEND: readonly string[] = [
  'solid arrow: a connection may be opened in that direction (label: ports); green = ingress into the namespace, blue = egress out of it, grey = inside it',
  'dotted arrow: replies of a connection (always allowed, not egress); shown when replies are on',
  'orange dashed border / "open": no policy isolates the workload in that direction, so it allows everything there',
  "group nodes (anywhere, any pod in …, IP ranges): what this namespace's rules allow; the other side's policies may still block a connection",
  '"none in the workspace": pods a rule names that no manifest here defines (they may be deployed from elsewhere)',
  'thick purple arrow: allowed by an admin Accept/Allow rule (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) before any NetworkPolicy is consulted',
  'red dashed arrow with a cross: denied by an admin policy (Admin or Baseline tier) although NetworkPolicies alone would allow it (label: the denied ports)',
];

/** The Markdown export: a heading, the ```mermaid fenced block (GitHub renders it) and the legend. */
export function diagramMarkdown(result: Pick<DiagramResult, 'namespace' | 'mermaid' | 'message'>): string {
  // manifest strings (namespace names in the title and message) are untrusted: keep them plain text
  const plain = (t: string): string =>
    t.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\\`*_[\]<>&|#!()@]/g, (c) => `&#${c.charCodeAt(0)};`);
  const fence = result.mermaid.includes('```') ? '~~~' : '```';
  const title = result.namespace ? `Traffic of namespace ${plain(result.namespace)}` : 'Traffic diagram';
  const out = [`## ${title}`, ''];
  if (result.message) out.push(`> ${plain(result.message)}`, '');
  out.push(`${fence}mermaid`, result.mermaid.replace(/\n+$/, ''), fence, '');
  for (const l of DIAGRAM_LEGEND) out.push(`- ${l}`);
  return `${out.join('\n')}\n`;
}
