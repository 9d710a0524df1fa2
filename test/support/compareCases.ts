// Runs the built CLI on cases of a conformance sample through the sample's own compare.mjs (which
// compares the connectivity results semantically): one mocha test per case that has expected.json.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Registers `it(case)` for every case folder of `casesDir`; `compare` is the sample's compare.mjs. */
export function compareEachCase(compare: string, casesDir: string, cli: string): void {
  const cases = readdirSync(casesDir)
    .filter((d) => existsSync(path.join(casesDir, d, 'expected.json')))
    .sort();
  before(() => assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build'));
  for (const c of cases) {
    it(c, () => {
      const r = spawnSync(
        process.execPath,
        [
          compare,
          '--cases',
          casesDir,
          '--only',
          `^${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          '--cmd',
          `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} connectivity --format json {manifests}`,
          '--timeout',
          '60',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /^PASS /m);
    });
  }
}
