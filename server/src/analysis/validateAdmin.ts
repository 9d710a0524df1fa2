// Validation of the admin-tier kinds as the API server does it from their CRDs: the rules
// AV01-AV26 of docs/semantics.md D.2, reported as NPA01-NPA26. Decoding against the kind's schema
// (wrong types and unknown fields are NPA26), the apiVersion, metadata, and the spec's tier,
// priority and subject here; rules, peers and ports in validateAdminRules.ts. Which errors leave
// the policy in the analysis is said in docs/semantics.md D.1: unknown fields, duplicate keys and
// a missing `pods` selector.

import type { ManifestDocument } from '../model/document';
import { get, getEntry, type PMap } from '../model/tree';
import { objectSpec, orList } from '../schema';
import { ADMIN_SCHEMAS, type AdminKind } from './adminKinds';
import {
  type AdminCtx,
  checkLabelMap,
  checkPods,
  checkSelector,
  err,
  isMissing,
  isSet,
  keyOf,
  missingAt,
} from './validateAdminCheck';
import { checkRules } from './validateAdminRules';
import type { Finding } from './findings';
import { Decoder, Validator } from './validateDecode';
import { dns1123SubdomainErrors } from './validateNames';

export interface AdminValidation {
  readonly findings: readonly Finding[];
  /** False when the policy takes no part in connectivity (an error other than those docs/semantics.md D.1 keeps, or a YAML syntax error). */
  readonly valid: boolean;
  /** The errors that take the policy out of connectivity (empty when `valid`, but for YAML syntax errors). */
  readonly removing: readonly Finding[];
}

const cache = new WeakMap<PMap, AdminValidation>();

/** Validates an admin-tier policy (the root map or a List item); memoised per parsed node. */
export function validateAdmin(
  kind: AdminKind,
  node: PMap,
  doc: ManifestDocument | null,
  inList = false,
): AdminValidation {
  let r = cache.get(node);
  if (!r) cache.set(node, (r = run(kind, node, doc, inList)));
  return r;
}

function run(kind: AdminKind, node: PMap, doc: ManifestDocument | null, inList: boolean): AdminValidation {
  const schema = ADMIN_SCHEMAS[kind];
  const c: AdminCtx = {
    v: new Validator(),
    kind,
    schema,
    v2: kind === 'ClusterNetworkPolicy',
    lenient: new Set(),
    misplaced: new Set(),
  };
  duplicateKeys(c, node, doc);
  checkApiVersion(c, node, inList);
  checkMeta(c, node);
  checkSpec(c, node);
  // decoding last: the peer checks say which unknown keys are misplaced peer fields instead
  const dec = new Validator();
  const typesOk = new Decoder(dec, schema).check(node, { object: schema.root }, inList ? 'item' : kind);
  for (const f of dec.findings) {
    if (c.misplaced.has(f.s)) continue;
    const moved: Finding = {
      ...f,
      rule: 'NPA26',
      message: f.rule === 'NPP44' ? crossVersionField(c, f.message) : f.message,
    };
    c.v.findings.push(moved);
    if (f.rule === 'NPP44') c.lenient.add(moved);
  }
  const findings = c.v.findings.sort((a, b) => a.s - b.s || a.e - b.e);
  const removing = findings.filter((f) => f.severity === 'error' && !c.lenient.has(f));
  const syntaxOk = !doc || doc.syntaxErrors.length === 0;
  return { findings, removing, valid: syntaxOk && typesOk && removing.length === 0 };
}

/** NPP30 (docs/semantics.md C.30): duplicate keys inside the object; the last one wins. */
function duplicateKeys(c: AdminCtx, node: PMap, doc: ManifestDocument | null): void {
  for (const ti of doc?.treeIssues ?? []) {
    if (ti.s >= node.s && ti.e <= node.e && ti.code === 'duplicate-key') {
      c.v.add(
        'NPP30',
        'error',
        ti,
        `${ti.message}. Strict field validation rejects duplicate keys; with a lenient client the last value silently wins. Keep one.`,
      );
      c.lenient.add(c.v.findings[c.v.findings.length - 1]);
    }
  }
}

