// What a policy allows, counted per isolated direction ("allows from 3 sources / to anywhere"),
// and the rule and address lists the summaries and hovers read.

import { inventoryOf } from '../analysis/inventory';
import { subtractIpRanges } from '../analysis/ipset';
import type { Direction, NormPeer, NormPolicy, NormRule } from '../analysis/policy';
import type { Workload, World } from '../analysis/world';
import { plural } from '../model/words';
import { dirWord, typesOf } from './phrasing';

export function rulesOf(p: NormPolicy, d: Direction): readonly NormRule[] {
  return d === 'Ingress' ? p.ingress : p.egress;
}

/** The address ranges an ipBlock peer leaves after its excepts. */
export function ipBlockRemaining(peer: Extract<NormPeer, { kind: 'ipBlock' }>): Array<[bigint, bigint]> {
  return subtractIpRanges(
    [[peer.cidr.lo, peer.cidr.hi]],
    peer.except.filter((e) => e.family === peer.cidr.family).map((e) => [e.lo, e.hi] as [bigint, bigint]),
  );
}

interface DirectionSummary {
  readonly direction: Direction;
  /** No rules: nothing is allowed. */
  readonly none: boolean;
  /** Some rule has no peer list: every source/destination. */
  readonly anywhere: boolean;
  readonly workloads: number;
  readonly ipBlocks: number;
  /** Pod peers that match no workload of the workspace (their pods may be deployed elsewhere). */
  readonly unmatched: number;
}

/** What a policy allows per isolated direction: counts of matched workloads and IP blocks. */
function summarizeDirection(world: World, p: NormPolicy, d: Direction): DirectionSummary {
  const rules = rulesOf(p, d);
  const inv = inventoryOf(world);
  let anywhere = false;
  const lists: Workload[][] = [];
  const cidrs = new Set<string>();
  const unmatched = new Set<string>();
  for (const r of rules) {
    if (!r.peers) {
      anywhere = true;
      continue;
    }
    for (const peer of r.peers) {
      if (peer.kind === 'ipBlock') cidrs.add(`${peer.cidr.canonical}-${peer.except.map((e) => e.canonical).join(',')}`);
      else {
        const l = inv.peerWorkloads(peer, p.namespace);
        if (l.length && !lists.includes(l)) lists.push(l);
        if (!l.length) {
          unmatched.add(`${peer.namespaceSelector?.key ?? `=${p.namespace}`}\u0000${peer.podSelector?.key ?? ''}`);
        }
      }
    }
  }
  let workloads = 0;
  if (lists.length === 1) workloads = lists[0].length;
  else if (lists.length > 1) {
    const wl = new Set<Workload>();
    for (const l of lists) for (const w of l) wl.add(w);
    workloads = wl.size;
  }
  return {
    direction: d,
    none: rules.length === 0,
    anywhere,
    workloads,
    ipBlocks: cidrs.size,
    unmatched: unmatched.size,
  };
}

/** "from 3 sources", "to anywhere", "no egress". */
function directionPhrase(s: DirectionSummary): string {
  const noun = s.direction === 'Ingress' ? 'source' : 'destination';
  const prep = s.direction === 'Ingress' ? 'from' : 'to';
  if (s.none) return `no ${dirWord(s.direction)}`;
  if (s.anywhere) return `${prep} anywhere`;
  const total = s.workloads + s.ipBlocks;
  const ghost = s.unmatched ? plural(s.unmatched, 'peer') + ' matching no workload' : '';
  if (!total && ghost) return `${prep} ${ghost}`;
  return `${prep} ${plural(total, noun)}${ghost ? ` + ${ghost}` : ''}`;
}

/** "allows from 3 sources / to 1 destination" for the isolated directions of a policy. */
export function allowsPhrase(world: World, p: NormPolicy): string {
  const parts = typesOf(p).map((d) => directionPhrase(summarizeDirection(world, p, d)));
  return parts.length ? `allows ${parts.join(' / ')}` : '';
}
