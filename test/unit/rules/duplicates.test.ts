// Objects defined more than once, as copies of manifests bring them: what each copy is told, in
// which order, and that facts computed once per world (NPP36 per namespace) reach every copy.
import { strict as assert } from 'node:assert';
import { deployment, docs, namespace, policy, run, spanText } from './helpers';

const svc = (port: number): string =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web, namespace: shop}',
    `spec: {selector: {app: web}, ports: [{port: ${port}}]}`,
    '',
  ].join('\n');

describe('rules: duplicate objects', () => {
  it('three copies of a Service: the middle one is told about both neighbours, earlier first', () => {
    const r = run({ 'a.yaml': svc(80), 'b.yaml': svc(81), 'c.yaml': svc(82) });
    const said = (file: string): string[] =>
      r
        .findings(file)
        .map((f) => `${f.rule} ${spanText(f)} -> ${f.related?.[0]?.uri.replace(/^.*\//, '')}: ${f.message}`);
    assert.deepEqual(said('a.yaml'), [
      'NPX06 web -> b.yaml: Service shop/web is defined again later (b.yaml), which replaces this one. Remove or rename one of them.',
    ]);
    assert.deepEqual(said('b.yaml'), [
      'NPX06 web -> a.yaml: Service shop/web is also defined earlier (a.yaml); this later definition replaces it. Remove or rename one of them.',
      'NPX06 web -> c.yaml: Service shop/web is defined again later (c.yaml), which replaces this one. Remove or rename one of them.',
    ]);
    assert.deepEqual(said('c.yaml'), [
      'NPX06 web -> b.yaml: Service shop/web is also defined earlier (b.yaml); this later definition replaces it. Remove or rename one of them.',
    ]);
  });

  it('two copies of a Namespace without a default deny both get NPP36 with the same facts', () => {
    const copy = docs(
      namespace('shop'),
      deployment('api', 'shop', { app: 'api' }),
      policy('allow-web', 'podSelector: {matchLabels: {app: api}}\npolicyTypes: [Ingress]\ningress: [{}]'),
    );
    const r = run({ 'env-a/shop.yaml': copy, 'env-b/shop.yaml': copy });
    const npp36 = (file: string) => r.findings(file).filter((f) => f.rule === 'NPP36');
    const [a] = npp36('env-a/shop.yaml');
    const [b] = npp36('env-b/shop.yaml');
    assert.ok(a && b, 'NPP36 on both copies');
    assert.equal(a.message, b.message);
    assert.match(a.message, /no policy isolates for egress \(api: they may connect anywhere\)/);
    assert.deepEqual(a.data, { namespace: 'shop', ingress: false, egress: true, taken: ['allow-web'], inList: false });
    assert.deepEqual(b.data, a.data);
    // the related workload is the one in effect (the later copy)
    assert.deepEqual(
      a.related?.map((x) => x.uri),
      ['file:///ws/env-b/shop.yaml'],
    );
  });
});
