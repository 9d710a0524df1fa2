// The API server's validation rules of NetworkPolicy, V01-V26 (docs/semantics.md A.9), and the
// CIDR warnings of docs/semantics.md A.11. What a field may hold (enums, required fields, the fields a peer chooses
// from) comes from the schema; the rules that relate fields to each other are code here.

import { get, type PMap, type PNode, type PScalar } from '../model/tree';
import { NETWORK_POLICY, objectSpec, orList } from '../schema';
import { parseCidr } from './ipset';
import type { Validator } from './validateDecode';
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  dnsNameSuggestion,
  labelKeyErrors,
  labelValueErrors,
  portNameErrors,
} from './validateNames';

const fields = (type: string): ReturnType<typeof objectSpec>['fields'] => objectSpec(NETWORK_POLICY, type).fields;
const META = objectSpec(NETWORK_POLICY, 'ObjectMeta');
const PEER = objectSpec(NETWORK_POLICY, 'NetworkPolicyPeer');
const POLICY_TYPES = fields('NetworkPolicySpec').policyTypes;
const PROTOCOLS = fields('NetworkPolicyPort').protocol.enum!;
const OPERATORS = fields('LabelSelectorRequirement').operator.enum!;

/** Absent, null or "": what a required field may not be. */
function isMissing(n: PNode | undefined): boolean {
  return !n || (n.t === 'scalar' && (n.v === null || n.v === ''));
}

/** Set: present and not null (a peer field that counts). */
function isSet(n: PNode | undefined): boolean {
  return !!n && !(n.t === 'scalar' && n.v === null);
}

/** The member of an enum that differs from `value` only in case (compared in lower case, or in upper case when `upper`). */
function canonical(values: readonly string[], value: string, upper = false): string | undefined {
  return upper
    ? values.find((o) => o === value.toUpperCase())
    : values.find((o) => o.toLowerCase() === value.toLowerCase());
}

/**
 * `Unsupported value` for a string outside a field's enum (docs/semantics.md A.9's NotSupported), with the
 * canonical spelling when only the case differs (`caseNote`), or `other` when no spelling is close.
 */
function checkEnum(
  v: Validator,
  rule: string,
  n: PNode,
  path: string,
  values: readonly string[],
  say: { readonly caseNote: (canon: string) => string; readonly other?: string; readonly upper?: boolean },
): void {
  if (n.t !== 'scalar' || typeof n.v !== 'string' || values.includes(n.v)) return;
  const canon = canonical(values, n.v, say.upper);
  v.add(
    rule,
    'error',
    n,
    `${path}: Unsupported value: "${n.v}": supported values: ${values.map((x) => `"${x}"`).join(', ')}${canon ? say.caseNote(canon) : (say.other ?? '')}.`,
    canon ? { replace: canon } : undefined,
  );
}

/** The docs/semantics.md A.9 rules of a NetworkPolicy object (after decoding), in the order the fields appear in the API. */
export function validateNetworkPolicyRules(v: Validator, root: PMap): void {
  const meta = get(root, 'metadata');
  validateMeta(v, meta && meta.t === 'map' ? meta : undefined, root);
  const spec = get(root, 'spec');
  if (spec && spec.t === 'map') validateSpec(v, spec);
}

// ------------------------------------------------------------------ metadata

function validateMeta(v: Validator, meta: PMap | undefined, root: PMap): void {
  const nameEn = meta?.entries.find((e) => e.key === 'name' && !e.shadowed);
  const name = nameEn?.value;
  if (isMissing(name)) {
    // ObjectMeta requires one of name and generateName (a non-empty string)
    const given = (n: PNode | undefined): boolean => !!n && n.t === 'scalar' && typeof n.v === 'string' && n.v !== '';
    if (!META.requireOneOf!.some((f) => f !== 'name' && given(meta && get(meta, f)))) {
      const metaEn = root.entries.find((e) => e.key === 'metadata' && !e.shadowed);
      const at =
        nameEn && nameEn.value.e > nameEn.value.s
          ? nameEn.value
          : nameEn
            ? { s: nameEn.ks, e: nameEn.ke }
            : metaEn
              ? { s: metaEn.ks, e: metaEn.ke }
              : (root.entries.find((e) => e.key === 'kind')?.value ?? { s: root.s, e: root.s });
      v.add(
        'NPV01',
        'error',
        at,
        `metadata.name: Required value: ${orList(META.requireOneOf!)} is required. Give the policy a name.`,
      );
    }
  } else if (name && name.t === 'scalar' && typeof name.v === 'string') {
    const sug = dnsNameSuggestion(name.v, true);
    for (const m of dns1123SubdomainErrors(name.v)) {
      v.add(
        'NPV02',
        'error',
        name,
        `metadata.name: Invalid value "${name.v}": ${m}.${sug ? ` Use e.g. "${sug}".` : ''}`,
      );
    }
  }
  const ns = meta && get(meta, 'namespace');
  if (ns && ns.t === 'scalar' && typeof ns.v === 'string') {
    const sug = dnsNameSuggestion(ns.v, false);
    for (const m of dns1123LabelErrors(ns.v)) {
      v.add(
        'NPV03',
        'error',
        ns,
        `metadata.namespace: Invalid value "${ns.v}": ${m}.${sug ? ` Did you mean "${sug}"?` : ''}`,
      );
    }
  }
  const labels = meta && get(meta, 'labels');
  if (labels && labels.t === 'map') checkLabelMap(v, labels, 'metadata.labels');
}

