// Part of `npm run bench:diagram` (scripts/bench-diagram.mjs): times the Mermaid generator on the
// webview test's large namespaces and prints the samples (ms) as JSON.
import { buildDiagram } from '../server/src/diagram/mermaid';
import { largeNamespace, tieredNamespace, worldOf } from '../test/webview/worlds';

const runs = Number(process.argv[2]) || 7;
const res: Record<string, number[]> = {};
for (const [name, files] of [
  ['tiered', tieredNamespace()],
  ['ring', largeNamespace(200)],
] as const) {
  const t = worldOf(files);
  buildDiagram(t.world, t.conn, { namespace: 'big' }); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    buildDiagram(t.world, t.conn, { namespace: 'big' });
    ms.push(performance.now() - t0);
  }
  res[name] = ms;
}
console.log(JSON.stringify(res));
