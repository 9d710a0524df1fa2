import { strict as assert } from 'node:assert';
import { kindAtPath, lineCursor, treeCursor } from '../../../server/src/features/cursor';
import { workspace } from './support';

function tree(text: string) {
  const ws = workspace({ 'a.yaml': text });
  const c = treeCursor(ws.ctx('a.yaml').file, ws.pos);
  assert.ok(c, 'a tree cursor');
  return c;
}

function line(text: string) {
  const ws = workspace({ 'a.yaml': text });
  const c = lineCursor(ws.ctx('a.yaml').file, ws.pos);
  assert.ok(c, 'a line cursor');
  return c;
}

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              tier: front
      ports:
        - port: http
`;

function mark(text: string, needle: string, offsetInNeedle = 0): string {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `needle ${needle}`);
  return `${text.slice(0, i + offsetInNeedle)}<|>${text.slice(i + offsetInNeedle)}`;
}

describe('features/cursor: tree cursor', () => {
  it('finds a key, with the path from the object root', () => {
    const c = tree(mark(POLICY, 'podSelector:\n    matchLabels', 3));
    assert.deepEqual(c.path, ['spec', 'podSelector']);
    assert.equal(c.on, 'key');
    assert.equal(c.obj?.kind, 'NetworkPolicy');
  });

  it('finds a scalar value deep in a rule', () => {
    const c = tree(mark(POLICY, 'front', 2));
    assert.deepEqual(c.path, ['spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels', 'tier']);
    assert.equal(c.on, 'value');
  });

  it('counts the `- ` marker as part of its sequence item', () => {
    const c = tree(mark(POLICY, '- port: http'));
    assert.deepEqual(c.path, ['spec', 'ingress', 0, 'ports', 0]);
  });

  it("treats the text after `key:` with no value as that key's value", () => {
    const c = tree(mark('kind: NetworkPolicy\nspec:\n  podSelector: \n', 'podSelector: ', 13));
    assert.deepEqual(c.path, ['spec', 'podSelector']);
    assert.equal(c.on, 'value');
  });

  it('finds items of a List with their own object', () => {
    const c = tree(
      mark(
        `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: in-list
    spec:
      podSelector: {}
`,
        'podSelector',
        2,
      ),
    );
    assert.equal(c.obj?.name, 'in-list');
    assert.deepEqual(c.path, ['spec', 'podSelector']);
  });
});

describe('features/cursor: line cursor (tolerant of broken text)', () => {
  it('reads the path of a value in block style', () => {
    const c = line(mark(POLICY, 'http', 0));
    assert.deepEqual(c.path, ['spec', 'ingress', 0, 'ports', 0, 'port']);
    assert.equal(c.on, 'value');
    assert.equal(c.prefix, '');
  });

  it('reads a half-typed key (which the parser merges into the next key)', () => {
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n  podSelector: {}\n  pol<|>\n  ingress:\n    - from: []\n';
    const c = line(text);
    assert.deepEqual(c.path, ['spec']);
    assert.equal(c.on, 'key');
    assert.equal(c.prefix, 'pol');
    assert.ok(c.siblings.has('podSelector') && c.siblings.has('ingress'), [...c.siblings].join(','));
  });

  it('counts sequence items from the `- ` markers above', () => {
    const text =
      'kind: NetworkPolicy\nspec:\n  egress:\n    - to: []\n    - ports:\n        - port: 53\n      to:\n        - <|>\n';
    const c = line(text);
    assert.deepEqual(c.path, ['spec', 'egress', 1, 'to', 0]);
    assert.equal(c.inSeqItem, true);
  });

  it('reads flush sequences (`key:` with `- ` at the same column)', () => {
    const text = 'kind: NetworkPolicy\nspec:\n  ingress:\n  - from:\n    - podSelector: {}\n  - from:\n    - <|>\n';
    const c = line(text);
    assert.deepEqual(c.path, ['spec', 'ingress', 1, 'from', 0]);
  });

  it('reads an unterminated flow map on the line', () => {
    const text = 'kind: NetworkPolicy\nspec:\n  podSelector: {matchLabels: {app: <|>\n';
    const c = line(text);
    assert.deepEqual(c.path, ['spec', 'podSelector', 'matchLabels', 'app']);
    assert.equal(c.on, 'value');
    assert.equal(c.inFlow, true);
  });

  it('reads a flow sequence being typed', () => {
    const c = line('kind: NetworkPolicy\nspec:\n  policyTypes: [Ingress, Eg<|>\n');
    assert.deepEqual(c.path, ['spec', 'policyTypes']);
    assert.equal(c.inSeqItem, true);
    assert.equal(c.prefix, 'Eg');
  });

  it('survives a tab in the indentation', () => {
    const c = line('kind: NetworkPolicy\nspec:\n  podSelector:\n\tmatchLabels: {}\n  ingress:\n    - <|>\n');
    assert.deepEqual(c.path, ['spec', 'ingress', 0]);
  });

  it('gives the replace range of the word under the cursor', () => {
    const text = 'kind: NetworkPolicy\nspec:\n  ingress:\n    - ports:\n        - protocol: TC<|>P\n';
    const c = line(text);
    assert.equal(c.prefix, 'TC');
    assert.equal(c.doc.text.slice(c.replaceStart, c.replaceEnd), 'TCP');
  });

  it('finds the kind of a List item from the path', () => {
    const ws = workspace({
      'a.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - kind: NetworkPolicy\n    spec:\n      <|>\n',
    });
    const c = lineCursor(ws.ctx('a.yaml').file, ws.pos)!;
    const k = kindAtPath(c.doc, c.path);
    assert.equal(k.kind, 'NetworkPolicy');
    assert.deepEqual(k.objPath, ['spec']);
  });

  it('reads CRLF text as LF text (path, prefix and replace range)', () => {
    const c = line('kind: NetworkPolicy\r\nspec:\r\n  ingress:\r\n    - ports:\r\n        - protocol: TC<|>P\r\n');
    assert.deepEqual(c.path, ['spec', 'ingress', 0, 'ports', 0, 'protocol']);
    assert.equal(c.prefix, 'TC');
    assert.equal(c.doc.text.slice(c.replaceStart, c.replaceEnd), 'TCP');
  });

  it('leaves a comment after the value out of the prefix', () => {
    const c = line('kind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels:\n      app: web # the tier<|>\n');
    assert.deepEqual(c.path, ['spec', 'podSelector', 'matchLabels', 'app']);
    assert.equal(c.on, 'value');
    assert.equal(c.prefix, 'web');
  });

  it('reads only its own document of a stream', () => {
    const c = line(
      'spec:\n  ingress: []\n---\nkind: NetworkPolicy\nspec:\n  <|>\n  egress: []\n...\nspec:\n  podSelector: {}\n',
    );
    assert.deepEqual(c.path, ['spec']);
    assert.deepEqual([...c.siblings], ['egress']);
  });

  it('reads the path in a document the parser rejects', () => {
    const c = line(
      'kind: NetworkPolicy\nspec:\n  podSelector: {matchLabels: \n  ingress:\n    - from:\n        - <|>\n',
    );
    assert.ok(c.doc.syntaxErrors.length > 0, 'the parser rejects it');
    assert.deepEqual(c.path, ['spec', 'ingress', 0, 'from', 0]);
    assert.equal(c.inSeqItem, true);
  });

  it('returns something sensible on an empty document', () => {
    const c = line('<|>');
    assert.deepEqual(c.path, []);
    assert.equal(c.on, 'key');
  });
});
