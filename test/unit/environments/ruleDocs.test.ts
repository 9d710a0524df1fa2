// The rule pages whose examples are workspaces of several files (NPX09, NPX10; marked
// `<!-- example: environments -->`, which test/unit/rules/docs.test.ts leaves to this test): the
// files of "Wrong" rendered with kubectl raise the rule, those of "Right" do not.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/rules/registry';
import { checkAll, openFolder, removeWorkspace, ROOT, show, writeWorkspace } from './helpers';

const DIR = path.join(ROOT, 'docs/rules');
const MARK = '<!-- example: environments -->';

/** The files of the ```yaml blocks under `### heading`, named by their first line `# file: PATH`. */
function workspace(text: string, heading: string): Record<string, string> {
  const at = text.indexOf(`\n### ${heading}\n`);
  assert.ok(at !== -1, `no "### ${heading}" section`);
  const rest = text.slice(at + heading.length + 6);
  const section = rest.slice(0, rest.search(/\n##+ /) === -1 ? undefined : rest.search(/\n##+ /));
  const files: Record<string, string> = {};
  for (const m of section.matchAll(/```yaml\n# file: (\S+)\n([\s\S]*?)```/g)) files[m[1]] = m[2];
  assert.ok(Object.keys(files).length >= 2, `"${heading}" names fewer than two files`);
  return files;
}

describe('rules: documentation pages with environment examples', function () {
  this.timeout(60000);
  const pages = fs.readdirSync(DIR).filter((f) => fs.readFileSync(path.join(DIR, f), 'utf8').includes(MARK));

  it('are the pages of the environment rules', () => {
    assert.deepEqual(pages.sort(), ['NPX09.md', 'NPX10.md']);
  });

  for (const page of ['NPX09.md', 'NPX10.md']) {
    const id = page.slice(0, -3);
    it(`${page}: "Wrong" raises ${id} and "Right" does not`, async () => {
      assert.ok(RULES.has(id));
      const text = fs.readFileSync(path.join(DIR, page), 'utf8');
      for (const [heading, raises] of [
        ['Wrong', true],
        ['Right', false],
      ] as const) {
        const dir = writeWorkspace(workspace(text, heading));
        try {
          const r = await checkAll(openFolder(dir));
          const lines = r.findings.map((f) => show(f, dir));
          assert.equal(
            r.findings.some((f) => f.rule === id),
            raises,
            `${heading}:\n${lines.join('\n')}`,
          );
          if (!raises) assert.ok(!r.findings.some((f) => f.severity === 'error'), lines.join('\n'));
        } finally {
          removeWorkspace(dir);
        }
      }
    });
  }
});
