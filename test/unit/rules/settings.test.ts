// Per-rule settings (severity override, "off") and suppression comments, through checkFile (the
// CLI's path) and through the workspace index (the language server's path).

import { strict as assert } from 'node:assert';
import { parseSuppressions, RULES } from '../../../server/src/rules/registry';
import { readSettings } from '../../../server/src/settings';
import { WorkspaceIndex } from '../../../server/src/workspace/index';
import { BASE_URI, lineOf, policy, run, spanText, yaml } from './helpers';

/** Fires NPP03 (on `egress`) and NPP10 (on `egress` too: no policyTypes) and NPP34 (no namespace). */
const egressOnly = policy(
  'egress-only',
  `
  podSelector: {}
  egress:
    - to:
        - podSelector: {}
`,
  { namespace: null },
);

function rulesOf(text: string, settings: unknown = {}): string[] {
  return run(text, settings)
    .findings()
    .map((f) => f.rule)
    .sort();
}

/** The same file through the workspace index, as the language server computes it. */
function indexRulesOf(text: string, settings: unknown = {}): string[] {
  const index = new WorkspaceIndex({ settings: readSettings(settings) });
  const uri = `${BASE_URI}a.yaml`;
  index.setFile(uri, text);
  return index
    .findings(uri)
    .map((f) => f.rule)
    .sort();
}

function both(text: string, settings: unknown = {}): string[] {
  const a = rulesOf(text, settings);
  assert.deepEqual(indexRulesOf(text, settings), a, 'the index and checkFile agree');
  return a;
}

describe('rules: settings', () => {
  it('reports every rule at its default severity without settings', () => {
    const fs = run(egressOnly).findings();
    assert.deepEqual(fs.map((f) => [f.rule, f.severity]).sort(), [
      ['NPP03', 'warning'],
      ['NPP10', 'warning'],
      ['NPP34', 'info'],
    ]);
    for (const f of fs) assert.equal(f.severity, RULES.get(f.rule)!.severity);
  });

  it('overrides a severity (netpolLens.rules: { NPP03: "error" })', () => {
    const fs = run(egressOnly, { rules: { NPP03: 'error', NPP34: 'hint' } }).findings();
    assert.deepEqual(fs.map((f) => [f.rule, f.severity]).sort(), [
      ['NPP03', 'error'],
      ['NPP10', 'warning'],
      ['NPP34', 'hint'],
    ]);
    const index = new WorkspaceIndex({ settings: readSettings({ rules: { NPP03: 'error' } }) });
    index.setFile(`${BASE_URI}a.yaml`, egressOnly);
    assert.equal(index.findings(`${BASE_URI}a.yaml`).find((f) => f.rule === 'NPP03')?.severity, 'error');
  });

  it('turns a rule off, and only that rule', () => {
    assert.deepEqual(both(egressOnly, { rules: { NPP03: 'off' } }), ['NPP10', 'NPP34']);
    assert.deepEqual(both(egressOnly, { rules: { NPP03: 'off', NPP10: 'off', NPP34: 'off' } }), []);
  });

  it('accepts ids in any case and ignores unknown levels', () => {
    const s = readSettings({ rules: { npp03: 'off', NPP10: 'loud', NPP34: 42 } });
    assert.deepEqual(s.rules, { NPP03: 'off' });
    assert.deepEqual(rulesOf(egressOnly, { rules: { npp03: 'off', NPP10: 'loud' } }), ['NPP10', 'NPP34']);
  });

  it('can raise a rule to error, which is what `check --fail-on error` counts', () => {
    const fs = run(egressOnly, { rules: { NPP34: 'error' } }).findings();
    assert.equal(
      fs
        .filter((f) => f.severity === 'error')
        .map((f) => f.rule)
        .join(),
      'NPP34',
    );
  });
});

