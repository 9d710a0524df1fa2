// Hovers on the rules of a policy: a rule with its peers and ports, one peer (what it matches in
// the workspace, AND versus OR), and an ipBlock (its ranges, excepts and caveats). Pure.

import { inventoryOf } from '../analysis/inventory';
import type { NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import { NAME_LABEL, type Workload } from '../analysis/world';
import { get, str } from '../model/tree';
import { NETWORK_POLICY, objectSpec, orList } from '../schema';
import type { TreeCursor } from './cursor';
import { bullets, code, esc, LIST_MAX, namespaceLink, workloadLine } from './markdown';
import { cidrWords, countAddresses, dirWord, peerWords, portsWords, rangeWords } from './phrasing';
import { type FeatureContext } from './context';
import { ipBlockRemaining, rulesOf } from './policySummary';
import { isNullKey } from '../model/spans';
import { plural } from '../model/words';
import { REF, refLink, ruleLink } from './docLinks';

const PEER = objectSpec(NETWORK_POLICY, 'NetworkPolicyPeer');
const IPBLOCK = objectSpec(NETWORK_POLICY, 'IPBlock');
const required = orList(
  Object.keys(IPBLOCK.fields).filter((k) => IPBLOCK.fields[k].required),
  true,
);

function matchedLines(ctx: FeatureContext, p: NormPolicy, peers: readonly NormPeer[]): string[] {
  const inv = inventoryOf(ctx.world);
  const wl = new Set<Workload>();
  let ips = 0;
  for (const pr of peers) {
    if (pr.kind === 'ipBlock') ips++;
    else for (const w of inv.peerWorkloads(pr, p.namespace)) wl.add(w);
  }
  const out: string[] = [];
  const list = [...wl];
  out.push(
    `Peers match ${plural(list.length, 'workload')}${ips ? ` and ${plural(ips, 'IP block')}` : ''} in the workspace${list.length ? ':' : '.'}`,
  );
  if (list.length) out.push(...bullets(list, workloadLine));
  return out;
}

export function ruleHover(ctx: FeatureContext, p: NormPolicy, rule: NormRule): string[] {
  const dir = rule.direction;
  const rules = rulesOf(p, dir);
  const from = dir === 'Ingress' ? 'from' : 'to';
  const out: string[] = [];
  const title = `**${dir} rule ${rule.index + 1} of ${rules.length}**`;
  if (!p.types.has(dir)) {
    out.push(`${title}: ignored: ${dir} is not in policyTypes (${ruleLink(ctx, 'NPP04')}).`);
    return out;
  }
  const who = !rule.peers
    ? dir === 'Ingress'
      ? 'from any source, including addresses outside the cluster'
      : 'to any destination, including the internet'
    : rule.peers.length === 0
      ? `${from} nothing (no peer of the list is readable)`
      : `${from} ${plural(rule.peers.length, 'peer')}${rule.peers.length > 1 ? ' (any of them)' : ''}`;
  out.push(`${title}: allows connections ${who} ${portsWords(rule.ports)}.`);
  if (!rule.peers && !rule.ports) {
    out.push(
      '',
      `An empty rule allows everything (${ruleLink(ctx, 'NPP06')}); it overrides every narrower rule for these pods, because policies add up.`,
    );
  }
  out.push(
    '',
    `A connection must match a peer **and** a port entry. \`${from}\` absent or \`[]\`: any ${dir === 'Ingress' ? 'source' : 'destination'}. \`ports\` absent or \`[]\`: every port of every protocol.`,
  );
  const pn = get(rule.node, from);
  if (pn && pn.t === 'seq' && pn.items.length === 0) {
    out.push('', `\`${from}: []\` means any, not none (${ruleLink(ctx, 'NPP07')}).`);
  }
  if (rule.peers && rule.peers.length) out.push('', ...matchedLines(ctx, p, rule.peers));
  return out;
}

export function peerHover(ctx: FeatureContext, p: NormPolicy, rule: NormRule, index: number, tc: TreeCursor): string[] {
  const dir = rule.direction;
  const from = dir === 'Ingress' ? 'from' : 'to';
  const peer = rule.peers?.find((x) => x.index === index);
  const list = get(rule.node, from);
  const count = list && list.t === 'seq' ? list.items.length : 0;
  const title = `**Peer ${index + 1} of ${count}** in ${dirWord(dir)} rule ${rule.index + 1} (\`${from}\`)`;
  if (!peer) {
    return [
      `${title}: invalid: a peer must set ${orList(PEER.requireOneOf!, true)} (an empty or null peer matches nothing; ${ruleLink(ctx, 'NPV13')}).`,
    ];
  }
  if (peer.kind === 'ipBlock') return ipBlockHover(ctx, rule, index, tc);
  const words = peerWords(peer, p.namespace, isNullKey(peer.node, 'namespaceSelector'));
  const out = [`${title}: ${words.what}.`];
  if (words.note) out.push('', words.note);
  if (!p.types.has(dir)) out.push('', `Ignored: ${dir} is not in policyTypes (${ruleLink(ctx, 'NPP04')}).`);
  const inv = inventoryOf(ctx.world);
  if (peer.namespaceSelector) {
    const nss = inv.namespacesMatching(peer.namespaceSelector);
    out.push(
      '',
      `Namespaces: ${nss.length ? nss.slice(0, LIST_MAX).map(namespaceLink).join(', ') + (nss.length > LIST_MAX ? ` and ${nss.length - LIST_MAX} more` : '') : `none in the workspace matches (${ruleLink(ctx, 'NPP24')})`}.`,
    );
    const byName = peer.namespaceSelector.reqs.find((r) => r.key === 'name' || r.key === 'namespace' || r.key === 'ns');
    if (!nss.length && byName) {
      out.push(
        '',
        `Namespaces carry a \`${byName.key}\` label only if someone added it; select a namespace by name with \`${NAME_LABEL}\`.`,
      );
    }
  }
  const wl = inv.peerWorkloads(peer, p.namespace);
  out.push('', `Matches ${plural(wl.length, 'workload')}${wl.length ? ':' : '.'}`);
  if (wl.length) out.push(...bullets(wl, workloadLine));
  if (!wl.length && !peer.namespaceSelector && peer.podSelector) {
    // per-namespace lookups are memoised by the inventory
    const elsewhere: string[] = [];
    for (const ns of inv.byNamespace.keys()) {
      if (ns !== p.namespace && inv.workloadsIn(ns, peer.podSelector).length) elsewhere.push(ns);
    }
    if (elsewhere.length) {
      out.push(
        '',
        `Pods with these labels exist only in other namespaces (${elsewhere.sort().slice(0, 5).map(code).join(', ')}${elsewhere.length > 5 ? ', …' : ''}): add a \`namespaceSelector\` (${ruleLink(ctx, 'NPP25')}).`,
      );
    }
  }
  if (peer.podSelector) {
    const neg = peer.podSelector.reqs
      .concat(peer.namespaceSelector?.reqs ?? [])
      .filter((r) => r.op === 'NotIn' || r.op === 'DoesNotExist');
    if (neg.length) {
      out.push(
        '',
        `\`NotIn\` and \`DoesNotExist\` also match objects that lack the label (${ruleLink(ctx, 'NPP27')}).`,
      );
    }
  }
  // AND/OR: the list's peers are alternatives; a namespace-only next to a pod-only peer is the classic slip
  if (count > 1) {
    out.push(
      '',
      `The ${count} peers of this \`${from}\` list are alternatives (OR): a connection needs to match one of them.`,
    );
    const nsOnly = (x: NormPeer): boolean => x.kind === 'pods' && !!x.namespaceSelector && !x.podSelector;
    const podOnly = (x: NormPeer): boolean => x.kind === 'pods' && !x.namespaceSelector && !!x.podSelector;
    if ((nsOnly(peer) && rule.peers!.some(podOnly)) || (podOnly(peer) && rule.peers!.some(nsOnly))) {
      out.push(
        `A namespace-only peer next to a pod-only peer means OR, not AND: did you mean one peer with both selectors (no \`-\` before the second)? (${ruleLink(ctx, 'NPP01')})`,
      );
    }
  }
  out.push('', refLink('behaviour of to and from selectors', REF.selectors));
  return out;
}

export function ipBlockHover(ctx: FeatureContext, rule: NormRule, index: number, tc: TreeCursor): string[] {
  const dir = rule.direction;
  const peer = rule.peers?.find((x) => x.index === index);
  const out: string[] = [];
  if (!peer || peer.kind !== 'ipBlock') {
    // the cidr did not parse: say why
    const ib = get(tc.nodes[5], 'ipBlock'); // path: spec, ingress|egress, rule, from|to, peer, ...
    const c = str(get(ib, 'cidr'));
    if (c === undefined) return [`**ipBlock**: ${required} is required (${ruleLink(ctx, 'NPV15')}).`];
    if (!c.includes('/')) {
      return [
        `**ipBlock**: ${code(c)} is not a CIDR: a bare address needs a prefix length, e.g. ${code(`${c}/${c.includes(':') ? 128 : 32}`)} (${ruleLink(ctx, 'NPV16')}).`,
      ];
    }
    return [`**ipBlock**: ${code(c)} is not a valid IPv4 or IPv6 CIDR (${ruleLink(ctx, 'NPV16')}).`];
  }
  const c = peer.cidr;
  out.push(`**ipBlock** ${code(c.canonical)}: ${esc(cidrWords(c))}.`);
  for (const w of c.warnings) {
    out.push('', `⚠ ${code(peerCidrText(peer) ?? c.canonical)} ${esc(w)} (${ruleLink(ctx, 'NPP19')}).`);
  }
  if (peer.except.length) {
    out.push('');
    for (const e of peer.except) {
      const inside = e.family === c.family && e.lo >= c.lo && e.hi <= c.hi && !(e.lo === c.lo && e.hi === c.hi);
      out.push(
        `- except ${code(e.canonical)} removes ${esc(cidrWords(e))}${inside ? '' : ` — invalid: an except must lie strictly inside \`cidr\` (${ruleLink(ctx, 'NPV19')})`}`,
      );
    }
    const rem = ipBlockRemaining(peer);
    const total = rem.reduce((n, [lo, hi]) => n + (hi - lo + 1n), 0n);
    const shown = rem
      .slice(0, 4)
      .map(([lo, hi]) => rangeWords(lo, hi, c.family))
      .join(', ');
    out.push(
      '',
      `Remaining: ${total === 0n ? 'no address' : `${esc(countAddresses(0n, total - 1n))} in ${plural(rem.length, 'range')}: ${esc(shown)}${rem.length > 4 ? ', …' : ''}`}.`,
    );
  }
  if (c.prefix === 0) {
    out.push(
      '',
      c.family === 4
        ? '`0.0.0.0/0` covers IPv4 only; add `::/0` for IPv6 in a dual-stack cluster.'
        : '`::/0` covers IPv6 only; add `0.0.0.0/0` for IPv4.',
    );
  }
  out.push('', 'Caveats:');
  out.push(
    '- ipBlock is meant for addresses outside the cluster: pod IPs change, and some network plugins (Cilium, for one) never match pod IPs with ipBlock. Select pods with `podSelector`/`namespaceSelector` instead.',
  );
  if (dir === 'Ingress') {
    out.push(
      "- Clients outside the cluster that come in through a NodePort or LoadBalancer Service may arrive with their source address translated (SNAT) to a node's or the load balancer's address, so the ipBlock may never see their real IP (`externalTrafficPolicy: Local` keeps it).",
    );
  } else {
    out.push(
      '- Traffic to a Service ClusterIP is translated to a pod address before policies apply: an ipBlock over Service IPs never matches.',
    );
  }
  out.push('', refLink('NetworkPolicy reference', REF.resource));
  return out;
}

function peerCidrText(peer: Extract<NormPeer, { kind: 'ipBlock' }>): string | undefined {
  return str(get(get(peer.node, 'ipBlock'), 'cidr'));
}
