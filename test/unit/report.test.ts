import { strict as assert } from 'node:assert';
import { computeConnectivity } from '../../server/src/analysis/connectivity';
import { toJson, toMarkdown, toTextLines, writeJson } from '../../server/src/analysis/report';
import { randomWorkspace } from '../support/randomWorkspace';
import { worldOf } from '../support/workspace';

describe('connectivity listings', () => {
  it('streams the same JSON document as toJson builds', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const conn = computeConnectivity(worldOf(randomWorkspace(seed)));
      let text = '';
      writeJson(conn, {}, (c) => {
        text += c;
      });
      const a = JSON.parse(text);
      const b = toJson(conn);
      const norm = (x: unknown[]): string[] => x.map((e) => JSON.stringify(e)).sort();
      assert.deepEqual(norm(a.connections), norm(b.connections), `seed ${seed}`);
      assert.deepEqual(norm(a.ipv6Connections), norm(b.ipv6Connections), `seed ${seed}`);
      assert.deepEqual(a.workloads, b.workloads);
    }
  });

  it('prints netpol-analyzer style text and a Markdown table, filtered by namespace', () => {
    const conn = computeConnectivity(
      worldOf(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec: {template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: prod}
spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: prod}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 5432}]
`),
    );
    const lines = toTextLines(conn);
    assert.ok(lines.includes('prod/api[Deployment] => prod/db[StatefulSet] : TCP 5432'), lines.join('\n'));
    assert.ok(lines.includes('prod/api[Deployment] => other/web[Deployment] : All Connections'));
    assert.ok(!lines.some((l) => l.startsWith('other/web[Deployment] => prod/db')));
    const only = toTextLines(conn, { namespace: 'other' });
    assert.ok(
      only.every((l) => l.includes('other/')),
      only.join('\n'),
    );
    const md = toMarkdown(conn, { namespace: 'prod' });
    assert.match(md, /^\| Source \| Destination \| Connections \|\n\|---\|---\|---\|\n/);
    assert.match(md, /\| prod\/api\\\[Deployment\\\] \| prod\/db\\\[StatefulSet\\\] \| TCP 5432 \|/);
  });
});
