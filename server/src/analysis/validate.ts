// Validation as the API server does it: decoding against the kind's schema (wrong JSON types,
// unknown fields, duplicate keys: docs/semantics.md A.10, in validateDecode.ts) and the kind's
// validation rules (NetworkPolicy: V01-V26 of docs/semantics.md A.9, in validateNetworkPolicy.ts). A policy with an
// error here would be rejected by the API server and takes no part in connectivity. Unknown
// fields and duplicate keys are reported but do not invalidate the policy, as a non-strict
// decoder ignores them.

import type { ManifestDocument } from '../model/document';
import type { PMap } from '../model/tree';
import { KINDS, type KindSchema, NETWORK_POLICY } from '../schema';
import type { Finding } from './findings';
import { Decoder, Validator } from './validateDecode';
import { validateNetworkPolicyRules } from './validateNetworkPolicy';

export {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelKeyErrors,
  labelValueErrors,
  portNameErrors,
  suggestField,
} from './validateNames';

export interface ValidationResult {
  readonly findings: Finding[];
  /** False when the API server would reject the policy (errors other than unknown fields / duplicate keys) or the YAML does not parse. */
  readonly valid: boolean;
}

const NON_INVALIDATING = new Set(['NPP44', 'NPP43', 'NPP30', 'NPP19']);

/** The validation rules of each kind beyond decoding (add one per kind registered in the schema). */
const KIND_RULES = new Map<KindSchema, (v: Validator, root: PMap) => void>([
  [NETWORK_POLICY, validateNetworkPolicyRules],
]);

/** Validates a NetworkPolicy object (the root map or a List item). */
export function validatePolicy(node: PMap, doc: ManifestDocument | null, inList = false): ValidationResult {
  return validateObject(NETWORK_POLICY, node, doc, inList);
}

/** Validates an object of a kind of the schema (the root map or a List item). */
export function validateObject(
  schema: KindSchema,
  node: PMap,
  doc: ManifestDocument | null,
  inList = false,
): ValidationResult {
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
  // docs/semantics.md A.10: decoding, types and unknown fields
  const typesOk = new Decoder(v, schema).check(node, { object: schema.root }, inList ? 'item' : schema.kind);
  checkApiVersion(v, schema, node, inList);
  KIND_RULES.get(schema)?.(v, node);

  // a document with YAML syntax errors cannot be applied at all (NPX03 reports them)
  const syntaxOk = !doc || doc.syntaxErrors.length === 0;
  const valid = syntaxOk && typesOk && !v.findings.some((f) => f.severity === 'error' && !NON_INVALIDATING.has(f.rule));
  return { findings: v.findings, valid };
}

/** P45: an apiVersion that serves the kind (a registered one). */
function checkApiVersion(v: Validator, schema: KindSchema, node: PMap, inList: boolean): void {
  const apiEn = node.entries.find((e) => e.key === 'apiVersion' && !e.shadowed);
  const api = apiEn && apiEn.value.t === 'scalar' ? apiEn.value.v : undefined;
  const want = schema.apiVersion;
  if (!apiEn || api === null) {
    if (!inList) {
      v.add(
        'NPP45',
        'error',
        node.entries.find((e) => e.key === 'kind')?.value ?? { s: node.s, e: node.s },
        `apiVersion is missing: kubectl and the API server cannot tell which API the object belongs to and reject it. Add apiVersion: ${want}.`,
        { fix: 'apiVersion' },
      );
    }
  } else if (!KINDS.some((k) => k.kind === schema.kind && k.apiVersion === api)) {
    const former = Object.prototype.hasOwnProperty.call(schema.formerApiVersions ?? {}, String(api))
      ? schema.formerApiVersions![String(api)]
      : undefined;
    v.add(
      'NPP45',
      'error',
      apiEn.value,
      `apiVersion "${String(api)}" does not serve ${schema.kind}${former ? ` (${former})` : ''}: the API server answers "no matches for kind". Use ${want}.`,
      { fix: 'apiVersion' },
    );
  }
}
