// Whether an admin policy takes part in connectivity (docs/semantics.md D.1): the structural errors
// of docs/semantics.md D.2 that the API server rejects, in their smallest form. The validation rules (AV01-AV26) report
// these with locations and messages; this function only decides "valid?", and names each error in
// a few words for explanations. Unknown fields, duplicate keys and a `pods` without `podSelector`
// do not take a policy out (docs/semantics.md D.1), so they are not checked here.

import type { TieredPolicyObject } from '../model/resources';
import { get, looseStr, type PMap, type PNode, str } from '../model/tree';
import { adminValidationErrors } from './adminValidity';
import { parseCidr } from './ipset';

const OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function asMap(n: PNode | undefined): PMap | undefined {
  return n && n.t === 'map' ? n : undefined;
}

function isPort(n: PNode | undefined): boolean {
  return !!n && n.t === 'scalar' && typeof n.v === 'number' && Number.isInteger(n.v) && n.v >= 1 && n.v <= 65535;
}

function selectorErrors(n: PNode | undefined, where: string, out: string[]): void {
  if (n === undefined || (n.t === 'scalar' && n.v === null)) return;
  if (n.t !== 'map') return void out.push(`${where}: not a label selector`);
  const me = get(n, 'matchExpressions');
  if (!me || me.t !== 'seq') return;
  for (const e of me.items) {
    const op = looseStr(get(e, 'operator'));
    const values = get(e, 'values');
    const count = values && values.t === 'seq' ? values.items.length : 0;
    if (!op || !OPS.includes(op) || looseStr(get(e, 'key')) === undefined) out.push(`${where}: bad requirement`);
    else if ((op === 'In' || op === 'NotIn') !== count > 0) out.push(`${where}: ${op} with wrong values`);
  }
}

/** `pods` or `namespaces` (a subject, or a peer of those kinds). */
function podsOrNamespacesErrors(m: PMap, where: string, out: string[]): void {
  const pods = get(m, 'pods');
  if (pods) {
    if (pods.t !== 'map') return void out.push(`${where}.pods: not an object`);
    selectorErrors(get(pods, 'namespaceSelector'), `${where}.pods.namespaceSelector`, out);
    selectorErrors(get(pods, 'podSelector'), `${where}.pods.podSelector`, out);
  } else selectorErrors(get(m, 'namespaces'), `${where}.namespaces`, out);
}

const PEER_FIELDS = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];

interface Version {
  readonly v2: boolean;
  readonly banp: boolean;
  readonly maxRules: number;
  readonly actions: readonly string[];
}

function peerErrors(p: PNode, dir: 'ingress' | 'egress', ver: Version, where: string, out: string[]): string[] {
  const m = asMap(p);
  const fields = m ? m.entries.map((e) => e.key).filter((k) => PEER_FIELDS.includes(k)) : [];
  if (!m || fields.length !== 1) return (void out.push(`${where}: a peer needs exactly one field`), []);
  const f = fields[0];
  if (dir === 'ingress' && f !== 'namespaces' && f !== 'pods') out.push(`${where}: ${f} in an ingress rule`);
  if (f === 'domainNames' && ver.banp) out.push(`${where}: domainNames in a BaselineAdminNetworkPolicy`);
  if (f === 'networks') {
    const nets = get(m, 'networks');
    if (!nets || nets.t !== 'seq' || !nets.items.length) out.push(`${where}.networks: empty`);
    else {
      for (const it of nets.items) {
        const c = str(it) !== undefined ? parseCidr(str(it)!) : null;
        if (!c || c.warnings.some((w) => !w.startsWith('bits are set'))) out.push(`${where}.networks: not a CIDR`);
      }
    }
  } else if (f === 'namespaces' || f === 'pods') podsOrNamespacesErrors(m, where, out);
  else if (f === 'nodes') selectorErrors(get(m, 'nodes'), `${where}.nodes`, out);
  return [f];
}

function portErrors(n: PNode, ver: Version, where: string, out: string[]): boolean {
  const m = asMap(n);
  const kinds = ver.v2 ? ['tcp', 'udp', 'sctp', 'destinationNamedPort'] : ['portNumber', 'namedPort', 'portRange'];
  const fields = m ? m.entries.map((e) => e.key).filter((k) => kinds.includes(k)) : [];
  if (!m || fields.length !== 1) return (void out.push(`${where}: needs exactly one of ${kinds.join(', ')}`), false);
  const f = fields[0];
  const v = get(m, f);
  if (f === 'namedPort' || f === 'destinationNamedPort') {
    if (str(v) === undefined) out.push(`${where}.${f}: not a string`);
    return true;
  }
  if (f === 'portNumber') {
    if (!isPort(get(v, 'port'))) out.push(`${where}.portNumber.port: not 1-65535`);
  } else if (f === 'portRange') {
    if (!isPort(get(v, 'start')) || !isPort(get(v, 'end'))) out.push(`${where}.portRange: start/end not 1-65535`);
  } else {
    const dp = asMap(get(v, 'destinationPort'));
    const number = get(dp, 'number');
    const range = asMap(get(dp, 'range'));
    if (!dp || (number === undefined) === (range === undefined)) out.push(`${where}.${f}: needs number or range`);
    else if (number !== undefined && !isPort(number)) out.push(`${where}.${f}: number not 1-65535`);
    else if (range) {
      const s = get(range, 'start');
      const e = get(range, 'end');
      if (!isPort(s) || !isPort(e) || (s as { v: number }).v >= (e as { v: number }).v) {
        out.push(`${where}.${f}.range: needs 1 <= start < end <= 65535`);
      }
    }
  }
  return false;
}

