// Admin-tier conformance: the built CLI against hand-written cases for AdminNetworkPolicy,
// BaselineAdminNetworkPolicy and ClusterNetworkPolicy (test/fixtures/admin/<case>/: manifests/,
// expected.json in the conformance result schema, README.md saying why the result is right; the
// semantics are docs/semantics.md D). Each case is compared with test/support/resultCompare.ts:
// port sets per ordered workload pair, outside addresses at probe points, IPv4 and IPv6. When the
// upstream admin sample exists next to the checkout (../shared/conformance/admin-cases), its
// cases run through the sample's own compare.mjs, as test/conformance/conformance.test.ts does.
// Without that folder the upstream part is skipped with a message.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { compareEachCase } from '../support/compareCases';
import { compareResults, loadResult } from '../support/resultCompare';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const casesDir = path.join(root, 'test/fixtures/admin');
// the real path: compare.mjs only runs its main when argv[1] is its own (resolved) file
// (NETPOL_SHARED_CONFORMANCE names another place, for a checkout that is not next to it)
const sharedDir = path.resolve(root, process.env.NETPOL_SHARED_CONFORMANCE ?? '../shared/conformance');
const shared = existsSync(sharedDir) ? realpathSync(sharedDir) : sharedDir;

const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

function expectedOf(c: string): unknown {
  return readJson(path.join(casesDir, c, 'expected.json'));
}

