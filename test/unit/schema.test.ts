// The schema (server/src/schema) is the one description of every field; validation, completion
// and hover read it. These tests are generated from the schema and drive each consumer through
// its public entry (the rule registry, completion(), hover()), so editing one consumer on its own
// fails here: every key validation accepts is offered by completion at the same place and has
// hover documentation; every enum completion offers is what validation accepts; every declared
// format, required field and field constraint is what validation enforces.
import { strict as assert } from 'node:assert';
import type { CompletionItem } from 'vscode-languageserver-types';
import { buildWorld } from '../../server/src/analysis/world';
import { completion } from '../../server/src/features/completion';
import { hover } from '../../server/src/features/hover';
import { fieldHover } from '../../server/src/features/hoverFields';
import { parseFile } from '../../server/src/model/document';
import { get, getEntry, type PNode } from '../../server/src/model/tree';
import { checkFile, type DocFinding } from '../../server/src/rules/registry';
import {
  type FieldSpec,
  fieldPlaces,
  type Format,
  isList,
  KINDS,
  type KindSchema,
  kindSchema,
  objectSpec,
  objectTypeOf,
  resolvePath,
  schemaForKind,
} from '../../server/src/schema';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { CARET, hoverText, workspace } from './features/support';

// ------------------------------------------------------------------ samples

type Y = string | number | boolean | Y[] | { [k: string]: Y } | Marker;
/** Where the caret goes: a key of an empty map, or a value. */
class Marker {
  constructor(readonly at: 'keys' | 'value') {}
}
const KEYS_HERE = new Marker('keys');
const VALUE_HERE = new Marker('value');

/** Valid and invalid values of each format (the test fails when a format has none). */
const FORMAT_SAMPLES: Record<Format, { valid: Y[]; invalid: Y[] }> = {
  dns1123Subdomain: { valid: ['my.policy', 'p'], invalid: ['My_Policy', 'a'.repeat(254)] },
  dns1123Label: { valid: ['shop'], invalid: ['shop.prod', 'Shop'] },
  labels: { valid: [{ app: 'web', 'example.com/tier': '' }], invalid: [{ '-app': 'web' }, { app: '-web-' }] },
  labelKey: { valid: ['app', 'example.com/app'], invalid: ['a/b/c', '-app'] },
  labelValue: { valid: ['web', ''], invalid: ['-web-', 'a b'] },
  port: { valid: [80, 'http'], invalid: [0, 65536, 'HTTP', '8080'] },
  portNumber: { valid: [8080, 65535], invalid: [0, 65536] },
  cidr: { valid: ['10.0.0.0/8', '2001:db8::/64'], invalid: ['10.0.0.1', '300.0.0.0/8'] },
  domainName: { valid: ['example.com', '*.example.com'], invalid: ['localhost', 'a.*.example.com'] },
};
/** Fields whose validity depends on a sibling's sample (here: an except lies inside the cidr). */
const FIELD_SAMPLES: Record<string, { valid: Y[]; invalid: Y[] }> = {
  'IPBlock.except': { valid: ['10.1.0.0/16'], invalid: ['10.0.0.1', '192.168.0.0/16'] },
  // ClusterNetworkPolicy ranges: start < end
  'ProtocolPortRange.start': { valid: [1, 8080], invalid: [0, 65536] },
  'ProtocolPortRange.end': { valid: [65535, 8081], invalid: [0, 65536] },
};

function samplesOf(owner: string, name: string, f: FieldSpec): { valid: Y[]; invalid: Y[] } | undefined {
  if (FIELD_SAMPLES[`${owner}.${name}`]) return FIELD_SAMPLES[`${owner}.${name}`];
  if (!f.format) return undefined;
  const s = FORMAT_SAMPLES[f.format];
  assert.ok(s, `no samples for format ${f.format}`);
  return s;
}

