// docs/rules: one page per rule id, no page for a rule that does not exist, the index lists every
// rule, and each page's examples are true: its "Wrong" YAML raises the rule and its "Right" YAML
// does not.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/rules/registry';
import { run, summary } from './helpers';

const DIR = path.resolve(__dirname, '../../../docs/rules');
const ID_PAGE = /^(NP[A-Z]\d{2})\.md$/;

function page(id: string): string {
  return fs.readFileSync(path.join(DIR, `${id}.md`), 'utf8');
}

/** The first ```yaml block after a `### <heading>` line. */
function example(text: string, heading: string): string {
  const at = text.indexOf(`\n### ${heading}\n`);
  assert.ok(at !== -1, `no "### ${heading}" section`);
  const m = /```yaml\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m, `no yaml block under "### ${heading}"`);
  return m[1];
}

function exampleSettings(text: string): Record<string, unknown> {
  const m = /<!-- test-settings: (\{.*\}) -->/.exec(text);
  return m ? (JSON.parse(m[1]) as Record<string, unknown>) : {};
}

describe('rules: documentation pages', () => {
  const files = fs.readdirSync(DIR);

  it('has a page for every rule id', () => {
    const missing = [...RULES.keys()].filter((id) => !files.includes(`${id}.md`));
    assert.deepEqual(missing, []);
  });

  it('has no page for an id that is not a rule', () => {
    const stray = files
      .filter((f) => f !== 'README.md')
      .filter((f) => !ID_PAGE.test(f) || !RULES.has(ID_PAGE.exec(f)![1]));
    assert.deepEqual(stray, []);
  });

  it('lists every rule in the index with its name and default severity, and links to its page', () => {
    const readme = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((l) => /^\| \[NP[A-Z]\d{2}\]/.test(l));
    assert.equal(rows.length, RULES.size, 'one row per rule');
    for (const r of RULES.values()) {
      const row = rows.find((l) => l.startsWith(`| [${r.id}](${r.id}.md) |`));
      assert.ok(row, `${r.id} missing from the index`);
      assert.ok(row.includes(`| \`${r.name}\` | ${r.severity} |`), `${r.id} row: ${row}`);
    }
    for (const m of readme.matchAll(/\]\((NP[A-Z]\d{2})\.md\)/g)) assert.ok(RULES.has(m[1]), `index links to ${m[1]}`);
    for (const syntax of ['netpol-lens-disable-line', 'netpol-lens-disable-next-line', 'netpol-lens-disable-file']) {
      assert.ok(readme.includes(syntax), syntax);
    }
  });

  for (const r of RULES.values()) {
    describe(`${r.id}.md`, () => {
      it('states the title, severity, description, fixes, how to silence it and the reference', () => {
        const t = page(r.id);
        assert.ok(t.startsWith(`# ${r.id}: ${r.title}\n`), 'title line');
        assert.ok(t.includes(`> ${r.description}`), 'description');
        assert.ok(t.includes(`| Default severity | ${r.severity} |`), 'default severity');
        assert.ok(t.includes(`\`${r.name}\``), 'name');
        for (const section of [
          '## What it detects',
          '## Why it bites',
          '## Example',
          '## Quick fixes',
          '## Silence it',
          '## Reference',
        ]) {
          assert.ok(t.includes(`\n${section}\n`), section);
        }
        for (const fix of r.fixes ?? []) assert.ok(t.includes(`- ${fix}\n`), `fix "${fix}"`);
        if (!r.fixes?.length) assert.ok(t.includes('None: the message says what to change.'), 'no fixes said');
        assert.ok(t.includes(`"netpolLens.rules": { "${r.id}": "off" }`), 'setting');
        for (const c of ['disable-line', 'disable-next-line', 'disable-file']) {
          assert.ok(t.includes(`# netpol-lens-${c} ${r.id}`), c);
        }
        if (r.reference) {
          for (const part of r.reference.split(',').map((x) => x.trim())) {
            const words = part.startsWith('C.')
              ? `pitfall ${part.slice(2)} of`
              : part.startsWith('A.9')
                ? `validation rule ${part.split(' ')[1]}`
                : `section ${part}`;
            assert.ok(t.toLowerCase().includes(words.toLowerCase()), `reference ${part}`);
          }
        }
      });

      it('"Wrong" raises the rule and "Right" does not', () => {
        const t = page(r.id);
        const settings = exampleSettings(t);
        const wrong = run({ 'example.yaml': example(t, 'Wrong') }, settings).findings();
        assert.ok(
          wrong.some((f) => f.rule === r.id),
          `Wrong example:\n${summary(wrong)}`,
        );
        const right = run({ 'example.yaml': example(t, 'Right') }, settings).findings();
        assert.ok(!right.some((f) => f.rule === r.id), `Right example:\n${summary(right)}`);
        assert.ok(!right.some((f) => f.severity === 'error'), `Right example has errors:\n${summary(right)}`);
      });
    });
  }
});
