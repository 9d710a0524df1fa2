// The one way a manifest file on disk enters the language server's index (handlers/manifests.ts),
// on real files in a temporary folder: read (byte-order mark dropped), too large (skipped, with one
// information diagnostic), unreadable (removed), and superseded by an editor that opened it meanwhile.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadManifest } from '../../server/src/handlers/manifests';
import { MANIFEST_FILE as MANIFEST } from '../../server/src/protocol/manifestFiles';
import { readSettings } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace/index';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

describe('loading a manifest file into the index', () => {
  let dir: string;
  const uriOf = (name: string): string => pathToFileURL(path.join(dir, name)).toString();
  const write = (name: string, text: string | Buffer): string => {
    fs.writeFileSync(path.join(dir, name), text);
    return uriOf(name);
  };
  const index = (maxFileSizeMB = 1): WorkspaceIndex =>
    new WorkspaceIndex({ settings: readSettings({ maxFileSizeMB }) });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-load-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('indexes a readable file, without its byte-order mark', async () => {
    const idx = index();
    const uri = write('policy.yaml', `\ufeff${POLICY}`);
    assert.equal(await loadManifest(idx, uri), 'indexed');
    assert.equal(idx.getFile(uri)?.text, POLICY);
    assert.deepEqual(
      idx.world().policies.map((p) => `${p.namespace}/${p.name}`),
      ['shop/deny'],
    );
  });

  it('records a file above maxFileSizeMB as skipped, with one information diagnostic', async () => {
    const idx = index(1);
    const uri = write('big.yaml', `${POLICY}# ${'x'.repeat(1024 * 1024)}\n`);
    assert.equal(await loadManifest(idx, uri), 'skipped');
    const file = idx.getFile(uri)!;
    assert.equal(file.text, '');
    assert.equal(file.skipped, 'it is larger than 1 MB');
    const findings = idx.findings(uri);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'info');
    assert.match(findings[0].message, /does not analyse this file: it is larger than 1 MB/);
    assert.equal(idx.world().policies.length, 0);
    // a higher limit reads it
    idx.updateOptions({ settings: readSettings({ maxFileSizeMB: 2 }) });
    assert.equal(await loadManifest(idx, uri), 'indexed');
    assert.equal(idx.world().policies.length, 1);
  });

  it('removes a file that can no longer be read, and says when there was nothing to remove', async () => {
    const idx = index();
    const uri = write('gone.yaml', POLICY);
    assert.equal(await loadManifest(idx, uri), 'indexed');
    fs.rmSync(path.join(dir, 'gone.yaml'));
    assert.equal(await loadManifest(idx, uri), 'removed');
    assert.equal(idx.hasFile(uri), false);
    assert.equal(await loadManifest(idx, uri), 'unreadable');
    // a folder with a manifest's name, and a URI that is not a file path
    fs.mkdirSync(path.join(dir, 'folder.yaml'));
    assert.equal(await loadManifest(idx, uriOf('folder.yaml')), 'unreadable');
    assert.equal(await loadManifest(idx, 'untitled:Untitled-1.yaml'), 'unreadable');
    assert.equal(idx.size, 0);
  });

  it('leaves the index alone when the file was opened in the editor meanwhile', async () => {
    const idx = index();
    const uri = write('open.yaml', POLICY);
    idx.setFile(uri, 'kind: Edited\n');
    assert.equal(await loadManifest(idx, uri, () => false), 'superseded');
    assert.equal(idx.getFile(uri)?.text, 'kind: Edited\n');
  });

  it('takes .yaml, .yml and .json files of any case', () => {
    assert.deepEqual(
      ['a.yaml', 'b.YML', 'c.json', 'd.txt', 'e.yaml.bak', 'f.jsonc'].filter((n) => MANIFEST.test(n)),
      ['a.yaml', 'b.YML', 'c.json'],
    );
  });
});
