// Seeded robustness test: the built server is fed mutated manifests, truncated documents, tabs,
// deep nesting, alias bombs, binary bytes, Helm templates and a 10 MB file. It must stay up,
// answer every request, and keep its memory bounded.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LspClient, withTimeout } from '../support/lspClient';
import { CAPABILITY, checkAnswer, checkDiagnostics } from '../support/lspShapes';
import { rng } from '../support/randomWorkspace';
import { type DiskWorkspace, diskWorkspace } from '../support/workspace';

const root = path.resolve(__dirname, '../..');

function examples(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, 'examples'));
  return out;
}

const JUNK = [
  '\t',
  '{',
  '}',
  '[',
  ']',
  ':',
  '-',
  '*a',
  '&a',
  '|',
  '>',
  '"',
  "'",
  '#',
  '\n',
  '\u0000',
  '\u00ff',
  '{{ .Values.x }}',
  '---\n',
  '    ',
  'null',
  '~',
  '!!binary',
  '%YAML 1.2\n',
];

function mutate(text: string, r: () => number): string {
  let t = text;
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(r() * (t.length + 1));
    const k = r();
    if (k < 0.35) t = t.slice(0, pos) + JUNK[Math.floor(r() * JUNK.length)] + t.slice(pos);
    else if (k < 0.6) t = t.slice(0, pos) + t.slice(pos + 1 + Math.floor(r() * 20));
    else if (k < 0.75) t = t.slice(0, pos);
    else if (k < 0.9) {
      const lines = t.split('\n');
      const l = Math.floor(r() * lines.length);
      lines.splice(l, 0, lines[l] ?? '');
      t = lines.join('\n');
    } else t = t.replace(/ {2}/g, r() < 0.5 ? '\t' : '   ');
  }
  return t;
}

function hostile(): Record<string, string> {
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [x, y] of [
    ['b', 'a'],
    ['c', 'b'],
    ['d', 'c'],
    ['e', 'd'],
    ['f', 'e'],
    ['g', 'f'],
    ['h', 'g'],
    ['i', 'h'],
  ]) {
    bomb.push(`${x}: &${x} [${Array(9).fill(`*${y}`).join(',')}]`);
  }
  const policy = readFileSync(path.join(root, 'examples/shop/policies.yaml'), 'utf8');
  return {
    'bomb.yaml': `${bomb.join('\n')}\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bomb}\nspec:\n  podSelector: {}\n  ingress: *i\n`,
    'deep.yaml': `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deep}\nspec:\n  podSelector: ${'['.repeat(30000)}${']'.repeat(30000)}\n`,
    'binary.yaml': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    'helm.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n  podSelector:\n    matchLabels:\n      {{- include "x.selectorLabels" . | nindent 6 }}\n',
    'tabs.yaml': policy.replace(/ {2}/g, '\t'),
    'big.yaml': Array.from({ length: 5200 }, (_, i) => policy.replace(/name: (\S+)/g, `name: $1-${i}`))
      .join('---\n')
      .slice(0, 10 * 1024 * 1024),
  };
}

/** What each hostile file must be told (every diagnostic is also checked for its shape). */
const HOSTILE_EXPECTED: Record<string, { code: string; only?: boolean; message: RegExp; absent?: string }> = {
  'bomb.yaml': { code: 'NPX02', only: true, message: /expands to more than \d+ nodes through aliases/ },
  'deep.yaml': { code: 'NPX03', message: /nested too deeply/ },
  'binary.yaml': { code: 'NPX02', only: true, message: /looks binary/ },
  'helm.yaml': { code: 'NPX04', only: true, message: /template expressions/ },
  'tabs.yaml': { code: 'NPX03', message: /YAML syntax error/ },
  // 10 MB is within the default size limit: analysed (the shop policies, copied, miss their DNS)
  'big.yaml': { code: 'NPP10', message: /egress-isolated/, absent: 'NPX02' },
};

const METHOD_NOT_FOUND = -32601;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

