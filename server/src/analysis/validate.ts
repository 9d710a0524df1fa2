// NetworkPolicy validation as the API server does it: decoding (wrong JSON types, unknown fields,
// duplicate keys: section A.10 of the reference) and the validation rules V01-V26 (section A.9).
// A policy with an error here would be rejected by the API server and takes no part in
// connectivity. Unknown fields and duplicate keys are reported but do not invalidate the policy,
// as a non-strict decoder ignores them.

import type { ManifestDocument } from '../model/document';
import { get, type PEntry, type PMap, type PNode, type PScalar } from '../model/tree';
import type { Finding, Severity } from './findings';
import { parseCidr } from './ipset';

// ------------------------------------------------------------------ syntax of names and labels

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = QUALIFIED_NAME;

export function dns1123LabelErrors(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(s)) {
    out.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
    );
  }
  return out;
}

export function dns1123SubdomainErrors(s: string): string[] {
  const out: string[] = [];
  if (s.length > 253) out.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(s)) {
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return out;
}

/** Errors of a label key (qualified name: optional DNS subdomain prefix and a name part). */
export function labelKeyErrors(key: string): string[] {
  const out: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (parts.length === 2) {
    const [prefix, n] = parts;
    name = n;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const m of dns1123SubdomainErrors(prefix)) out.push(`prefix part ${m}`);
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters');
    if (!QUALIFIED_NAME.test(name)) {
      out.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
      );
    }
  }
  return out;
}

export function labelValueErrors(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (v.length > 0 && !LABEL_VALUE.test(v)) {
    out.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    );
  }
  return out;
}

