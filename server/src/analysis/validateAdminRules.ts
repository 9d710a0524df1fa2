// The rules of an admin-tier policy as the CRDs validate them (docs/semantics.md D.2): rule counts
// (AV09), names (AV10), actions (AV11), peers (AV12-AV16), v1alpha1 ports (AV17-AV19), v1alpha2
// protocols (AV20-AV22), named ports next to address peers (AV23) and domainNames outside Accept
// rules (AV24). Counts, enums and peer fields come from the kind's schema.

import type { PEntry, PMap, PNode } from '../model/tree';
import { get, getEntry } from '../model/tree';
import { fieldAt, objectSpec, orList } from '../schema';
import { parseCidr } from './ipset';
import { type AdminCtx, checkPods, checkSelector, err, isMissing, isSet, keyOf, missingAt } from './validateAdminCheck';

type Section = 'ingress' | 'egress';

const PEER_FIELDS = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
const ADDRESS_PEERS = ['networks', 'nodes', 'domainNames'];
const DOMAIN = /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?\.?$/;

const typeOf = (section: Section): string => (section === 'ingress' ? 'IngressRule' : 'EgressRule');
const peersKeyOf = (section: Section): 'from' | 'to' => (section === 'ingress' ? 'from' : 'to');

/** AV09 and every rule of one section. */
export function checkRules(c: AdminCtx, spec: PMap, section: Section): void {
  const en = getEntry(spec, section);
  if (!en || en.value.t !== 'seq') return;
  const max = fieldAt(c.schema, ['spec', section])!.maxItems!;
  if (en.value.items.length > max) {
    err(
      c,
      'NPA09',
      keyOf(en),
      `spec.${section}: Too many: ${en.value.items.length}: must have at most ${max} items${c.v2 ? ' in a ClusterNetworkPolicy' : ''}.`,
    );
  }
  en.value.items.forEach((rule, i) => {
    if (rule.t === 'map') checkRule(c, rule, section, `spec.${section}[${i}]`);
  });
}

function checkRule(c: AdminCtx, rule: PMap, section: Section, p: string): void {
  const name = get(rule, 'name');
  if (name && name.t === 'scalar' && typeof name.v === 'string' && name.v.length > 100) {
    err(c, 'NPA10', name, `${p}.name: Too long: may not be more than 100 bytes (found ${name.v.length}).`);
  }
  const action = checkAction(c, rule, section, p);
  checkPeers(c, rule, section, p);
  if (c.v2) checkProtocols(c, rule, p);
  else checkPorts(c, rule, p);
  if (section === 'egress') checkEgressMix(c, rule, action, p);
}

/** AV11: the action, in the spelling of the kind's version (AP06 says which mix-up it is). */
function checkAction(c: AdminCtx, rule: PMap, section: Section, p: string): string | undefined {
  const values = objectSpec(c.schema, typeOf(section)).fields.action.enum!;
  const en = getEntry(rule, 'action');
  if (!en || isMissing(en.value)) {
    err(c, 'NPA11', en ? keyOf(en) : missingAt(rule, 'name'), `${p}.action: Required value: ${orList(values)}.`);
    return undefined;
  }
  const v = en.value.t === 'scalar' ? en.value.v : undefined;
  if (typeof v !== 'string') return undefined;
  if (values.includes(v)) return v;
  const supported = `supported values: ${values.map((x) => `"${x}"`).join(', ')}`;
  let why: string;
  let replace: string | undefined;
  if (v === 'Accept' && !c.v2) {
    replace = 'Allow';
    why = 'Accept is the v1alpha2 (ClusterNetworkPolicy) spelling; v1alpha1 writes Allow.';
  } else if (v === 'Allow' && c.v2) {
    replace = 'Accept';
    why = 'Allow is the v1alpha1 spelling; a ClusterNetworkPolicy writes Accept.';
  } else if (v === 'Pass' && c.kind === 'BaselineAdminNetworkPolicy') {
    why =
      'a BaselineAdminNetworkPolicy cannot pass: it is the last tier. Use Allow or Deny, or leave the traffic to the default (allowed) by removing the rule.';
  } else {
    replace = values.find((x) => x.toLowerCase() === v.toLowerCase());
    why = replace ? `Values are case-sensitive: use "${replace}".` : '';
  }
  err(
    c,
    'NPA11',
    en.value,
    `${p}.action: Unsupported value: "${v}": ${supported}. ${why}`.trimEnd(),
    replace ? { replace } : undefined,
  );
  return undefined;
}

