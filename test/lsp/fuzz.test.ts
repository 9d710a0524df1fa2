// Seeded robustness test: the built server is fed mutated manifests, truncated documents, tabs,
// deep nesting, alias bombs, binary bytes, Helm templates and a 10 MB file. It must stay up,
// answer every request, and keep its memory bounded.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, withTimeout } from '../support/lspClient';
import { rng } from '../support/randomWorkspace';

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

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

describe('language server robustness (seeded fuzz)', function () {
  this.timeout(300000);
  let dir: string;
  let c: LspClient;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-fuzz-'));
    c = new LspClient();
    await c.initialize(pathToFileURL(dir).toString());
    await c.waitForStatus();
  });
  after(async () => {
    await c?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  async function probe(uri: string, text: string, r: () => number): Promise<void> {
    const lines = text.split('\n');
    const line = Math.floor(r() * Math.max(1, lines.length));
    const character = Math.floor(r() * ((lines[line] ?? '').length + 1));
    const position = { line, character };
    const range = { start: position, end: position };
    const reqs: Array<Promise<unknown>> = [
      c.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }),
      c.request('textDocument/hover', { textDocument: { uri }, position }).catch((e: { code?: number }) => {
        if (e.code !== -32601) throw e;
      }),
      c.request('textDocument/completion', { textDocument: { uri }, position }).catch((e: { code?: number }) => {
        if (e.code !== -32601) throw e;
      }),
      c.request('textDocument/documentSymbol', { textDocument: { uri } }).catch((e: { code?: number }) => {
        if (e.code !== -32601) throw e;
      }),
      c.request('netpolLens/diagram', { uri }),
      c.request('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
      }),
      c.request('textDocument/codeLens', { textDocument: { uri } }),
      c.request('netpolLens/diff', { base: [{ uri, text: lines.slice(0, line).join('\n') }] }),
    ];
    await withTimeout(Promise.all(reqs), 30000, `answers for ${uri}`);
  }

  it('survives 300 mutated manifests and answers every request', async () => {
    const r = rng(20261127);
    const base = examples();
    for (let i = 0; i < 300; i++) {
      const uri = pathToFileURL(path.join(dir, `m${i % 40}.yaml`)).toString();
      const text = mutate(base[Math.floor(r() * base.length)], r);
      await c.open(uri, text, i + 1);
      if (i % 10 === 0) await probe(uri, text, r);
      if (i % 40 === 39) {
        for (let j = 0; j < 40; j++) await c.close(pathToFileURL(path.join(dir, `m${j}.yaml`)).toString());
      }
    }
    await probe(pathToFileURL(path.join(dir, 'm0.yaml')).toString(), 'x', r);
    assert.equal(c.proc.exitCode, null, `server exited: ${c.stderr}`);
  });

  it('survives hostile inputs (alias bomb, deep nesting, binary, Helm, tabs, 10 MB) with bounded memory', async () => {
    const r = rng(7);
    let v = 1000;
    for (const [name, text] of Object.entries(hostile())) {
      const uri = pathToFileURL(path.join(dir, name)).toString();
      await c.open(uri, text, v++);
      const got = await c.waitForDiagnostics((p) => p.uri === uri, 120000);
      assert.ok(Array.isArray(got.diagnostics), name);
      await probe(uri, text, r);
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
