// What a well-formed answer of the language server looks like, per method, for tests that send
// arbitrary documents (the fuzz test): the LSP shapes, positions inside the document, and the
// invariants of the custom requests. Each check throws an AssertionError naming what is wrong.

import { strict as assert } from 'node:assert';

type Obj = Record<string, unknown>;

interface Position {
  line: number;
  character: number;
}

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function nonNegInt(x: unknown, what: string): number {
  if (Number.isInteger(x) && (x as number) >= 0) return x as number;
  assert.fail(`${what}: ${JSON.stringify(x)} is not a non-negative integer`);
}

function position(p: unknown, what: string): Position {
  assert.ok(isObj(p), `${what}: not a position`);
  return { line: nonNegInt(p.line, `${what}.line`), character: nonNegInt(p.character, `${what}.character`) };
}

const before = (a: Position, b: Position): boolean =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);

/** A range with start <= end; with `lines`, inside the document (at most its end). */
function range(r: unknown, what: string, lines?: readonly string[]): void {
  assert.ok(isObj(r), `${what}: not a range`);
  const s = position(r.start, `${what}.start`);
  const e = position(r.end, `${what}.end`);
  if (!before(s, e)) assert.fail(`${what}: starts after it ends (${JSON.stringify(r)})`);
  if (lines) for (const p of [s, e]) inside(p, what, lines);
}

function inside(p: Position, what: string, lines: readonly string[]): void {
  assert.ok(p.line < lines.length, `${what}: line ${p.line} of a ${lines.length}-line document`);
  assert.ok(p.character <= lines[p.line].length, `${what}: character ${p.character} of line ${p.line}`);
}

function text(x: unknown, what: string, nonEmpty = true): string {
  assert.equal(typeof x, 'string', `${what}: not a string`);
  if (nonEmpty) assert.ok((x as string).length > 0, `${what}: empty`);
  return x as string;
}

function list(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) assert.fail(`${what}: not an array (${JSON.stringify(x)?.slice(0, 80)})`);
  return x;
}

function textEdits(edits: unknown, what: string): void {
  list(edits, what).forEach((e, i) => {
    assert.ok(isObj(e), `${what}[${i}]`);
    range(e.range, `${what}[${i}].range`);
    text(e.newText, `${what}[${i}].newText`, false);
  });
}

function codeActions(a: unknown): void {
  list(a, 'codeAction').forEach((x, i) => {
    const w = `codeAction[${i}]`;
    assert.ok(isObj(x), w);
    text(x.title, `${w}.title`);
    if (x.edit !== undefined) {
      assert.ok(isObj(x.edit) && isObj(x.edit.changes), `${w}.edit.changes`);
      for (const [uri, edits] of Object.entries(x.edit.changes)) textEdits(edits, `${w} edits of ${uri}`);
    }
  });
}

function hover(h: unknown, lines: readonly string[]): void {
  if (h === null) return;
  assert.ok(isObj(h) && isObj(h.contents), 'hover: no MarkupContent');
  assert.ok(h.contents.kind === 'markdown' || h.contents.kind === 'plaintext', `hover kind ${String(h.contents.kind)}`);
  text(h.contents.value, 'hover value');
  if (h.range !== undefined) range(h.range, 'hover range', lines);
}

function completion(c: unknown, lines: readonly string[]): void {
  if (c === null) return;
  let items: unknown = c;
  if (!Array.isArray(c)) {
    assert.ok(isObj(c), 'completion: neither a list nor items');
    assert.equal(typeof c.isIncomplete, 'boolean', 'completion isIncomplete');
    items = c.items;
  }
  list(items, 'completion items').forEach((x, i) => {
    const w = `completion item ${i}`;
    assert.ok(isObj(x), w);
    text(x.label, `${w} label`);
    if (isObj(x.textEdit)) {
      range(x.textEdit.range, `${w} textEdit`, lines);
      text(x.textEdit.newText, `${w} newText`, false);
    }
  });
}