/** AV12 and every peer of the rule. */
function checkPeers(c: AdminCtx, rule: PMap, section: Section, p: string): void {
  const key = peersKeyOf(section);
  const max = fieldAt(c.schema, ['spec', section, 0, key])!.maxItems!;
  const en = getEntry(rule, key);
  const what = section === 'ingress' ? 'sources' : 'destinations';
  if (!en || isMissing(en.value)) {
    err(
      c,
      'NPA12',
      en ? keyOf(en) : missingAt(rule, 'action'),
      `${p}.${key}: Required value: the ${what} the rule matches (1-${max} peers). An admin rule always names its peers.`,
    );
    return;
  }
  if (en.value.t !== 'seq') return;
  const n = en.value.items.length;
  if (n === 0 || n > max) {
    err(
      c,
      'NPA12',
      n === 0 ? en.value : keyOf(en),
      `${p}.${key}: Invalid value: ${n} peers: must have ${n === 0 ? 'at least 1 item' : `at most ${max} items`}.${n === 0 ? ' An empty list is not "every peer": write namespaces: {} for every pod.' : ''}`,
    );
  }
  const allowed = objectSpec(c.schema, section === 'ingress' ? 'IngressPeer' : 'EgressPeer').requireOneOf!;
  en.value.items.forEach((peer, j) => checkPeer(c, peer, allowed, section, `${p}.${key}[${j}]`));
}

/** AV13: exactly one field, and one that the kind and direction have; then the field's own rules. */
function checkPeer(c: AdminCtx, peer: PNode, allowed: readonly string[], section: Section, p: string): void {
  const choose = `must specify exactly one of ${orList(allowed)}`;
  if (peer.t !== 'map') {
    if (peer.t === 'scalar' && peer.v === null) err(c, 'NPA13', peer, `${p}: Required value: ${choose}.`);
    return;
  }
  const live = peer.entries.filter((e) => !e.shadowed && isSet(e.value));
  const misplaced = live.filter((e) => PEER_FIELDS.includes(e.key) && !allowed.includes(e.key));
  for (const e of misplaced) {
    c.misplaced.add(e.ks);
    const why =
      section === 'ingress'
        ? 'ingress peers are pods only (namespaces or pods): no admin ingress rule matches an address outside the cluster'
        : `a ${c.kind} has no ${e.key} peers`;
    err(c, 'NPA13', keyOf(e), `${p}.${e.key}: Forbidden: ${why}.`);
  }
  const set = live.filter((e) => allowed.includes(e.key));
  if (set.length === 0 && misplaced.length === 0) {
    err(
      c,
      'NPA13',
      peer.entries.length ? peer : { s: peer.s, e: peer.e },
      `${p}: Required value: ${choose}. An empty peer is rejected; for every pod write namespaces: {}.`,
    );
  } else if (set.length > 1) {
    err(
      c,
      'NPA13',
      keyOf(set[1]),
      `${p}: Invalid value: a peer has exactly one field, found ${set.map((e) => e.key).join(' and ')}. For two peers (either matches: OR), start the second with its own "-".`,
    );
  }
  for (const e of set) checkPeerField(c, e, `${p}.${e.key}`);
}

function checkPeerField(c: AdminCtx, e: PEntry, p: string): void {
  if (e.key === 'namespaces' || e.key === 'nodes') checkSelector(c, e.value, p);
  else if (e.key === 'pods') checkPods(c, e, p);
  else if (e.key === 'networks') checkList(c, e, p, 'NPA14', (it, ip) => checkCidr(c, it, ip));
  else if (e.key === 'domainNames') checkList(c, e, p, 'NPA16', (it, ip) => checkDomain(c, it, ip));
}

/** AV14, AV16: a set of 1-25 strings. */
function checkList(c: AdminCtx, e: PEntry, p: string, rule: string, each: (it: PNode, p: string) => void): void {
  const list = e.value;
  if (list.t !== 'seq') return;
  const max = 25;
  if (list.items.length === 0 || list.items.length > max) {
    err(
      c,
      rule,
      list.items.length === 0 ? list : keyOf(e),
      `${p}: Invalid value: ${list.items.length} entries: must have ${list.items.length === 0 ? 'at least 1 item' : `at most ${max} items`}.`,
    );
  }
  const seen = new Set<string>();
  list.items.forEach((it, i) => {
    if (it.t !== 'scalar' || typeof it.v !== 'string') return;
    if (seen.has(it.v)) err(c, rule, it, `${p}[${i}]: Duplicate value: "${it.v}": the list is a set.`);
    seen.add(it.v);
    each(it, `${p}[${i}]`);
  });
}

