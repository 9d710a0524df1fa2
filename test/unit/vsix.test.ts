// The .vsix that `npm run package` builds (scripts/package.mjs, the same function the editor tests
// install from): it holds exactly what ships (production bundles, webview, grammar, schemas, rule
// pages, manifest, icon, README/CHANGELOG/LICENSE) and every file the manifest refers to.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ZipEntry } from '../../scripts/package.mjs';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** What may ship, under extension/ (vsce renames README, CHANGELOG and LICENSE). */
const ALLOWED = [
  /^package\.json$/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  /^dist\/(extension|server|cli)\.js$/,
  /^media\/dist\/main\.js$/,
  /^media\/panel\.css$/,
  /^media\/diagram\.svg$/,
  /^media\/icon\.png$/,
  /^media\/walkthrough\/[a-z]+\.md$/,
  /^syntaxes\/[\w.-]+\.tmLanguage\.json$/,
  /^schemas\/[\w.-]+\.schema\.json$/,
  /^docs\/rules\/(README|NP[A-Z]\d\d)\.md$/,
];

/** Files the manifest names: main, bin, icon, and every path under contributes. */
function manifestFiles(): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = /^(?:\.\/)?((?:dist|media|syntaxes|schemas|docs)\/[\w./-]+\.(?:js|json|md|png|svg|css))$/.exec(v);
      if (m) out.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit([pkg.main, pkg.icon, pkg.bin, pkg.contributes]);
  return [...out].sort();
}

describe('the .vsix (npm run package)', function () {
  this.timeout(300_000);
  let tmp: string;
  let vsix: string;
  let entries: ZipEntry[];
  let files: string[];
  let zipRead: (file: string, name: string) => Buffer;

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-vsix-test-'));
    const pack = await import('../../scripts/package.mjs');
    zipRead = pack.zipRead;
    vsix = (await pack.packageVsix(root, { out: path.join(tmp, 'netpol-lens.vsix'), quiet: true })).file;
    entries = pack.zipEntries(vsix);
    files = entries.filter((e) => e.name.startsWith('extension/')).map((e) => e.name.slice('extension/'.length));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is a VS Code package: manifest, content types, and the extension folder', () => {
    const top = entries.filter((e) => !e.name.startsWith('extension/')).map((e) => e.name);
    assert.deepEqual(top.sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
    const manifest = zipRead(vsix, 'extension.vsixmanifest').toString('utf8');
    assert.match(
      manifest,
      new RegExp(`Id="${pkg.name}" Version="${pkg.version.replace(/\./g, '\\.')}" Publisher="${pkg.publisher}"`),
    );
    const packaged = JSON.parse(zipRead(vsix, 'extension/package.json').toString('utf8'));
    assert.equal(packaged.version, pkg.version);
    assert.deepEqual(packaged.contributes, pkg.contributes);
  });

  it('holds only what ships: no sources, tests, source maps, scripts or node_modules', () => {
    for (const f of files) {
      assert.ok(!/\.(ts|map|mjs|tsx)$/.test(f), `a source or map ships: ${f}`);
      assert.ok(!/^(test|scripts|node_modules|client|server|examples|out|media\/src)\//.test(f), `not for users: ${f}`);
      assert.ok(
        ALLOWED.some((re) => re.test(f)),
        `${f} is not on the allow-list of the package`,
      );
    }
    for (const must of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png']) {
      assert.ok(files.includes(must), `${must} is missing`);
    }
    const pages = readdirSync(path.join(root, 'docs/rules')).filter((f) => f.endsWith('.md'));
    assert.deepEqual(
      files.filter((f) => f.startsWith('docs/rules/')).sort(),
      pages.map((p) => `docs/rules/${p}`).sort(),
      'every rule page ships',
    );
  });

  it('contains every file the manifest refers to, and the files the code loads at run time', () => {
    const named = manifestFiles();
    assert.ok(named.length >= 8, `too few manifest paths found: ${named.join(', ')}`);
    const runtime = ['dist/server.js', 'media/dist/main.js', 'media/panel.css', 'media/diagram.svg'];
    for (const f of [...named, ...runtime]) assert.ok(files.includes(f), `${f} is referenced but not packaged`);
  });

  it('ships production bundles: minified, without source maps', () => {
    for (const f of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'media/dist/main.js']) {
      const text = zipRead(vsix, `extension/${f}`).toString('utf8');
      assert.doesNotMatch(text, /sourceMappingURL/, `${f} points at a source map`);
      const lines = text.split('\n').length;
      assert.ok(text.length / lines > 500, `${f} does not look minified (${lines} lines)`);
    }
    assert.match(zipRead(vsix, 'extension/dist/cli.js').toString('utf8'), /^#!\/usr\/bin\/env node\n/);
  });
});