function symbols(s: unknown, lines: readonly string[], what = 'documentSymbol'): void {
  list(s, what).forEach((x, i) => {
    const w = `${what}[${i}]`;
    assert.ok(isObj(x), w);
    text(x.name, `${w}.name`, false);
    assert.ok(Number.isInteger(x.kind) && (x.kind as number) >= 1 && (x.kind as number) <= 26, `${w}.kind`);
    range(x.range, `${w}.range`, lines);
    range(x.selectionRange, `${w}.selectionRange`, lines);
    if (x.children !== undefined) symbols(x.children, lines, `${w}.children`);
  });
}

function inlayHints(h: unknown, lines: readonly string[]): void {
  list(h, 'inlayHint').forEach((x, i) => {
    assert.ok(isObj(x), `inlayHint[${i}]`);
    inside(position(x.position, `inlayHint[${i}].position`), `inlayHint[${i}]`, lines);
    assert.ok(typeof x.label === 'string' || Array.isArray(x.label), `inlayHint[${i}].label`);
  });
}

function codeLenses(l: unknown, lines: readonly string[]): void {
  list(l, 'codeLens').forEach((x, i) => {
    assert.ok(isObj(x), `codeLens[${i}]`);
    range(x.range, `codeLens[${i}].range`, lines);
    if (x.command !== undefined) assert.ok(isObj(x.command), `codeLens[${i}].command`);
    if (isObj(x.command)) text(x.command.title, `codeLens[${i}] title`);
  });
}

function diagram(d: unknown): void {
  assert.ok(isObj(d), 'diagram: not an object');
  const ns = text(d.namespace, 'diagram namespace', false);
  const all = list(d.namespaces, 'diagram namespaces');
  assert.ok(ns === '' || all.includes(ns), `diagram namespace ${ns} is not among ${all.join(', ')}`);
  text(d.mermaid, 'diagram mermaid', false);
  assert.ok(isObj(d.nodes) && isObj(d.edges) && isObj(d.stats), 'diagram nodes, edges, stats');
  for (const [id, e] of Object.entries(d.edges)) {
    assert.ok(isObj(e) && typeof e.from === 'string' && typeof e.to === 'string', `diagram edge ${id}`);
    assert.ok(e.from in d.nodes && e.to in d.nodes, `diagram edge ${id} joins unknown nodes ${e.from} -> ${e.to}`);
  }
}

function diff(d: unknown): void {
  assert.ok(isObj(d), 'diff: not an object');
  assert.match(text(d.markdown, 'diff markdown'), /^## /);
  nonNegInt(d.changes, 'diff changes');
}

const CHECKS: Record<string, (answer: unknown, lines: readonly string[]) => void> = {
  'textDocument/codeAction': codeActions,
  'textDocument/hover': hover,
  'textDocument/completion': completion,
  'textDocument/documentSymbol': symbols,
  'textDocument/inlayHint': inlayHints,
  'textDocument/codeLens': codeLenses,
  'netpolLens/diagram': diagram,
  'netpolLens/diff': diff,
};

/** The server capability that announces a method (custom requests: none, they always exist). */
export const CAPABILITY: Readonly<Record<string, string>> = {
  'textDocument/codeAction': 'codeActionProvider',
  'textDocument/hover': 'hoverProvider',
  'textDocument/completion': 'completionProvider',
  'textDocument/documentSymbol': 'documentSymbolProvider',
  'textDocument/inlayHint': 'inlayHintProvider',
  'textDocument/codeLens': 'codeLensProvider',
};

/** Checks the answer of `method` for a document with the given lines (throws when malformed). */
export function checkAnswer(method: string, answer: unknown, lines: readonly string[]): void {
  const check = CHECKS[method];
  assert.ok(check, `no shape known for ${method}`);
  check(answer, lines);
}

/** Checks published diagnostics: ranges inside the document, rule ids, severities, messages. */
export function checkDiagnostics(diagnostics: unknown, lines: readonly string[]): void {
  list(diagnostics, 'diagnostics').forEach((d, i) => {
    const w = `diagnostic ${i}`;
    assert.ok(isObj(d), w);
    range(d.range, `${w} range`, lines);
    assert.match(String(d.code), /^NP[A-Z]\d\d$/, `${w} code`);
    assert.ok([1, 2, 3, 4].includes(d.severity as number), `${w} severity ${String(d.severity)}`);
    text(d.message, `${w} message`);
    assert.equal(d.source, 'netpol-lens', `${w} source`);
  });
}
