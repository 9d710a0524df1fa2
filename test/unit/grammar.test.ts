// Snapshot tests of the NetworkPolicy injection grammar (syntaxes/networkpolicy.injection.*).
//
// Every test/fixtures/grammar/*.yaml is tokenised with the YAML grammar of the tm-grammars package
// (scope source.yaml) plus our injection, the way VS Code runs them (vscode-textmate +
// vscode-oniguruma, injection registered for source.yaml), and compared with the committed
// <fixture>.snap. `UPDATE_SNAPSHOTS=1 npx mocha test/unit/grammar.test.ts` rewrites the snapshots.
//
// When the code-server of the e2e tests is installed (test/e2e/code-server-host), the fixtures are
// also tokenised with the YAML grammar VS Code 1.99 ships (a different grammar), and our tokens must
// come out the same there.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'grammar');
const INJECTION_PATH = join(ROOT, 'syntaxes', 'networkpolicy.injection.tmLanguage.json');
const TM_YAML_PATH = require.resolve('tm-grammars/grammars/yaml.json');
const VSCODE_YAML_DIR = join(
  ROOT,
  'test',
  'e2e',
  'code-server-host',
  'node_modules',
  'code-server',
  'lib',
  'vscode',
  'extensions',
  'yaml',
  'syntaxes',
);
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

/** A scope of ours: `.networkpolicy` as the last or a middle segment. */
const OURS = /\.networkpolicy(?:\.|$)/;
const isOurs = (scope: string): boolean => OURS.test(scope);
const isOurValueOrKey = (scope: string): boolean => isOurs(scope) && !scope.startsWith('meta.');

interface Token {
  start: number;
  end: number;
  scopes: string[];
}
interface Line {
  text: string;
  tokens: Token[];
}

let wasm: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  wasm ??= (async () => {
    const bytes = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  })();
  return wasm;
}

/** Loads `source.yaml` from the given grammar files, with or without our injection. */
async function loadYaml(grammarFiles: string[], withInjection: boolean): Promise<IGrammar> {
  await loadOniguruma();
  const byScope = new Map<string, string>();
  for (const file of grammarFiles) {
    const scopeName = (JSON.parse(readFileSync(file, 'utf8')) as { scopeName: string }).scopeName;
    byScope.set(scopeName, file);
  }
  const injectionScope = (JSON.parse(readFileSync(INJECTION_PATH, 'utf8')) as { scopeName: string }).scopeName;
  if (withInjection) byScope.set(injectionScope, INJECTION_PATH);
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = byScope.get(scopeName);
      return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName: string) => (withInjection && scopeName === 'source.yaml' ? [injectionScope] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  assert.ok(grammar, 'source.yaml did not load');
  return grammar;
}

function tokenize(grammar: IGrammar, source: string): Line[] {
  const lines: Line[] = [];
  let state: StateStack = INITIAL;
  for (const text of source.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(text, state, 5000);
    assert.ok(
      !result.stoppedEarly,
      `tokenising one line took over 5 s: ${text.length > 80 ? `${text.slice(0, 80)}...` : text}`,
    );
    state = result.ruleStack;
    lines.push({
      text,
      tokens: result.tokens.map((t) => ({
        start: t.startIndex,
        end: Math.min(t.endIndex, text.length),
        scopes: t.scopes.slice(1),
      })),
    });
  }
  if (lines.length > 1 && lines[lines.length - 1].text === '') lines.pop(); // the file's final newline
  return lines;
}

