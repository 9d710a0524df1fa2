// Helpers for the rule tests: build a workspace from inline YAML files, run every rule on one of
// them with settings, and describe the findings by what a user sees (rule, severity, the exact
// text the squiggle covers, the message, related locations).

import { strict as assert } from 'node:assert';
import type { World } from '../../../server/src/analysis/world';
import type { Severity } from '../../../server/src/analysis/findings';
import type { ManifestFile } from '../../../server/src/model/document';
import { checkFile, type DocFinding, RULES } from '../../../server/src/rules/registry';
import { readSettings } from '../../../server/src/settings';
import { buildWorkspace, type Files, WS_ROOT } from '../../support/workspace';

export const BASE_URI = WS_ROOT;

export type { Files };

export interface Run {
  readonly world: World;
  readonly files: ReadonlyMap<string, ManifestFile>;
  /** Findings of one file (default: the first file in path order), settings and suppressions applied. */
  findings(name?: string): DocFinding[];
}

/** Strips the common indentation of a template literal and a leading newline. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(cut))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

/** Parses the files (in path order, as the index and the CLI do), builds the world, and checks on demand. */
export function run(files: Files, rawSettings: unknown = {}): Run {
  const settings = readSettings(rawSettings);
  const ws = buildWorkspace(files, { defaultNamespace: settings.defaultNamespace });
  return {
    world: ws.world,
    files: new Map(ws.names.map((n) => [n, ws.file(n)])),
    findings(name?: string): DocFinding[] {
      const f = ws.file(name ?? ws.names[0]);
      return checkFile(f, ws.world, settings);
    },
  };
}

/** The text a finding's range covers (its document's text between start and end). */
export function spanText(f: { doc: { text: string }; s: number; e: number }): string {
  return f.doc.text.slice(f.s, f.e);
}

/** 0-based line of the finding in its file. */
export function lineOf(f: DocFinding): number {
  return f.doc.positionAt(f.s).line;
}

export function summary(fs: readonly DocFinding[]): string {
  return fs.map((f) => `${f.rule} ${f.severity} ${JSON.stringify(spanText(f))}: ${f.message}`).join('\n') || '(none)';
}

// ------------------------------------------------------------------ manifest builders

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() ? by + l : l))
    .join('\n');
}

/** A NetworkPolicy document; `spec` is the body under `spec:` (dedented here). */
export function policy(
  name: string,
  spec: string,
  opts: { namespace?: string | null; apiVersion?: string } = {},
): string {
  const ns = opts.namespace === undefined ? 'shop' : opts.namespace;
  return [
    `apiVersion: ${opts.apiVersion ?? 'networking.k8s.io/v1'}`,
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    ...(ns === null ? [] : [`  namespace: ${ns}`]),
    'spec:',
    indent(yaml(spec), '  '),
    '',
  ].join('\n');
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels);
  return [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    `  name: ${name}`,
    ...(l.length ? ['  labels:', ...l.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
    '',
  ].join('\n');
}

export interface PortSpec {
  readonly port: number;
  readonly name?: string;
  readonly protocol?: string;
}

/** A Deployment whose pods carry `labels` and expose `ports`. */
export function deployment(
  name: string,
  ns: string,
  labels: Record<string, string>,
  ports: readonly PortSpec[] = [],
  extra: { hostNetwork?: boolean; kind?: string } = {},
): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return [
    'apiVersion: apps/v1',
    `kind: ${extra.kind ?? 'Deployment'}`,
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    `  selector: {matchLabels: {${l}}}`,
    '  template:',
    `    metadata: {labels: {${l}}}`,
    '    spec:',
    ...(extra.hostNetwork ? ['      hostNetwork: true'] : []),
    '      containers:',
    `        - name: ${name}`,
    '          image: example/app',
    ...(ports.length
      ? [
          '          ports:',
          ...ports.map(
            (p) =>
              `            - {containerPort: ${p.port}${p.name ? `, name: ${p.name}` : ''}${p.protocol ? `, protocol: ${p.protocol}` : ''}}`,
          ),
        ]
      : []),
    '',
  ].join('\n');
}

export function service(
  name: string,
  ns: string,
  selector: Record<string, string>,
  ports: ReadonlyArray<{ port: number; targetPort?: number | string; name?: string; protocol?: string }>,
): string {
  const sel = Object.entries(selector)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    `  selector: {${sel}}`,
    '  ports:',
    ...ports.map(
      (p) =>
        `    - {${p.name ? `name: ${p.name}, ` : ''}port: ${p.port}${p.targetPort !== undefined ? `, targetPort: ${p.targetPort}` : ''}${p.protocol ? `, protocol: ${p.protocol}` : ''}}`,
    ),
    '',
  ].join('\n');
}

/** Joins documents into one YAML stream. */
export function docs(...parts: string[]): string {
  return parts.map((p) => p.replace(/\n*$/, '\n')).join('---\n');
}

// ------------------------------------------------------------------ table-driven rule cases

export interface RelatedExpectation {
  /** File name the related location points at. */
  readonly file: string;
  /** Text at the related location's start (a prefix of the text from its start). */
  readonly startsWith?: string;
  /** Exact text the related location covers. */
  readonly text?: string;
  /** Facts of the related message. */
  readonly message?: readonly (string | RegExp)[];
}

