// Selectors checked against the workspace: policies that select nothing (docs/semantics.md C.37), hostNetwork pods
// selected or matched (docs/semantics.md C.39), pod-only peers that only match pods of other namespaces (docs/semantics.md C.25), NotIn
// matching objects without the label (docs/semantics.md C.27).

import type { NormPeer, NormPolicy } from '../analysis/policy';
import type { NamespaceInfo, Workload } from '../analysis/world';
import { get, type PEntry, type PNode, type PSeq } from '../model/tree';
import type { Report, RuleContext } from './types';
import { keyOf, labelText, listNames, namespaceLocations, policyAnchor, workloadLocations } from './util';
import { plural } from '../model/words';
import { workloadsAnywhere } from './worldFacts';

type PodPeer = Extract<NormPeer, { kind: 'pods' }>;

/** P37: a podSelector that selects none of the workloads of its namespace. */
function checkSelectsNothing(ctx: RuleContext, p: NormPolicy, psEntry: PEntry | undefined, report: Report): void {
  const nsWorkloads = ctx.inv.byNamespace.get(p.namespace) ?? [];
  if (ctx.inv.selectedBy(p).length || !nsWorkloads.length) return;
  const span = psEntry ? { s: psEntry.ks, e: psEntry.ke } : policyAnchor(p);
  report({
    rule: 'NPP37',
    severity: 'warning',
    s: span.s,
    e: span.e,
    related: workloadLocations(nsWorkloads, (w) => `${w.key}: ${labelText(w.labels)}`),
    message: `This podSelector selects no workload of namespace ${p.namespace} in the workspace (it has ${plural(nsWorkloads.length, 'workload')}: ${listNames(nsWorkloads.map((w) => w.name))}). Check the labels and the namespace; as written the policy does nothing.`,
  });
}

/** P39: the policy selects hostNetwork workloads. */
function checkHostNetworkSelected(ctx: RuleContext, p: NormPolicy, psEntry: PEntry | undefined, report: Report): void {
  const hn = ctx.inv.selectedBy(p).filter((w) => w.hostNetwork);
  if (!hn.length || !psEntry) return;
  report({
    rule: 'NPP39',
    severity: 'warning',
    s: psEntry.ks,
    e: psEntry.ke,
    related: workloadLocations(hn, (w) => `${w.key}: hostNetwork: true`, 'hostNetwork'),
    message: `${listNames(hn.map((w) => w.key))} use${hn.length === 1 ? 's' : ''} hostNetwork: what a policy does to host-network pods is undefined; most plugins neither isolate nor match them. Use an ipBlock on the node addresses instead.`,
  });
}

/** P39 for a peer: it matches hostNetwork workloads. */
function checkHostNetworkPeer(peer: PodPeer, matched: readonly Workload[], report: Report): void {
  const hnPeer = matched.filter((w) => w.hostNetwork);
  if (!hnPeer.length) return;
  report({
    rule: 'NPP39',
    severity: 'warning',
    s: peer.node.s,
    e: peer.node.e,
    related: workloadLocations(hnPeer, (w) => `${w.key}: hostNetwork: true`, 'hostNetwork'),
    message: `This peer matches host-network workloads (${listNames(hnPeer.map((w) => w.key))}); their traffic usually appears as node traffic and is not matched by selectors. Use an ipBlock on the node addresses.`,
  });
}

/** P25: a pod-only peer that matches nothing in the policy's namespace but pods elsewhere. */
function checkPodPeerElsewhere(
  ctx: RuleContext,
  p: NormPolicy,
  peer: PodPeer,
  matched: readonly Workload[],
  report: Report,
): void {
  if (peer.namespaceSelector || !peer.podSelector || matched.length || !ctx.world.workloads.length) return;
  const sel = peer.podSelector;
  const elsewhere =
    sel.reqs.length > 0 ? workloadsAnywhere(ctx.inv, sel).filter((w) => w.namespace !== p.namespace) : [];
  if (!elsewhere.length) return;
  const namespaces = [...new Set(elsewhere.map((w) => w.namespace))];
  const en = keyOf(peer.node, 'podSelector')!;
  report({
    rule: 'NPP25',
    severity: 'warning',
    s: en.ks,
    e: en.ke,
    related: workloadLocations(elsewhere, (w) => `${w.key}: ${labelText(w.labels)}`),
    message: `A podSelector without namespaceSelector only looks in the policy's namespace (${p.namespace}), where it matches nothing; the pods it describes are in ${listNames(namespaces)} (${listNames(
      elsewhere.map((w) => w.key),
      3,
    )}). Add a namespaceSelector (e.g. kubernetes.io/metadata.name) in the same peer.`,
    data: { addNamespaceSelector: namespaces[0] },
  });
}

function hasNegative(sel: PNode): boolean {
  const me = get(sel, 'matchExpressions');
  return (
    !!me &&
    me.t === 'seq' &&
    me.items.some((i) => {
      const op = get(i, 'operator');
      return !!op && op.t === 'scalar' && (op.v === 'NotIn' || op.v === 'DoesNotExist');
    })
  );
}