/** A valid value of a field. */
function sampleValue(schema: KindSchema, owner: string, name: string, f: FieldSpec, depth: number): Y {
  const item = (): Y => {
    if (f.enum) return f.enum[0];
    const s = samplesOf(owner, name, f);
    if (s) return s.valid[0];
    const t = isList(f) ? (f.type as { list: FieldSpec['type'] }).list : f.type;
    const sub = objectTypeOf(t);
    if (sub) return sampleObject(schema, sub, undefined, depth + 1);
    if (typeof t === 'object') return { a: 'b' }; // a map of strings
    return { string: 'x', int: 1, intOrString: 80, bool: true, any: 'x' }[t];
  };
  if (f.format === 'labels' || !isList(f)) return item();
  return [item()];
}

/** A valid object of a type with every field set, except those excluded by `keep`'s group (or the first group). */
function sampleObject(schema: KindSchema, type: string, keep?: string, depth = 0): { [k: string]: Y } {
  const spec = objectSpec(schema, type);
  const groups = spec.exclusive ?? [];
  const mine = groups.find((g) => keep !== undefined && g.includes(keep)) ?? groups[0];
  const out: { [k: string]: Y } = {};
  if (depth > 8) return out;
  for (const [name, f] of Object.entries(spec.fields)) {
    if (groups.some((g) => g !== mine && g.includes(name))) continue;
    out[name] = sampleValue(schema, type, name, f, depth);
  }
  return out;
}

/** A whole document of the kind whose objects along `path` hold the next step of the path. */
function sampleDoc(schema: KindSchema, path: readonly (string | number)[] = []): { [k: string]: Y } {
  const root = sampleObject(schema, schema.root, typeof path[0] === 'string' ? path[0] : undefined);
  let cur: { [k: string]: Y } = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    if (typeof seg === 'number') continue;
    const t = resolvePath(schema, path.slice(0, i + 1));
    const next = path[i + 1];
    const keep = typeof next === 'string' ? next : (path[i + 2] as string | undefined);
    if (!t || t.t !== 'field' || !objectTypeOf(t.field.type)) break;
    const obj = sampleObject(schema, objectTypeOf(t.field.type)!, keep);
    cur[seg] = isList(t.field) ? [obj] : obj;
    cur = obj;
  }
  return root;
}

/** A copy of `doc` with the value at `path` replaced (undefined deletes it). */
function withValue(doc: { [k: string]: Y }, path: readonly (string | number)[], v: Y | undefined): { [k: string]: Y } {
  const copy = structuredClone(doc) as { [k: string]: Y };
  let cur: Y = copy;
  for (const seg of path.slice(0, -1)) cur = (cur as Record<string | number, Y>)[seg];
  const last = path[path.length - 1];
  const m = cur as Record<string | number, Y>;
  if (v === undefined) delete m[last];
  else m[last] = v;
  return copy;
}

/** A copy of `doc` with the key at `path` renamed. */
function withKey(doc: { [k: string]: Y }, path: readonly (string | number)[], key: string): { [k: string]: Y } {
  const copy = structuredClone(doc) as { [k: string]: Y };
  let cur: Y = copy;
  for (const seg of path.slice(0, -1)) cur = (cur as Record<string | number, Y>)[seg];
  const m = cur as Record<string, Y>;
  const entries = Object.entries(m).map(([k, v]) => [k === path[path.length - 1] ? key : k, v] as const);
  for (const k of Object.keys(m)) delete m[k];
  for (const [k, v] of entries) m[k] = v;
  return copy;
}

// ------------------------------------------------------------------ YAML

const PLAIN_KEY = /^[A-Za-z0-9][\w./-]*$/;
const key = (k: string): string =>
  k.startsWith(CARET) ? CARET + key(k.slice(CARET.length)) : PLAIN_KEY.test(k) ? k : JSON.stringify(k);
const scalar = (v: Y): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const isMap = (v: Y): v is { [k: string]: Y } => typeof v === 'object' && !Array.isArray(v) && !(v instanceof Marker);

function entry(k: string, v: Y, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (v === KEYS_HERE) return [`${pad}${key(k)}:`, `${pad}  ${CARET}`];
  if (v === VALUE_HERE) return [`${pad}${key(k)}: ${CARET}`];
  if (Array.isArray(v)) {
    return v.length ? [`${pad}${key(k)}:`, ...v.flatMap((x) => item(x, indent + 2))] : [`${pad}${key(k)}: []`];
  }
  if (isMap(v)) {
    const es = Object.entries(v);
    return es.length
      ? [`${pad}${key(k)}:`, ...es.flatMap(([a, b]) => entry(a, b, indent + 2))]
      : [`${pad}${key(k)}: {}`];
  }
  return [`${pad}${key(k)}: ${scalar(v)}`];
}

