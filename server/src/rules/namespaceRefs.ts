// P24: namespaces selected by a label they do not have (`name: x` instead of
// kubernetes.io/metadata.name), and namespaceSelectors that match no namespace of the workspace.

import type { NormPeer, NormPolicy } from '../analysis/policy';
import { NAME_LABEL } from '../analysis/world';
import { get, type PMap } from '../model/tree';
import type { Report, RuleContext } from './types';
import { keyOf } from './util';
import { namespaceFacts } from './worldFacts';

type PodPeer = Extract<NormPeer, { kind: 'pods' }>;

/** `matchLabels` keys that people expect namespaces to carry. Returns whether one was reported. */
function checkGuessedLabels(ctx: RuleContext, selNode: PMap, report: Report): boolean {
  const ml = get(selNode, 'matchLabels');
  if (!ml || ml.t !== 'map') return false;
  const facts = namespaceFacts(ctx.inv);
  let reported = false;
  for (const en of ml.entries) {
    if (!['name', 'namespace', 'ns'].includes(en.key) || en.value.t !== 'scalar') continue;
    const val = String(en.value.v ?? '');
    if (facts.labels.has(`${en.key}\u0000${val}`)) continue;
    reported = true;
    report({
      rule: 'NPP24',
      severity: facts.declaredAny ? 'warning' : 'hint',
      s: en.ks,
      e: en.value.e,
      related: [...facts.related],
      message: `Namespaces are not labelled "${en.key}" unless someone adds that label${facts.declaredAny ? `, and no namespace in the workspace has ${en.key}=${val}` : ''}. Select a namespace by name with kubernetes.io/metadata.name: ${val}, which every namespace carries.`,
      data: { useNameLabel: val, key: en.key },
    });
  }
  return reported;
}

/** A namespaceSelector that matches none of the workspace's (declared) namespaces. */
function checkMatchesNone(ctx: RuleContext, peer: PodPeer, selNode: PMap, report: Report): void {
  const sel = peer.namespaceSelector!;
  const facts = namespaceFacts(ctx.inv);
  if (!facts.declaredAny || ctx.inv.namespacesMatching(sel).length) return;
  // a namespace chosen by name (kubernetes.io/metadata.name) may simply not be in these
  // manifests (kube-system, a monitoring namespace of another repository): not a mistake
  if (sel.reqs.length > 0 && sel.reqs.every((q) => q.key === NAME_LABEL && q.op === 'In')) return;
  const selKey = keyOf(peer.node, 'namespaceSelector');
  report({
    rule: 'NPP24',
    severity: 'warning',
    s: selKey ? selKey.ks : selNode.s,
    e: selKey ? selKey.ke : selNode.e,
    related: [...facts.related],
    message: `This namespaceSelector matches no namespace in the workspace (${facts.names}), so this peer allows nothing. Check the labels; to select a namespace by name use kubernetes.io/metadata.name.`,
  });
}

export function checkNamespaceRefs(ctx: RuleContext, p: NormPolicy, report: Report): void {
  for (const r of [...p.ingress, ...p.egress]) {
    for (const peer of r.peers ?? []) {
      if (peer.kind !== 'pods' || !peer.namespaceSelector) continue;
      const selNode = get(peer.node, 'namespaceSelector');
      if (!selNode || selNode.t !== 'map') continue;
      if (!checkGuessedLabels(ctx, selNode, report)) checkMatchesNone(ctx, peer, selNode, report);
    }
  }
}