/** The snapshot text: each line (">") and under it its scoped tokens, carets under the text. */
function render(fixture: string, lines: Line[]): string {
  const out = [
    `# ${fixture} tokenised with the YAML grammar of tm-grammars and the NetworkPolicy injection.`,
    '# Under each line (">"): its tokens, carets under the text, then the scopes (without the root',
    '# scope source.yaml; tokens with no other scope are left out).',
    '# Regenerate: UPDATE_SNAPSHOTS=1 npx mocha test/unit/grammar.test.ts',
  ];
  for (const line of lines) {
    out.push(`>${line.text}`);
    for (const t of line.tokens) {
      if (t.scopes.length === 0) continue;
      out.push(`#${' '.repeat(t.start)}${'^'.repeat(Math.max(1, t.end - t.start))} ${t.scopes.join(' ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A line diff (longest common subsequence) with two lines of context, for failure messages. */
function diff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: { kind: ' ' | '-' | '+'; text: string; line: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i], line: i + 1 });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', text: a[i], line: i + 1 });
      i++;
    } else {
      ops.push({ kind: '+', text: b[j], line: i + 1 });
      j++;
    }
  }
  const shown = new Set<number>();
  ops.forEach((op, k) => {
    if (op.kind !== ' ') for (let c = k - 2; c <= k + 2; c++) shown.add(c);
  });
  const out: string[] = [];
  let previous = -2;
  ops.forEach((op, k) => {
    if (!shown.has(k)) return;
    if (k !== previous + 1) {
      // name the source line the hunk is about: the last ">" line before it
      const source = a
        .slice(0, op.line)
        .reverse()
        .find((l) => l.startsWith('>'));
      out.push(`@@ snapshot line ${op.line}${source ? `, under ${source}` : ''}`);
    }
    out.push(`${op.kind} ${op.text}`);
    previous = k;
  });
  return out.join('\n');
}

function fixtures(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Scopes of the token at the `nth` occurrence of `word` on the first line containing `lineNeedle`. */
function scopesAt(lines: Line[], lineNeedle: string, word: string, nth = 0): string[] {
  const line = lines.find((l) => l.text.includes(lineNeedle));
  assert.ok(line, `no line contains ${JSON.stringify(lineNeedle)}`);
  let column = -1;
  for (let k = 0; k <= nth; k++) {
    column = line.text.indexOf(word, column + 1);
    assert.ok(column >= 0, `${JSON.stringify(word)} (#${nth}) not found in ${JSON.stringify(line.text)}`);
  }
  const token = line.tokens.find((t) => t.start <= column && column < t.end);
  assert.ok(token, `no token at column ${column} of ${JSON.stringify(line.text)}`);
  assert.equal(
    line.text.slice(token.start, token.end).trim(),
    word,
    `token boundaries in ${JSON.stringify(line.text)}`,
  );
  return token.scopes;
}

/** Our key/value tokens of a fixture: "line: text => scopes", for comparing two grammars. */
function ourTokens(lines: Line[]): string[] {
  const out: string[] = [];
  lines.forEach((line, n) => {
    for (const t of line.tokens) {
      const ours = t.scopes.filter(isOurValueOrKey);
      if (ours.length) out.push(`${n + 1}: ${line.text.slice(t.start, t.end)} => ${ours.join(' ')}`);
    }
  });
  return out;
}

/** Lines on which nothing of ours appears must tokenise exactly as without the injection. */
function assertUntouchedElsewhere(withInjection: Line[], without: Line[], fixture: string): void {
  assert.equal(withInjection.length, without.length);
  withInjection.forEach((line, n) => {
    if (line.tokens.some((t) => t.scopes.some(isOurs))) return;
    assert.deepEqual(line.tokens, without[n].tokens, `${fixture}:${n + 1} changed by the injection: ${line.text}`);
  });
}

describe('NetworkPolicy injection grammar', () => {
  let grammar: IGrammar;
  let plain: IGrammar;
  const tokens = new Map<string, Line[]>();
  const of = (fixture: string): Line[] => {
    let lines = tokens.get(fixture);
    if (!lines) {
      lines = tokenize(grammar, readFixture(fixture));
      tokens.set(fixture, lines);
    }
    return lines;
  };

  before(async () => {
    grammar = await loadYaml([TM_YAML_PATH], true);
    plain = await loadYaml([TM_YAML_PATH], false);
  });

  it('has the fixtures the grammar is specified by', () => {
    assert.deepEqual(fixtures(), [
      'comments.yaml',
      'deployment.yaml',
      'flow-style.yaml',
      'full-policy.yaml',
      'list.yaml',
      'not-a-policy.yaml',
      'quoted.yaml',
      'wrong-case.yaml',
    ]);
    const snaps = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.snap'))
      .map((f) => f.replace(/\.snap$/, '.yaml'));
    assert.deepEqual(
      snaps.filter((s) => !fixtures().includes(s)),
      [],
      'snapshots without a fixture',
    );
  });

  describe('snapshots', () => {
    for (const fixture of fixtures()) {
      it(fixture, () => {
        const actual = render(fixture, of(fixture));
        const snapPath = join(FIXTURES, fixture.replace(/\.yaml$/, '.snap'));
        if (UPDATE) {
          if (!existsSync(snapPath) || readFileSync(snapPath, 'utf8') !== actual) writeFileSync(snapPath, actual);
          return;
        }
        assert.ok(existsSync(snapPath), `no snapshot ${snapPath}; create it with UPDATE_SNAPSHOTS=1`);
        const expected = readFileSync(snapPath, 'utf8');
        if (expected !== actual) {
          assert.fail(
            `tokens of ${fixture} differ from ${fixture.replace(/\.yaml$/, '.snap')} (- snapshot, + now); ` +
              `if the change is intended, rerun with UPDATE_SNAPSHOTS=1\n${diff(expected, actual)}`,
          );
        }
      });
    }
  });

  describe('behaviour', () => {
    it('leaves every line without a NetworkPolicy token exactly as the YAML grammar tokenises it', () => {
      for (const fixture of fixtures()) {
        assertUntouchedElsewhere(of(fixture), tokenize(plain, readFixture(fixture)), fixture);
      }
    });

    it('injects nothing into a YAML file that is not a policy, even where it holds policy text', () => {
      const lines = of('not-a-policy.yaml');
      const ours = lines.flatMap((l) => l.tokens.flatMap((t) => t.scopes.filter(isOurs)));
      assert.deepEqual(ours, []);
      assert.deepEqual(lines, tokenize(plain, readFixture('not-a-policy.yaml')));
      // policy keys inside a block scalar stay part of the string
      assert.ok(
        scopesAt(lines, '            podSelector: {}', 'podSelector: {}').includes('string.unquoted.block.yaml'),
      );
    });

    it('scopes the keys of the API by name in block and flow mappings', () => {
      const full = of('full-policy.yaml');
      for (const key of [
        'podSelector',
        'matchLabels',
        'matchExpressions',
        'key',
        'operator',
        'values',
        'policyTypes',
        'ingress',
        'from',
        'namespaceSelector',
        'ipBlock',
        'cidr',
        'except',
        'ports',
        'protocol',
        'port',
        'endPort',
        'egress',
        'to',
        'labels',
      ]) {
        assert.ok(scopesAt(full, `${key}:`, key).includes('entity.name.tag.networkpolicy.yaml'), key);
      }
      const flow = of('flow-style.yaml');
      for (const [needle, key] of [
        ['{ipBlock: {cidr:', 'except'],
        ['{ipBlock: {cidr:', 'cidr'],
        ['{ipBlock: {cidr:', 'ipBlock'],
        ['ports: [{port: 8080', 'endPort'],
        ['{key: app, operator: In', 'operator'],
        ['{key: app, operator: In', 'values'],
      ]) {
        const scopes = scopesAt(flow, needle, key);
        assert.ok(
          scopes.includes('meta.flow-mapping.yaml') && scopes.includes('entity.name.tag.networkpolicy.yaml'),
          `${key}: ${scopes.join(' ')}`,
        );
      }
      // other keys keep the YAML grammar's scopes
      assert.deepEqual(scopesAt(full, 'namespace: shop', 'amespace'), [
        'string.unquoted.plain.out.yaml',
        'entity.name.tag.yaml',
      ]);
    });

    it('does not scope keys inside strings, comments or block scalars', () => {
      const quoted = of('quoted.yaml');
      for (const [needle, text] of [
        ['description:', 'podSelector: {} selects every pod'],
        ['note:', 'policyTypes: [Ingress]'],
        ['other:', 'protocol: TCP'],
      ]) {
        const line = quoted.find((l) => l.text.includes(needle));
        assert.ok(line);
        const start = line.text.indexOf(text);
        const inside = line.tokens.filter((t) => t.end > start && t.start < start + text.length);
        assert.ok(
          inside.every((t) => t.scopes.some((s) => s.startsWith('string.quoted.')) && !t.scopes.some(isOurs)),
          needle,
        );
      }
      const comments = of('comments.yaml');
      for (const needle of ['# podSelector: {} in a comment', '# policyTypes: [Ingress]', '#- podSelector: {}']) {
        const line = comments.find((l) => l.text.includes(needle));
        assert.ok(line, needle);
        assert.ok(
          line.tokens.every((t) => !t.scopes.some(isOurValueOrKey)),
          needle,
        );
      }
    });

    it('gives valid values their scopes and wrong-case values invalid.illegal, and leaves unknown values alone', () => {
      const full = of('full-policy.yaml');
      assert.ok(scopesAt(full, 'operator: In', 'In').includes('keyword.operator.selector.networkpolicy'));
      assert.ok(scopesAt(full, 'operator: NotIn', 'NotIn').includes('keyword.operator.selector.networkpolicy'));
      assert.ok(scopesAt(full, 'operator: Exists', 'Exists').includes('keyword.operator.selector.networkpolicy'));
      assert.ok(
        scopesAt(full, 'operator: DoesNotExist', 'DoesNotExist').includes('keyword.operator.selector.networkpolicy'),
      );
      assert.ok(scopesAt(full, '  - Ingress', 'Ingress').includes('keyword.other.policy-type.networkpolicy'));
      assert.ok(scopesAt(full, '  - Egress', 'Egress').includes('keyword.other.policy-type.networkpolicy'));
      for (const p of ['TCP', 'UDP', 'SCTP']) {
        assert.ok(scopesAt(full, `protocol: ${p}`, p).includes('support.constant.protocol.networkpolicy'), p);
      }
      assert.ok(scopesAt(full, 'cidr: 10.0.0.0/8', '10.0.0.0/8').includes('constant.numeric.cidr.networkpolicy'));
      assert.ok(scopesAt(full, '- 10.1.0.0/16', '10.1.0.0/16').includes('constant.numeric.cidr.networkpolicy'));
      assert.ok(scopesAt(full, 'cidr: 2001:db8::/32', '2001:db8::/32').includes('constant.numeric.cidr.networkpolicy'));
      assert.ok(scopesAt(full, 'kind: NetworkPolicy', 'NetworkPolicy').includes('entity.name.type.kind.networkpolicy'));
      assert.ok(
        scopesAt(full, 'apiVersion:', 'networking.k8s.io/v1').includes('support.type.api-version.networkpolicy'),
      );

      const wrong = of('wrong-case.yaml');
      const invalid = (needle: string, word: string, scope: string, nth = 0): void => {
        const scopes = scopesAt(wrong, needle, word, nth);
        assert.ok(scopes.includes(`invalid.illegal.${scope}.networkpolicy`), `${word}: ${scopes.join(' ')}`);
        assert.ok(!scopes.some((s) => isOurValueOrKey(s) && !s.startsWith('invalid.')), `${word}: ${scopes.join(' ')}`);
      };
      invalid('kind: networkpolicy', 'networkpolicy', 'kind');
      invalid('operator: in', 'in', 'operator');
      invalid('operator: NOTIN', 'NOTIN', 'operator');
      invalid('policyTypes: [ingress', 'ingress', 'policy-type');
      invalid('policyTypes: [ingress', 'EGRESS', 'policy-type');
      invalid('protocol: tcp', 'tcp', 'protocol');
      invalid('protocol: Udp', 'Udp', 'protocol');
      invalid('  - ingress', 'ingress', 'policy-type');
      invalid('  - egress', 'egress', 'policy-type');
      const none = (lines: Line[], needle: string, word: string): void => {
        const line = lines.find((l) => l.text.includes(needle));
        assert.ok(line, needle);
        const start = line.text.indexOf(word, line.text.indexOf(':') + 1);
        const covering = line.tokens.filter((t) => t.end > start && t.start < start + word.length);
        assert.ok(
          covering.every((t) => !t.scopes.some(isOurValueOrKey)),
          `${needle}: ${covering.map((t) => t.scopes.join(' ')).join(' | ')}`,
        );
      };
      none(wrong, 'operator: Equal', 'Equal');
      none(wrong, 'Both]', 'Both');
      none(wrong, 'protocol: ICMP', 'ICMP');
      none(wrong, 'protocol: TCPX', 'TCPX');
      none(wrong, 'protocol: TCP UDP', 'TCP UDP');
      none(wrong, 'cidr: 10.0.0.0', '10.0.0.0');
      none(wrong, '- 300.1.0.0/16', '300.1.0.0/16');
      none(wrong, '- 10.0.0.0/33', '10.0.0.0/33');
      none(of('quoted.yaml'), "protocol: 'TCP\"'", "'TCP\"'");
      const quoted = of('quoted.yaml');
      const scopes = scopesAt(quoted, 'protocol: "tcp"', 'tcp');
      assert.ok(
        scopes.includes('invalid.illegal.protocol.networkpolicy') &&
          !scopes.includes('support.constant.protocol.networkpolicy'),
      );
    });

    it('scopes quoted values and quoted keys like plain ones', () => {
      const quoted = of('quoted.yaml');
      assert.ok(
        scopesAt(quoted, '"apiVersion":', 'networking.k8s.io/v1').includes('support.type.api-version.networkpolicy'),
      );
      assert.ok(scopesAt(quoted, "'kind':", 'NetworkPolicy').includes('entity.name.type.kind.networkpolicy'));
      assert.ok(
        scopesAt(quoted, '"policyTypes": ["Ingress"', 'Ingress').includes('keyword.other.policy-type.networkpolicy'),
      );
      assert.ok(
        scopesAt(quoted, '"policyTypes": ["Ingress"', 'Egress').includes('keyword.other.policy-type.networkpolicy'),
      );
      assert.ok(scopesAt(quoted, 'protocol: "TCP"', 'TCP').includes('support.constant.protocol.networkpolicy'));
      assert.ok(scopesAt(quoted, "protocol: 'UDP'", 'UDP').includes('support.constant.protocol.networkpolicy'));
      assert.ok(
        scopesAt(quoted, "'except': ['10.1.0.0/16']", '10.1.0.0/16').includes('constant.numeric.cidr.networkpolicy'),
      );
      assert.ok(scopesAt(quoted, 'operator: "NotIn"', 'NotIn').includes('keyword.operator.selector.networkpolicy'));
      assert.ok(scopesAt(quoted, '  - "Egress"', 'Egress').includes('keyword.other.policy-type.networkpolicy'));
      assert.ok(scopesAt(quoted, "  - 'Ingress'", 'Ingress').includes('keyword.other.policy-type.networkpolicy'));
      assert.ok(scopesAt(quoted, '"podSelector": {}', 'podSelector').includes('entity.name.tag.networkpolicy.yaml'));
      assert.ok(scopesAt(quoted, "'ingress':", 'ingress').includes('entity.name.tag.networkpolicy.yaml'));
    });

    it('ends a block list where its indentation ends, also inside a List', () => {
      const list = of('list.yaml');
      const policyTypeLines = list
        .filter((l) => l.tokens.some((t) => t.scopes.includes('meta.policy-types.networkpolicy')))
        .map((l) => l.text.trim());
      // in the List, under `- policyTypes:` (a list key after a `- `) and at the top level
      assert.deepEqual(policyTypeLines, ['- Ingress', '- Egress', '- Ingress', '- Egress', '- Ingress', '- Egress']);
      const exceptLines = list
        .filter((l) => l.tokens.some((t) => t.scopes.includes('meta.except.networkpolicy')))
        .map((l) => l.text.trim());
      assert.deepEqual(exceptLines, ['- 169.254.169.254/32', '- 10.9.0.0/16']);
      // the Service named "Ingress" after the last policy
      const service = list.find((l) => l.text === '    name: Ingress');
      assert.ok(service && service.tokens.every((t) => !t.scopes.some(isOurs)));
      const comments = of('comments.yaml');
      const commented = comments
        .filter((l) => l.tokens.some((t) => t.scopes.includes('meta.policy-types.networkpolicy')))
        .map((l) => l.text.trim());
      assert.deepEqual(commented, [
        'policyTypes:  # the directions',
        '# a comment line inside the list',
        '- Ingress  # incoming',
        '# deeper comment',
        '- Egress #outgoing',
        '',
      ]);
    });
  });

  describe('speed', () => {
    // Unbounded look-behinds made long lines quadratic (40 to 250 times slower than YAML alone on
    // the lines below); the rules now start with cheap tests. CPU time, with a wide margin for load.
    const cpuMs = (g: IGrammar, text: string): number => {
      const start = process.cpuUsage();
      tokenize(g, text);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    const longLines = {
      'a 20 000-character flow mapping full of rules': `spec: {ingress: [${Array.from({ length: 220 }, (_, i) => `{from: [{podSelector: {matchLabels: {app: a${i}}}}], ports: [{port: ${i}, protocol: TCP}]}`).join(', ')}]}\n`,
      'a 20 000-character plain scalar': `description: ${'x '.repeat(10000)}\n`,
    };
    for (const [name, text] of Object.entries(longLines)) {
      it(`tokenises ${name} at most a few times slower than the YAML grammar alone`, () => {
        cpuMs(grammar, text);
        const alone = cpuMs(plain, text);
        const withInjection = cpuMs(grammar, text);
        assert.ok(
          withInjection < 10 * alone + 300,
          `${withInjection.toFixed(0)} ms with the injection, ${alone.toFixed(0)} ms without`,
        );
      });
    }
  });

  describe('with the YAML grammar VS Code 1.99 ships (when the e2e code-server is installed)', () => {
    let vscodeGrammar: IGrammar;
    let vscodePlain: IGrammar;
    before(async function () {
      if (!existsSync(VSCODE_YAML_DIR)) this.skip();
      const files = readdirSync(VSCODE_YAML_DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(VSCODE_YAML_DIR, f));
      vscodeGrammar = await loadYaml(files, true);
      vscodePlain = await loadYaml(files, false);
    });

    it('gives every key and value the same scope of ours as the tm-grammars YAML grammar does', () => {
      for (const fixture of fixtures()) {
        assert.deepEqual(ourTokens(tokenize(vscodeGrammar, readFixture(fixture))), ourTokens(of(fixture)), fixture);
      }
    });

    it('leaves every line without a NetworkPolicy token as that grammar tokenises it', () => {
      for (const fixture of fixtures()) {
        const source = readFixture(fixture);
        assertUntouchedElsewhere(tokenize(vscodeGrammar, source), tokenize(vscodePlain, source), fixture);
      }
    });
  });

  describe('scripts/build-grammar.mjs', () => {
    const run = (cwd: string, ...args: string[]) =>
      spawnSync(process.execPath, [join(cwd, 'scripts', 'build-grammar.mjs'), ...args], { cwd, encoding: 'utf8' });

    it('reports the committed JSON as up to date with its YAML source', () => {
      const result = run(ROOT, '--check');
      assert.equal(result.status, 0, result.stderr);
    });

    it('fails --check on a stale JSON and rejects an unknown variable without a stack trace', () => {
      const dir = mkdtempSync(join(tmpdir(), 'netpol-grammar-'));
      try {
        mkdirSync(join(dir, 'scripts'));
        mkdirSync(join(dir, 'syntaxes'));
        copyFileSync(join(ROOT, 'scripts', 'build-grammar.mjs'), join(dir, 'scripts', 'build-grammar.mjs'));
        symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'junction');
        const source = join(dir, 'syntaxes', 'x.tmLanguage.yaml');
        writeFileSync(
          source,
          "scopeName: x\nvariables: { word: 'po[d]' }\npatterns:\n  - { match: '{{word}}', name: a.x }\n",
        );
        let result = run(dir, '--check');
        assert.equal(result.status, 1);
        assert.match(result.stderr, /x\.tmLanguage\.json is missing/);
        result = run(dir);
        assert.equal(result.status, 0, result.stderr);
        const built = JSON.parse(readFileSync(join(dir, 'syntaxes', 'x.tmLanguage.json'), 'utf8')) as {
          patterns: { match: string }[];
          variables?: unknown;
        };
        assert.equal(built.patterns[0].match, 'po[d]');
        assert.equal(built.variables, undefined);
        assert.equal(run(dir, '--check').status, 0);
        writeFileSync(source, "scopeName: x\npatterns:\n  - { match: 'pod', name: b.x }\n");
        result = run(dir, '--check');
        assert.equal(result.status, 1);
        assert.match(result.stderr, /is stale/);
        writeFileSync(source, "scopeName: x\npatterns:\n  - { match: '{{nope}}', name: b.x }\n");
        result = run(dir);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /unknown variable \{\{nope\}\}/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
        writeFileSync(source, "scopeName: x\npatterns:\n  - { match: '(unclosed', name: b.x }\n");
        result = run(dir);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /invalid regular expression/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