describe('rules: suppression comments', () => {
  it('parses the three forms, with and without ids', () => {
    const s = parseSuppressions(
      yaml(`
      # netpol-lens-disable-file NPP36
      a: 1 # netpol-lens-disable-line NPP03, npp10 -- reviewed
        # netpol-lens-disable-next-line
      b: 2
    `),
    );
    assert.deepEqual([...s.file], ['NPP36']);
    assert.deepEqual([...(s.lines.get(1) ?? [])], ['NPP03', 'NPP10']);
    assert.deepEqual([...(s.lines.get(3) ?? [])], ['*']);
    assert.equal(s.lines.size, 2);
  });

  it('-line with an id silences that rule on that line only', () => {
    const text = egressOnly.replace('  egress:', '  egress: # netpol-lens-disable-line NPP03');
    assert.deepEqual(both(text), ['NPP10', 'NPP34']);
  });

  it('-line without ids silences every rule on that line', () => {
    const text = egressOnly.replace('  egress:', '  egress: # netpol-lens-disable-line');
    assert.deepEqual(both(text), ['NPP34']);
  });

  it('-line with several ids', () => {
    const text = egressOnly.replace('  egress:', '  egress: # netpol-lens-disable-line NPP03 NPP10');
    assert.deepEqual(both(text), ['NPP34']);
  });

  it('-next-line silences the line below the comment, not the comment line or others', () => {
    const text = egressOnly.replace('  egress:', '  # netpol-lens-disable-next-line NPP03\n  egress:');
    assert.deepEqual(both(text), ['NPP10', 'NPP34']);
    const tooFar = egressOnly.replace(
      '  podSelector: {}',
      '  # netpol-lens-disable-next-line NPP03\n  podSelector: {}',
    );
    assert.deepEqual(both(tooFar), ['NPP03', 'NPP10', 'NPP34']);
  });

  it('-next-line works for a comment in the first column (regression: the line was off by one)', () => {
    const text = egressOnly
      .replace('metadata:', '# netpol-lens-disable-next-line NPP34\nmetadata:')
      .replace('  name: egress-only', '  # netpol-lens-disable-next-line\n  name: egress-only');
    assert.deepEqual(both(text), ['NPP03', 'NPP10']);
    const col0 = yaml(`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      # netpol-lens-disable-next-line NPV01
      metadata: {namespace: shop}
      spec:
        podSelector: {}
        policyTypes: [Ingress]
    `);
    assert.deepEqual(both(col0), []);
    assert.deepEqual(both(col0.replace('NPV01', 'NPP03')), ['NPV01']);
  });

  it('-file silences a rule in the whole file, every document', () => {
    const text = `# netpol-lens-disable-file NPP03\n${egressOnly}---\n${egressOnly.replace('egress-only', 'second')}`;
    assert.deepEqual(both(text), ['NPP10', 'NPP10', 'NPP34', 'NPP34']);
  });

  it('-file without ids (and the bare form) silences everything in the file', () => {
    assert.deepEqual(both(`${egressOnly}# netpol-lens-disable-file\n`), []);
    assert.deepEqual(both(`# netpol-lens-disable NPP10\n${egressOnly}`), ['NPP03', 'NPP34']);
  });

  it('counts lines across documents of a multi-document file', () => {
    const second = egressOnly
      .replace('egress-only', 'second')
      .replace('  egress:', '  egress: # netpol-lens-disable-line NPP03');
    const fs = run(`${egressOnly}---\n${second}`).findings();
    const npp03 = fs.filter((f) => f.rule === 'NPP03');
    assert.equal(npp03.length, 1, 'only the second document is silenced');
    assert.equal(npp03[0].doc.index, 0);
    assert.equal(spanText(npp03[0]), 'egress');
    assert.equal(
      lineOf(npp03[0]),
      egressOnly.split('\n').findIndex((l) => l.startsWith('  egress:')),
    );
  });

  it('ignores a comment that names another rule', () => {
    const text = egressOnly.replace('  egress:', '  egress: # netpol-lens-disable-line NPP04');
    assert.deepEqual(both(text), ['NPP03', 'NPP10', 'NPP34']);
  });
});
