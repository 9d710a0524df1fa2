// The Mermaid text layer of the diagram: escaping of manifest strings, the id allocator, shapes.
import { strict as assert } from 'node:assert';
import { rng } from '../support/randomWorkspace';
import { clip, commentSafe, escapeMermaid } from '../../server/src/diagram/escape';
import { emitMermaid, shape } from '../../server/src/diagram/emit';
import { fnv, IdAllocator, slug } from '../../server/src/diagram/ids';
import { buildDiagram } from '../../server/src/diagram/mermaid';
import type { DiagramNode } from '../../server/src/protocol/diagram';
import { SHOP, worldOf } from '../webview/worlds';

/** Undoes escapeMermaid's numeric entities. */
const decode = (s: string): string => s.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

/** Pieces of hostile text: HTML, Mermaid syntax and directives, entities, controls, invisible characters. */
const HOSTILE_PIECES = [
  '<img src=x onerror=alert(1)>',
  '"]-->B[x',
  'end',
  '%%{init: {"securityLevel":"loose"}}%%',
  '#quot;',
  '#35;',
  '&amp;',
  '&#60;',
  '`md`',
  '|pipe|',
  ';',
  ':::cls',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u00b6',
  '\ufb02',
  '°°',
  'ß',
  '日本',
  '😀',
  '\u{e0041}',
  'click a call alert()',
  'style a fill:#f00',
  'a',
  ' ',
];

function hostileText(r: () => number): string {
  let s = '';
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += HOSTILE_PIECES[Math.floor(r() * HOSTILE_PIECES.length)];
  return s;
}

