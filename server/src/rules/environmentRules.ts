// The rules about environments (docs/environments.md): a kustomization or chart that could not be
// rendered (NPX09), and a Kustomize transformer that changed a peer's selector (NPX10). Their
// findings come from the environments layer (server/src/environments/), which renders the
// environments and compares what was rendered with the source; this module only declares them,
// so that they have metadata, settings, SARIF rules and documentation like every other rule. On a
// single file without environments they never fire.

import type { RuleModule } from './types';

export const environmentRules: RuleModule = {
  rules: [
    {
      id: 'NPX09',
      name: 'environment-not-rendered',
      severity: 'warning',
      title: 'environment not rendered',
      description:
        'A kustomization or Helm chart could not be rendered (the tool is missing, failed, took too long or printed too much), so its objects are not analysed. The message has the tool’s own error and how to fix it.',
    },
    {
      id: 'NPX10',
      name: 'selector-changed-by-transformer',
      severity: 'warning',
      title: 'a kustomization adds labels to a peer selector',
      description:
        'Kustomize labels with includeSelectors: true (and commonLabels) are added to NetworkPolicy selectors, peers included: the peer then matches only pods that carry the label, which pods in other namespaces (DNS, monitoring) or outside the kustomization usually do not.',
      crossFile: true,
    },
  ],
  check() {
    // reported by server/src/environments (rendered environments compared with their sources)
  },
};