describe('language server robustness (seeded fuzz)', function () {
  this.timeout(300000);
  let ws: DiskWorkspace;
  let c: LspClient;
  let capabilities: Record<string, unknown>;
  before(async () => {
    ws = diskWorkspace({}, { prefix: 'netpol-fuzz-' });
    c = new LspClient();
    const init = (await c.initialize(ws.rootUri)) as { capabilities: Record<string, unknown> };
    capabilities = init.capabilities;
    await c.waitForStatus();
  });
  after(async () => {
    await c?.shutdown();
    ws?.remove();
  });

  /**
   * Sends a request; returns a check of the answer's shape (run once every answer is in).
   * MethodNotFound is accepted only for a standard method whose capability the server does not
   * announce; any other error fails.
   */
  async function ask(method: string, params: unknown, lines: readonly string[]): Promise<() => void> {
    try {
      const answer = await c.request(method, params);
      return () => checkAnswer(method, answer, lines);
    } catch (e) {
      const err = e as { code?: number; message?: string };
      const cap = CAPABILITY[method];
      if (err.code === METHOD_NOT_FOUND && cap && !capabilities[cap]) return () => undefined;
      const advertised = err.code === METHOD_NOT_FOUND ? ` although the server announces ${cap ?? 'it'}` : '';
      throw new Error(`${method} failed (${err.code}: ${err.message})${advertised}`);
    }
  }

  /** Asks everything at a random position; `timeoutMs` only guards against a hang (no speed test). */
  async function probe(uri: string, text: string, r: () => number, timeoutMs = 30000): Promise<void> {
    const lines = text.split('\n');
    const line = Math.floor(r() * Math.max(1, lines.length));
    const character = Math.floor(r() * ((lines[line] ?? '').length + 1));
    const position = { line, character };
    const range = { start: position, end: position };
    const doc = { textDocument: { uri } };
    const reqs: Array<Promise<() => void>> = [
      ask('textDocument/codeAction', { ...doc, range, context: { diagnostics: [] } }, lines),
      ask('textDocument/hover', { ...doc, position }, lines),
      ask('textDocument/completion', { ...doc, position }, lines),
      ask('textDocument/documentSymbol', doc, lines),
      ask('netpolLens/diagram', { uri }, lines),
      ask(
        'textDocument/inlayHint',
        { ...doc, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } } },
        lines,
      ),
      ask('textDocument/codeLens', doc, lines),
      ask('netpolLens/diff', { base: [{ uri, text: lines.slice(0, line).join('\n') }] }, lines),
    ];
    for (const check of await withTimeout(Promise.all(reqs), timeoutMs, `answers for ${uri}`)) check();
  }

  it('survives 300 mutated manifests and answers every request', async () => {
    const r = rng(20261127);
    const base = examples();
    for (let i = 0; i < 300; i++) {
      const uri = ws.uri(`m${i % 40}.yaml`);
      const text = mutate(base[Math.floor(r() * base.length)], r);
      await c.open(uri, text, i + 1);
      if (i % 10 === 0) await probe(uri, text, r);
      if (i % 40 === 39) {
        for (let j = 0; j < 40; j++) await c.close(ws.uri(`m${j}.yaml`));
      }
    }
    await probe(ws.uri('m0.yaml'), 'x', r);
    assert.equal(c.proc.exitCode, null, `server exited: ${c.stderr}`);
  });

  it('survives hostile inputs (alias bomb, deep nesting, binary, Helm, tabs, 10 MB) with bounded memory', async () => {
    const r = rng(7);
    let v = 1000;
    for (const [name, text] of Object.entries(hostile())) {
      const uri = ws.uri(name);
      const version = v++;
      await c.open(uri, text, version);
      const got = await c.waitForDiagnostics((p) => p.uri === uri && p.version === version, 120000);
      checkDiagnostics(got.diagnostics, text.split('\n'));
      const codes = [...new Set(got.diagnostics.map((d) => String(d.code)))].sort();
      const message = got.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
      const want = HOSTILE_EXPECTED[name];
      if (want.only) assert.deepEqual(codes, [want.code], `${name}:\n${message}`);
      else assert.ok(codes.includes(want.code), `${name} has ${want.code}:\n${message.slice(0, 2000)}`);
      assert.match(message, want.message, name);
      if (want.absent) assert.ok(!codes.includes(want.absent), `${name} has no ${want.absent}`);
      // the 10 MB file's answers take 10-30 s on a busy machine: as long as its diagnostics may
      await probe(uri, text, r, 120000);
      // an edit in the middle of the big file still gets an answer
      if (name === 'big.yaml') {
        await c.change(uri, v++, [
          { range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: '# edited\n' },
        ]);
        await c.waitForDiagnostics((p) => p.uri === uri && p.version === v - 1, 120000);
      }
      await c.close(uri);
    }
    assert.equal(c.proc.exitCode, null, `server exited: ${c.stderr}`);
    const rss = rssMb(c.proc.pid!);
    assert.ok(rss < 1500, `server RSS ${rss.toFixed(0)} MB`);
  });
});