describe('diagram text: escaping', () => {
  it('leaves only harmless characters in the text, and loses nothing but control characters', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const s = hostileText(r);
      const e = escapeMermaid(s);
      // ASCII in the output: letters, digits, a few punctuation characters, and entities #N;
      const ascii = [...e].filter((c) => c.codePointAt(0)! < 128).join('');
      assert.match(ascii, /^[A-Za-z0-9 .,_/=+@!?*~^$'#;-]*$/, JSON.stringify(s));
      assert.ok(!/[\u2028\u2029\u202a-\u202e\u200b-\u200f\ufeff\u00b6\ufb02]/u.test(e), JSON.stringify(e));
      assert.ok(!e.includes('%%') && !e.includes('"') && !e.includes('\n'));
      // every # starts an entity: the encoding can be decoded exactly
      assert.ok(!/#(?!\d+;)/.test(e), JSON.stringify(e));
      // eslint-disable-next-line no-control-regex
      const expected = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
      assert.equal(decode(e), expected, JSON.stringify(s));
    }
  });

  it('keeps the characters it is told to keep, and only those', () => {
    assert.equal(escapeMermaid('fe80::1/64'), 'fe80#58;#58;1/64');
    assert.equal(escapeMermaid('fe80::1/64', ':'), 'fe80::1/64');
    assert.equal(escapeMermaid('a:b"c', ':'), 'a:b#34;c');
  });

  it('clips by code points with an ellipsis, and keeps %% comments to plain characters', () => {
    assert.equal(clip('abcdef', 6), 'abcdef');
    assert.equal(clip('abcdefg', 6), 'abcde…');
    assert.equal(clip('😀😀😀😀', 3), '😀😀…', 'an astral character is never split');
    assert.equal(commentSafe('shop-1.a_b'), 'shop-1.a_b');
    assert.equal(commentSafe('%%{init}%%\nflowchart'), '???init????flowchart');
  });
});

describe('diagram text: ids', () => {
  it('hands out a base id once, then numbered ones, in its own id space', () => {
    const ids = new IdAllocator();
    assert.deepEqual(
      ['a', 'a', 'b', 'a', 'a_2'].map((b) => ids.take(b)),
      ['a', 'a_2', 'b', 'a_3', 'a_2_2'],
    );
    assert.equal(new IdAllocator().take('a'), 'a', 'another allocator is another id space');
  });

  it('never gives the same id twice, and gives the same ids for the same requests', () => {
    const r = rng(3);
    const bases = Array.from({ length: 3000 }, () => ['a', 'a_2', 'b', 'b_2_2', 'a_3'][Math.floor(r() * 5)]);
    const first = new IdAllocator();
    const got = bases.map((b) => first.take(b));
    assert.equal(new Set(got).size, got.length);
    got.forEach((id, i) => assert.ok(id === bases[i] || id.startsWith(`${bases[i]}_`), id));
    const again = new IdAllocator();
    assert.deepEqual(
      bases.map((b) => again.take(b)),
      got,
    );
  });

  it('derives ids from names: FNV-1a hashes and readable slugs', () => {
    // FNV-1a 32-bit test vectors
    assert.equal(fnv(''), (0x811c9dc5).toString(36));
    assert.equal(fnv('a'), (0xe40c292c).toString(36));
    assert.equal(fnv('foobar'), (0xbf9cf968).toString(36));
    assert.equal(slug('Payments-API.v2'), 'payments_api_v2');
    assert.equal(slug('%%{init}%%'), 'init');
    assert.equal(slug('日本'), 'x');
    assert.equal(slug('a'.repeat(30)), 'a'.repeat(24));
    assert.equal(slug(`${'a'.repeat(23)}-b`), 'a'.repeat(23), 'no trailing underscore after clipping');
  });

  it('keeps every node and arrow id when an unrelated workload is added', () => {
    const one = worldOf(SHOP);
    const two = worldOf({
      ...SHOP,
      'more.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: aaa, namespace: legacy}\nspec: {template: {metadata: {labels: {app: aaa}}}}\n',
    });
    for (const showReplies of [false, true]) {
      const a = buildDiagram(one.world, one.conn, { namespace: 'shop', showReplies });
      const b = buildDiagram(two.world, two.conn, { namespace: 'shop', showReplies });
      assert.deepEqual(Object.keys(b.nodes), Object.keys(a.nodes));
      assert.deepEqual(Object.keys(b.edges), Object.keys(a.edges));
      for (const id of [...Object.keys(a.nodes), ...Object.keys(a.edges)]) assert.match(id, /^[a-z][a-z0-9_]*$/);
    }
  });
});

describe('diagram text: emission', () => {
  const node = (kind: DiagramNode['kind'], n: number, title = 't'): DiagramNode => ({
    id: 'n',
    kind,
    title,
    detail: ['d'],
    workloads: Array.from({ length: n }, (_, i) => ({ namespace: 'a', name: `w${i}`, kind: 'Pod', labels: {} })),
    locations: [],
  });

  it('draws each node kind in its shape, with an escaped label', () => {
    assert.equal(shape(node('workload', 1)), '["<b>t</b><br>d"]');
    assert.equal(shape(node('workload', 2)), '[["<b>t</b><br>d"]]');
    assert.equal(shape(node('peer', 3)), '[["<b>t</b><br>d"]]');
    assert.equal(shape(node('group', 0)), '(["<b>t</b><br>d"])');
    assert.equal(shape(node('ip', 0, 'fe80::/10')), '{{"<b>fe80::/10</b><br>d"}}', 'addresses keep their colons');
    assert.equal(shape(node('namespace', 0, '<x>')), '["<b>#60;x#62;</b><br>d"]');
  });

  it('puts nodes in their namespace box, the drawn namespace first, and an empty box gets a placeholder', () => {
    const box = (ns: string): DiagramNode => ({
      ...node('namespace', 0, `namespace ${ns}`),
      id: `ns_${ns}`,
      namespace: ns,
    });
    const nodes = new Map<string, DiagramNode>([
      ['ns_b', box('b')],
      ['ns_a', box('a')],
      ['ns_z', box('z')],
      ['w1', { ...node('workload', 1), id: 'w1' }],
      ['ip1', { ...node('ip', 0), id: 'ip1' }],
    ]);
    const text = emitMermaid(
      'b',
      nodes,
      new Map([
        ['w1', 'b'],
        ['ip1', ''],
      ]),
      new Map(),
    );
    const lines = text.split('\n');
    const order = lines.filter((l) => l.startsWith('  subgraph')).map((l) => l.split(/[ []/)[3]);
    assert.deepEqual(order, ['ns_b', 'ns_a', 'ns_z']);
    const startB = lines.findIndex((l) => l.startsWith('  subgraph ns_b['));
    const inB = lines.slice(startB, lines.indexOf('  end', startB));
    assert.ok(inB.includes('    w1["<b>t</b><br>d"]'), inB.join('\n'));
    assert.ok(text.includes('    ns_a_empty["no workloads"]'));
    assert.ok(text.includes('\n  ip1{{"<b>t</b><br>d"}}\n'), 'outside every box');
  });
});
