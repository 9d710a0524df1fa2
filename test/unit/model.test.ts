// The model: document splitting, spans, YAML 1.1 typing, aliases, broken and hostile input.
import { strict as assert } from 'node:assert';
import {
  documentAtLine,
  documentAtOffset,
  parseDocument,
  parseFile,
  splitDocuments,
} from '../../server/src/model/document';
import { objectsOf } from '../../server/src/model/resources';
import { isNullKey, nameSpan, objectLocation, podLabelsPath, rangeIn } from '../../server/src/model/spans';
import { get, type PNode } from '../../server/src/model/tree';
import { fileName, plural } from '../../server/src/model/words';

function at(text: string, node: PNode | undefined): string {
  assert.ok(node);
  return text.slice(node.s, node.e);
}

describe('model', () => {
  it('splits a stream at --- and ... lines (CRLF too), keeping leading comments with the next document', () => {
    const t = '# head\n---\na: 1\n---\n# about b\n---\nb: 2\n...\nc: 3\n';
    const chunks = splitDocuments(t).map(([s, e]) => t.slice(s, e));
    assert.deepEqual(chunks, ['# head\n---\na: 1\n', '---\n# about b\n', '---\nb: 2\n...\n', 'c: 3\n']);
    const crlf = 'a: 1\r\n---\r\nb: 2\r\n';
    assert.deepEqual(
      splitDocuments(crlf).map(([s, e]) => crlf.slice(s, e)),
      ['a: 1\r\n', '---\r\nb: 2\r\n'],
    );
    assert.deepEqual(splitDocuments(''), [[0, 0]]);
    assert.deepEqual(splitDocuments('x: "---"\n---x: 1\n').length, 1, 'a --- that is not alone is content');
  });

  it('keeps exact spans of keys and values, relative to each document, and file positions', () => {
    const text = 'kind: A\n---\n# c\nkind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels: {app: "web"}\n';
    const f = parseFile('file:///x.yaml', text);
    assert.equal(f.documents.length, 2);
    const d = f.documents[1];
    const ml = get(get(get(d.tree!, 'spec'), 'podSelector'), 'matchLabels');
    assert.equal(at(d.text, ml), '{app: "web"}');
    const app = get(ml, 'app')!;
    assert.equal(at(d.text, app), '"web"');
    assert.equal(app.t === 'scalar' && app.style, 'double');
    assert.deepEqual(d.positionAt(app.s), { line: 6, character: 23 });
    assert.equal(d.offsetAt(6, 23), app.s);
    assert.equal(documentAtLine(f, 6), d);
    assert.equal(documentAtOffset(f, text.indexOf('spec')), d);
  });

  it('types plain scalars as Kubernetes (YAML 1.1) reads them', () => {
    const d = parseDocument('a: yes\nb: "yes"\nc: on\nd: 0777\ne: 80\nf: ~\ng: y\nh: web\n');
    const y11 = (k: string): string | undefined => {
      const n = get(d.tree!, k)!;
      return n.t === 'scalar' ? n.y11 : undefined;
    };
    assert.equal(y11('a'), 'bool');
    assert.equal(y11('b'), undefined);
    assert.equal(y11('c'), 'bool');
    assert.equal(y11('d'), undefined, '0777 is already a number in YAML 1.2');
    assert.equal(y11('g'), 'bool');
    assert.equal(y11('h'), undefined);
    const e = get(d.tree!, 'e')!;
    assert.equal(e.t === 'scalar' && e.v, 80);
  });

  it('expands aliases and merge keys, and stops alias bombs with an issue', () => {
    const d = parseDocument('base: &b {app: web}\nsel: *b\nmerged:\n  <<: *b\n  tier: x\n');
    const sel = get(d.tree!, 'sel')!;
    assert.equal(sel.t, 'map');
    assert.equal(at(d.text, sel), '*b', 'an alias takes the span of the alias');
    const merged = get(d.tree!, 'merged')!;
    assert.deepEqual(merged.t === 'map' && merged.entries.map((e) => e.key).sort(), ['app', 'tier']);
    const lines = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 9; i++) {
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    const bomb = parseDocument(lines.join('\n'));
    assert.ok(bomb.treeIssues.some((i) => i.code === 'alias-limit'));
  });

  it('records duplicate keys (the last wins) and never throws on broken input', () => {
    const d = parseDocument('a: 1\na: 2\n');
    const a = get(d.tree!, 'a')!;
    assert.equal(a.t === 'scalar' && a.v, 2);
    assert.equal(d.treeIssues.filter((i) => i.code === 'duplicate-key').length, 1);
    for (const junk of [
      'a: [1, 2',
      ':\n:\n-',
      '\t\tkey: v',
      '{{ .Values }}',
      'a: "unterminated',
      '- - - -',
      '? complex\n: key',
      '%YAML 1.2\n---\na: 1',
      '\u0000\u0001',
      'a: !!binary xyz',
      '&a a: *a',
    ]) {
      const f = parseFile('file:///j.yaml', junk);
      assert.ok(Array.isArray(f.documents));
      for (const doc of f.documents) objectsOf('file:///j.yaml', doc);
    }
  });

  it('recognises templates, non-Kubernetes YAML, binary and oversized files', () => {
    assert.equal(parseDocument('kind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n').kind, 'template');
    assert.equal(parseDocument('foo: bar\n').kind, 'other');
    assert.equal(parseDocument('kind: NetworkPolicy\n').kind, 'k8s');
    assert.match(parseFile('file:///b.yaml', '\u0000\u0001\u0002binary').skipped ?? '', /binary/);
    assert.match(
      parseFile('file:///big.yaml', 'a: 1\n'.repeat(300000), { maxFileSize: 1024 * 1024 }).skipped ?? '',
      /larger than the limit/,
    );
  });

  it('reads a JSON file as one document', () => {
    const f = parseFile('file:///p.json', '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}\n');
    assert.equal(f.format, 'json');
    assert.equal(objectsOf(f.uri, f.documents[0])[0].name, 'p');
  });

  for (const [label, sep, eol] of [
    ['LF, ---', '---\n', '\n'],
    ['CRLF, --- and ...', '...\r\n---\r\n', '\r\n'],
  ] as const) {
    it(`re-parses only the edited documents and places every document as a fresh parse does (random edits, ${label})`, () => {
      let seed = 7;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const doc = (i: number): string =>
        `# doc ${i}\nkind: ConfigMap\nmetadata:\n  name: c${i}\n${i % 3 ? '' : 'data:\n  k: v\n'}`.replace(/\n/g, eol);
      let docs = Array.from({ length: 30 }, (_, i) => doc(i));
      let file = parseFile('file:///r.yaml', docs.join(sep));
      for (let step = 0; step < 200; step++) {
        const next = [...docs];
        const at = rnd(next.length);
        switch (rnd(5)) {
          case 0:
            next[at] = next[at].replace(/name: c\d+/, `name: e${step}`);
            break; // same length or not
          case 1:
            next.splice(at, 0, doc(100 + step));
            break; // insert
          case 2:
            if (next.length > 2) next.splice(at, 1);
            break; // delete
          case 3:
            next.splice(at, 0, next[rnd(next.length)]);
            break; // duplicate text
          default:
            next[at] = `${next[at]}extra${step}: 1${eol}`;
            break; // grow with new lines
        }
        const text = next.join(sep);
        const before = new Set(file.documents);
        const inc = parseFile('file:///r.yaml', text, {}, file);
        const fresh = parseFile('file:///r.yaml', text);
        assert.equal(inc.documents.length, fresh.documents.length);
        inc.documents.forEach((d, i) => {
          const f = fresh.documents[i];
          assert.deepEqual(
            [d.text, d.startOffset, d.startLine, d.index],
            [f.text, f.startOffset, f.startLine, f.index],
            `step ${step}, document ${i}`,
          );
          assert.deepEqual(d.positionAt(d.text.length - 1), f.positionAt(f.text.length - 1));
        });
        // documents whose text did not change are the same objects (their trees and caches survive)
        const reused = inc.documents.filter((d) => before.has(d)).length;
        const pool = file.documents.map((d) => d.text);
        let unchanged = 0;
        for (const d of inc.documents) {
          const i = pool.indexOf(d.text);
          if (i !== -1) {
            pool.splice(i, 1);
            unchanged++;
          }
        }
        assert.equal(reused, unchanged, `step ${step}`);
        docs = next;
        file = inc;
      }
    });
  }
});

