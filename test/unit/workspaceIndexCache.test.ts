// The per-document diagnostics cache must never serve stale findings: after every random edit,
// the index's (mostly cached) findings equal those of a fresh index over the same files.
import { strict as assert } from 'node:assert';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { readSettings } from '../../server/src/settings';
import { randomWorkspace, rng } from '../support/randomWorkspace';

const settings = readSettings({});

function snapshot(idx: WorkspaceIndex, uris: string[]): string[] {
  const out: string[] = [];
  for (const u of uris) {
    for (const f of idx.findings(u)) {
      out.push(
        `${u} ${f.rule} ${f.severity} ${f.doc.positionAt(f.s).line}:${f.s}-${f.e} ${f.message} ${(f.related ?? []).map((r) => `${r.uri}@${r.s}`).join(',')}`,
      );
    }
  }
  return out.sort();
}

const SERVICES = ['a', 'b', 'c']
  .map(
    (ns) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: ${ns}\nspec:\n  selector:\n    app: x\n  ports:\n    - port: 80\n      targetPort: http\n`,
  )
  .join('---\n');

function mutate(text: string, r: () => number): string {
  const docs = text.split('---\n');
  const i = Math.floor(r() * docs.length);
  const d = docs[i];
  const k = r();
  const vals = ['x', 'w', 'z', 'q'];
  const v = vals[Math.floor(r() * vals.length)];
  if (k < 0.3) {
    docs[i] = d.replace(/(app|tier|env|team): \w+/, `$1: ${v}`);
  } // labels (workloads, namespaces, selectors)
  else if (k < 0.45) docs[i] = d.replace(/namespace: \w+/, `namespace: ${['a', 'b', 'c', 'd'][Math.floor(r() * 4)]}`);
  else if (k < 0.6) docs[i] = d.replace(/port: (\d+)/, `port: ${[80, 53, 8080, 9000][Math.floor(r() * 4)]}`);
  else if (k < 0.7) docs[i] = d.replace(/containerPort: \d+/, `containerPort: ${[80, 8080][Math.floor(r() * 2)]}`);
  else if (k < 0.8) docs.splice(i, 1);
  else if (k < 0.9) docs.push(d);
  else docs[i] = `# edited\n${d}`;
  return docs.join('---\n');
}

describe('workspace index cache (differential)', function () {
  this.timeout(120000);
  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}: cached findings equal a fresh index after each of 25 edits`, () => {
      const r = rng(seed * 7919);
      const docs = randomWorkspace(seed).split('---\n');
      const third = Math.ceil(docs.length / 3);
      const files: Record<string, string> = {
        'file:///ws/a.yaml': docs.slice(0, third).join('---\n'),
        'file:///ws/b.yaml': docs.slice(third, 2 * third).join('---\n'),
        'file:///ws/c.yaml': docs.slice(2 * third).join('---\n') || 'kind: List\nitems: []\n',
        'file:///ws/svc.yaml': SERVICES,
      };
      const uris = Object.keys(files).sort();
      const idx = new WorkspaceIndex({ settings });
      for (const u of uris) idx.setFile(u, files[u]);
      snapshot(idx, uris);
      for (let step = 0; step < 25; step++) {
        const u = uris[Math.floor(r() * uris.length)];
        files[u] = mutate(files[u], r);
        idx.setFile(u, files[u]);
        const cached = snapshot(idx, uris);
        const fresh = new WorkspaceIndex({ settings });
        for (const x of uris) fresh.setFile(x, files[x]);
        assert.deepEqual(cached, snapshot(fresh, uris), `seed ${seed} step ${step}: edit of ${u}`);
      }
    });
  }
});
