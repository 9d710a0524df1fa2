// Every rule of the catalogue has at least one positive and one negative test, and every test
// names a rule that exists. The group test files (validation, shape, workspace, documents) run
// each case of these tables with real assertions.
import { strict as assert } from 'node:assert';
import { RULES } from '../../../server/src/rules/registry';
import { ALL_CASES } from './cases';

describe('rules: test coverage of the catalogue', () => {
  it('has a positive (fires) and a negative (silent) case for every rule id', () => {
    const missing: string[] = [];
    for (const id of RULES.keys()) {
      for (const kind of ['fires', 'silent'] as const) {
        if (!ALL_CASES.some((c) => c.id === id && c.kind === kind)) {
          missing.push(`${id} (${kind === 'fires' ? 'positive' : 'negative'})`);
        }
      }
    }
    assert.deepEqual(missing, [], `rules without tests: ${missing.join(', ')}`);
  });

  it('checks, for every cross-file rule, related information that points at another file', () => {
    const missing: string[] = [];
    for (const r of RULES.values()) {
      if (!r.crossFile) continue;
      const ok = ALL_CASES.some(
        (c) =>
          c.id === r.id &&
          c.kind === 'fires' &&
          (c.related ?? []).some(
            (rel) =>
              rel.file !== (c.target ?? (typeof c.files === 'string' ? 'a.yaml' : Object.keys(c.files).sort()[0])),
          ),
      );
      if (!ok) missing.push(r.id);
    }
    assert.deepEqual(missing, [], `cross-file rules without a related-information test: ${missing.join(', ')}`);
  });

  it('names only rules that exist', () => {
    const unknown = [...new Set(ALL_CASES.map((c) => c.id).filter((id) => !RULES.has(id)))];
    assert.deepEqual(unknown, []);
  });

  it('gives every case a distinct title within its rule', () => {
    const seen = new Set<string>();
    const dup: string[] = [];
    for (const c of ALL_CASES) {
      const key = `${c.id} ${c.kind} ${c.title}`;
      if (seen.has(key)) dup.push(key);
      seen.add(key);
    }
    assert.deepEqual(dup, []);
  });

  it('positive cases assert at least one finding with facts from its message', () => {
    for (const c of ALL_CASES) {
      if (c.kind !== 'fires') continue;
      assert.ok(c.spans.length > 0, `${c.id} "${c.title}" expects no finding`);
      assert.ok(c.message.length > 0, `${c.id} "${c.title}" checks nothing of the message`);
    }
  });
});
