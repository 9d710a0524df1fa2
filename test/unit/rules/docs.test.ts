// docs/rules: one page per rule id, no page for a rule that does not exist, the index lists every
// rule, each page links the sections of docs/semantics.md that its rule's `reference` names (and
// every such link resolves), and each page's examples are true: its "Wrong" YAML raises the rule
// and its "Right" YAML does not.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/rules/registry';
import { run, summary } from './helpers';

const DIR = path.resolve(__dirname, '../../../docs/rules');
const ID_PAGE = /^(NP[A-Z]\d{2})\.md$/;
const SEMANTICS = path.resolve(__dirname, '../../../docs/semantics.md');
/** Marks a page whose examples are workspaces of several files (environments rendered with kubectl). */
const ENVIRONMENT_EXAMPLE = '<!-- example: environments -->';

/** The explicit anchors of docs/semantics.md (`<a id="b4"></a>`). */
function semanticsAnchors(): Set<string> {
  return new Set([...fs.readFileSync(SEMANTICS, 'utf8').matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]));
}

/** The anchor of a section number of docs/semantics.md: s0 for the number zero, else the number in lower case without its dot. */
function anchorOf(section: string): string {
  return section === '0' ? 's0' : section.toLowerCase().replace('.', '');
}

/** The anchors a rule's `reference` names: a comma-separated list of section numbers, each maybe followed by a validation rule (V07). */
function referenceAnchors(reference: string): string[] {
  return reference
    .split(',')
    .flatMap((part) => part.trim().split(/\s+/))
    .map(anchorOf);
}

/** The text of a page from its "## Reference" heading on. */
function referenceSection(text: string): string {
  const at = text.indexOf('\n## Reference\n');
  assert.ok(at !== -1, 'no "## Reference" section');
  return text.slice(at);
}

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

  it("numbers NPP and NPV rules after the reference's pitfalls and validation rules", () => {
    for (const r of RULES.values()) {
      const n = r.id.slice(3);
      if (r.id.startsWith('NPP')) assert.match(r.reference ?? '', new RegExp(`^C\\.${Number(n)}(,|$)`), r.id);
      if (r.id.startsWith('NPV')) assert.match(r.reference ?? '', new RegExp(`^A\\.9 V${n}$`), r.id);
    }
  });

  it('links only to sections of docs/semantics.md that exist', () => {
    const anchors = semanticsAnchors();
    assert.ok(anchors.size > 100, `docs/semantics.md has only ${anchors.size} anchors`);
    const broken: string[] = [];
    for (const f of files.filter((x) => x.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(DIR, f), 'utf8');
      for (const m of text.matchAll(/\]\(\.\.\/semantics\.md(?:#([^)]*))?\)/g)) {
        if (m[1] !== undefined && !anchors.has(m[1])) broken.push(`${f}: #${m[1]}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  for (const r of RULES.values()) {
    describe(`${r.id}.md`, () => {
      it('states the title, severity, description, fixes and how to silence it, and has a Reference section', () => {
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
      });

      it('links the sections of docs/semantics.md that its reference names', () => {
        const refs = referenceSection(page(r.id));
        const linked = [...refs.matchAll(/\]\(\.\.\/semantics\.md#([a-z0-9-]+)\)/g)].map((m) => m[1]);
        assert.ok(linked.length > 0, 'the Reference section links no section of docs/semantics.md');
        for (const a of r.reference ? referenceAnchors(r.reference) : []) {
          assert.ok(linked.includes(a), `reference ${r.reference}: no link to ../semantics.md#${a}`);
        }
        assert.ok(!/netpol-semantics|reference section/.test(refs), 'cites the old, unnamed reference');
      });

      it('"Wrong" raises the rule and "Right" does not', () => {
        const t = page(r.id);
        // several files rendered with kubectl: test/unit/environments/ruleDocs.test.ts checks these
        if (t.includes(ENVIRONMENT_EXAMPLE)) return;
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
