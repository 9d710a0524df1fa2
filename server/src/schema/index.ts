// The declarative schema of the kinds netpol-lens understands, keyed by apiVersion and kind. One
// description per field (JSON type, enum, required, format, documentation, version notes,
// completion hints) that three consumers read: validation (analysis/validateDecode.ts decodes
// every object against it; analysis/validateNetworkPolicy.ts takes enums, required fields and
// field lists from it), completion (keys at each level, enum values, workspace values, snippets)
// and hover (features/hoverFields.ts: the documentation of a field). test/unit/schema.test.ts
// checks that the three agree, field by field, for every registered kind.
//
// Adding a kind (e.g. AdminNetworkPolicy policy.networking.k8s.io/v1alpha1):
// 1. Write its KindSchema in a module of its own next to networkPolicy.ts: the object types with
//    their fields (reuse objectMeta() and LABEL_SELECTOR_OBJECTS from meta.ts; a cluster-scoped
//    kind passes no `namespace` doc), the root type, and snippets if any. Type names are local
//    to the kind, so two kinds may both have a `Peer`.
// 2. Append it to KINDS below. Completion, the hover documentation of fields and the decoding
//    checks (types, unknown fields) follow from the data.
// 3. Give it its semantics: the model must recognise the kind (model/resources.ts), validation
//    its field-level rules beyond decoding (a module like analysis/validateNetworkPolicy.ts,
//    registered in analysis/validate.ts), and analysis what it means for connectivity.
// 4. Add the kind's samples to test/unit/schema.test.ts if its formats or constraints are new.

import { ADMIN_NETWORK_POLICY, BASELINE_ADMIN_NETWORK_POLICY } from './adminV1alpha1';
import { CLUSTER_NETWORK_POLICY } from './clusterNetworkPolicy';
import { LABEL_SELECTOR, NAMESPACE_NAME_LABEL } from './meta';
import { NETWORK_POLICY } from './networkPolicy';
import type { FieldSpec, KindSchema, ObjectSpec, ValueType } from './types';

export type * from './types';
export { ADMIN_NETWORK_POLICY, BASELINE_ADMIN_NETWORK_POLICY, CLUSTER_NETWORK_POLICY };
export { LABEL_SELECTOR, NAMESPACE_NAME_LABEL, NETWORK_POLICY };

/** Every kind, in the order completion offers their snippets. */
export const KINDS: readonly KindSchema[] = [
  NETWORK_POLICY,
  ADMIN_NETWORK_POLICY,
  BASELINE_ADMIN_NETWORK_POLICY,
  CLUSTER_NETWORK_POLICY,
];

/** What a document without `kind` is completed as. */
export const DEFAULT_KIND: KindSchema = NETWORK_POLICY;

/** The schema of an apiVersion and kind, or undefined when the pair is not registered. */
export function kindSchema(apiVersion: string | undefined, kind: string | undefined): KindSchema | undefined {
  return KINDS.find((k) => k.kind === kind && k.apiVersion === apiVersion);
}

/**
 * The schema to complete a kind with: the exact apiVersion when it is registered, else the
 * first registered apiVersion of the kind (a document being written may have none yet, or an
 * old one that validation reports).
 */
export function schemaForKind(kind: string, apiVersion?: string): KindSchema | undefined {
  return kindSchema(apiVersion, kind) ?? KINDS.find((k) => k.kind === kind);
}

export function objectSpec(schema: KindSchema, type: string): ObjectSpec {
  const o = schema.objects[type];
  if (!o) throw new Error(`${schema.kind}: no object type ${type}`);
  return o;
}

/** The object type of a field's value or of its items, if it has one. */
export function objectTypeOf(t: ValueType): string | undefined {
  if (typeof t === 'string' || 'stringMap' in t) return undefined;
  return 'object' in t ? t.object : objectTypeOf(t.list);
}

/** Is the field a list (of anything)? */
export function isList(f: FieldSpec): boolean {
  return typeof f.type === 'object' && 'list' in f.type;
}