/** `connectivity --format json` of a case's manifests, parsed. */
function runCli(manifests: string): unknown {
  const r = spawnSync(process.execPath, [cli, 'connectivity', '--format', 'json', manifests], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, `netpol-lens connectivity exited with ${String(r.status)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

function report(diffs: readonly string[], notes: readonly string[]): string {
  const shown = diffs.slice(0, 12);
  const more = diffs.length > shown.length ? [`... ${diffs.length - shown.length} more`] : [];
  return `\n${[...shown, ...more, ...notes].map((l) => `  ${l}`).join('\n')}`;
}

describe('admin-tier cases (test/fixtures/admin): the cases and the comparison', () => {
  it('has at least 24 cases, each with manifests, expected.json and a README', () => {
    assert.ok(cases.length >= 24, `only ${cases.length} cases`);
    for (const c of cases) {
      const dir = path.join(casesDir, c);
      const manifests = readdirSync(path.join(dir, 'manifests')).filter((f) => /\.ya?ml$/.test(f));
      assert.ok(manifests.length > 0, `${c}: no manifests`);
      assert.ok(existsSync(path.join(dir, 'README.md')), `${c}: no README.md`);
      assert.ok(existsSync(path.join(dir, 'expected.json')), `${c}: no expected.json`);
    }
  });

  for (const c of cases) {
    it(`${c}: expected.json is a valid result that equals itself`, () => {
      const doc = expectedOf(c);
      const loaded = loadResult(doc);
      assert.ok(loaded.workloads.size >= 2, `${c}: fewer than two workloads`);
      const r = compareResults(doc, JSON.parse(JSON.stringify(doc)));
      assert.ok(r.ok, report(r.diffs, r.notes));
    });
  }

  it('finds a changed port, a dropped connection and a changed address range', () => {
    const doc = expectedOf('v2-per-port-split') as { connections: Array<Record<string, unknown>> };
    const copy = (): { connections: Array<Record<string, unknown>> } => JSON.parse(JSON.stringify(doc));
    const isPair = (x: Record<string, unknown>): boolean =>
      'workload' in (x.src as object) && 'workload' in (x.dst as object) && Array.isArray(x.ports);

    const port = copy();
    const entry = port.connections.find(isPair)!;
    const first = (entry.ports as Array<{ protocol: string; from: number; to?: number }>)[0];
    const rest = (entry.ports as unknown[]).slice(1);
    entry.ports = [{ protocol: first.protocol, from: first.from + 1, to: (first.to ?? first.from) + 1 }, ...rest];
    const r1 = compareResults(doc, port);
    assert.ok(!r1.ok && r1.diffs.length === 1, report(r1.diffs, r1.notes));
    assert.match(r1.diffs[0], /expected .*; actual /);

    const dropped = copy();
    dropped.connections.splice(dropped.connections.indexOf(dropped.connections.find(isPair)!), 1);
    const r2 = compareResults(doc, dropped);
    assert.ok(!r2.ok && /actual No Connections/.test(r2.diffs[0]), report(r2.diffs, r2.notes));

    const v4 = expectedOf('v1-networks-ipv4') as { connections: Array<{ dst: { ips?: string[] } }> };
    const narrowed = JSON.parse(JSON.stringify(v4)) as typeof v4;
    const toIps = narrowed.connections.find((x) => x.dst.ips?.includes('198.51.100.0/24'))!;
    toIps.dst.ips = ['198.51.100.0/25'];
    const r3 = compareResults(v4, narrowed);
    assert.deepEqual(r3.diffs, [
      'a/web[Deployment] => 198.51.100.128-198.51.100.255 : expected TCP 443; actual No Connections',
    ]);
  });

  it('finds a difference that only IPv6 shows, and tells the families apart', () => {
    const doc = expectedOf('v2-networks-ipv6') as { ipv6Connections: Array<{ ports: unknown }> };
    const changed = JSON.parse(JSON.stringify(doc)) as typeof doc;
    const narrow = changed.ipv6Connections.find((x) => Array.isArray(x.ports))!;
    narrow.ports = [
      { protocol: 'TCP', from: 443 },
      { protocol: 'UDP', from: 443 },
    ];
    const r = compareResults(doc, changed);
    assert.deepEqual(r.diffs, [
      'a/web[Deployment] => 2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:ffff : expected TCP 443; actual TCP 443,UDP 443',
    ]);
    // the same IPv6 entries listed under "connections" mean the same
    const moved = JSON.parse(JSON.stringify(doc)) as { connections: unknown[]; ipv6Connections: unknown[] };
    moved.connections.push(...moved.ipv6Connections);
    moved.ipv6Connections = [];
    assert.ok(compareResults(doc, moved).ok);
  });

  it('does not depend on how ranges and port lists are split or ordered', () => {
    const w = (name: string): object => ({ workload: { namespace: 'ns', name, kind: 'Deployment' } });
    const a = {
      connections: [
        { src: w('a'), dst: w('b'), ports: [{ protocol: 'TCP', from: 1, to: 100 }] },
        { src: w('a'), dst: { ips: ['10.0.0.0/8'] }, ports: 'all' },
        { src: { ips: ['::/0'] }, dst: w('a'), ports: [{ protocol: 'UDP', from: 53 }] },
      ],
    };
    const b = {
      connections: [
        { src: w('a'), dst: { ips: ['10.0.0.0-10.127.255.255', '10.128.0.0/9'] }, ports: 'all' },
        { src: w('a'), dst: w('b'), ports: [{ protocol: 'TCP', from: 51, to: 100 }] },
        { src: w('a'), dst: w('b'), ports: [{ protocol: 'TCP', from: 1, to: 50 }] },
        { src: w('b'), dst: w('b'), ports: 'all' },
      ],
      ipv6Connections: [
        {
          src: { ips: ['::-7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'] },
          dst: w('a'),
          ports: [{ protocol: 'UDP', from: 53 }],
        },
        { src: { ips: ['8000::/1'] }, dst: w('a'), ports: [{ protocol: 'UDP', from: 53, to: 53 }] },
      ],
    };
    const r = compareResults(a, b);
    assert.ok(r.ok, report(r.diffs, r.notes));
    assert.deepEqual(r.notes, ['ignored 1 connection(s) of a workload to itself']);
  });

  it('rejects a malformed document with a message that names the entry', () => {
    const w = { workload: { namespace: 'ns', name: 'a', kind: 'Deployment' } };
    assert.throws(() => loadResult({}), /"connections" array/);
    assert.throws(
      () => loadResult({ connections: [{ src: w, dst: { ips: ['10.0.0.0/33'] }, ports: 'all' }] }),
      /connections\[0\]\.dst\.ips\[0\]: bad CIDR/,
    );
    assert.throws(
      () => loadResult({ connections: [{ src: w, dst: w, ports: [{ protocol: 'ICMP', from: 1 }] }] }),
      /connections\[0\]\.ports\[0\]: protocol/,
    );
  });
});

describe('admin-tier cases against the CLI', function () {
  this.timeout(120000);
  before(() => assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build'));
  for (const c of cases) {
    it(c, () => {
      const actual = runCli(path.join(casesDir, c, 'manifests'));
      const r = compareResults(expectedOf(c), actual);
      assert.ok(r.ok, `${c} (see its README.md):${report(r.diffs, r.notes)}`);
    });
  }
});

describe('upstream admin sample (../shared/conformance/admin-cases)', function () {
  this.timeout(120000);
  const sample = path.join(shared, 'admin-cases');
  if (!existsSync(sample)) {
    it.skip('../shared/conformance/admin-cases is not present');
    return;
  }
  compareEachCase(path.join(shared, 'compare.mjs'), sample, cli);
});
