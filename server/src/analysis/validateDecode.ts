// Decoding an object against its kind's schema (docs/semantics.md A.10): values of the wrong JSON
// type, unknown fields (with a spelling suggestion) and selector blocks indented one level too
// deep. Nothing here knows a kind: everything comes from the KindSchema. Also the collector of
// findings that every validation step writes to.

import type { PEntry, PNode, PScalar } from '../model/tree';
import { type KindSchema, LABEL_SELECTOR, objectSpec, type ValueType } from '../schema';
import type { Finding, Severity } from './findings';
import { suggestField } from './validateNames';

/** Appended to every validation message (docs/semantics.md A.9): the consequence. */
const REJECTED = 'The API server rejects the whole policy, so none of it is enforced.';

/** The findings of one object's validation, in the order they are found. */
export class Validator {
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
}

function typeName(t: ValueType): string {
  if (typeof t === 'string') {
    return {
      int: 'an integer',
      intOrString: 'an integer or a string',
      bool: 'a boolean',
      string: 'a string',
      any: 'a value',
    }[t];
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

const isDigits = (n: PNode): boolean => n.t === 'scalar' && typeof n.v === 'string' && /^\d+$/.test(n.v);

/** Checks every value of an object against its kind's schema, reporting NPD01, NPP43 and NPP44. */
export class Decoder {
  constructor(
    private readonly v: Validator,
    private readonly schema: KindSchema,
  ) {}

  /** Checks a value against a field type; returns false when the type is wrong. */
  check(n: PNode, t: ValueType, path: string): boolean {
    if (n.t === 'scalar' && n.v === null) return true; // null decodes to the zero value
    if (typeof t === 'string') return this.scalar(n, t, path);
    if ('list' in t) {
      if (n.t !== 'seq') return this.wrong(n, t, path);
      let ok = true;
      n.items.forEach((it, i) => {
        if (!this.check(it, t.list, `${path}[${i}]`)) ok = false;
      });
      return ok;
    }
    if ('stringMap' in t) return this.stringMap(n, t, path);
    return this.object(n, t.object, path);
  }

  private wrong(n: PNode, t: ValueType, path: string, extra = ''): false {
    const quoteFix = n.t === 'scalar' && (t === 'string' || (typeof t === 'object' && 'stringMap' in t));
    this.v.add(
      'NPD01',
      'error',
      n,
      `${path}: expected ${typeName(t)}, found ${nodeTypeName(n)}${extra}. The API server cannot decode this and rejects the whole object.`,
      quoteFix ? { fix: 'quote' } : t === 'int' && isDigits(n) ? { fix: 'unquote' } : undefined,
    );
    return false;
  }

  private scalar(n: PNode, t: Extract<ValueType, string>, path: string): boolean {
    switch (t) {
      case 'any':
        return true;
      case 'string':
        return n.t === 'scalar' && isK8sString(n) ? true : this.wrong(n, t, path, n.t === 'scalar' ? '; quote it' : '');
      case 'int':
        if (n.t !== 'scalar' || typeof n.v !== 'number' || !Number.isInteger(n.v)) {
          return this.wrong(n, t, path, isDigits(n) ? '; remove the quotes' : '');
        }
        return true;
      case 'intOrString':
        if (n.t !== 'scalar' || typeof n.v === 'boolean' || (typeof n.v === 'number' && !Number.isInteger(n.v))) {
          return this.wrong(n, t, path);
        }
        return typeof n.v === 'string' && !isK8sString(n) ? this.wrong(n, t, path, '; quote it') : true;
      case 'bool':
        return n.t === 'scalar' && typeof n.v === 'boolean' ? true : this.wrong(n, t, path);
    }
  }

  private stringMap(n: PNode, t: ValueType, path: string): boolean {
    if (n.t !== 'map') return this.wrong(n, t, path);
    let ok = true;
    for (const en of n.entries) {
      const v = en.value;
      if (v.t === 'scalar' && v.v === null) continue;
      if (v.t !== 'scalar' || !isK8sString(v)) {
        const shown = v.t === 'scalar' ? ` (${JSON.stringify(v.v)})` : '';
        this.v.add(
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

  private object(n: PNode, type: string, path: string): boolean {
    if (n.t !== 'map') return this.wrong(n, { object: type }, path);
    const spec = objectSpec(this.schema, type);
    const fields = spec.fields;
    let ok = true;
    for (const en of n.entries) {
      if (en.shadowed) continue;
      const f = Object.prototype.hasOwnProperty.call(fields, en.key) ? fields[en.key] : undefined;
      if (f === undefined) this.unknownField(en, type, spec.apiOrder ?? Object.keys(fields), path);
      else if (!this.check(en.value, f.type, `${path}.${en.key}`)) ok = false;
    }
    return ok;
  }

  private unknownField(en: PEntry, type: string, known: readonly string[], path: string): void {
    if (type === LABEL_SELECTOR && this.schema.strayUnderSelector?.includes(en.key)) {
      this.v.addKey(
        'NPP43',
        'error',
        en,
        `unknown field "${en.key}" in ${path}: it is indented under the selector, so it is not part of the policy (a lenient client drops it, strict validation rejects the object). Outdent it to the level of the selector.`,
        { key: en.key },
      );
      return;
    }
    const kind = this.schema.kind;
    const root = type === this.schema.root;
    const sug = suggestField(en.key, known);
    const msg =
      en.key === 'status' && root
        ? `unknown field "status": ${kind} has no status. Strict field validation (kubectl's default) rejects it; remove it.`
        : `unknown field "${en.key}" in ${root ? `the ${kind}` : path}${sug ? `; did you mean "${sug}"?` : '.'} A non-strict client silently drops it; strict validation (kubectl's default) rejects the object. ${sug ? `Rename it to "${sug}"` : 'Remove it or fix its name'}.`;
    this.v.addKey('NPP44', 'error', en, msg, sug ? { suggestion: sug } : undefined);
  }
}
