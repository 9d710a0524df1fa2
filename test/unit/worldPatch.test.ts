// An edit that only rewrites policies in place patches the world instead of building it again
// (workspace/worldPatch.ts): after every random edit, the index's world equals a world built from
// scratch over the same files, and its findings equal a fresh index's. Policy-only edits are
// counted as patches, every other edit as a build.
import { strict as assert } from 'node:assert';
import { buildWorld, type World } from '../../server/src/analysis/world';
import { readSettings } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { randomWorkspace, rng } from '../support/randomWorkspace';

const settings = readSettings({});

/** Everything a world says, in order, as text (objects by kind, namespace, name and source text). */
function describeWorld(w: World): string[] {
  const obj = (o: { kind: string; name?: string; doc: { text: string } }): string =>
    `${o.kind}/${o.name ?? ''}#${o.doc.text.length}:${o.doc.text.slice(-40)}`;
  return [
    ...w.objects.map((o) => `object ${w.namespaceOf(o)} ${obj(o)}`),
    ...w.policies.map((p) => `policy ${p.namespace} ${obj(p.obj)} ${p.valid} ${[...p.types].join(',')}`),
    ...w.activePolicies.map((p) => `active ${p.namespace}/${p.obj.name}`),
    ...w.replaced.map((r) => `replaced ${obj(r.replaced)} by ${obj(r.kept)}`),
    ...w.workloads.map((x) => `workload ${x.key} ${JSON.stringify(x.labels)}`),
    ...[...w.namespaces.values()].map((n) => `namespace ${n.name} ${JSON.stringify(n.labels)}`),
    ...w.services.map((s) => `service ${s.namespace}/${s.obj.name}`),
  ];
}

function findings(idx: WorkspaceIndex, uris: string[]): string[] {
  return uris.flatMap((u) =>
    idx.findings(u).map((f) => `${u} ${f.rule} ${f.doc.positionAt(f.s).line}:${f.s}-${f.e} ${f.message}`),
  );
}

/** A random edit of one document; `policyOnly` edits keep every policy's kind, namespace and name. */
function edit(text: string, r: () => number, policyOnly: boolean): string {
  const docs = text.split('---\n');
  const policies = docs.map((d, i) => (/kind: NetworkPolicy/.test(d) ? i : -1)).filter((i) => i >= 0);
  if (policyOnly && policies.length) {
    const i = policies[Math.floor(r() * policies.length)];
    const k = r();
    const d = docs[i];
    if (k < 0.3) docs[i] = d.replace(/port: (\d+)/, `port: ${[80, 53, 8080, 0][Math.floor(r() * 4)]}`);
    else if (k < 0.5) {
      docs[i] = d.replace(/(app|tier|env|team): \w+/, `$1: ${['x', 'w', 'z', 'q'][Math.floor(r() * 4)]}`);
    } else if (k < 0.7) docs[i] = `${d.trimEnd()}\n# a comment\n`;
    else if (k < 0.85) docs[i] = d.replace(/policyTypes:[^\n]*\n(\s+- \w+\n)*/, '');
    else docs[i] = d.replace('spec:', 'spec:\n  policyTypes: [Ingress, Egress]');
    return docs.join('---\n');
  }
  const i = Math.floor(r() * docs.length);
  const k = r();
  if (k < 0.25) docs[i] = docs[i].replace(/name: (\w+)/, 'name: $1x');
  else if (k < 0.5) docs.push(docs[i]);
  else if (k < 0.7) docs.splice(i, 1);
  else docs[i] = docs[i].replace(/(app|tier|env|team): \w+/, `$1: ${['x', 'w', 'z', 'q'][Math.floor(r() * 4)]}`);
  return docs.join('---\n');
}

describe('world patch for policy-only edits (differential)', function () {
  this.timeout(120000);
  let patched = 0;
  let built = 0;
  for (let seed = 1; seed <= 10; seed++) {
    it(`seed ${seed}: the world and the findings after each of 30 edits equal a fresh build`, () => {
      const r = rng(seed * 104729);
      const docs = randomWorkspace(seed).split('---\n');
      const half = Math.ceil(docs.length / 2);
      const files: Record<string, string> = {
        'file:///ws/a.yaml': docs.slice(0, half).join('---\n'),
        'file:///ws/b.yaml': docs.slice(half).join('---\n') || 'kind: List\nitems: []\n',
      };
      const uris = Object.keys(files).sort();
      const idx = new WorkspaceIndex({ settings });
      for (const u of uris) idx.setFile(u, files[u]);
      findings(idx, uris);
      for (let step = 0; step < 30; step++) {
        const u = uris[Math.floor(r() * uris.length)];
        files[u] = edit(files[u], r, r() < 0.7);
        const before = { ...idx.stats };
        idx.setFile(u, files[u]);
        // sometimes two edits before the world is asked for
        if (r() < 0.2) {
          files[u] = edit(files[u], r, true);
          idx.setFile(u, files[u]);
        }
        const world = idx.world();
        if (idx.stats.patched > before.patched) patched++;
        else if (idx.stats.worlds > before.worlds) built++;
        const fresh = new WorkspaceIndex({ settings });
        for (const x of uris) fresh.setFile(x, files[x]);
        const scratch = buildWorld(fresh.allFiles(), { defaultNamespace: settings.defaultNamespace });
        assert.deepEqual(describeWorld(world), describeWorld(scratch), `seed ${seed} step ${step}: world`);
        assert.deepEqual(findings(idx, uris), findings(fresh, uris), `seed ${seed} step ${step}: findings`);
      }
    });
  }

  it('patched the policy-only edits and built the world for the others', () => {
    assert.ok(patched >= 60, `${patched} patched of ${patched + built}`);
    assert.ok(built >= 60, `${built} built of ${patched + built}`);
  });

  it('patches a port edit without building: the workloads and the other policies are the same objects', () => {
    const idx = new WorkspaceIndex({ settings });
    const pol = (port: number): string =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n  podSelector: {}\n  ingress:\n    - ports:\n        - port: ${port}\n`;
    idx.setFile('file:///ws/p.yaml', pol(80));
    idx.setFile('file:///ws/q.yaml', pol(80).replace('name: p', 'name: q'));
    idx.setFile(
      'file:///ws/w.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\n  namespace: a\n  labels:\n    app: w\n',
    );
    const w1 = idx.world();
    idx.setFile('file:///ws/p.yaml', pol(81));
    const w2 = idx.world();
    assert.equal(idx.stats.patched, 1);
    assert.equal(w2.workloads, w1.workloads);
    assert.equal(w2.policies[1], w1.policies[1], 'q is untouched');
    assert.notEqual(w2.policies[0], w1.policies[0]);
    assert.equal(w2.policies[0].obj.doc, idx.getFile('file:///ws/p.yaml')!.documents[0]);
    // a rename is not an edit in place: built again
    idx.setFile('file:///ws/p.yaml', pol(81).replace('name: p', 'name: r'));
    idx.world();
    assert.equal(idx.stats.patched, 1);
    assert.equal(idx.stats.worlds, 3);
  });
});
