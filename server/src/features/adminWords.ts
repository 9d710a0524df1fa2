// The admin-tier policies in words, read from their trees (docs/semantics.md D.1-D.4): port and
// protocol entries, peers, what an action does, and the policies of a tier in the order they are
// evaluated. Shared by the hover, the CodeLens and the outline. Pure.

import {
  type AdminKind,
  type AdminObject,
  adminObjects,
  type AdminView,
  adminView,
  type Tier,
} from '../analysis/adminKinds';
import { adminValidationErrors } from '../analysis/adminValidity';
import { compileSelector, describeSelector, isMatchAll, MATCH_ALL, matches } from '../analysis/selectors';
import type { Workload, World } from '../analysis/world';
import { get, type PNode, str } from '../model/tree';

const num = (n: PNode | undefined): number | undefined =>
  n && n.t === 'scalar' && typeof n.v === 'number' ? n.v : undefined;

/** One v1alpha1 `ports` or v1alpha2 `protocols` entry in words (`TCP 5432`, `UDP 53-60`, `named port metrics`). */
export function portWords(entry: PNode): string {
  const named = str(get(entry, 'namedPort')) ?? str(get(entry, 'destinationNamedPort'));
  if (named !== undefined) return `named port ${named}`;
  for (const proto of ['tcp', 'udp', 'sctp']) {
    const dp = get(get(entry, proto), 'destinationPort');
    if (!dp) continue;
    const n = num(get(dp, 'number'));
    const r = get(dp, 'range');
    const P = proto.toUpperCase();
    if (n !== undefined) return `${P} ${n}`;
    return r ? `${P} ${num(get(r, 'start')) ?? '?'}-${num(get(r, 'end')) ?? '?'}` : `${P} (no port)`;
  }
  const pn = get(entry, 'portNumber');
  if (pn) return `${str(get(pn, 'protocol')) ?? 'TCP'} ${num(get(pn, 'port')) ?? '?'}`;
  const pr = get(entry, 'portRange');
  if (pr) return `${str(get(pr, 'protocol')) ?? 'TCP'} ${num(get(pr, 'start')) ?? '?'}-${num(get(pr, 'end')) ?? '?'}`;
  return 'an entry without a port';
}

/** The ports of a rule in words: its entries, or every port when it lists none. */
export function rulePortsWords(rule: PNode): string {
  const list = get(rule, 'protocols') ?? get(rule, 'ports');
  return list && list.t === 'seq' && list.items.length ? list.items.map(portWords).join(', ') : 'every port';
}

function selectorWords(n: PNode | undefined, what: string, absent: string): string {
  const sel = compileSelector(n);
  if (!sel) return absent;
  return isMatchAll(sel) ? `every ${what.replace(/s$/, '')}` : describeSelector(sel, what);
}

/** One peer (or a subject) in words. */
export function peerWords(peer: PNode, v2: boolean): string {
  const ns = get(peer, 'namespaces');
  if (ns) return `every pod of ${selectorWords(ns, 'namespaces', 'every namespace')}`;
  const pods = get(peer, 'pods');
  if (pods) {
    const where = selectorWords(
      get(pods, 'namespaceSelector'),
      'namespaces',
      v2 ? 'every namespace' : 'every namespace (missing selector)',
    );
    const all =
      v2 && !get(pods, 'namespaceSelector')
        ? ' (no namespaceSelector: unlike a NetworkPolicy peer, every namespace)'
        : '';
    return `${selectorWords(get(pods, 'podSelector'), 'pods', 'every pod (missing selector)')} in ${where}${all}`;
  }
  const nets = get(peer, 'networks');
  if (nets && nets.t === 'seq') {
    return `addresses in ${nets.items.map((x) => str(x) ?? '?').join(', ')} (outside the cluster; never pods in the analysis)`;
  }
  if (get(peer, 'nodes')) {
    return `${selectorWords(get(peer, 'nodes'), 'nodes', 'nodes')} (not analysed: manifests have no node inventory)`;
  }
  const dn = get(peer, 'domainNames');
  if (dn && dn.t === 'seq') {
    return `domain names ${dn.items.map((x) => str(x) ?? '?').join(', ')} (not analysed: resolved at run time)`;
  }
  return 'an empty peer';
}