function checkLabelMap(v: Validator, m: PMap, path: string): void {
  for (const en of m.entries) {
    if (en.shadowed) continue;
    for (const msg of labelKeyErrors(en.key)) {
      v.addKey('NPV20', 'error', en, `${path}: Invalid value "${en.key}": ${msg}.`);
    }
    const val = en.value;
    if (val.t === 'scalar' && typeof val.v === 'string') {
      for (const msg of labelValueErrors(val.v)) {
        v.add('NPV21', 'error', val, `${path}: Invalid value "${val.v}": ${msg}.`);
      }
    }
  }
}

// ------------------------------------------------------------------ label selectors

function validateSelector(v: Validator, sel: PNode | undefined, path: string): void {
  if (!sel || sel.t !== 'map') return;
  const ml = get(sel, 'matchLabels');
  if (ml && ml.t === 'map') checkLabelMap(v, ml, `${path}.matchLabels`);
  const me = get(sel, 'matchExpressions');
  if (!me || me.t !== 'seq') return;
  me.items.forEach((req, i) => {
    if (req.t === 'map') validateRequirement(v, req, `${path}.matchExpressions[${i}]`);
  });
}

function validateRequirement(v: Validator, req: PMap, p: string): void {
  const keyN = get(req, 'key');
  if (keyN && keyN.t === 'scalar' && typeof keyN.v === 'string') {
    for (const msg of labelKeyErrors(keyN.v)) {
      v.add('NPV25', 'error', keyN, `${p}.key: Invalid value "${keyN.v}": ${msg}.`);
    }
  } else if (!keyN || (keyN.t === 'scalar' && keyN.v === null)) {
    v.add('NPV25', 'error', req, `${p}.key: Invalid value "": name part must be non-empty.`);
  }
  const opN = get(req, 'operator');
  // absent or null reads as "", which is no operator (required in the schema)
  const op =
    opN && opN.t === 'scalar' && typeof opN.v === 'string'
      ? opN.v
      : !opN || (opN.t === 'scalar' && opN.v === null)
        ? ''
        : undefined;
  const valsN = get(req, 'values');
  const vals = valsN && valsN.t === 'seq' ? valsN.items : [];
  if (op !== undefined) checkOperator(v, op, opN, valsN, vals, req, p);
  vals.forEach((val, j) => {
    if (val.t === 'scalar' && typeof val.v === 'string') {
      for (const msg of labelValueErrors(val.v)) {
        v.add('NPV26', 'error', val, `${p}.values[${j}]: Invalid value: "${val.v}": ${msg}.`);
      }
    }
  });
}

/** V22-V24: the operator, and whether it wants values. */
function checkOperator(
  v: Validator,
  op: string,
  opN: PNode | undefined,
  valsN: PNode | undefined,
  vals: readonly PNode[],
  req: PMap,
  p: string,
): void {
  const [inOp, notIn, exists, doesNotExist] = OPERATORS;
  if (op === inOp || op === notIn) {
    if (vals.length === 0) {
      v.add(
        'NPV23',
        'error',
        valsN ?? opN ?? req,
        `${p}.values: Required value: must be specified when \`operator\` is '${inOp}' or '${notIn}'.`,
      );
    }
  } else if (op === exists || op === doesNotExist) {
    if (vals.length > 0) {
      v.add(
        'NPV24',
        'error',
        valsN!,
        `${p}.values: Forbidden: may not be specified when \`operator\` is '${exists}' or '${doesNotExist}'.`,
        { fix: 'removeValues' },
      );
    }
  } else {
    const canon = canonical(OPERATORS, op);
    const extra = canon
      ? ` Operators are case-sensitive: use "${canon}".`
      : op === 'Gt' || op === 'Lt'
        ? ' Gt and Lt exist only in node selectors, not in label selectors.'
        : '';
    v.add(
      'NPV22',
      'error',
      opN ?? req,
      `${p}.operator: Invalid value: "${op}": not a valid selector operator (${OPERATORS.join(', ')}).${extra}`,
      canon ? { replace: canon } : undefined,
    );
  }
}

