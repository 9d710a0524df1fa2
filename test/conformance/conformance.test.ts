// The built CLI against the connectivity conformance sample in ../shared/conformance (present in
// CI; the data stays there). Each case is compared semantically by the sample's own compare.mjs.
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { compareEachCase } from '../support/compareCases';

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
  compareEachCase(path.join(shared, 'compare.mjs'), path.join(shared, 'cases'), cli);
});