/** What an action does, in the tier it is written in. */
export function actionWords(kind: AdminKind, tier: Tier | undefined, action: string | undefined): string {
  switch (action) {
    case 'Allow':
    case 'Accept':
      return tier === 'Baseline'
        ? 'allowed (the Baseline tier is only reached where no NetworkPolicy isolates the pod)'
        : 'allowed: NetworkPolicies and the Baseline tier are not consulted for it (the other direction is still checked)';
    case 'Deny':
      return tier === 'Baseline'
        ? 'denied, where no NetworkPolicy isolates the pod for this direction'
        : 'denied: no NetworkPolicy or Baseline rule is consulted, none can allow it';
    case 'Pass':
      return kind === 'BaselineAdminNetworkPolicy'
        ? 'not allowed here: a BaselineAdminNetworkPolicy cannot pass'
        : tier === 'Baseline'
          ? 'the rest of the Baseline tier is skipped: allowed by default'
          : 'the rest of the Admin tier is skipped: the NetworkPolicies decide, then the Baseline tier, then the default (allowed)';
    default:
      return 'no valid action: the policy is rejected';
  }
}

export interface TierMember {
  readonly obj: AdminObject;
  readonly view: AdminView;
  readonly valid: boolean;
}

/** The admin-tier policies of the workspace in a tier, in evaluation order (priority, then name, then kind; the BANP last). */
export function tierMembers(world: World, tier: Tier): TierMember[] {
  const out: TierMember[] = [];
  for (const obj of adminObjects(world.objects)) {
    const view = adminView(obj.kind, obj.node);
    if (view.tier !== tier) continue;
    out.push({ obj, view, valid: adminValidationErrors(obj.node, obj.doc, obj.listIndex !== undefined).length === 0 });
  }
  const prio = (m: TierMember): number =>
    m.obj.kind === 'BaselineAdminNetworkPolicy' ? Infinity : (m.view.priority ?? Infinity);
  return out.sort(
    (a, b) =>
      prio(a) - prio(b) ||
      ((a.obj.name ?? '') < (b.obj.name ?? '') ? -1 : (a.obj.name ?? '') > (b.obj.name ?? '') ? 1 : 0) ||
      (a.obj.kind < b.obj.kind ? -1 : 1),
  );
}

/** `Admin tier · priority 10 · 3 ingress, 1 egress rules` */
export function policyLine(view: AdminView): string {
  const parts = [view.tier ? `${view.tier} tier` : 'no valid tier'];
  if (view.kind !== 'BaselineAdminNetworkPolicy') {
    parts.push(view.priority === undefined ? 'no priority' : `priority ${view.priority}`);
  }
  const n = (k: number, d: string): string => `${k} ${d}`;
  const rules =
    view.ingress.length || view.egress.length
      ? `${[view.ingress.length ? n(view.ingress.length, 'ingress') : '', view.egress.length ? n(view.egress.length, 'egress') : ''].filter(Boolean).join(', ')} ${view.ingress.length + view.egress.length === 1 ? 'rule' : 'rules'}`
      : 'no rules';
  parts.push(rules);
  return parts.join(' · ');
}

/** The workloads of the workspace that a policy's subject selects (a missing `pods` selector reads as {}, docs/semantics.md AV08). */
export function subjectWorkloads(world: World, obj: AdminObject): Workload[] {
  const subj = get(get(obj.node, 'spec'), 'subject');
  const nsN = get(subj, 'namespaces');
  const pods = get(subj, 'pods');
  if (!nsN && !pods) return [];
  const nsSel = (nsN ? compileSelector(nsN) : compileSelector(get(pods, 'namespaceSelector'))) ?? MATCH_ALL;
  const podSel = (nsN ? undefined : compileSelector(get(pods, 'podSelector'))) ?? MATCH_ALL;
  return world.workloads.filter((w) => {
    const ns = world.namespaces.get(w.namespace);
    return !!ns && matches(nsSel, ns.labels) && matches(podSel, w.labels);
  });
}