describe('model: shared phrasing and location helpers', () => {
  it('counts with a noun (plural) and names a file by its decoded last segment', () => {
    assert.equal(plural(0, 'workload'), '0 workloads');
    assert.equal(plural(1, 'workload'), '1 workload');
    assert.equal(plural(2, 'policy', 'policies'), '2 policies');
    assert.equal(fileName('file:///ws/my%20dir/app%20one.yaml'), 'app one.yaml');
    assert.equal(fileName('plain.yaml'), 'plain.yaml');
    assert.equal(fileName('file:///ws/bad%E0.yaml'), 'bad%E0.yaml', 'a malformed escape stays as written');
  });

  it('locates an object at its name, else at its start (empty)', () => {
    const text = 'kind: Namespace\nmetadata:\n  name: shop\n---\nkind: Deployment\nmetadata:\n  labels: {a: b}\n';
    const f = parseFile('file:///ws/a.yaml', text);
    const [ns] = objectsOf(f.uri, f.documents[0]);
    const [dep] = objectsOf(f.uri, f.documents[1]);
    assert.equal(ns.doc.text.slice(nameSpan(ns).s, nameSpan(ns).e), 'shop');
    assert.deepEqual(objectLocation(ns), {
      uri: f.uri,
      range: { start: { line: 2, character: 8 }, end: { line: 2, character: 12 } },
    });
    assert.deepEqual(nameSpan(dep), { s: dep.node.s, e: dep.node.s });
    assert.deepEqual(objectLocation(dep).range, {
      start: { line: 4, character: 0 },
      end: { line: 4, character: 0 },
    });
    // a span given backwards is read as empty at its start
    assert.deepEqual(rangeIn(dep.doc, dep.node.s + 5, dep.node.s + 2), {
      start: { line: 4, character: 5 },
      end: { line: 4, character: 5 },
    });
  });

  it('knows where the pod labels of each workload kind are written', () => {
    const text = [
      'kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {app: cron}\n',
      'kind: Pod\nmetadata:\n  labels: {app: pod}\n',
      'kind: Deployment\nspec:\n  template:\n    metadata:\n      labels: {app: dep}\n',
    ].join('---\n');
    const f = parseFile('file:///ws/w.yaml', text);
    for (const doc of f.documents) {
      const [w] = objectsOf(f.uri, doc);
      assert.ok(w.type === 'workload');
      let n: PNode | undefined = w.node;
      for (const k of podLabelsPath(w.kind)) n = get(n, k);
      assert.equal(n, w.podLabelsNode, `${w.kind}: the path leads to the labels the model reads`);
    }
  });

  it('tells a key written with no value (null) from an absent or empty one', () => {
    const d = parseDocument('a:\nb: ~\nc: {}\nd: null\n');
    assert.equal(isNullKey(d.tree!, 'a'), true);
    assert.equal(isNullKey(d.tree!, 'b'), true);
    assert.equal(isNullKey(d.tree!, 'd'), true);
    assert.equal(isNullKey(d.tree!, 'c'), false);
    assert.equal(isNullKey(d.tree!, 'missing'), false);
  });
});