/** AV14 (length) and AV15 (CEL isCIDR): host bits are accepted, leading zeros, zones and IPv4-mapped IPv6 are not. */
function checkCidr(c: AdminCtx, it: PNode, p: string): void {
  if (it.t !== 'scalar' || typeof it.v !== 'string') return;
  const s = it.v;
  if (s.length > 43) err(c, 'NPA14', it, `${p}: Too long: may not be more than 43 characters.`);
  const cidr = parseCidr(s);
  const bad = !cidr
    ? /^[0-9.]+$/.test(s) || (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':'))
      ? `a single address needs a prefix length: ${s}/${s.includes(':') ? 128 : 32}`
      : 'e.g. 10.0.0.0/8 or 2001:db8::/32'
    : cidr.warnings.some((w) => w.includes('leading zeros'))
      ? 'IPv4 addresses may not have leading zeros'
      : cidr.warnings.some((w) => w.includes('IPv4-mapped'))
        ? 'IPv4-mapped IPv6 addresses are not accepted: write the IPv4 CIDR'
        : undefined;
  if (bad) err(c, 'NPA15', it, `${p}: Invalid value: "${s}": must be a valid CIDR (${bad}).`);
}

/** AV16: a domain name of at least two labels, `*.` allowed as the whole first label. */
function checkDomain(c: AdminCtx, it: PNode, p: string): void {
  if (it.t !== 'scalar' || typeof it.v !== 'string') return;
  if (!DOMAIN.test(it.v)) {
    err(
      c,
      'NPA16',
      it,
      `${p}: Invalid value: "${it.v}": must be a domain name of at least two labels, optionally starting with "*." (e.g. "*.example.com").`,
    );
  }
}

/** AV17-AV19: v1alpha1 ports. */
function checkPorts(c: AdminCtx, rule: PMap, p: string): void {
  const en = getEntry(rule, 'ports');
  if (!en || en.value.t !== 'seq') return;
  countEntries(c, en, `${p}.ports`, 'NPA17', 100);
  en.value.items.forEach((entry, i) => {
    const ep = `${p}.ports[${i}]`;
    const one = exactlyOne(c, entry, ['portNumber', 'namedPort', 'portRange'], ep, 'NPA17');
    if (one?.key === 'portNumber') checkPortField(c, one, 'port', 'NPA18', `${ep}.portNumber`);
    if (one?.key === 'portRange') {
      checkPortField(c, one, 'start', 'NPA19', `${ep}.portRange`);
      checkPortField(c, one, 'end', 'NPA19', `${ep}.portRange`);
    }
  });
}

/** AV20-AV22: v1alpha2 protocols. */
function checkProtocols(c: AdminCtx, rule: PMap, p: string): void {
  const en = getEntry(rule, 'protocols');
  if (!en || en.value.t !== 'seq') return;
  countEntries(c, en, `${p}.protocols`, 'NPA20', 25);
  en.value.items.forEach((entry, i) => {
    const ep = `${p}.protocols[${i}]`;
    const one = exactlyOne(c, entry, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], ep, 'NPA20');
    if (one && one.key !== 'destinationNamedPort') checkDestinationPort(c, one, `${ep}.${one.key}`);
  });
}

function checkDestinationPort(c: AdminCtx, proto: PEntry, p: string): void {
  const m = proto.value;
  if (m.t !== 'map') return;
  const dpEn = getEntry(m, 'destinationPort');
  if (!dpEn || isMissing(dpEn.value)) {
    const name = proto.key.toUpperCase();
    err(
      c,
      'NPA21',
      dpEn ? keyOf(dpEn) : keyOf(proto),
      `${p}.destinationPort: Required value: a number or a range. For every ${name} port write range: {start: 1, end: 65535}.`,
    );
    return;
  }
  const one = exactlyOne(c, dpEn.value, ['number', 'range'], `${p}.destinationPort`, 'NPA21');
  if (!one) return;
  if (one.key === 'number') {
    const v = one.value.t === 'scalar' ? one.value.v : undefined;
    if (typeof v === 'number' && (v < 1 || v > 65535)) {
      err(
        c,
        'NPA21',
        one.value,
        `${p}.destinationPort.number: Invalid value: ${v}: must be between 1 and 65535, inclusive.`,
      );
    }
    return;
  }
  const s = checkPortField(c, one, 'start', 'NPA22', `${p}.destinationPort.range`);
  const e = checkPortField(c, one, 'end', 'NPA22', `${p}.destinationPort.range`);
  if (s !== undefined && e !== undefined && s >= e) {
    const single = s === e ? ` A single port is written as number: ${s}.` : '';
    err(
      c,
      'NPA22',
      one.value,
      `${p}.destinationPort.range: Invalid value: Start port must be less than End port (${s}-${e}).${single}`,
      s === e ? { number: s } : undefined,
    );
  }
}

