// One run of the engine benchmark, in its own process (scripts/bench.mjs starts it):
//
//   node --expose-gc --import tsx scripts/bench-engine.ts <files|dirs...>
//
// The engine is imported from server/src through tsx (the same code the esbuild bundles hold; tsx
// only transpiles). It reads and parses the manifests as the CLI does (collectManifestPaths +
// loadManifestFiles), then times the analysis after parsing: buildWorld, computeConnectivity, and
// the listing of every allowed connection with its port set (listConnections, what `netpol-lens
// connectivity` prints). No forced GC happens before or during the timed phases. Prints one line of
// JSON on stdout.

import * as fs from 'node:fs';
import { computeConnectivity } from '../server/src/analysis/connectivity';
import { listConnections } from '../server/src/analysis/report';
import { buildWorld } from '../server/src/analysis/world';
import { collectManifestPaths, loadManifestFiles } from '../server/src/workspace/files';

function status(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const round = (x: number): number => Math.round(x * 10) / 10;

function main(inputs: string[]): number {
  if (!inputs.length) {
    process.stderr.write('usage: node --expose-gc --import tsx scripts/bench-engine.ts <files|dirs...>\n');
    return 2;
  }
  const baselinePeakMb = status('VmHWM'); // node + tsx + the engine's modules, before any input
  const t0 = performance.now();
  const collected = collectManifestPaths(inputs);
  if (collected.errors.length) {
    process.stderr.write(`bench-engine: ${collected.errors[0]}\n`);
    return 2;
  }
  const loaded = loadManifestFiles(collected.files);
  const t1 = performance.now();
  const world = buildWorld(loaded.files);
  const t2 = performance.now();
  const conn = computeConnectivity(world);
  const t3 = performance.now();
  const entries = listConnections(conn);
  let workloadPairs = 0;
  let ipEntries = 0;
  let allPorts = 0;
  let ranges = 0;
  for (const e of entries) {
    const ps = conn.table.get(e.ports);
    const n = ps.TCP.length + ps.UDP.length + ps.SCTP.length;
    ranges += n >> 1;
    if (ps.TCP.length === 2 && ps.TCP[0] === 1 && ps.TCP[1] === 65535 && ps.UDP.length === 2 && ps.SCTP.length === 2) {
      allPorts++;
    }
    if ('key' in e.src && 'key' in e.dst) workloadPairs++;
    else ipEntries++;
  }
  const t4 = performance.now();
  const peakMb = status('VmHWM');
  const g = (globalThis as { gc?: () => void }).gc;
  let retainedHeapMb: number | null = null;
  if (g) {
    g();
    retainedHeapMb = round(process.memoryUsage().heapUsed / 1048576);
  }
  const documents = loaded.files.reduce((n, f) => n + f.documents.length, 0);
  const out = {
    files: loaded.files.length,
    documents,
    workloads: world.workloads.length,
    policies: world.policies.length,
    activePolicies: world.activePolicies.length,
    classes: conn.classes.length,
    classPairs: conn.classPairs.length,
    entries: entries.length,
    workloadPairs,
    ipEntries,
    allPortsEntries: allPorts,
    portRanges: ranges,
    parseMs: round(t1 - t0),
    worldMs: round(t2 - t1),
    connectivityMs: round(t3 - t2),
    listMs: round(t4 - t3),
    analysisMs: round(t4 - t1),
    peakRssMb: round(peakMb),
    baselinePeakRssMb: round(baselinePeakMb),
    retainedHeapMb, // heap after a full GC with the files, world, result and listing still referenced
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