function item(v: Y, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (v instanceof Marker) return [`${pad}- ${CARET}`];
  if (isMap(v) && Object.keys(v).length) {
    const lines = Object.entries(v).flatMap(([a, b]) => entry(a, b, indent + 2));
    lines[0] = `${pad}- ${lines[0].slice(indent + 2)}`;
    return lines;
  }
  return [`${pad}- ${isMap(v) ? '{}' : scalar(v)}`];
}

const yamlOf = (doc: { [k: string]: Y }): string =>
  `${Object.entries(doc)
    .flatMap(([k, v]) => entry(k, v, 0))
    .join('\n')}\n`;

// ------------------------------------------------------------------ consumers

interface Checked {
  readonly findings: DocFinding[];
  /** The node at a path of the document (its key span too, for a map entry). */
  node(path: readonly (string | number)[]): { s: number; e: number; ks?: number } | undefined;
}

function validate(doc: { [k: string]: Y }): Checked {
  const text = yamlOf(doc);
  const file = parseFile('file:///ws/s.yaml', text);
  const findings = checkFile(file, buildWorld([file]), DEFAULT_SETTINGS);
  const tree = file.documents[0].tree!;
  return {
    findings,
    node(path) {
      let n: PNode | undefined = tree;
      let ks: number | undefined;
      for (const seg of path) {
        if (typeof seg === 'number') n = n && n.t === 'seq' ? n.items[seg] : undefined;
        else {
          ks = getEntry(n, seg)?.ks;
          n = get(n, seg);
        }
      }
      return n && { s: n.s, e: n.e, ks };
    },
  };
}

const errors = (c: Checked): DocFinding[] => c.findings.filter((f) => f.severity === 'error');
/** Error findings inside the node at `path` (from its key on). */
function errorsAt(c: Checked, path: readonly (string | number)[]): DocFinding[] {
  const n = c.node(path);
  assert.ok(n, `no node at ${path.join('.')}`);
  const from = n.ks ?? n.s;
  return errors(c).filter((f) => f.s >= from && f.e <= n.e);
}
const show = (fs: readonly DocFinding[]): string => fs.map((f) => `${f.rule} ${f.message}`).join('\n') || '(none)';

function completeAt(text: string): string[] {
  const ws = workspace({ 'p.yaml': text });
  return completion(ws.ctx('p.yaml'), ws.pos).items.map((i: CompletionItem) => i.label);
}

function hoverAt(text: string): string {
  const ws = workspace({ 'p.yaml': text });
  return hoverText(hover(ws.ctx('p.yaml'), ws.pos));
}

/** The rules that report decoding errors and unknown fields: NPA26 for the admin kinds (docs/semantics.md D.2 AV26). */
const decodeRules = (schema: KindSchema): { all: string[]; unknown: string } =>
  schema.kind === 'NetworkPolicy'
    ? { all: ['NPD01', 'NPP43', 'NPP44'], unknown: 'NPP44' }
    : { all: ['NPA26'], unknown: 'NPA26' };

const offered = (schema: KindSchema, type: string): string[] =>
  Object.entries(objectSpec(schema, type).fields)
    .filter(([, f]) => f.offer !== false)
    .map(([k]) => k);

// ------------------------------------------------------------------ the checks