/** IANA_SVC_NAME rules for named ports (k8s.io/apimachinery IsValidPortName). */
export function portNameErrors(name: string): string[] {
  const out: string[] = [];
  if (name.length < 1 || name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push("must not contain consecutive hyphens ('--')");
  if (name.startsWith('-') || name.endsWith('-')) out.push("must not begin or end with a hyphen ('-')");
  return out;
}

// ------------------------------------------------------------------ the decoding schema

type FieldType =
  | 'string'
  | 'int'
  | 'intOrString'
  | 'bool'
  | 'any'
  | { readonly list: FieldType }
  | { readonly stringMap: true }
  | { readonly object: string };

const LABEL_SELECTOR = 'LabelSelector';

const OBJECTS: Record<string, Record<string, FieldType>> = {
  NetworkPolicy: {
    apiVersion: 'string',
    kind: 'string',
    metadata: { object: 'ObjectMeta' },
    spec: { object: 'NetworkPolicySpec' },
  },
  ObjectMeta: {
    name: 'string',
    generateName: 'string',
    namespace: 'string',
    selfLink: 'string',
    uid: 'string',
    resourceVersion: 'string',
    generation: 'int',
    creationTimestamp: 'any',
    deletionTimestamp: 'any',
    deletionGracePeriodSeconds: 'int',
    labels: { stringMap: true },
    annotations: { stringMap: true },
    ownerReferences: { list: 'any' },
    finalizers: { list: 'string' },
    managedFields: { list: 'any' },
  },
  NetworkPolicySpec: {
    podSelector: { object: LABEL_SELECTOR },
    ingress: { list: { object: 'NetworkPolicyIngressRule' } },
    egress: { list: { object: 'NetworkPolicyEgressRule' } },
    policyTypes: { list: 'string' },
  },
  NetworkPolicyIngressRule: {
    ports: { list: { object: 'NetworkPolicyPort' } },
    from: { list: { object: 'NetworkPolicyPeer' } },
  },
  NetworkPolicyEgressRule: {
    ports: { list: { object: 'NetworkPolicyPort' } },
    to: { list: { object: 'NetworkPolicyPeer' } },
  },
  NetworkPolicyPeer: {
    podSelector: { object: LABEL_SELECTOR },
    namespaceSelector: { object: LABEL_SELECTOR },
    ipBlock: { object: 'IPBlock' },
  },
  IPBlock: { cidr: 'string', except: { list: 'string' } },
  NetworkPolicyPort: { protocol: 'string', port: 'intOrString', endPort: 'int' },
  LabelSelector: {
    matchLabels: { stringMap: true },
    matchExpressions: { list: { object: 'LabelSelectorRequirement' } },
  },
  LabelSelectorRequirement: { key: 'string', operator: 'string', values: { list: 'string' } },
};

/** Fields of the policy that, found under a selector, mean the selector's block was mis-indented (P43). */
const MISPLACED_UNDER_SELECTOR = new Set([
  'ingress',
  'egress',
  'policyTypes',
  'podSelector',
  'namespaceSelector',
  'ipBlock',
  'from',
  'to',
  'ports',
]);

function typeName(t: FieldType): string {
  if (typeof t === 'string') {
    return t === 'int'
      ? 'an integer'
      : t === 'intOrString'
        ? 'an integer or a string'
        : t === 'bool'
          ? 'a boolean'
          : t === 'string'
            ? 'a string'
            : 'a value';
  }
  if ('list' in t) return 'a list';
  if ('stringMap' in t) return 'a map of strings';
  return 'an object (a map)';
}

function nodeTypeName(n: PNode): string {
  if (n.t === 'map') return 'a map';
  if (n.t === 'seq') return 'a list';
  if (n.v === null) return 'null';
  if (typeof n.v === 'number') return Number.isInteger(n.v) ? 'an integer' : 'a number';
  if (typeof n.v === 'boolean') return 'a boolean';
  if (n.y11 === 'bool') return 'a boolean (in YAML 1.1, which Kubernetes uses)';
  if (n.y11 === 'int' || n.y11 === 'float') return 'a number (in YAML 1.1, which Kubernetes uses)';
  return 'a string';
}

/** Is a scalar a string as Kubernetes' YAML 1.1 decoder reads it? */
function isK8sString(n: PScalar): boolean {
  return typeof n.v === 'string' && (n.y11 === undefined || n.style !== 'plain');
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= n; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[n];
}

export function suggestField(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = levenshtein(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (
    best &&
    (bestD <= 2 ||
      (lower.startsWith(best.toLowerCase()) && lower.length - best.length <= 2) ||
      (best.toLowerCase().startsWith(lower) && best.length - lower.length <= 2))
  ) {
    return best;
  }
  return undefined;
}

// ------------------------------------------------------------------ the validator

export interface ValidationResult {
  readonly findings: Finding[];
  /** False when the API server would reject the policy (errors other than unknown fields / duplicate keys) or the YAML does not parse. */
  readonly valid: boolean;
}

const NON_INVALIDATING = new Set(['NPP44', 'NPP43', 'NPP30', 'NPP19']);

/** Appended to every A.9 validation message: the consequence. */
const REJECTED = 'The API server rejects the whole policy, so none of it is enforced.';

/** A DNS-1123 name close to `s` (lowercase, invalid characters replaced by "-"). */
function dnsNameSuggestion(s: string, subdomain: boolean): string | undefined {
  const max = subdomain ? 253 : 63;
  const out = s
    .toLowerCase()
    .replace(subdomain ? /[^-a-z0-9.]+/g : /[^-a-z0-9]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, max)
    .replace(/[-.]+$/, '');
  return out && out !== s && (subdomain ? DNS1123_SUBDOMAIN : DNS1123_LABEL).test(out) ? out : undefined;
}

class Validator {
  readonly findings: Finding[] = [];

  add(
    rule: string,
    severity: Severity,
    n: { s: number; e: number },
    message: string,
    data?: Record<string, unknown>,
  ): void {
    if (rule.startsWith('NPV')) message = `${message} ${REJECTED}`;
    this.findings.push(
      data ? { rule, severity, s: n.s, e: n.e, message, data } : { rule, severity, s: n.s, e: n.e, message },
    );
  }

  addKey(rule: string, severity: Severity, en: PEntry, message: string, data?: Record<string, unknown>): void {
    this.add(rule, severity, { s: en.ks, e: en.ke }, message, data);
  }

  /** Checks a value against a field type; returns false when the type is wrong. */
  checkType(n: PNode, t: FieldType, path: string): boolean {
    if (n.t === 'scalar' && n.v === null) return true; // null decodes to the zero value
    const wrong = (extra = ''): false => {
      const quoteFix = n.t === 'scalar' && (t === 'string' || (typeof t === 'object' && 'stringMap' in t));
      this.add(
        'NPD01',
        'error',
        n,
        `${path}: expected ${typeName(t)}, found ${nodeTypeName(n)}${extra}. The API server cannot decode this and rejects the whole object.`,
        quoteFix
          ? { fix: 'quote' }
          : n.t === 'scalar' && t === 'int' && typeof n.v === 'string' && /^\d+$/.test(n.v)
            ? { fix: 'unquote' }
            : undefined,
      );
      return false;
    };
    if (typeof t === 'string') {
      switch (t) {
        case 'any':
          return true;
        case 'string':
          if (n.t !== 'scalar' || !isK8sString(n)) return wrong(n.t === 'scalar' ? '; quote it' : '');
          return true;
        case 'int':
          if (n.t !== 'scalar' || typeof n.v !== 'number' || !Number.isInteger(n.v)) {
            return wrong(n.t === 'scalar' && typeof n.v === 'string' && /^\d+$/.test(n.v) ? '; remove the quotes' : '');
          }
          return true;
        case 'intOrString':
          if (n.t !== 'scalar' || typeof n.v === 'boolean' || (typeof n.v === 'number' && !Number.isInteger(n.v))) {
            return wrong();
          }
          if (typeof n.v === 'string' && !isK8sString(n)) return wrong('; quote it');
          return true;
        case 'bool':
          if (n.t !== 'scalar' || typeof n.v !== 'boolean') return wrong();
          return true;
      }
    }
    if ('list' in t) {
      if (n.t !== 'seq') return wrong();
      let ok = true;
      n.items.forEach((it, i) => {
        if (!this.checkType(it, t.list, `${path}[${i}]`)) ok = false;
      });
      return ok;
    }
    if ('stringMap' in t) {
      if (n.t !== 'map') return wrong();
      let ok = true;
      for (const en of n.entries) {
        if (en.value.t === 'scalar' && en.value.v === null) continue;
        if (en.value.t !== 'scalar' || !isK8sString(en.value)) {
          const v = en.value;
          const shown = v.t === 'scalar' ? ` (${JSON.stringify(v.v)})` : '';
          this.add(
            'NPD01',
            'error',
            v,
            `${path}.${en.key}: label values must be strings, found ${nodeTypeName(v)}${shown}. Unquoted true, yes, on, 1 or 00000 are not strings in YAML; quote the value.`,
            v.t === 'scalar' ? { fix: 'quote' } : undefined,
          );
          ok = false;
        }
      }
      return ok;
    }
    // object
    if (n.t !== 'map') return wrong();
    const schema = OBJECTS[t.object];
    let ok = true;
    const known = Object.keys(schema);
    for (const en of n.entries) {
      if (en.shadowed) continue;
      const ft = Object.prototype.hasOwnProperty.call(schema, en.key) ? schema[en.key] : undefined;
      if (ft === undefined) {
        this.unknownField(en, t.object, known, path);
        continue;
      }
      if (!this.checkType(en.value, ft, `${path}.${en.key}`)) ok = false;
    }
    return ok;
  }

  unknownField(en: PEntry, objectName: string, known: string[], path: string): void {
    if (objectName === LABEL_SELECTOR && MISPLACED_UNDER_SELECTOR.has(en.key)) {
      this.addKey(
        'NPP43',
        'error',
        en,
        `unknown field "${en.key}" in ${path}: it is indented under the selector, so it is not part of the policy (a lenient client drops it, strict validation rejects the object). Outdent it to the level of the selector.`,
        { key: en.key },
      );
      return;
    }
    const sug = suggestField(en.key, known);
    const where = objectName === 'NetworkPolicy' ? 'the NetworkPolicy' : path;
    const msg =
      en.key === 'status' && objectName === 'NetworkPolicy'
        ? 'unknown field "status": NetworkPolicy has no status. Strict field validation (kubectl\'s default) rejects it; remove it.'
        : `unknown field "${en.key}" in ${where}${sug ? `; did you mean "${sug}"?` : '.'} A non-strict client silently drops it; strict validation (kubectl's default) rejects the object. ${sug ? `Rename it to "${sug}"` : 'Remove it or fix its name'}.`;
    this.addKey('NPP44', 'error', en, msg, sug ? { suggestion: sug } : undefined);
  }
}

/** Validates a NetworkPolicy object (the root map or a List item). */
export function validatePolicy(node: PMap, doc: ManifestDocument | null, inList = false): ValidationResult {
  const v = new Validator();
  // duplicate keys anywhere inside the object
  if (doc) {
    for (const ti of doc.treeIssues) {
      if (ti.s >= node.s && ti.e <= node.e && ti.code === 'duplicate-key') {
        v.add(
          'NPP30',
          'error',
          ti,
          `${ti.message}. Strict field validation rejects duplicate keys; with a lenient client the last value silently wins. Keep one (for several values of one key, use matchExpressions with In).`,
        );
      }
    }
  }
  // A.10: decoding, types and unknown fields
  const typesOk = v.checkType(node, { object: 'NetworkPolicy' }, inList ? 'item' : 'NetworkPolicy');

  // apiVersion (P45)
  const apiEn = node.entries.find((e) => e.key === 'apiVersion' && !e.shadowed);
  const api = apiEn && apiEn.value.t === 'scalar' ? apiEn.value.v : undefined;
  if (!apiEn || api === null) {
    if (!inList) {
      v.add(
        'NPP45',
        'error',
        node.entries.find((e) => e.key === 'kind')?.value ?? { s: node.s, e: node.s },
        'apiVersion is missing: kubectl and the API server cannot tell which API the object belongs to and reject it. Add apiVersion: networking.k8s.io/v1.',
        { fix: 'apiVersion' },
      );
    }
  } else if (api !== 'networking.k8s.io/v1') {
    v.add(
      'NPP45',
      'error',
      apiEn.value,
      `apiVersion "${String(api)}" does not serve NetworkPolicy${api === 'extensions/v1beta1' ? ' (it stopped being served in Kubernetes 1.16)' : ''}: the API server answers "no matches for kind". Use networking.k8s.io/v1.`,
      { fix: 'apiVersion' },
    );
  }

  const meta = get(node, 'metadata');
  validateMeta(v, meta && meta.t === 'map' ? meta : undefined, node);
  const spec = get(node, 'spec');
  if (spec && spec.t === 'map') validateSpec(v, spec);

  // a document with YAML syntax errors cannot be applied at all (NPX03 reports them)
  const syntaxOk = !doc || doc.syntaxErrors.length === 0;
  const valid = syntaxOk && typesOk && !v.findings.some((f) => f.severity === 'error' && !NON_INVALIDATING.has(f.rule));
  return { findings: v.findings, valid };
}

function validateMeta(v: Validator, meta: PMap | undefined, root: PMap): void {
  const nameEn = meta?.entries.find((e) => e.key === 'name' && !e.shadowed);
  const gen = meta && get(meta, 'generateName');
  const name = nameEn?.value;
  if (!name || (name.t === 'scalar' && (name.v === null || name.v === ''))) {
    if (!(gen && gen.t === 'scalar' && typeof gen.v === 'string' && gen.v)) {
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
        'metadata.name: Required value: name or generateName is required. Give the policy a name.',
      );
    }
  } else if (name.t === 'scalar' && typeof name.v === 'string') {
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

function validateSelector(v: Validator, sel: PNode | undefined, path: string): void {
  if (!sel || sel.t !== 'map') return;
  const ml = get(sel, 'matchLabels');
  if (ml && ml.t === 'map') checkLabelMap(v, ml, `${path}.matchLabels`);
  const me = get(sel, 'matchExpressions');
  if (!me || me.t !== 'seq') return;
  me.items.forEach((req, i) => {
    if (req.t !== 'map') return;
    const p = `${path}.matchExpressions[${i}]`;
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
    if (op !== undefined) {
      if (op === 'In' || op === 'NotIn') {
        if (vals.length === 0) {
          v.add(
            'NPV23',
            'error',
            valsN ?? opN ?? req,
            `${p}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'.`,
          );
        }
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (vals.length > 0) {
          v.add(
            'NPV24',
            'error',
            valsN!,
            `${p}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'.`,
            { fix: 'removeValues' },
          );
        }
      } else {
        const canon = ['In', 'NotIn', 'Exists', 'DoesNotExist'].find((o) => o.toLowerCase() === op.toLowerCase());
        const extra = canon
          ? ` Operators are case-sensitive: use "${canon}".`
          : op === 'Gt' || op === 'Lt'
            ? ' Gt and Lt exist only in node selectors, not in label selectors.'
            : '';
        v.add(
          'NPV22',
          'error',
          opN ?? req,
          `${p}.operator: Invalid value: "${op}": not a valid selector operator (In, NotIn, Exists, DoesNotExist).${extra}`,
          canon ? { replace: canon } : undefined,
        );
      }
    }
    vals.forEach((val, j) => {
      if (val.t === 'scalar' && typeof val.v === 'string') {
        for (const msg of labelValueErrors(val.v)) {
          v.add('NPV26', 'error', val, `${p}.values[${j}]: Invalid value: "${val.v}": ${msg}.`);
        }
      }
    });
  });
}

function validateSpec(v: Validator, spec: PMap): void {
  validateSelector(v, get(spec, 'podSelector'), 'spec.podSelector');
  const pt = get(spec, 'policyTypes');
  if (pt && pt.t === 'seq') {
    if (pt.items.length > 2) {
      v.add(
        'NPV04',
        'error',
        pt,
        `spec.policyTypes: Invalid value: may not specify more than two policyTypes (found ${pt.items.length}). List Ingress and Egress at most once each.`,
      );
    } else {
      pt.items.forEach((it, i) => {
        if (it.t !== 'scalar' || typeof it.v !== 'string') return;
        if (it.v !== 'Ingress' && it.v !== 'Egress') {
          const canon = ['Ingress', 'Egress'].find((o) => o.toLowerCase() === String(it.v).toLowerCase());
          v.add(
            'NPV05',
            'error',
            it,
            `spec.policyTypes[${i}]: Unsupported value: "${it.v}": supported values: "Ingress", "Egress"${canon ? ` (values are case-sensitive: use "${canon}")` : ''}.`,
            canon ? { replace: canon } : undefined,
          );
        }
      });
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
  if (proto && proto.t === 'scalar' && typeof proto.v === 'string' && !['TCP', 'UDP', 'SCTP'].includes(proto.v)) {
    const canon = ['TCP', 'UDP', 'SCTP'].find((o) => o === String(proto.v).toUpperCase());
    v.add(
      'NPV06',
      'error',
      proto,
      `${p}.protocol: Unsupported value: "${proto.v}": supported values: "TCP", "UDP", "SCTP"${canon ? ` (case-sensitive: use "${canon}")` : '; NetworkPolicy cannot match ICMP or other protocols'}.`,
      canon ? { replace: canon } : undefined,
    );
  }
  const portN = get(port, 'port');
  const endN = get(port, 'endPort');
  const portV = portN && portN.t === 'scalar' ? portN.v : null;
  if (portN && typeof portV === 'number') {
    if (!Number.isInteger(portV) || portV < 1 || portV > 65535) {
      v.add('NPV07', 'error', portN, `${p}.port: Invalid value: ${portV}: must be between 1 and 65535, inclusive.`);
    }
  } else if (portN && typeof portV === 'string') {
    const errs = portNameErrors(portV);
    if (errs.length) {
      const isNum = /^\d+$/.test(portV);
      const hint = isNum
        ? ` "${portV}" is quoted, so it is a string (a port name), not a number: remove the quotes.`
        : '';
      for (const m of errs) {
        v.add(
          'NPV08',
          'error',
          portN,
          `${p}.port: Invalid value: "${portV}": ${m}.${hint}`,
          isNum ? { fix: 'unquote' } : undefined,
        );
      }
    }
  }
  if (endN && endN.t === 'scalar' && endN.v !== null) {
    const ev = endN.v;
    if (typeof portV === 'string') {
      v.add('NPV09', 'error', endN, `${p}.endPort: Invalid value: may not be specified when \`port\` is non-numeric.`);
    } else if (portV === null || portV === undefined) {
      v.add(
        'NPV10',
        'error',
        endN,
        `${p}.endPort: Invalid value: may not be specified when \`port\` is not specified.`,
      );
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
}

/** Ends a clause with a full stop unless it already ends with punctuation. */
function sentence(s: string): string {
  const t = s.replace(/^bits are set/, 'has bits set');
  return /[.?!]$/.test(t) ? t : `${t}.`;
}

function isSet(n: PNode | undefined): boolean {
  return !!n && !(n.t === 'scalar' && n.v === null);
}

function validatePeer(v: Validator, peer: PNode, p: string): void {
  if (peer.t !== 'map') {
    if (peer.t === 'scalar' && peer.v === null) {
      v.add(
        'NPV13',
        'error',
        peer,
        `${p}: Required value: must specify a peer (podSelector, namespaceSelector or ipBlock).`,
      );
    }
    return;
  }
  const ps = get(peer, 'podSelector');
  const ns = get(peer, 'namespaceSelector');
  const ib = get(peer, 'ipBlock');
  const count = [ps, ns, ib].filter(isSet).length;
  if (count === 0) {
    v.add(
      'NPV13',
      'error',
      peer.entries.length ? peer : { s: peer.s, e: peer.e },
      `${p}: Required value: must specify a peer (podSelector, namespaceSelector or ipBlock). An empty peer is rejected; to allow every source or destination, leave out \`from\`/\`to\` instead.`,
    );
  }
  if (isSet(ib) && (isSet(ps) || isSet(ns))) {
    const other = peer.entries.find(
      (e) => (e.key === 'podSelector' || e.key === 'namespaceSelector') && isSet(e.value),
    );
    v.add(
      'NPV14',
      'error',
      other ? { s: other.ks, e: other.ke } : peer,
      `${p}: Forbidden: may not specify both ipBlock and another peer. If you meant two peers (OR), start the selector with its own "-".`,
    );
  }
  validateSelector(v, ps, `${p}.podSelector`);
  validateSelector(v, ns, `${p}.namespaceSelector`);
  if (ib && ib.t === 'map') validateIpBlock(v, ib, `${p}.ipBlock`);
}

function validateIpBlock(v: Validator, ib: PMap, p: string): void {
  const cidrN = get(ib, 'cidr');
  const cidrS = cidrN && cidrN.t === 'scalar' && typeof cidrN.v === 'string' ? cidrN.v : undefined;
  if (!cidrN || (cidrN.t === 'scalar' && (cidrN.v === null || cidrN.v === ''))) {
    v.add('NPV15', 'error', cidrN ?? ib, `${p}.cidr: Required value: an ipBlock needs a cidr.`);
    return;
  }
  if (cidrS === undefined) return; // wrong type: reported by the decoder
  const cidr = parseCidr(cidrS);
  if (!cidr) {
    const bare = /^[0-9.]+$/.test(cidrS) || (/^[0-9a-fA-F:.]+$/.test(cidrS) && cidrS.includes(':'));
    v.add(
      'NPV16',
      'error',
      cidrN,
      `${p}.cidr: Invalid value: "${cidrS}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)${bare ? `; a single address needs a prefix length: ${cidrS}/${cidrS.includes(':') ? 128 : 32}` : ''}.`,
      bare ? { fix: 'addPrefix', prefix: cidrS.includes(':') ? 128 : 32 } : undefined,
    );
  } else if (cidr.warnings.length) {
    v.add(
      'NPP19',
      'warning',
      cidrN,
      `${p}.cidr "${cidrS}" ${sentence(cidr.warnings.join('; '))} The API server warns today and will reject it under strict CIDR validation; write ${cidr.canonical}.`,
      { fix: 'canonical', canonical: cidr.canonical },
    );
  }
  const ex = get(ib, 'except');
  if (!ex || ex.t !== 'seq') return;
  ex.items.forEach((it, i) => {
    if (it.t !== 'scalar' || (it.v !== null && typeof it.v !== 'string')) return;
    const s = it.v === null ? '' : it.v;
    const e = parseCidr(s);
    if (!e) {
      v.add(
        'NPV18',
        'error',
        it,
        `${p}.except[${i}]: Invalid value: "${s}": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64).`,
      );
      return;
    }
    if (e.warnings.length) {
      v.add(
        'NPP19',
        'warning',
        it,
        `${p}.except[${i}] "${s}" ${sentence(e.warnings.join('; '))} The API server warns today and will reject it under strict CIDR validation; write ${e.canonical}.`,
        { fix: 'canonical', canonical: e.canonical },
      );
    }
    if (cidr && (e.family !== cidr.family || e.prefix <= cidr.prefix || e.lo < cidr.lo || e.lo > cidr.hi)) {
      v.add(
        'NPV19',
        'error',
        it,
        `${p}.except[${i}]: Invalid value: "${s}": must be a strict subset of \`cidr\` (${cidrS}).`,
      );
    }
  });
}
