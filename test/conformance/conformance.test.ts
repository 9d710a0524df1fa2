// The built CLI against the connectivity conformance sample in ../shared/conformance (present in
// CI; the data stays there). Each case is compared semantically by the sample's own compare.mjs.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
// the real path: compare.mjs only runs its main when argv[1] is its own (resolved) file
const sharedDir = path.resolve(root, '../shared/conformance');
const shared = existsSync(sharedDir) ? realpathSync(sharedDir) : sharedDir;
const cli = path.join(root, 'dist/cli.js');

describe('conformance sample (../shared/conformance)', function () {
  this.timeout(120000);
  if (!existsSync(path.join(shared, 'cases'))) {
    it.skip('../shared/conformance is not present');
    return;
  }
  const cases = readdirSync(path.join(shared, 'cases'))
    .filter((d) => existsSync(path.join(shared, 'cases', d, 'expected.json')))
    .sort();
  before(() => assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build'));
  for (const c of cases) {
    it(c, () => {
      const r = spawnSync(
        process.execPath,
        [
          path.join(shared, 'compare.mjs'),
          '--cases',
          path.join(shared, 'cases'),
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
});
