// The one folder walker of the CLI and the language server (server/src/workspace/walk.ts) and the
// capped reader: only regular files are read, links may not leave the analysed folders, reads stop
// at the size limit, the same files are found by both, and what is skipped is said.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listManifests, readManifest } from '../../server/src/handlers/scan';
import { collectManifestPaths, loadManifestFiles } from '../../server/src/workspace/files';
import { inSkippedFolder, MAX_FOLDER_DEPTH, SKIPPED_FOLDERS } from '../../server/src/protocol/manifestFiles';
import { readTextFile, readTextFileSync } from '../../server/src/workspace/read';
import { walk, walkSync } from '../../server/src/workspace/walk';

const POSIX = process.platform !== 'win32';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: [{name: c}]}\n';

describe('folder walker', function () {
  this.timeout(20000);
  let tmp: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-walk-'));
    root = path.join(tmp, 'repo');
    outside = path.join(tmp, 'elsewhere');
    mkdirSync(root);
    mkdirSync(outside);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const rel = (files: readonly string[]): string[] =>
    files.map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('skips the same folders in the CLI and the server, one list with .hg and .svn', async () => {
    assert.deepEqual([...SKIPPED_FOLDERS].sort(), ['.git', '.hg', '.svn', 'node_modules']);
    for (const d of [...SKIPPED_FOLDERS, 'k8s']) {
      mkdirSync(path.join(root, d));
      writeFileSync(path.join(root, d, 'a.yaml'), POD);
    }
    assert.deepEqual(rel(collectManifestPaths([root]).files), ['k8s/a.yaml']);
    const uris = await listManifests(pathToFileURL(root).toString(), {
      exclude: [],
      maxFileSize: 1 << 20,
      isCancelled: () => false,
    });
    assert.deepEqual(uris, [pathToFileURL(path.join(root, 'k8s/a.yaml')).toString()]);
    assert.ok(inSkippedFolder('a/.svn/x.yaml') && inSkippedFolder('.hg') && !inSkippedFolder('a/svn/x.yaml'));
  });

  it('finds the same files in the CLI and the server down to the same depth, and says what is too deep', async () => {
    let dir = root;
    for (let i = 0; i < MAX_FOLDER_DEPTH + 2; i++) {
      dir = path.join(dir, 'd');
      mkdirSync(dir);
      if (i === 45 || i === MAX_FOLDER_DEPTH + 1) writeFileSync(path.join(dir, `f${i}.yaml`), POD);
    }
    const cli = collectManifestPaths([root]);
    const server = await listManifests(pathToFileURL(root).toString(), {
      exclude: [],
      maxFileSize: 1 << 20,
      isCancelled: () => false,
    });
    assert.deepEqual(
      cli.files.map((f) => pathToFileURL(f).toString()),
      server,
    );
    assert.equal(cli.files.length, 1);
    assert.match(cli.files[0], /f45\.yaml$/);
    assert.ok(cli.skipped.some((s) => /more than 64 folders deep/.test(s.reason)));
  });

  it('reads regular files only: links to devices and FIFOs are skipped, not read', async function () {
    if (!POSIX) this.skip();
    writeFileSync(path.join(root, 'ok.yaml'), POD);
    symlinkSync('/dev/zero', path.join(root, 'zero.yaml'));
    execFileSync('mkfifo', [path.join(root, 'pipe.yaml')]);
    symlinkSync(path.join(root, 'pipe.yaml'), path.join(root, 'to-pipe.yaml'));
    const r = collectManifestPaths([root, path.join(root, 'pipe.yaml')]);
    assert.deepEqual(rel(r.files), ['ok.yaml']);
    const why = new Map(r.skipped.map((s) => [path.basename(s.path), s.reason]));
    for (const n of ['pipe.yaml', 'to-pipe.yaml']) assert.match(why.get(n) ?? '', /not a regular file/, n);
    assert.match(why.get('zero.yaml') ?? '', /outside the analysed folders/);
    const a = await walk([root]);
    assert.deepEqual(a.files, walkSync([root]).files);
    // and the readers refuse them without blocking
    assert.match((readTextFileSync('/dev/zero', 1000) as { error: string }).error, /not a regular file/);
    assert.match((readTextFileSync(path.join(root, 'pipe.yaml'), 1000) as { error: string }).error, /regular/);
    assert.match(((await readTextFile(path.join(root, 'pipe.yaml'), 1000)) as { error: string }).error, /regular/);
    assert.equal(await readManifest(pathToFileURL(path.join(root, 'zero.yaml')).toString(), 1000), null);
  });

  it('follows links inside the analysed folders, not out of them', async function () {
    if (!POSIX) this.skip();
    writeFileSync(path.join(outside, 'secret.yaml'), POD);
    mkdirSync(path.join(root, 'k8s'));
    writeFileSync(path.join(root, 'k8s', 'real.yaml'), POD);
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'k8s', 'out.yaml'));
    symlinkSync('../k8s/real.yaml', path.join(root, 'k8s', 'in.yaml'));
    symlinkSync(path.join(root, 'nowhere.yaml'), path.join(root, 'broken.yaml'));
    symlinkSync(outside, path.join(root, 'linked-dir'));
    const r = collectManifestPaths([root]);
    assert.deepEqual(rel(r.files), ['k8s/in.yaml', 'k8s/real.yaml']);
    const why = new Map(r.skipped.map((s) => [path.basename(s.path), s.reason]));
    assert.match(why.get('out.yaml') ?? '', /outside the analysed folders/);
    assert.match(why.get('broken.yaml') ?? '', /broken link/);
    // an explicit file that is a link out of its folder is not read either
    const explicit = collectManifestPaths([path.join(root, 'k8s', 'out.yaml')]);
    assert.deepEqual(explicit.files, []);
    assert.match(explicit.skipped[0].reason, /outside the analysed folders/);
    // the server lists the same
    const uris = await listManifests(pathToFileURL(root).toString(), {
      exclude: [],
      maxFileSize: 1 << 20,
      isCancelled: () => false,
    });
    assert.deepEqual(
      uris,
      r.files.map((f) => pathToFileURL(f).toString()),
    );
  });

  it('applies exclude patterns to folders and files by their path under the analysed folder', async () => {
    for (const d of ['charts/x', 'k8s']) mkdirSync(path.join(root, d), { recursive: true });
    for (const f of ['charts/x/a.yaml', 'k8s/a.yaml', 'k8s/b.json']) writeFileSync(path.join(root, f), POD);
    const seen: string[] = [];
    const r = walkSync([root], {
      exclude: (relPath) => {
        seen.push(relPath);
        return relPath === 'charts' || relPath.endsWith('.json');
      },
    });
    assert.deepEqual(rel(r.files), ['k8s/a.yaml']);
    assert.equal(r.excluded, 2);
    assert.ok(seen.includes('k8s/b.json') && !seen.some((s) => s.startsWith('charts/')));
    const uris = await listManifests(pathToFileURL(root).toString(), {
      exclude: ['charts', '*.json', '[z-a]'],
      maxFileSize: 1 << 20,
      isCancelled: () => false,
    });
    assert.deepEqual(uris, [pathToFileURL(path.join(root, 'k8s/a.yaml')).toString()]);
  });

  it('caps every read at the size limit, even when the size on disk says otherwise', async () => {
    const big = path.join(root, 'big.yaml');
    writeFileSync(big, 'a: 1\n'.repeat(1000));
    assert.deepEqual(readTextFileSync(big, 100), { tooLarge: true });
    assert.deepEqual(await readTextFile(big, 100), { tooLarge: true });
    writeFileSync(big, `\ufeff${POD}`);
    assert.deepEqual(readTextFileSync(big, 1 << 20), { text: POD });
    assert.deepEqual(await readTextFile(big, 1 << 20), { text: POD });
    const loaded = loadManifestFiles([big], { maxFileSize: 10 });
    assert.equal(loaded.files.length, 0);
    assert.match(loaded.skipped[0].reason, /larger than/);
    if (POSIX && existsSync('/proc/self/status')) {
      // procfs files report size 0 and have content: the cap still applies while reading
      assert.deepEqual(readTextFileSync('/proc/self/status', 10), { tooLarge: true });
    }
  });
});
