// Policies in plain words for hovers, CodeLens and inlay hints: directions, effective
// policyTypes with the reason, peers, ports, labels and address ranges.

import { type Cidr, formatIp } from '../analysis/ipset';
import type { Direction, NormPeer, NormPolicy, NormPort } from '../analysis/policy';
import { describeSelector, isMatchAll, type Labels } from '../analysis/selectors';
import { code, esc } from './markdown';

export function dirWord(d: Direction): 'ingress' | 'egress' {
  return d === 'Ingress' ? 'ingress' : 'egress';
}

export function labelsText(l: Labels): string {
  const ks = Object.keys(l);
  if (!ks.length) return 'no labels';
  return ks.map((k) => `${k}=${l[k]}`).join(', ');
}

/** The effective types in the usual order (Ingress, Egress). */
export function typesOf(p: NormPolicy): Direction[] {
  return (['Ingress', 'Egress'] as const).filter((d) => p.types.has(d));
}

/** Effective policyTypes with the reason, in one sentence. */
export function typesSentence(p: NormPolicy): string {
  const list = typesOf(p).join(', ') || 'none';
  switch (p.typesReason) {
    case 'explicit':
      return `${list}, as written in \`policyTypes\``;
    case 'defaulted-with-egress':
      return `${list}: \`policyTypes\` is not written, so it defaulted to Ingress, Egress because egress rules are present`;
    case 'defaulted-ingress-only':
      return `${list}: \`policyTypes\` is not written, so it defaulted to Ingress only (there are no egress rules)`;
  }
}

/** Number of addresses in a range, in words (2^n for large IPv6 counts). */
export function countAddresses(lo: bigint, hi: bigint): string {
  const n = hi - lo + 1n;
  if (n <= 1_000_000_000_000n) return `${n.toLocaleString('en-US')} ${n === 1n ? 'address' : 'addresses'}`;
  let bits = 0;
  for (let x = n; x > 1n; x >>= 1n) bits++;
  return 1n << BigInt(bits) === n ? `2^${bits} addresses` : `about 2^${bits} addresses`;
}

export function rangeWords(lo: bigint, hi: bigint, family: 4 | 6): string {
  return lo === hi ? formatIp(lo, family) : `${formatIp(lo, family)} – ${formatIp(hi, family)}`;
}

export function cidrWords(c: Cidr): string {
  return `${rangeWords(c.lo, c.hi, c.family)} (${countAddresses(c.lo, c.hi)})`;
}

/** The peer in words (Markdown): what it selects, and AND/own-namespace notes. */
export function peerWords(
  peer: NormPeer,
  policyNs: string,
  nullNamespaceSelector = false,
): { what: string; note?: string } {
  if (peer.kind === 'ipBlock') {
    const ex = peer.except.length ? ` except ${peer.except.map((e) => e.canonical).join(', ')}` : '';
    return { what: `addresses in ${esc(peer.cidr.canonical)}${esc(ex)}` };
  }
  const pods = peer.podSelector;
  const nss = peer.namespaceSelector;
  if (!nss) {
    const what =
      pods && !isMatchAll(pods)
        ? `${esc(describeSelector(pods, 'pods'))} in namespace ${code(policyNs)}`
        : `every pod in namespace ${code(policyNs)}`;
    const note = nullNamespaceSelector
      ? `\`namespaceSelector:\` with no value is null, the same as absent: this peer only looks in the policy's own namespace ${code(policyNs)} (write \`namespaceSelector: {}\` for every namespace).`
      : `Without \`namespaceSelector\`, a \`podSelector\` only looks in the policy's own namespace ${code(policyNs)}; add a \`namespaceSelector\` to the same peer (AND) to look in other namespaces.`;
    return { what, note };
  }
  const nsWords = isMatchAll(nss) ? 'every namespace' : esc(describeSelector(nss, 'namespaces'));
  if (!pods) {
    if (isMatchAll(nss)) {
      return {
        what: 'every pod in every namespace',
        note: '`namespaceSelector: {}` covers every pod of the cluster, but not nodes or addresses outside the cluster.',
      };
    }
    return {
      what: `every pod in ${nsWords}`,
      note: 'A `namespaceSelector` alone means every pod of those namespaces; a `podSelector` in the same peer (no `-` before it) would narrow it (AND).',
    };
  }
  const podWords = isMatchAll(pods) ? 'every pod' : esc(describeSelector(pods, 'pods'));
  return {
    what: `${podWords} in ${nsWords}`,
    note: 'One peer with both `namespaceSelector` and `podSelector`: a pod must match both (AND). Two separate peers (`- namespaceSelector` and `- podSelector`) would mean OR.',
  };
}

/** A port entry in words: "TCP 80", "TCP 8000-8080", "every TCP port", "named port http (TCP)". */
export function portWords(pe: NormPort): string {
  if (pe.port === undefined) return `every ${pe.protocol} port`;
  if (typeof pe.port === 'string') return `named port ${code(pe.port)} (${pe.protocol})`;
  if (pe.endPort !== undefined && pe.endPort !== pe.port) return `${pe.protocol} ${pe.port}-${pe.endPort}`;
  return `${pe.protocol} ${pe.port}`;
}

export function portsWords(ports: readonly NormPort[] | undefined): string {
  if (!ports) return 'on every port of every protocol';
  if (!ports.length) return 'on no port';
  return `on ${ports.map(portWords).join(', ')}`;
}
