// The language server's reading of a folder's config file (environments/configFile.ts): the
// nearest file up to the repository root, only its environments entries, the same limits as the
// command line (no render programs, no flag that runs programs or reads elsewhere), never a throw.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configEnvironments, findConfigFile } from '../../../server/src/environments/configFile';

describe('environments: the config file in the editor', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-config-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads the environments of the nearest config file up to the repository root', () => {
    mkdirSync(path.join(tmp, '.git'));
    mkdirSync(path.join(tmp, 'k8s'));
    writeFileSync(
      path.join(tmp, '.netpol-lens.yaml'),
      'environments:\n  - path: charts/shop\n    releaseName: shop\n  - path: clusters/legacy\n    exclude: true\n',
    );
    const c = configEnvironments(path.join(tmp, 'k8s'));
    assert.equal(c.file, path.join(tmp, '.netpol-lens.yaml'));
    assert.deepEqual(c.entries, [
      { path: 'charts/shop', releaseName: 'shop' },
      { path: 'clusters/legacy', exclude: true },
    ]);
    assert.deepEqual(c.warnings, []);
    // a nearer file wins; without a repository only the folder itself is searched
    writeFileSync(path.join(tmp, 'k8s', '.netpol-lens.json'), '{"netpolLens": {"environments": [{"path": "a"}]}}');
    assert.deepEqual(configEnvironments(path.join(tmp, 'k8s')).entries, [{ path: 'a' }]);
    rmSync(path.join(tmp, '.git'), { recursive: true });
    rmSync(path.join(tmp, 'k8s', '.netpol-lens.json'));
    assert.equal(findConfigFile(path.join(tmp, 'k8s')), undefined);
  });

  it('ignores render programs and leaves out entries with unsafe flags, saying so', () => {
    writeFileSync(
      path.join(tmp, '.netpol-lens.yaml'),
      'render:\n  helm: ./evil\nenvironments:\n  - path: ok\n    flags: [--enable-helm]\n  - path: bad\n    flags: [--enable-exec]\n',
    );
    const c = configEnvironments(tmp);
    assert.deepEqual(c.entries, [{ path: 'ok', flags: ['--enable-helm'] }]);
    assert.equal(c.warnings.length, 2);
    assert.match(c.warnings[0], /render programs cannot be set in a config file/);
    assert.match(c.warnings[1], /environment bad left out: flags --enable-exec/);
  });

  it('a file that cannot be parsed is a warning, not an error', () => {
    writeFileSync(path.join(tmp, '.netpol-lens.yaml'), 'environments: [\n');
    const c = configEnvironments(tmp);
    assert.deepEqual(c.entries, []);
    assert.match(c.warnings[0], /^cannot parse config /);
  });
});