// ------------------------------------------------------------------ spec, rules, ports

function validateSpec(v: Validator, spec: PMap): void {
  validateSelector(v, get(spec, 'podSelector'), 'spec.podSelector');
  const pt = get(spec, 'policyTypes');
  if (pt && pt.t === 'seq') {
    const max = POLICY_TYPES.maxItems!;
    if (pt.items.length > max) {
      v.add(
        'NPV04',
        'error',
        pt,
        `spec.policyTypes: Invalid value: may not specify more than two policyTypes (found ${pt.items.length}). List ${orList(POLICY_TYPES.enum!).replace(' or ', ' and ')} at most once each.`,
      );
    } else {
      pt.items.forEach((it, i) =>
        checkEnum(v, 'NPV05', it, `spec.policyTypes[${i}]`, POLICY_TYPES.enum!, {
          caseNote: (c) => ` (values are case-sensitive: use "${c}")`,
        }),
      );
    }
  }
  for (const [section, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = get(spec, section);
    if (!rules || rules.t !== 'seq') continue;
    rules.items.forEach((rule, i) => {
      if (rule.t !== 'map') return;
      const rp = `spec.${section}[${i}]`;
      const ports = get(rule, 'ports');
      if (ports && ports.t === 'seq') ports.items.forEach((port, j) => validatePort(v, port, `${rp}.ports[${j}]`));
      const peers = get(rule, peersKey);
      if (peers && peers.t === 'seq') {
        peers.items.forEach((peer, j) => validatePeer(v, peer, `${rp}.${peersKey}[${j}]`));
      }
    });
  }
}

function validatePort(v: Validator, port: PNode, p: string): void {
  if (port.t !== 'map') return;
  const proto = get(port, 'protocol');
  if (proto) {
    checkEnum(v, 'NPV06', proto, `${p}.protocol`, PROTOCOLS, {
      caseNote: (c) => ` (case-sensitive: use "${c}")`,
      other: '; NetworkPolicy cannot match ICMP or other protocols',
      upper: true,
    });
  }
  const portN = get(port, 'port');
  const portV = portN && portN.t === 'scalar' ? portN.v : null;
  if (portN && typeof portV === 'number') {
    if (!Number.isInteger(portV) || portV < 1 || portV > 65535) {
      v.add('NPV07', 'error', portN, `${p}.port: Invalid value: ${portV}: must be between 1 and 65535, inclusive.`);
    }
  } else if (portN && typeof portV === 'string') {
    const isNum = /^\d+$/.test(portV);
    const hint = isNum
      ? ` "${portV}" is quoted, so it is a string (a port name), not a number: remove the quotes.`
      : '';
    for (const m of portNameErrors(portV)) {
      v.add(
        'NPV08',
        'error',
        portN,
        `${p}.port: Invalid value: "${portV}": ${m}.${hint}`,
        isNum ? { fix: 'unquote' } : undefined,
      );
    }
  }
  const endN = get(port, 'endPort');
  if (endN && endN.t === 'scalar' && endN.v !== null) validateEndPort(v, endN, portV, p);
}

/** V09-V12: endPort ends a range that starts at a numeric `port`. */
function validateEndPort(v: Validator, endN: PScalar, portV: unknown, p: string): void {
  const ev = endN.v;
  if (typeof portV === 'string') {
    v.add('NPV09', 'error', endN, `${p}.endPort: Invalid value: may not be specified when \`port\` is non-numeric.`);
  } else if (portV === null || portV === undefined) {
    v.add('NPV10', 'error', endN, `${p}.endPort: Invalid value: may not be specified when \`port\` is not specified.`);
  } else if (typeof ev === 'number' && typeof portV === 'number' && ev < portV) {
    v.add(
      'NPV11',
      'error',
      endN,
      `${p}.endPort: Invalid value: ${ev}: must be greater than or equal to \`port\` (${portV}).`,
    );
  }
  if (typeof ev === 'number' && (!Number.isInteger(ev) || ev < 1 || ev > 65535)) {
    v.add('NPV12', 'error', endN, `${p}.endPort: Invalid value: ${ev}: must be between 1 and 65535, inclusive.`);
  }
}

// ------------------------------------------------------------------ peers and ipBlocks

function validatePeer(v: Validator, peer: PNode, p: string): void {
  const choose = `must specify a peer (${orList(PEER.requireOneOf!)})`;
  if (peer.t !== 'map') {
    if (peer.t === 'scalar' && peer.v === null) v.add('NPV13', 'error', peer, `${p}: Required value: ${choose}.`);
    return;
  }
  if (!PEER.requireOneOf!.some((f) => isSet(get(peer, f)))) {
    v.add(
      'NPV13',
      'error',
      peer.entries.length ? peer : { s: peer.s, e: peer.e },
      `${p}: Required value: ${choose}. An empty peer is rejected; to allow every source or destination, leave out \`from\`/\`to\` instead.`,
    );
  }
  // ipBlock excludes the selectors (the schema's exclusive groups)
  const [alone, others] = PEER.exclusive!;
  if (alone.some((f) => isSet(get(peer, f))) && others.some((f) => isSet(get(peer, f)))) {
    const other = peer.entries.find((e) => others.includes(e.key) && isSet(e.value));
    v.add(
      'NPV14',
      'error',
      other ? { s: other.ks, e: other.ke } : peer,
      `${p}: Forbidden: may not specify both ipBlock and another peer. If you meant two peers (OR), start the selector with its own "-".`,
    );
  }
  validateSelector(v, get(peer, 'podSelector'), `${p}.podSelector`);
  validateSelector(v, get(peer, 'namespaceSelector'), `${p}.namespaceSelector`);
  const ib = get(peer, 'ipBlock');
  if (ib && ib.t === 'map') validateIpBlock(v, ib, `${p}.ipBlock`);
}

/** Ends a clause with a full stop unless it already ends with punctuation. */
function sentence(s: string): string {
  const t = s.replace(/^bits are set/, 'has bits set');
  return /[.?!]$/.test(t) ? t : `${t}.`;
}

function validateIpBlock(v: Validator, ib: PMap, p: string): void {
  const cidrN = get(ib, 'cidr');
  if (isMissing(cidrN)) {
    v.add('NPV15', 'error', cidrN ?? ib, `${p}.cidr: Required value: an ipBlock needs a cidr.`);
    return;
  }
  if (cidrN!.t !== 'scalar' || typeof cidrN!.v !== 'string') return; // wrong type: reported by the decoder
  const cidrS = cidrN!.v;
  const cidr = parseCidr(cidrS);
  if (!cidr) {
    const bare = /^[0-9.]+$/.test(cidrS) || (/^[0-9a-fA-F:.]+$/.test(cidrS) && cidrS.includes(':'));
    v.add(
      'NPV16',
      'error',
      cidrN!,
      `${p}.cidr: Invalid value: "${cidrS}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)${bare ? `; a single address needs a prefix length: ${cidrS}/${cidrS.includes(':') ? 128 : 32}` : ''}.`,
      bare ? { fix: 'addPrefix', prefix: cidrS.includes(':') ? 128 : 32 } : undefined,
    );
  } else if (cidr.warnings.length) {
    v.add(
      'NPP19',
      'warning',
      cidrN!,
      `${p}.cidr "${cidrS}" ${sentence(cidr.warnings.join('; '))} The API server warns today and will reject it under strict CIDR validation; write ${cidr.canonical}.`,
      { fix: 'canonical', canonical: cidr.canonical },
    );
  }
  const ex = get(ib, 'except');
  if (ex && ex.t === 'seq') ex.items.forEach((it, i) => validateExcept(v, it, `${p}.except[${i}]`, cidr, cidrS));
}

/** V18, V19 and the docs/semantics.md A.11 warnings of one `except` entry. */
function validateExcept(v: Validator, it: PNode, p: string, cidr: ReturnType<typeof parseCidr>, cidrS: string): void {
  if (it.t !== 'scalar' || (it.v !== null && typeof it.v !== 'string')) return;
  const s = it.v === null ? '' : it.v;
  const e = parseCidr(s);
  if (!e) {
    v.add(
      'NPV18',
      'error',
      it,
      `${p}: Invalid value: "${s}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64).`,
    );
    return;
  }
  if (e.warnings.length) {
    v.add(
      'NPP19',
      'warning',
      it,
      `${p} "${s}" ${sentence(e.warnings.join('; '))} The API server warns today and will reject it under strict CIDR validation; write ${e.canonical}.`,
      { fix: 'canonical', canonical: e.canonical },
    );
  }
  if (cidr && (e.family !== cidr.family || e.prefix <= cidr.prefix || e.lo < cidr.lo || e.lo > cidr.hi)) {
    v.add('NPV19', 'error', it, `${p}: Invalid value: "${s}": must be a strict subset of \`cidr\` (${cidrS}).`);
  }
}