/** AP13: the other version's field names say what a lenient client makes of the rule. */
function crossVersionField(c: AdminCtx, message: string): string {
  const m = /^unknown field "([^"]+)" in (\S+?)[.;]?(?:\s|$)/.exec(message);
  if (!m) return message;
  const [, key, path] = m;
  const inRule = /\.(ingress|egress)\[\d+\]$/.test(path);
  const everyPort = ', which leaves a rule that matches every port';
  const [hint, tail] =
    c.v2 && key === 'ports' && inRule
      ? [
          '`ports` is the v1alpha1 field: a ClusterNetworkPolicy rule lists `protocols` (`tcp`/`udp`/`sctp` with `destinationPort`, or `destinationNamedPort`)',
          everyPort,
        ]
      : !c.v2 && key === 'protocols' && inRule
        ? [
            '`protocols` is the v1alpha2 field: a v1alpha1 rule lists `ports` (`portNumber`, `portRange` or `namedPort`)',
            everyPort,
          ]
        : !c.v2 && key === 'tier' && path.endsWith('.spec')
          ? [
              `\`tier\` is a ClusterNetworkPolicy field: a${c.kind === 'AdminNetworkPolicy' ? 'n AdminNetworkPolicy is always in the Admin tier' : ' BaselineAdminNetworkPolicy is always in the Baseline tier'}`,
              '',
            ]
          : c.kind === 'BaselineAdminNetworkPolicy' && key === 'priority' && path.endsWith('.spec')
            ? ['a BaselineAdminNetworkPolicy has no priority: it is the one `default` policy of the Baseline tier', '']
            : ['', ''];
  if (!hint) return message;
  const base = message.replace(/ A non-strict client[\s\S]*$/, '');
  return `${base} ${hint}. Strict validation (kubectl's default) rejects the object; a lenient client drops the field${tail}.`;
}

/** AV01: the kind exists only in one version of policy.networking.k8s.io. */
function checkApiVersion(c: AdminCtx, node: PMap, inList: boolean): void {
  const en = getEntry(node, 'apiVersion');
  const api = en && en.value.t === 'scalar' && en.value.v !== null ? String(en.value.v) : undefined;
  const want = c.schema.apiVersion;
  if (api === want || (api === undefined && inList)) return;
  const other =
    c.kind === 'ClusterNetworkPolicy'
      ? 'v1alpha1 has AdminNetworkPolicy and BaselineAdminNetworkPolicy instead'
      : 'v1alpha2 replaced it with ClusterNetworkPolicy (`tier: Admin` or `Baseline`)';
  const at = en?.value.t === 'scalar' && en.value.e > en.value.s ? en.value : en ? keyOf(en) : missingAt(node, 'kind');
  err(
    c,
    'NPA01',
    at,
    api === undefined
      ? `apiVersion is missing: the API server cannot tell which API the ${c.kind} belongs to. Add apiVersion: ${want}.`
      : `apiVersion "${api}" does not serve ${c.kind}: the API server answers "no matches for kind"${api.startsWith('policy.networking.k8s.io/') ? ` (${other})` : ''}. Use ${want}.`,
    { apiVersion: want },
  );
}

/** AV02, AV03 and the labels of the object (AV25). */
function checkMeta(c: AdminCtx, node: PMap): void {
  const metaEn = getEntry(node, 'metadata');
  const meta = metaEn?.value;
  const nameEn = meta ? getEntry(meta, 'name') : undefined;
  const name = nameEn?.value;
  if (isMissing(name)) {
    const gen = meta && get(meta, 'generateName');
    if (!(gen && gen.t === 'scalar' && typeof gen.v === 'string' && gen.v !== '')) {
      const at = nameEn ? keyOf(nameEn) : metaEn ? keyOf(metaEn) : missingAt(node, 'kind');
      err(
        c,
        'NPA02',
        at,
        `metadata.name: Required value: name or generateName is required. Give the ${c.kind} a name.`,
      );
    }
  } else if (name && name.t === 'scalar' && typeof name.v === 'string') {
    for (const m of dns1123SubdomainErrors(name.v)) {
      err(c, 'NPA02', name, `metadata.name: Invalid value "${name.v}": ${m}.`);
    }
  }
  if (
    c.kind === 'BaselineAdminNetworkPolicy' &&
    name &&
    name.t === 'scalar' &&
    name.v !== 'default' &&
    !isMissing(name)
  ) {
    err(
      c,
      'NPA03',
      name,
      `metadata.name: Invalid value "${String(name.v)}": Only one baseline admin network policy with metadata.name="default" can be created in the cluster. Rename it to default.`,
      { replace: 'default' },
    );
  }
  const labels = meta && get(meta, 'labels');
  if (labels) checkLabelMap(c, labels, 'metadata.labels', 'The API server rejects the object.');
}