function ruleErrors(r: PNode, dir: 'ingress' | 'egress', ver: Version, where: string, out: string[]): void {
  const m = asMap(r);
  if (!m) return void out.push(`${where}: not an object`);
  const name = get(m, 'name');
  if (name && (str(name) === undefined || str(name)!.length > 100)) out.push(`${where}.name: not a short string`);
  const action = str(get(m, 'action'));
  if (!action || !ver.actions.includes(action)) out.push(`${where}.action: ${action ?? 'missing'}`);
  const peers = get(m, dir === 'ingress' ? 'from' : 'to');
  const max = ver.v2 ? 25 : 100;
  const kinds: string[] = [];
  if (!peers || peers.t !== 'seq' || !peers.items.length || peers.items.length > max) {
    out.push(`${where}: needs 1-${max} peers`);
  } else peers.items.forEach((p, i) => kinds.push(...peerErrors(p, dir, ver, `${where}.peers[${i}]`, out)));
  if (kinds.includes('domainNames') && action !== (ver.v2 ? 'Accept' : 'Allow')) {
    out.push(`${where}: domainNames in a rule that does not accept`);
  }
  const portsField = ver.v2 ? 'protocols' : 'ports';
  const ports = get(m, portsField);
  if (ports === undefined) return;
  if (ports.t !== 'seq' || !ports.items.length || ports.items.length > max) {
    return void out.push(`${where}.${portsField}: needs 1-${max} entries`);
  }
  let named = false;
  ports.items.forEach((p, i) => (named = portErrors(p, ver, `${where}.${portsField}[${i}]`, out) || named));
  const byAddress = kinds.some((k) => k === 'networks' || k === 'nodes' || k === 'domainNames');
  if (named && byAddress) out.push(`${where}: a named port with networks, nodes or domainNames peers`);
}

/** The errors that leave an admin policy out of connectivity; empty when it takes part. */
function structuralErrors(obj: TieredPolicyObject): string[] {
  const out: string[] = [];
  const v2 = obj.kind === 'ClusterNetworkPolicy';
  const banp = obj.kind === 'BaselineAdminNetworkPolicy';
  const version = v2 ? 'policy.networking.k8s.io/v1alpha2' : 'policy.networking.k8s.io/v1alpha1';
  if (obj.apiVersion !== version) out.push(`apiVersion: ${obj.kind} is served as ${version}`);
  if (!obj.name) out.push('metadata.name: missing');
  if (banp && obj.name !== 'default') out.push('metadata.name: a BaselineAdminNetworkPolicy must be named default');
  const spec = asMap(get(obj.node, 'spec'));
  if (!spec) return [...out, 'spec: missing'];
  const ver: Version = {
    v2,
    banp,
    maxRules: v2 ? 25 : 100,
    actions: v2 ? ['Accept', 'Deny', 'Pass'] : banp ? ['Allow', 'Deny'] : ['Allow', 'Deny', 'Pass'],
  };
  if (!banp) {
    const pr = get(spec, 'priority');
    if (!pr || pr.t !== 'scalar' || typeof pr.v !== 'number' || !Number.isInteger(pr.v) || pr.v < 0 || pr.v > 1000) {
      out.push('spec.priority: needs an integer 0-1000');
    }
  }
  if (v2 && !['Admin', 'Baseline'].includes(str(get(spec, 'tier')) ?? '')) out.push('spec.tier: Admin or Baseline');
  const subject = asMap(get(spec, 'subject'));
  const subjectFields = subject ? subject.entries.filter((e) => e.key === 'namespaces' || e.key === 'pods') : [];
  if (!subject || subjectFields.length !== 1) out.push('spec.subject: needs exactly one of namespaces, pods');
  else podsOrNamespacesErrors(subject, 'spec.subject', out);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = get(spec, dir);
    if (rules === undefined || (rules.t === 'scalar' && rules.v === null)) continue;
    if (rules.t !== 'seq' || rules.items.length > ver.maxRules) {
      out.push(`spec.${dir}: at most ${ver.maxRules} rules`);
      continue;
    }
    rules.items.forEach((r, i) => ruleErrors(r, dir, ver, `spec.${dir}[${i}]`, out));
  }
  return out;
}

/**
 * Why an admin policy takes no part in connectivity (empty: it takes part): the validation rules
 * NPA01-NPA26 that remove a policy (docs/semantics.md D.1, D.2; `adminValidationErrors`, with the
 * rule id in front), and the structural errors above, which the engine reads its model from.
 */
export function adminPolicyErrors(obj: TieredPolicyObject): string[] {
  const validation = adminValidationErrors(obj.node, obj.doc, obj.listIndex !== undefined).map(
    (f) => `${f.rule}: ${f.message}`,
  );
  return [...validation, ...structuralErrors(obj)];
}
