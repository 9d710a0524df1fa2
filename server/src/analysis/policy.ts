// Policy normalisation (docs/semantics.md B.2): effective policyTypes, defaulted protocols, compiled
// selectors, parsed CIDRs. Done leniently for every policy (hovers need it even for invalid
// ones); `valid` says whether the policy takes part in connectivity.

import type { PolicyObject } from '../model/resources';
import { get, type PMap, type PNode, type PSeq } from '../model/tree';
import type { Finding } from './findings';
import { type Cidr, parseCidr } from './ipset';
import { isProtocol, type Protocol } from './ports';
import { compileSelector, MATCH_ALL, type Selector } from './selectors';
import { validatePolicy } from './validate';

export type Direction = 'Ingress' | 'Egress';

export interface NormPort {
  readonly index: number;
  readonly node: PNode;
  readonly protocol: Protocol;
  /** True when `protocol` was not written (defaulted to TCP). */
  readonly protocolDefaulted: boolean;
  /** undefined: every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

export type NormPeer =
  | {
      readonly kind: 'pods';
      readonly index: number;
      readonly node: PMap;
      /** undefined: the policy's own namespace. */
      readonly namespaceSelector?: Selector;
      /** undefined: every pod (of the selected namespaces). */
      readonly podSelector?: Selector;
    }
  | {
      readonly kind: 'ipBlock';
      readonly index: number;
      readonly node: PMap;
      readonly cidr: Cidr;
      readonly except: readonly Cidr[];
    };

export interface NormRule {
  readonly index: number;
  readonly direction: Direction;
  readonly node: PNode;
  /** undefined: every peer (the list is absent or empty). */
  readonly peers?: readonly NormPeer[];
  /** undefined: every port of every protocol (absent or empty). */
  readonly ports?: readonly NormPort[];
}

export interface NormPolicy {
  readonly obj: PolicyObject;
  readonly name: string;
  readonly namespace: string;
  readonly valid: boolean;
  readonly findings: readonly Finding[];
  readonly podSelector: Selector;
  readonly types: ReadonlySet<Direction>;
  /** Why the effective types are what they are. */
  readonly typesReason: 'explicit' | 'defaulted-ingress-only' | 'defaulted-with-egress';
  readonly ingress: readonly NormRule[];
  readonly egress: readonly NormRule[];
  /** Spans of notable nodes (for diagnostics and hovers). */
  readonly specNode?: PMap;
}

function asSeq(n: PNode | undefined): PSeq | undefined {
  return n && n.t === 'seq' ? n : undefined;
}

function normPorts(list: PSeq | undefined): NormPort[] | undefined {
  if (!list || list.items.length === 0) return undefined;
  const out: NormPort[] = [];
  list.items.forEach((n, index) => {
    if (n.t !== 'map') {
      if (n.t === 'scalar' && n.v === null) out.push({ index, node: n, protocol: 'TCP', protocolDefaulted: true });
      return;
    }
    const pn = get(n, 'protocol');
    const pv = pn && pn.t === 'scalar' ? pn.v : null;
    const protocol: Protocol = isProtocol(pv) ? pv : 'TCP';
    const portN = get(n, 'port');
    const port =
      portN && portN.t === 'scalar' && (typeof portN.v === 'number' || typeof portN.v === 'string')
        ? portN.v
        : undefined;
    const endN = get(n, 'endPort');
    const endPort = endN && endN.t === 'scalar' && typeof endN.v === 'number' ? endN.v : undefined;
    out.push({
      index,
      node: n,
      protocol,
      protocolDefaulted: pv === null,
      port,
      endPort: typeof port === 'number' ? endPort : undefined,
    });
  });
  return out;
}

function normPeers(list: PSeq | undefined): NormPeer[] | undefined {
  if (!list || list.items.length === 0) return undefined;
  const out: NormPeer[] = [];
  list.items.forEach((n, index) => {
    if (n.t !== 'map') return;
    const ib = get(n, 'ipBlock');
    if (ib && ib.t === 'map') {
      const c = get(ib, 'cidr');
      const cidr = c && c.t === 'scalar' && typeof c.v === 'string' ? parseCidr(c.v) : null;
      if (!cidr) return;
      const except: Cidr[] = [];
      for (const e of asSeq(get(ib, 'except'))?.items ?? []) {
        const ec = e.t === 'scalar' && typeof e.v === 'string' ? parseCidr(e.v) : null;
        if (ec) except.push(ec);
      }
      out.push({ kind: 'ipBlock', index, node: n, cidr, except });
      return;
    }
    const namespaceSelector = compileSelector(get(n, 'namespaceSelector'));
    const podSelector = compileSelector(get(n, 'podSelector'));
    if (!namespaceSelector && !podSelector) return; // invalid empty peer: matches nothing
    out.push({ kind: 'pods', index, node: n, namespaceSelector, podSelector });
  });
  return out;
}

function normRules(list: PSeq | undefined, direction: Direction): NormRule[] {
  if (!list) return [];
  const out: NormRule[] = [];
  list.items.forEach((n, index) => {
    if (n.t === 'scalar' && n.v === null) {
      out.push({ index, direction, node: n }); // `- ` (null rule) decodes to the empty rule
      return;
    }
    if (n.t !== 'map') return;
    const peersSeq = asSeq(get(n, direction === 'Ingress' ? 'from' : 'to'));
    const peers = normPeers(peersSeq);
    const r: NormRule = {
      index,
      direction,
      node: n,
      // a non-empty list whose peers are all unreadable matches nothing
      peers: peersSeq && peersSeq.items.length && !peers ? [] : peers,
      ports: normPorts(asSeq(get(n, 'ports'))),
    };
    out.push(r);
  });
  return out;
}

/** Normalises one policy; `defaultNamespace` applies when metadata.namespace is absent. */
export function normalizePolicy(obj: PolicyObject, namespace: string): NormPolicy {
  const { findings, valid } = validatePolicy(obj.node, obj.doc, obj.listIndex !== undefined);
  const spec = get(obj.node, 'spec');
  const specMap = spec && spec.t === 'map' ? spec : undefined;
  const podSelector = compileSelector(get(specMap, 'podSelector')) ?? MATCH_ALL;
  const egressSeq = asSeq(get(specMap, 'egress'));
  const ptSeq = asSeq(get(specMap, 'policyTypes'));
  const types = new Set<Direction>();
  let typesReason: NormPolicy['typesReason'] = 'explicit';
  if (ptSeq && ptSeq.items.length > 0) {
    for (const it of ptSeq.items) if (it.t === 'scalar' && (it.v === 'Ingress' || it.v === 'Egress')) types.add(it.v);
  } else {
    types.add('Ingress');
    if (egressSeq && egressSeq.items.length > 0) {
      types.add('Egress');
      typesReason = 'defaulted-with-egress';
    } else typesReason = 'defaulted-ingress-only';
  }
  return {
    obj,
    name: obj.name ?? '',
    namespace,
    valid,
    findings,
    podSelector,
    types,
    typesReason,
    ingress: normRules(asSeq(get(specMap, 'ingress')), 'Ingress'),
    egress: normRules(egressSeq, 'Egress'),
    specNode: specMap,
  };
}
