// `netpol-lens diagram`: the same Mermaid text the panel shows, for pull requests and docs.

import { computeConnectivity, type Connectivity } from '../analysis/connectivity';
import type { World } from '../analysis/world';
import { buildDiagram } from '../diagram/mermaid';
import type { DiagramTiers } from '../protocol/diagram';
import { diagramMarkdown } from '../protocol/diagramMarkdown';

export type DiagramFormat = 'mermaid' | 'md';

/** The namespace asked for does not occur in the manifests; carries the ones that do. */
export class UnknownNamespaceError extends Error {
  constructor(
    readonly namespace: string,
    readonly namespaces: readonly string[],
  ) {
    super(
      namespaces.length
        ? `namespace "${namespace}" does not occur in the manifests; namespaces: ${namespaces.join(', ')}`
        : `namespace "${namespace}" does not occur in the manifests (they define no namespaces or workloads)`,
    );
    this.name = 'UnknownNamespaceError';
  }
}

/**
 * The diagram of `namespace` as Mermaid text, or as Markdown (a heading, a ```mermaid block that
 * GitHub renders, the legend). Throws UnknownNamespaceError for a namespace the world lacks.
 * `conn` may be passed when the caller has computed the connectivity already.
 */
export function renderDiagram(
  world: World,
  namespace: string,
  format: DiagramFormat,
  conn?: Connectivity,
  opts: { showReplies?: boolean; merge?: boolean; tiers?: DiagramTiers } = {},
): string {
  if (!namespace || !world.namespaces.has(namespace)) {
    throw new UnknownNamespaceError(namespace, [...world.namespaces.keys()].filter(Boolean).sort());
  }
  const result = buildDiagram(world, conn ?? computeConnectivity(world), { namespace, ...opts });
  if (format === 'md') return diagramMarkdown(result);
  const note = result.message ? `%% ${result.message.replace(/[^A-Za-z0-9 .,:()'/-]/g, '?')}\n` : '';
  return note + result.mermaid;
}
