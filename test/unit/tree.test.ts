// The PNode tree (model/tree.ts): map keys of every sort, merge keys, aliases inside and outside
// their budget, and nesting as deep as the YAML parser reads.
import { strict as assert } from 'node:assert';
import { parseAllDocuments } from 'yaml';
import { parseDocument } from '../../server/src/model/document';
import { buildTree, get, getEntry, type PMap, type PNode, type TreeIssue } from '../../server/src/model/tree';

function tree(text: string, budget?: number): { root: PNode | null; issues: TreeIssue[] } {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  assert.ok(Array.isArray(docs) && docs.length === 1, 'one document');
  const issues: TreeIssue[] = [];
  return { root: buildTree(docs[0], text, issues, budget), issues };
}

function asMap(n: PNode | null | undefined): PMap {
  assert.ok(n && n.t === 'map', `a map, not ${n?.t}`);
  return n;
}

const keys = (m: PMap): string[] => m.entries.map((e) => e.key);
const scalar = (n: PNode | undefined): unknown => (n && n.t === 'scalar' ? n.v : `(${n?.t})`);

describe('model tree', () => {
  it('records non-string, complex and missing keys without letting get() find them', () => {
    const text = '1: one\ntrue: t\n~: n\n? [x, y]\n: seq\n: nokey\nname: web\n';
    const { root, issues } = tree(text);
    const m = asMap(root);
    assert.deepEqual(
      m.entries.map((e) => [e.key, !!e.nonStringKey, text.slice(e.ks, e.ke)]),
      [
        ['1', true, '1'],
        ['true', true, 'true'],
        ['', true, '~'],
        ['[x, y]', true, '[x, y]'],
        ['', true, ''],
        ['name', false, 'name'],
      ],
    );
    assert.equal(get(m, '1'), undefined, 'a number key is not the string "1"');
    assert.equal(getEntry(m, '[x, y]'), undefined);
    assert.equal(scalar(get(m, 'name')), 'web');
    assert.deepEqual(
      issues.map((i) => [i.code, text.slice(i.s, i.e)]),
      [
        ['complex-key', '[x, y]'],
        ['duplicate-key', ''],
      ],
      'the complex key, and the two empty keys (~ and the missing one) count as duplicates',
    );
    assert.ok(m.entries[2].shadowed, 'the first empty key is shadowed by the second');
  });

  it('gives an explicit key without a value a null scalar at the end of the key', () => {
    const text = '? podSelector\nb: 1\n';
    const en = getEntry(tree(text).root, 'podSelector')!;
    assert.deepEqual([en.value.t, scalar(en.value), en.value.s, en.value.e], ['scalar', null, en.ke, en.ke]);
    assert.equal(text.slice(en.ks, en.ke), 'podSelector');
  });

  it('applies merge keys: own keys win, then the merged maps in order; quoted << is a plain key', () => {
    const text = [
      'a: &a {x: a, y: a, z: a}',
      'b: &b {y: b, w: b}',
      'm:',
      '  <<: [*b, *a]',
      '  x: own',
      '  "<<": quoted',
      'n: {<<: *a, <<: *b}',
      '',
    ].join('\n');
    const root = tree(text).root;
    const m = asMap(get(root, 'm'));
    assert.deepEqual(keys(m), ['x', '<<', 'y', 'w', 'z']);
    assert.deepEqual(
      m.entries.map((e) => scalar(e.value)),
      ['own', 'quoted', 'b', 'b', 'a'],
    );
    const n = asMap(get(root, 'n'));
    assert.deepEqual(
      n.entries.map((e) => `${e.key}=${String(scalar(e.value))}`),
      ['x=a', 'y=a', 'z=a', 'w=b'],
      'two merge keys: the first one wins',
    );
  });

  it('leaves out shadowed entries of a merged map and reports duplicates only where written', () => {
    const text = 'base: &b\n  k: 1\n  k: 2\nm:\n  <<: *b\ncopy: *b\n';
    const { root, issues } = tree(text);
    const m = asMap(get(root, 'm'));
    assert.deepEqual(
      m.entries.map((e) => [e.key, scalar(e.value)]),
      [['k', 2]],
    );
    assert.equal(issues.filter((i) => i.code === 'duplicate-key').length, 1, 'not again for the alias *b');
    const copy = asMap(get(root, 'copy'));
    assert.equal(text.slice(copy.s, copy.e), '*b', 'an expanded alias takes the span of the alias');
    assert.ok(
      copy.entries.every((e) => text.slice(e.ks, e.ke) === '*b'),
      'and so do its keys',
    );
  });

  it('expands a cyclic alias to null and an unknown one to null', () => {
    const cyc = tree('self: &s\n  child: *s\n').root;
    const child = get(get(cyc, 'self'), 'child');
    assert.equal(asMap(child).t, 'map', 'the alias expands once');
    assert.equal(scalar(get(child, 'child')), null, 'and stops at the cycle');
    const text = 'seq: [a, *nope]\n';
    const seq = get(tree(text).root, 'seq');
    assert.ok(seq && seq.t === 'seq');
    assert.deepEqual(
      seq.items.map((i) => [scalar(i), text.slice(i.s, i.e)]),
      [
        ['a', 'a'],
        [null, '*nope'],
      ],
    );
  });

  it('stops at the node budget with one issue and keeps what came before', () => {
    const text = 'a: &a [1, 2, 3, 4]\nb: [*a, *a, *a, *a]\nc: 5\n';
    const { root, issues } = tree(text, 12);
    assert.deepEqual(
      issues.map((i) => i.code),
      ['alias-limit'],
    );
    assert.match(issues[0].message, /more than 12 nodes/);
    const b = get(root, 'b');
    assert.ok(b && b.t === 'seq' && b.items.length < 4, 'the expansion of b is cut');
    assert.deepEqual(tree(text).issues, [], 'the default budget is enough');
  });

  it('marks plain scalars that YAML 1.1 reads otherwise, not quoted ones or those inside aliases', () => {
    const root = tree('a: &y yes\nb: "yes"\nc: *y\nd: on\n').root;
    const y11 = (k: string): unknown => {
      const n = get(root, k);
      return n && n.t === 'scalar' ? n.y11 : '(not a scalar)';
    };
    assert.deepEqual(['a', 'b', 'c', 'd'].map(y11), ['bool', undefined, undefined, 'bool']);
  });

  it('builds the whole tree of deeply nested documents', () => {
    for (const [what, gen] of [
      ['flow sequences', (d: number) => `a: ${'['.repeat(d)}${']'.repeat(d)}\n`],
      ['flow maps', (d: number) => `a: ${'{a: '.repeat(d)}1${'}'.repeat(d)}\n`],
      ['block maps', (d: number) => `${Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
    ] as const) {
      const d = parseDocument(gen(500));
      assert.deepEqual([...d.syntaxErrors.map((e) => e.message), ...d.treeIssues.map((e) => e.message)], [], what);
      let n: PNode | null | undefined = d.tree;
      let depth = 0;
      while (n && n.t !== 'scalar') {
        n = n.t === 'map' ? n.entries[0]?.value : n.items[0];
        depth++;
      }
      assert.equal(depth, what === 'block maps' ? 500 : 501, what);
    }
  });
});
