// Pitfalls in the peers of a rule: named ports towards ipBlocks (docs/semantics.md C.13), egress ports without `to`
// (docs/semantics.md C.41), null selectors (docs/semantics.md C.2), namespace-only and pod-only peers side by side (P1, AND versus OR),
// overlapping excepts (docs/semantics.md C.18).

import type { RelatedLocation } from '../analysis/findings';
import type { NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import { get, type PMap, type PSeq } from '../model/tree';
import type { Report, RuleContext } from './types';
import { keyOf, labelText, listNames, peersKeyOf, workloadLocations } from './util';
import { workloadsAnywhere } from './worldFacts';

/** P13: named ports in an egress rule whose peers are all ipBlocks. */
function checkNamedPortsToIpBlocks(r: NormRule, report: Report): void {
  if (r.direction !== 'Egress' || !r.peers || !r.peers.length || !r.ports) return;
  if (!r.peers.every((x) => x.kind === 'ipBlock')) return;
  for (const pe of r.ports) {
    if (typeof pe.port !== 'string' || pe.node.t !== 'map') continue;
    const pn = get(pe.node, 'port')!;
    report({
      rule: 'NPP13',
      severity: 'warning',
      s: pn.s,
      e: pn.e,
      message: `Named port "${pe.port}" never matches here: this rule only goes to ipBlock addresses, and external endpoints have no container ports. Use the port number.`,
    });
  }
}

/** P41: an egress rule with ports and no `to`. */
function checkPortsWithoutTo(p: NormPolicy, r: NormRule & { node: PMap }, report: Report): void {
  if (r.direction !== 'Egress' || r.peers !== undefined || !r.ports || !p.types.has('Egress')) return;
  const en = keyOf(r.node, 'ports');
  if (en && !keyOf(r.node, 'to')) {
    report({
      rule: 'NPP41',
      severity: 'info',
      s: en.ks,
      e: en.ke,
      message:
        'This rule has ports but no `to`: it allows these ports to any destination, including the internet. Add `to` peers if only some destinations are meant.',
    });
  }
}

const isNull = (n: { t: string; v?: unknown }): boolean => n.t === 'scalar' && n.v === null;

/** P2: `namespaceSelector:` or `podSelector:` without a value (null, which means absent). */
function checkNullSelectors(p: NormPolicy, list: PSeq, report: Report): void {
  for (const item of list.items) {
    if (item.t !== 'map') continue;
    const ns = keyOf(item, 'namespaceSelector');
    const pod = get(item, 'podSelector');
    // an all-null peer is V13; nothing more to say
    if (ns && isNull(ns.value) && pod && !isNull(pod)) {
      report({
        rule: 'NPP02',
        severity: 'warning',
        s: ns.ks,
        e: ns.ke,
        message: `\`namespaceSelector:\` with no value is null, which means "absent": this peer only matches pods in the policy's own namespace (${p.namespace}). Write \`namespaceSelector: {}\` to match pods in every namespace.`,
        data: { nullToEmpty: true },
      });
    }
    const podEn = keyOf(item, 'podSelector');
    if (podEn && isNull(podEn.value) && ns && !isNull(ns.value)) {
      report({
        rule: 'NPP02',
        severity: 'hint',
        s: podEn.ks,
        e: podEn.ke,
        message:
          '`podSelector:` with no value is null (absent); here it means every pod of the selected namespaces, the same as `{}`. Write `{}` or remove it to make that explicit.',
        data: { nullToEmpty: true },
      });
    }
  }
}

function isNsOnly(n: PMap): boolean {
  const ns = get(n, 'namespaceSelector');
  return !!ns && ns.t === 'map' && !get(n, 'podSelector') && !get(n, 'ipBlock');
}

function isPodOnly(n: PMap): boolean {
  const pod = get(n, 'podSelector');
  return !!pod && pod.t === 'map' && !get(n, 'namespaceSelector') && !get(n, 'ipBlock');
}

/** Why a pod-only peer next to a namespace-only one looks like a mistake (it only matches elsewhere). */
function podPeerElsewhere(
  ctx: RuleContext,
  p: NormPolicy,
  podPeer: NormPeer | undefined,
): { extra: string; related: RelatedLocation[] } | null {
  if (!podPeer || podPeer.kind !== 'pods' || !podPeer.podSelector || !ctx.world.workloads.length) return null;
  if (ctx.inv.peerWorkloads(podPeer, p.namespace).length) return null;
  const elsewhere = workloadsAnywhere(ctx.inv, podPeer.podSelector).filter((w) => w.namespace !== p.namespace);
  if (!elsewhere.length) return null;
  return {
    extra: ` The pod-only peer matches no pod in ${p.namespace}, only ${listNames(elsewhere.map((w) => w.key))}: it was probably meant to go with the namespaceSelector.`,
    related: workloadLocations(elsewhere, (w) => `${w.key}: ${labelText(w.labels)}`),
  };
}

/** P1: a namespace-only peer and a pod-only peer next to each other are OR, not AND. */
function checkAndOr(ctx: RuleContext, p: NormPolicy, r: NormRule, list: PSeq, report: Report): void {
  const items = list.items;
  for (let i = 0; i + 1 < items.length; i++) {
    const a = items[i];
    const b = items[i + 1];
    if (a.t !== 'map' || b.t !== 'map') continue;
    const pair =
      isNsOnly(a) && isPodOnly(b) ? { ns: a, pod: b } : isPodOnly(a) && isNsOnly(b) ? { ns: b, pod: a } : null;
    if (!pair) continue;
    const why = podPeerElsewhere(
      ctx,
      p,
      r.peers?.find((x) => x.node === pair.pod),
    );
    report({
      rule: 'NPP01',
      severity: why ? 'warning' : 'info',
      s: Math.min(pair.ns.s, pair.pod.s),
      e: Math.max(pair.ns.e, pair.pod.e),
      message: `These are two peers (OR): every pod in the selected namespaces, or the selected pods of ${p.namespace}. If you meant only the selected pods inside the selected namespaces (AND), make them one peer by removing the second "-".${why?.extra ?? ''}`,
      data: { merge: [pair.ns.s, pair.pod.s] },
      ...(why?.related.length ? { related: why.related } : {}),
    });
  }
}

/** P18: an except entry inside another except entry of the same ipBlock. */
function checkExcepts(r: NormRule, report: Report): void {
  for (const peer of r.peers ?? []) {
    if (peer.kind !== 'ipBlock') continue;
    const ex = peer.except;
    const exNode = get(get(peer.node, 'ipBlock'), 'except');
    if (!exNode || exNode.t !== 'seq') continue;
    for (let i = 0; i < ex.length; i++) {
      for (let j = 0; j < ex.length; j++) {
        if (i === j || ex[i].family !== ex[j].family) continue;
        const inside = ex[j].lo >= ex[i].lo && ex[j].hi <= ex[i].hi;
        if (!inside || (i > j && ex[i].lo >= ex[j].lo && ex[i].hi <= ex[j].hi)) continue;
        const node = exNode.items[j];
        const same = ex[i].lo === ex[j].lo && ex[i].hi === ex[j].hi;
        if (node) {
          report({
            rule: 'NPP18',
            severity: 'hint',
            s: node.s,
            e: node.e,
            message: same
              ? `except ${ex[j].canonical} is listed twice; the second entry changes nothing. Remove it.`
              : `except ${ex[j].canonical} is already covered by except ${ex[i].canonical}; it changes nothing. Remove it.`,
            tags: ['unnecessary'],
          });
        }
        break;
      }
    }
  }
}

/** The peer pitfalls of every rule of a policy (P13, P41, P2, P1, P18), rule by rule. */
export function checkPeers(ctx: RuleContext, p: NormPolicy, report: Report): void {
  for (const r of [...p.ingress, ...p.egress]) {
    if (r.node.t !== 'map') continue;
    const list = get(r.node, peersKeyOf(r.direction));
    checkNamedPortsToIpBlocks(r, report);
    checkPortsWithoutTo(p, r as NormRule & { node: PMap }, report);
    if (!list || list.t !== 'seq') continue;
    checkNullSelectors(p, list, report);
    checkAndOr(ctx, p, r, list, report);
    checkExcepts(r, report);
  }
}