export interface PositiveCase {
  readonly id: string;
  /** What the workspace shows. */
  readonly title: string;
  readonly files: Files;
  /** File to check (default: the first in path order). */
  readonly target?: string;
  readonly settings?: Record<string, unknown>;
  /** Expected severity (default: the rule's default severity). */
  readonly severity?: Severity;
  /** Exact text covered by each finding of the rule, in order; the count must match. */
  readonly spans: readonly string[];
  /** Facts every finding's message must state (substrings or patterns). */
  readonly message: readonly (string | RegExp)[];
  /** Related information of the first finding. */
  readonly related?: readonly RelatedExpectation[];
  /** Expected `data` entries of the first finding (what the quick fix reads). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Findings produced another way than `checkFile` (e.g. through the workspace index). */
  readonly produce?: () => DocFinding[];
}

export interface NegativeCase {
  readonly id: string;
  readonly title: string;
  readonly files: Files;
  readonly target?: string;
  readonly settings?: Record<string, unknown>;
  /** Other rules that must not fire either (e.g. everything the corrected YAML could trip). */
  readonly alsoAbsent?: readonly string[];
  /** Highest severity any finding of the file may have (e.g. 'info' for a clean policy). */
  readonly atMost?: Severity;
  /** No finding at all in the file. */
  readonly clean?: boolean;
  readonly produce?: () => DocFinding[];
}

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

function matchesFact(message: string, fact: string | RegExp): boolean {
  return typeof fact === 'string' ? message.includes(fact) : fact.test(message);
}

export function assertPositive(c: PositiveCase): DocFinding[] {
  const meta = RULES.get(c.id);
  assert.ok(meta, `${c.id} is not a rule`);
  const all = c.produce ? c.produce() : run(c.files, c.settings).findings(c.target);
  const mine = all.filter((f) => f.rule === c.id);
  assert.deepEqual(mine.map(spanText), [...c.spans], `${c.id} spans; findings were:\n${summary(all)}`);
  const severity = c.severity ?? meta.severity;
  for (const f of mine) {
    assert.equal(f.severity, severity, `${c.id} severity: ${f.message}`);
    for (const fact of c.message) {
      assert.ok(matchesFact(f.message, fact), `${c.id} message lacks ${String(fact)}: ${f.message}`);
    }
  }
  if (c.related) {
    const rel = mine[0].related ?? [];
    assert.equal(rel.length, c.related.length, `${c.id} related: ${JSON.stringify(rel.map((r) => r.message))}`);
    c.related.forEach((want, i) => {
      const got = rel[i];
      assert.equal(got.uri, `${BASE_URI}${want.file}`, `${c.id} related[${i}] file`);
      if (want.text !== undefined) {
        assert.equal(got.doc.text.slice(got.s, got.e), want.text, `${c.id} related[${i}] text`);
      }
      if (want.startsWith !== undefined) {
        assert.ok(
          got.doc.text.slice(got.s).startsWith(want.startsWith),
          `${c.id} related[${i}] points at ${JSON.stringify(got.doc.text.slice(got.s, got.s + 40))}`,
        );
      }
      for (const fact of want.message ?? []) {
        assert.ok(
          matchesFact(got.message, fact),
          `${c.id} related[${i}] message lacks ${String(fact)}: ${got.message}`,
        );
      }
    });
  }
  if (c.data) for (const [k, v] of Object.entries(c.data)) assert.deepEqual(mine[0].data?.[k], v, `${c.id} data.${k}`);
  return mine;
}

export function assertNegative(c: NegativeCase): DocFinding[] {
  assert.ok(RULES.get(c.id), `${c.id} is not a rule`);
  const all: DocFinding[] = c.produce ? c.produce() : run(c.files, c.settings).findings(c.target);
  const banned = new Set([c.id, ...(c.alsoAbsent ?? [])]);
  const hits = all.filter((f) => banned.has(f.rule));
  assert.deepEqual(
    hits.map((f) => f.rule),
    [],
    `must not fire:\n${summary(hits)}`,
  );
  if (c.clean) {
    assert.deepEqual(
      all.map((f) => f.rule),
      [],
      `expected no findings:\n${summary(all)}`,
    );
  }
  if (c.atMost) {
    const max = RANK[c.atMost];
    const over = all.filter((f) => RANK[f.severity] > max);
    assert.deepEqual(
      over.map((f) => f.rule),
      [],
      `findings above ${c.atMost}:\n${summary(over)}`,
    );
  }
  return all;
}

export type RuleCase = ({ readonly kind: 'fires' } & PositiveCase) | ({ readonly kind: 'silent' } & NegativeCase);

export function fires(id: string, title: string, c: Omit<PositiveCase, 'id' | 'title'>): RuleCase {
  return { kind: 'fires', id, title, ...c };
}

export function silent(id: string, title: string, c: Omit<NegativeCase, 'id' | 'title'>): RuleCase {
  return { kind: 'silent', id, title, ...c };
}

/** Registers one mocha test per case, grouped by rule id. */
export function runCases(cases: readonly RuleCase[]): void {
  const ids = [...new Set(cases.map((c) => c.id))];
  for (const id of ids) {
    describe(`${id} ${RULES.get(id)?.name ?? '(unknown rule)'}`, () => {
      for (const c of cases.filter((x) => x.id === id)) {
        it(`${c.kind === 'fires' ? 'fires' : 'is silent'}: ${c.title}`, () => {
          if (c.kind === 'fires') assertPositive(c);
          else assertNegative(c);
        });
      }
    });
  }
}