function checkSpec(c: AdminCtx, node: PMap): void {
  const specEn = getEntry(node, 'spec');
  if (!specEn || isMissing(specEn.value)) {
    err(
      c,
      'NPA04',
      specEn ? keyOf(specEn) : missingAt(node, 'kind'),
      `spec: Required value: a ${c.kind} needs a spec (its subject and rules).`,
    );
    return;
  }
  const spec = specEn.value;
  if (spec.t !== 'map') return; // wrong type: NPA26
  if (c.kind !== 'BaselineAdminNetworkPolicy') checkPriority(c, spec, specEn);
  if (c.v2) checkTier(c, spec, specEn);
  checkSubject(c, spec, specEn);
  checkRules(c, spec, 'ingress');
  checkRules(c, spec, 'egress');
}

/** AV05: priority 0-1000, required in an ANP and a CNP. */
function checkPriority(c: AdminCtx, spec: PMap, specEn: { ks: number; ke: number }): void {
  const en = getEntry(spec, 'priority');
  if (!en || isMissing(en.value)) {
    err(
      c,
      'NPA05',
      en ? keyOf(en) : keyOf(specEn),
      `spec.priority: Required value: a ${c.kind} needs a priority from 0 to 1000 (lower numbers are evaluated first).`,
    );
    return;
  }
  const v = en.value.t === 'scalar' ? en.value.v : undefined;
  if (typeof v === 'number' && (v < 0 || v > 1000)) {
    err(
      c,
      'NPA05',
      en.value,
      `spec.priority: Invalid value: ${v}: should be ${v < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000'}. Priorities run from 0 (evaluated first) to 1000.`,
    );
  }
}

/** AV06: the tier of a ClusterNetworkPolicy. */
function checkTier(c: AdminCtx, spec: PMap, specEn: { ks: number; ke: number }): void {
  const values = objectSpec(c.schema, 'Spec').fields.tier.enum!;
  const en = getEntry(spec, 'tier');
  if (!en || isMissing(en.value)) {
    err(
      c,
      'NPA06',
      en ? keyOf(en) : keyOf(specEn),
      `spec.tier: Required value: ${orList(values)}. Admin is evaluated before NetworkPolicies, Baseline after them.`,
    );
    return;
  }
  const v = en.value.t === 'scalar' ? en.value.v : undefined;
  if (typeof v !== 'string' || values.includes(v)) return;
  const canon = values.find((x) => x.toLowerCase() === v.toLowerCase());
  err(
    c,
    'NPA06',
    en.value,
    `spec.tier: Unsupported value: "${v}": supported values: ${values.map((x) => `"${x}"`).join(', ')}${canon ? ` (case-sensitive: use "${canon}")` : ''}.`,
    canon ? { replace: canon } : undefined,
  );
}

/** AV07: exactly one of namespaces and pods; then the selectors of the subject. */
function checkSubject(c: AdminCtx, spec: PMap, specEn: { ks: number; ke: number }): void {
  const en = getEntry(spec, 'subject');
  if (!en || isMissing(en.value)) {
    err(
      c,
      'NPA07',
      en ? keyOf(en) : keyOf(specEn),
      'spec.subject: Required value: the pods the policy applies to (`namespaces` or `pods`).',
    );
    return;
  }
  const subj = en.value;
  if (subj.t !== 'map') return;
  const set = subj.entries.filter((e) => !e.shadowed && (e.key === 'namespaces' || e.key === 'pods') && isSet(e.value));
  if (set.length === 0) {
    err(
      c,
      'NPA07',
      subj.entries.length ? keyOf(en) : subj,
      'spec.subject: Invalid value: must specify exactly one of namespaces or pods.',
    );
  } else if (set.length > 1) {
    err(
      c,
      'NPA07',
      keyOf(set[1]),
      'spec.subject: Invalid value: must specify exactly one of namespaces or pods, not both. For the pods of some namespaces, use pods with namespaceSelector and podSelector.',
    );
  }
  const ns = get(subj, 'namespaces');
  if (ns) checkSelector(c, ns, 'spec.subject.namespaces');
  const podsEn = getEntry(subj, 'pods');
  if (podsEn) checkPods(c, podsEn, 'spec.subject.pods');
}