for (const schema of KINDS) {
  const places = fieldPlaces(schema);
  const label = `${schema.apiVersion} ${schema.kind}`;

  describe(`schema ${label}: one description of every field`, () => {
    it('is registered under its apiVersion and kind, and every object type is complete', () => {
      assert.equal(kindSchema(schema.apiVersion, schema.kind), schema);
      assert.equal(schemaForKind(schema.kind), schema);
      for (const [type, spec] of Object.entries(schema.objects)) {
        const names = Object.keys(spec.fields);
        for (const [n, f] of Object.entries(spec.fields)) {
          assert.ok(f.doc.trim().length > 10, `${type}.${n} has no documentation`);
          const sub = objectTypeOf(f.type);
          if (sub) assert.ok(schema.objects[sub], `${type}.${n}: no object type ${sub}`);
        }
        if (spec.apiOrder) assert.deepEqual([...spec.apiOrder].sort(), [...names].sort(), `${type}.apiOrder`);
        for (const k of [...(spec.requireOneOf ?? []), ...(spec.exclusive ?? []).flat()]) {
          assert.ok(names.includes(k), `${type}: constraint on unknown field ${k}`);
        }
      }
      assert.ok(places.length > 20, `${places.length} field places`);
    });

    it('its sample document, with every field set, is valid', () => {
      const c = validate(sampleDoc(schema));
      assert.deepEqual(show(errors(c)), '(none)');
    });

    it('validation accepts every key at its place, and rejects an unknown key there', () => {
      for (const p of places) {
        const doc = sampleDoc(schema, p.path);
        const ok = validate(doc);
        const bad = decodeRules(schema).all;
        assert.deepEqual(show(ok.findings.filter((f) => bad.includes(f.rule))), '(none)', p.path.join('.'));
        if (p.path.length === 1 && p.name === 'kind') continue; // without its kind, it is another object
        const renamed = validate(withKey(doc, p.path, `${p.name}Zq`));
        const at = renamed.node([...p.path.slice(0, -1), `${p.name}Zq`]);
        assert.ok(
          renamed.findings.some((f) => f.rule === decodeRules(schema).unknown && f.s === at?.ks),
          `${p.path.join('.')}: an unknown key next to it is not reported:\n${show(renamed.findings)}`,
        );
      }
    });

    it('completion offers exactly the keys of the schema at each place', () => {
      // the root: apiVersion and kind are written (completion needs the kind)
      const rootText = `apiVersion: ${schema.apiVersion}\nkind: ${schema.kind}\n${CARET}\n`;
      assert.deepEqual(
        completeAt(rootText),
        offered(schema, schema.root).filter((k) => k !== 'apiVersion' && k !== 'kind'),
        'root',
      );
      for (const p of places) {
        const type = objectTypeOf(p.field.type);
        if (!type) continue;
        const doc = withValue(sampleDoc(schema, p.path), p.path, isList(p.field) ? [KEYS_HERE] : KEYS_HERE);
        assert.deepEqual(completeAt(yamlOf(doc)), offered(schema, type), p.path.join('.'));
      }
    });

    it('hover documents every key (from the schema where nothing else explains it)', () => {
      for (const p of places) {
        const lines = fieldHover(schema, p.path);
        const text = hoverAt(yamlOf(withKey(sampleDoc(schema, p.path), p.path, `${CARET}${p.name}`)));
        if (p.field.hover === false) {
          assert.equal(lines, null, p.path.join('.'));
          assert.equal(text, '', `${p.path.join('.')} should have no hover`);
          continue;
        }
        assert.ok(lines && lines[0].includes(p.field.doc), `${p.path.join('.')}: ${String(lines)}`);
        assert.ok(text.length > 0, `${p.path.join('.')}: no hover`);
        if (text.startsWith(`**${p.name}** (`)) assert.equal(text, lines.join('\n'), p.path.join('.'));
      }
    });

    it('every enum is what completion offers and what validation accepts', () => {
      const enums = places.filter((p) => p.field.enum);
      assert.ok(enums.length >= 3);
      for (const p of enums) {
        const values = p.field.enum!;
        const where = isList(p.field) ? [...p.path, 0] : p.path;
        const doc = sampleDoc(schema, p.path);
        const text = yamlOf(withValue(doc, where, VALUE_HERE));
        const isKind = p.path.length === 1 && p.name === 'kind';
        // at `kind:`, the kinds that the written apiVersion serves
        const offers = isKind ? KINDS.filter((k) => k.apiVersion === schema.apiVersion).map((k) => k.kind) : values;
        assert.deepEqual(completeAt(text), offers, `completion of ${p.path.join('.')}`);
        if (isKind) {
          for (const v of values) assert.equal(schemaForKind(v), schema); // the kind chooses the schema
          continue;
        }
        for (const v of values) {
          const c = validate(withValue(doc, where, v));
          assert.deepEqual(show(errorsAt(c, where)), '(none)', `${p.path.join('.')}: ${v}`);
        }
        for (const v of new Set([`${values[0]}x`, values[0].toLowerCase(), values[0].toUpperCase()])) {
          if (values.includes(v)) continue;
          const c = validate(withValue(doc, where, v));
          assert.ok(errorsAt(c, where).length, `${p.path.join('.')}: "${v}" is accepted:\n${show(c.findings)}`);
        }
      }
    });

    it('every format is enforced where the schema declares it', () => {
      const formatted = places.filter((p) => samplesOf(p.owner, p.name, p.field));
      assert.ok(formatted.length >= 8);
      for (const p of formatted) {
        const s = samplesOf(p.owner, p.name, p.field)!;
        const listed = isList(p.field) && p.field.format !== 'labels';
        const doc = sampleDoc(schema, p.path);
        for (const v of s.valid) {
          const c = validate(withValue(doc, p.path, listed ? [v] : v));
          assert.deepEqual(show(errorsAt(c, p.path)), '(none)', `${p.path.join('.')}: ${JSON.stringify(v)}`);
        }
        for (const v of s.invalid) {
          const c = validate(withValue(doc, p.path, listed ? [v] : v));
          assert.ok(
            errorsAt(c, p.path).length,
            `${p.path.join('.')}: ${JSON.stringify(v)} is accepted:\n${show(c.findings)}`,
          );
        }
      }
    });

    it('required fields, one-of groups, exclusive groups and list lengths are enforced', () => {
      for (const p of places.filter((x) => x.field.required)) {
        const c = validate(withValue(sampleDoc(schema, p.path), p.path, undefined));
        const re = new RegExp(`\\b${p.name}\\b`);
        assert.ok(
          errors(c).some((f) => re.test(f.message)),
          `${p.path.join('.')} may be left out:\n${show(c.findings)}`,
        );
      }
      for (const p of places.filter((x) => x.field.maxItems !== undefined)) {
        const list = Array.from(
          { length: p.field.maxItems! + 1 },
          (_, i) => p.field.enum?.[i % p.field.enum.length] ?? 'x',
        );
        const c = validate(withValue(sampleDoc(schema, p.path), p.path, list));
        assert.ok(errorsAt(c, p.path).length, `${p.path.join('.')}: ${list.length} items are accepted`);
      }
      // object constraints, at every place an object type with constraints occurs
      const objects = new Map<string, readonly (string | number)[]>();
      for (const p of places) if (!objects.has(p.owner)) objects.set(p.owner, p.path.slice(0, -1));
      for (const [type, at] of objects) {
        const spec = objectSpec(schema, type);
        const base = sampleDoc(schema, [...at, Object.keys(spec.fields)[0]]);
        const sample = sampleObject(schema, type);
        if (spec.requireOneOf) {
          const none = { ...sample };
          for (const k of spec.requireOneOf) delete none[k];
          const c = validate(withValue(base, at, none));
          const missing = errors(c).filter((f) => spec.requireOneOf!.every((k) => f.message.includes(k)));
          assert.ok(
            missing.length,
            `${type}: none of ${spec.requireOneOf.join(', ')} is accepted:\n${show(c.findings)}`,
          );
          for (const k of spec.requireOneOf) {
            const one = { ...none, [k]: sampleObject(schema, type, k)[k] };
            const c1 = validate(withValue(base, at, one));
            const rules = new Set(missing.map((f) => f.rule));
            assert.deepEqual(show(errors(c1).filter((f) => rules.has(f.rule))), '(none)', `${type} with ${k} alone`);
          }
        }
        for (const [i, group] of (spec.exclusive ?? []).entries()) {
          for (const other of (spec.exclusive ?? []).slice(i + 1)) {
            const both = { ...sampleObject(schema, type, group[0]), ...sampleObject(schema, type, other[0]) };
            const c = validate(withValue(base, at, both));
            assert.ok(errorsAt(c, at).length, `${type}: ${group[0]} and ${other[0]} together are accepted`);
          }
        }
      }
    });
  });
}