/** "a, b or c" (Markdown code when `code`). */
export function orList(items: readonly string[], code = false): string {
  const xs = code ? items.map((x) => `\`${x}\``) : items;
  return xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

// ------------------------------------------------------------------------------ paths

/** Where a path inside an object leads in its kind's schema. */
export type SchemaTarget =
  /** A map of fields: the root, or an item of a list of objects. */
  | { readonly t: 'object'; readonly type: string; readonly selects?: Selects }
  /** A field (its key or its value). */
  | { readonly t: 'field'; readonly name: string; readonly field: FieldSpec; readonly selects?: Selects }
  /** An item of a list of scalars. */
  | { readonly t: 'item'; readonly name: string; readonly field: FieldSpec; readonly selects?: Selects }
  /** An entry of a label map: the label `key`. */
  | { readonly t: 'label'; readonly key: string; readonly selects?: Selects };

type Selects = 'pods' | 'namespaces';

/** Resolves a path of keys and list indices from the object's root; undefined where the schema has no such place. */
export function resolvePath(schema: KindSchema, path: readonly (string | number)[]): SchemaTarget | undefined {
  let cur: SchemaTarget = { t: 'object', type: schema.root };
  for (const seg of path) {
    const next = step(schema, cur, seg);
    if (!next) return undefined;
    cur = next;
  }
  return cur;
}

function step(schema: KindSchema, cur: SchemaTarget, seg: string | number): SchemaTarget | undefined {
  if (cur.t === 'object') return typeof seg === 'string' ? fieldTarget(schema, cur.type, seg, cur.selects) : undefined;
  if (cur.t !== 'field') return undefined;
  const f = cur.field;
  const t = f.type;
  if (typeof t === 'object' && 'object' in t) {
    return typeof seg === 'string' ? fieldTarget(schema, t.object, seg, cur.selects) : undefined;
  }
  if (typeof t === 'object' && 'list' in t && typeof seg === 'number') {
    const item = objectTypeOf(t.list);
    if (item) return { t: 'object', type: item, selects: cur.selects };
    if (typeof t.list === 'string') return { t: 'item', name: cur.name, field: f, selects: cur.selects };
    return undefined;
  }
  if (f.format === 'labels' && typeof seg === 'string') return { t: 'label', key: seg, selects: cur.selects };
  return undefined;
}

function fieldTarget(schema: KindSchema, type: string, name: string, selects?: Selects): SchemaTarget | undefined {
  const field = Object.prototype.hasOwnProperty.call(objectSpec(schema, type).fields, name)
    ? objectSpec(schema, type).fields[name]
    : undefined;
  return field && { t: 'field', name, field, selects: field.selects ?? selects };
}

/** The field at the end of a path, if the path ends at a field. */
export function fieldAt(schema: KindSchema, path: readonly (string | number)[]): FieldSpec | undefined {
  const t = resolvePath(schema, path);
  return t && t.t === 'field' ? t.field : undefined;
}

/** One field of a kind as reached from the root: the path to it (index 0 in lists), its owner type. */
export interface FieldPlace {
  readonly path: readonly (string | number)[];
  readonly owner: string;
  readonly name: string;
  readonly field: FieldSpec;
}

/** Every field of a kind, depth first in schema order (each object type once per place it occurs). */
export function fieldPlaces(schema: KindSchema): FieldPlace[] {
  const out: FieldPlace[] = [];
  const visit = (type: string, path: readonly (string | number)[], depth: number): void => {
    if (depth > 12) return; // a recursive schema: far enough for any check
    for (const [name, field] of Object.entries(objectSpec(schema, type).fields)) {
      const p = [...path, name];
      out.push({ path: p, owner: type, name, field });
      const sub = objectTypeOf(field.type);
      if (sub) visit(sub, isList(field) ? [...p, 0] : p, depth + 1);
    }
  };
  visit(schema.root, [], 0);
  return out;
}

/** The type of a field in words, for documentation ("list of NetworkPolicyPeer"). */
export function typeWords(t: ValueType): string {
  if (typeof t === 'string') {
    return { string: 'string', int: 'integer', intOrString: 'integer or string', bool: 'boolean', any: 'any value' }[t];
  }
  if ('list' in t) return `list of ${typeWords(t.list)}`;
  if ('stringMap' in t) return 'map of strings';
  return t.object === LABEL_SELECTOR ? 'label selector' : t.object;
}
