// The model's line table, document separator and tolerant block lexer (model/lines.ts,
// model/lexer.ts): what the document model, completion's line cursor and suppression comments read.
import { strict as assert } from 'node:assert';
import { splitDocuments } from '../../server/src/model/document';
import { flowPath, lineElems, parentPath, siblingKeys, visualWidth } from '../../server/src/model/lexer';
import { DOC_SEPARATOR, isDocumentSeparator, LineTable } from '../../server/src/model/lines';

/** The table of a text and the line of the `<|>` marker (removed). */
function at(text: string): { lines: LineTable; line: number; col: number } {
  const i = text.indexOf('<|>');
  assert.ok(i >= 0, 'a <|> marker');
  const clean = text.slice(0, i) + text.slice(i + 3);
  const lines = new LineTable(clean);
  const line = lines.lineOf(i);
  return { lines, line, col: i - lines.starts[line] };
}

describe('model/lines: line table', () => {
  it('finds line starts and lines of offsets (LF)', () => {
    const t = new LineTable('a: 1\nbb: 2\n\nc: 3');
    assert.deepEqual(t.starts, [0, 5, 11, 12]);
    assert.equal(t.count, 4);
    assert.deepEqual(
      [0, 4, 5, 10, 11, 12, 15].map((o) => t.lineOf(o)),
      [0, 0, 1, 1, 2, 3, 3],
    );
    assert.deepEqual(
      [0, 1, 2, 3].map((l) => t.line(l)),
      ['a: 1', 'bb: 2', '', 'c: 3'],
    );
  });

  it('leaves the \\r of CRLF line breaks out of the line text', () => {
    const t = new LineTable('a: 1\r\nb: 2\r\n');
    assert.equal(t.count, 3);
    assert.deepEqual(
      [0, 1, 2].map((l) => t.line(l)),
      ['a: 1', 'b: 2', ''],
    );
    // the \r belongs to its line
    assert.equal(t.lineOf(4), 0);
    assert.equal(t.lineOf(6), 1);
  });

  it('counts offsets outside the text as its first or last line, and lines outside as empty', () => {
    const t = new LineTable('x\ny');
    assert.equal(t.lineOf(-5), 0);
    assert.equal(t.lineOf(99), 1);
    assert.equal(t.line(-1), '');
    assert.equal(t.line(2), '');
    assert.equal(new LineTable('').count, 1);
  });
});

describe('model/lines: document separator', () => {
  it('accepts `---` and `...` alone, before a blank or a comment, with or without \\r', () => {
    for (const l of ['---', '--- ', '---\t# c', '--- !tag', '---\r', '...', '... ', '...\r']) {
      assert.ok(isDocumentSeparator(l), JSON.stringify(l));
    }
  });

  it('rejects lines that only start like one', () => {
    for (const l of ['----', '---x', ' ---', '--', '..', '....', '- --', 'a: ---']) {
      assert.ok(!isDocumentSeparator(l), JSON.stringify(l));
    }
    assert.ok(!DOC_SEPARATOR.test('---a'));
  });

  it('is where the document model splits a stream (CRLF too)', () => {
    const text = 'a: 1\r\n--- \r\nb: 2\r\n...\r\n# c\r\nc: 3\r\n----\r\n';
    const chunks = splitDocuments(text).map(([s, e]) => text.slice(s, e));
    assert.deepEqual(chunks, ['a: 1\r\n', '--- \r\nb: 2\r\n...\r\n', '# c\r\nc: 3\r\n----\r\n']);
  });
});