/** The objects a selector is matched against: workloads (of some namespaces) or namespaces. */
interface Scope {
  readonly what: 'pod' | 'namespace';
  /** Names the object list, for the per-world memo. */
  readonly key: string;
  readonly objects: () => ScopeObject[];
}

interface ScopeObject {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly w?: Workload;
  readonly ns?: NamespaceInfo;
}

function workloadScope(ctx: RuleContext, key: string, namespaces: readonly string[]): Scope {
  return {
    what: 'pod',
    key,
    objects: () =>
      namespaces.flatMap((ns) => ctx.inv.byNamespace.get(ns) ?? []).map((w) => ({ name: w.key, labels: w.labels, w })),
  };
}

function namespaceScope(ctx: RuleContext): Scope {
  return {
    what: 'namespace',
    key: '',
    objects: () => ctx.inv.namespaceList().map((n) => ({ name: n.name, labels: n.labels, ns: n })),
  };
}

/** Keys a selector requires to be present anyway (matchLabels, Exists, In). */
function requiredKeys(sel: PNode, me: PSeq): Set<string> {
  const required = new Set<string>();
  const ml = get(sel, 'matchLabels');
  if (ml && ml.t === 'map') for (const en of ml.entries) required.add(en.key);
  for (const item of me.items) {
    const op = get(item, 'operator');
    const key = get(item, 'key');
    if (
      op?.t === 'scalar' &&
      (op.v === 'Exists' || op.v === 'In') &&
      key?.t === 'scalar' &&
      typeof key.v === 'string'
    ) {
      required.add(key.v);
    }
  }
  return required;
}

/** P27: NotIn on a key the selector does not otherwise require also matches unlabelled objects. */
function checkNegative(ctx: RuleContext, sel: PNode, scope: Scope, report: Report): void {
  const me = get(sel, 'matchExpressions');
  if (!me || me.t !== 'seq') return;
  const required = requiredKeys(sel, me);
  for (const item of me.items) {
    const op = get(item, 'operator');
    const key = get(item, 'key');
    // DoesNotExist is meant to match objects without the label; NotIn is the surprise
    if (!op || op.t !== 'scalar' || op.v !== 'NotIn' || !key || key.t !== 'scalar' || typeof key.v !== 'string') {
      continue;
    }
    const k = key.v;
    if (required.has(k)) continue;
    const lacking = ctx.inv.memo(`rules:lacking\u0000${scope.what}\u0000${scope.key}\u0000${k}`, () =>
      scope.objects().filter((o) => !Object.prototype.hasOwnProperty.call(o.labels, k)),
    );
    if (!lacking.length) continue;
    const related =
      scope.what === 'pod'
        ? workloadLocations(
            lacking.flatMap((o) => (o.w ? [o.w] : [])),
            (w) => `${w.key}: ${labelText(w.labels)}`,
          )
        : namespaceLocations(
            lacking.flatMap((o) => (o.ns ? [o.ns] : [])),
            (n) => `Namespace ${n.name}: no "${k}" label`,
          );
    report({
      rule: 'NPP27',
      severity: 'info',
      s: op.s,
      e: op.e,
      related,
      message: `${op.v} also matches ${scope.what === 'pod' ? 'workloads' : 'namespaces'} that have no "${k}" label at all: ${listNames(lacking.map((o) => o.name))}. Add an Exists requirement on "${k}" if only labelled ones are meant.`,
    });
  }
}

/** P27 on a peer's selectors. */
function checkPeerNegatives(ctx: RuleContext, p: NormPolicy, peer: PodPeer, report: Report): void {
  const podSelNode = get(peer.node, 'podSelector');
  const nsSelNode = get(peer.node, 'namespaceSelector');
  if (podSelNode && hasNegative(podSelNode)) {
    const scope = peer.namespaceSelector
      ? workloadScope(
          ctx,
          `S${peer.namespaceSelector.key}`,
          ctx.inv.namespacesMatching(peer.namespaceSelector).map((n) => n.name),
        )
      : workloadScope(ctx, `N${p.namespace}`, [p.namespace]);
    checkNegative(ctx, podSelNode, scope, report);
  }
  if (nsSelNode && hasNegative(nsSelNode)) checkNegative(ctx, nsSelNode, namespaceScope(ctx), report);
}

export function checkSelectors(ctx: RuleContext, p: NormPolicy, report: Report): void {
  const psEntry = keyOf(p.specNode, 'podSelector');
  checkSelectsNothing(ctx, p, psEntry, report);
  checkHostNetworkSelected(ctx, p, psEntry, report);
  // P27 on the spec podSelector
  if (psEntry) checkNegative(ctx, psEntry.value, workloadScope(ctx, `N${p.namespace}`, [p.namespace]), report);
  for (const r of [...p.ingress, ...p.egress]) {
    for (const peer of r.peers ?? []) {
      if (peer.kind !== 'pods') continue;
      const matched = ctx.inv.peerWorkloads(peer, p.namespace);
      checkHostNetworkPeer(peer, matched, report);
      checkPodPeerElsewhere(ctx, p, peer, matched, report);
      checkPeerNegatives(ctx, p, peer, report);
    }
  }
}