/** A required port number field of a map entry (1-65535); returns the number when it is valid. */
function checkPortField(c: AdminCtx, owner: PEntry, field: string, rule: string, p: string): number | undefined {
  const m = owner.value;
  if (m.t !== 'map') return undefined;
  const en = getEntry(m, field);
  if (!en || isMissing(en.value)) {
    err(c, rule, en ? keyOf(en) : keyOf(owner), `${p}.${field}: Required value: a port number from 1 to 65535.`);
    return undefined;
  }
  const v = en.value.t === 'scalar' ? en.value.v : undefined;
  if (typeof v !== 'number') return undefined; // wrong type: NPA26
  if (v < 1 || v > 65535) {
    err(c, rule, en.value, `${p}.${field}: Invalid value: ${v}: must be between 1 and 65535, inclusive.`);
    return undefined;
  }
  return v;
}

/** `[]` or more than `max` entries of ports/protocols. */
function countEntries(c: AdminCtx, en: PEntry, p: string, rule: string, max: number): void {
  const n = (en.value as { items: readonly PNode[] }).items.length;
  if (n === 0) {
    err(c, rule, en.value, `${p}: Invalid value: must have at least 1 item. Leave ${en.key} out to match every port.`);
  } else if (n > max) {
    err(c, rule, keyOf(en), `${p}: Too many: ${n}: must have at most ${max} items.`);
  }
}

/** An entry that sets exactly one of `fields`; reports none or several, returns the one. */
function exactlyOne(c: AdminCtx, entry: PNode, fields: readonly string[], p: string, rule: string): PEntry | undefined {
  if (entry.t !== 'map') {
    if (entry.t === 'scalar' && entry.v === null) {
      err(c, rule, entry, `${p}: Required value: exactly one of ${orList(fields)}.`);
    }
    return undefined;
  }
  const set = entry.entries.filter((e) => !e.shadowed && fields.includes(e.key) && isSet(e.value));
  if (set.length === 1) return set[0];
  if (set.length === 0) {
    err(
      c,
      rule,
      entry.entries.length ? entry : { s: entry.s, e: entry.e },
      `${p}: Required value: exactly one of ${orList(fields)}.`,
    );
  } else {
    err(
      c,
      rule,
      keyOf(set[1]),
      `${p}: Invalid value: exactly one of ${orList(fields)}, found ${set.map((e) => e.key).join(' and ')}. For both, write two entries.`,
    );
  }
  return undefined;
}

/** AV23 (named ports with address peers) and AV24 (domainNames outside Accept rules). */
function checkEgressMix(c: AdminCtx, rule: PMap, action: string | undefined, p: string): void {
  const to = get(rule, 'to');
  const peers = to && to.t === 'seq' ? to.items : [];
  const kinds = ADDRESS_PEERS.filter((k) => peers.some((peer) => isSet(get(peer, k))));
  const addressKinds = c.kind === 'BaselineAdminNetworkPolicy' ? kinds.filter((k) => k !== 'domainNames') : kinds;
  if (addressKinds.length) {
    const key = c.v2 ? 'protocols' : 'ports';
    const named = c.v2 ? 'destinationNamedPort' : 'namedPort';
    const list = get(rule, key);
    (list && list.t === 'seq' ? list.items : []).forEach((entry, i) => {
      const en = getEntry(entry, named);
      if (!en || !isSet(en.value)) return;
      err(
        c,
        'NPA23',
        keyOf(en),
        `${p}.${key}[${i}].${named}: Invalid value: ${orList(addressKinds)} peer cannot be set with named ports, since there are no named ports for ${orList(addressKinds)}. Use port numbers, or put the named port in a rule of its own with pod peers.`,
      );
    });
  }
  const accept = c.v2 ? 'Accept' : 'Allow';
  if (action && action !== accept && kinds.includes('domainNames') && c.kind !== 'BaselineAdminNetworkPolicy') {
    peers.forEach((peer, j) => {
      const en = getEntry(peer, 'domainNames');
      if (!en || !isSet(en.value)) return;
      err(
        c,
        'NPA24',
        keyOf(en),
        `${p}.to[${j}].domainNames: Invalid value: domainNames may only be used in ${accept} rules (this rule is ${action}). Deny traffic to names with networks, or accept the names and deny the rest after.`,
      );
    });
  }
}