describe('model/lexer: one line', () => {
  it('reads `- ` markers, then a key with the rest of the line (comment dropped)', () => {
    const e = lineElems('  - - name: web # the front end')!;
    assert.deepEqual(
      e.map((x) => [x.type, x.col, x.text, x.rest]),
      [
        ['dash', 2, undefined, undefined],
        ['dash', 4, undefined, undefined],
        ['key', 6, 'name', 'web'],
      ],
    );
  });

  it('unquotes quoted keys and keeps colons that are not key markers', () => {
    assert.equal(lineElems('"app.kubernetes.io/name": x')![0].text, 'app.kubernetes.io/name');
    assert.equal(lineElems("'it''s': x")![0].text, "it's");
    const url = lineElems('url: http://example.com:80/x')![0];
    assert.deepEqual([url.type, url.text, url.rest], ['key', 'url', 'http://example.com:80/x']);
    const word = lineElems('  http://example.com # c')![0];
    assert.deepEqual([word.type, word.text], ['word', 'http://example.com']);
  });

  it('gives null for blank and comment lines', () => {
    assert.equal(lineElems(''), null);
    assert.equal(lineElems('   '), null);
    assert.equal(lineElems('  # - key: x'), null);
  });

  it('measures columns with tabs expanded to stops of 4', () => {
    assert.equal(lineElems('\tkey: 1')![0].col, 4);
    assert.equal(lineElems('  \t- x')![0].col, 4);
    assert.equal(visualWidth('a\tb'), 5);
    assert.equal(visualWidth('abc'), 3);
  });
});

describe('model/lexer: block structure from the lines above', () => {
  it('reads the parents of a line in a broken document (unclosed quote, half-typed key)', () => {
    const { lines, line } = at(
      'kind: NetworkPolicy\nmetadata:\n  name: "open\nspec:\n  pol\n  ingress:\n    - from:\n        - podSelector: {}\n      <|>\n',
    );
    assert.deepEqual(parentPath(lines, line, { type: 'key', col: 6 }), ['spec', 'ingress', 0]);
  });

  it('counts sequence items from the `- ` markers above, and skips comments', () => {
    const { lines, line } = at('egress:\n  - to: []\n  # - commented: out\n  - ports: []\n  <|>\n');
    assert.deepEqual(parentPath(lines, line, { type: 'dash', col: 2 }), ['egress', 2]);
  });

  it('reads CRLF text as LF text', () => {
    const lf = at('spec:\n  ingress:\n  - from:\n    - <|>\n');
    const crlf = at('spec:\r\n  ingress:\r\n  - from:\r\n    - <|>\r\n');
    const want = ['spec', 'ingress', 0, 'from', 0];
    assert.deepEqual(parentPath(lf.lines, lf.line, { type: 'dash', col: 4 }), want);
    assert.deepEqual(parentPath(crlf.lines, crlf.line, { type: 'dash', col: 4 }), want);
  });

  it('stops at a document separator', () => {
    const { lines, line } = at('spec:\n  other: 1\n---\n  <|>\n');
    assert.deepEqual(parentPath(lines, line, { type: 'key', col: 2 }), []);
    const sib = at('a: 1\n...\nb: 2\n<|>\nc: 3\n---\nd: 4\n');
    assert.deepEqual([...siblingKeys(sib.lines, sib.line, 0)].sort(), ['b', 'c']);
  });

  it('finds the keys of the block map around a line, and not those of nested or outer maps', () => {
    const { lines, line } = at(
      'spec:\n  podSelector:\n    matchLabels: {}\n  <|>\n  policyTypes: [Ingress]\n  ingress:\n    - from: []\nother: 1\n',
    );
    assert.deepEqual([...siblingKeys(lines, line, 2)].sort(), ['ingress', 'podSelector', 'policyTypes']);
  });

  it('starts a map at the `- key:` of its sequence item', () => {
    const { lines, line } = at('ports:\n  - port: 80\n    <|>\n  - protocol: UDP\n');
    assert.deepEqual([...siblingKeys(lines, line, 4)], ['port']);
  });
});

describe('model/lexer: flow collections', () => {
  it('gives the keys and indexes entered and the position at the end', () => {
    assert.deepEqual(flowPath('{a: [b, {c: x'), { path: ['a', 1, 'c'], on: 'value', inSeq: false, prefix: 'x' });
    assert.deepEqual(flowPath(' {matchLabels: {app: web, ti'), {
      path: ['matchLabels'],
      on: 'key',
      inSeq: false,
      prefix: 'ti',
    });
    assert.deepEqual(flowPath('[Ingress, "Eg'), { path: [], on: 'key', inSeq: true, prefix: 'Eg' });
  });

  it('gives null when every collection is closed', () => {
    assert.equal(flowPath('{a: 1}'), null);
    assert.equal(flowPath('[a, {b: c}]'), null);
    assert.equal(flowPath('plain'), null);
  });
});
