// The README's pictures: the PNGs that `npm run screenshots` writes (test/e2e/lib/shots.ts) are
// committed under docs/images/ at the fixed window size and under the size limit, nothing else is
// there, and every docs/images/ picture the README shows exists. (The screenshots themselves are
// taken in code-server by test/e2e/screenshots.ts, never by `npm test`.)
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IMAGES_DIR, MAX_SHOT_BYTES, SHOT_SIZE, SHOTS } from '../e2e/lib/shots';

const root = path.resolve(__dirname, '../..');
const images = path.join(root, IMAGES_DIR);
const PNG_SIGNATURE = '89504e470d0a1a0a';

/** Width and height from a PNG's IHDR chunk; throws when the file is no PNG. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 8).toString('hex'), PNG_SIGNATURE, `${file} is a PNG`);
  assert.equal(b.subarray(12, 16).toString('latin1'), 'IHDR', `${file} starts with IHDR`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('README pictures (docs/images)', () => {
  const names = Object.values(SHOTS).map((s) => s.file);

  it('has every screenshot of npm run screenshots, as a PNG of the fixed size under the size limit', () => {
    assert.equal(new Set(names).size, names.length, 'distinct names');
    for (const name of names) {
      const file = path.join(images, name);
      assert.ok(existsSync(file), `${IMAGES_DIR}/${name} exists (run npm run screenshots)`);
      assert.deepEqual(pngSize(file), { ...SHOT_SIZE }, `${name} is ${SHOT_SIZE.width}x${SHOT_SIZE.height}`);
      const bytes = readFileSync(file).length;
      assert.ok(bytes <= MAX_SHOT_BYTES, `${name}: ${bytes} bytes, at most ${MAX_SHOT_BYTES}`);
    }
  });

  it('holds no picture that npm run screenshots does not write', () => {
    const present = readdirSync(images).filter((f) => f.endsWith('.png'));
    assert.deepEqual(present.sort(), [...names].sort());
  });

  it('every docs/images picture the README shows exists', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const refs = [...readme.matchAll(/(?:\]\(|src=")\.?\/?(docs\/images\/[^)"\s]+)/g)].map((m) => m[1]);
    for (const ref of refs) assert.ok(existsSync(path.join(root, ref)), `README.md shows ${ref}, which is missing`);
    // the pattern itself finds both Markdown and HTML image references
    const sample = '![a](docs/images/x.png) <img src="./docs/images/y.png">';
    assert.deepEqual(
      [...sample.matchAll(/(?:\]\(|src=")\.?\/?(docs\/images\/[^)"\s]+)/g)].map((m) => m[1]),
      ['docs/images/x.png', 'docs/images/y.png'],
    );
  });
});
