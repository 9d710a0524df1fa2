// Exclude patterns (files.exclude, netpolLens.exclude, the CLI config's exclude): what they match,
// that a bad pattern is reported and skipped instead of throwing, that no pattern can make a match
// slow (no regular expressions, no backtracking), and a property test against a plain recursive
// definition of the same semantics on small random inputs.
import { strict as assert } from 'node:assert';
import { compileGlob, describeGlobErrors, GlobSet, type MatchStats, matchesAny } from '../../server/src/workspace/glob';

// ---- reference semantics: written for clarity, exponential, only for small inputs -----------------

type Atom = string; // one character, or a whole character class "[...]"

/** Pattern text -> atoms (a "[" only opens a class when a "]" follows before any "/"), or null when invalid. */
function atomsOf(p: string): Atom[] | null {
  const out: Atom[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '[') {
      const close = p.indexOf(']', i + 1);
      const slash = p.indexOf('/', i + 1);
      if (close !== -1 && (slash === -1 || slash > close)) {
        const atom = p.slice(i, close + 1);
        if (classOf(atom) === null) return null;
        out.push(atom);
        i = close;
        continue;
      }
    }
    out.push(p[i]);
  }
  return out;
}

/** "[...]" -> a membership test, or null when the class is empty or has a range out of order. */
function classOf(atom: string): ((c: string) => boolean) | null {
  let body = atom.slice(1, -1);
  const negated = body[0] === '!' || body[0] === '^';
  if (negated) body = body.slice(1);
  if (!body.length) return null;
  const tests: Array<(c: string) => boolean> = [];
  for (let i = 0; i < body.length;) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const [lo, hi] = [body[i], body[i + 2]];
      if (lo > hi) return null;
      tests.push((c) => c >= lo && c <= hi);
      i += 3;
    } else {
      const ch = body[i];
      tests.push((c) => c === ch);
      i++;
    }
  }
  return (c) => tests.some((t) => t(c)) !== negated;
}

/** Brace alternatives over atoms, or null when a "{" is not closed. */
function expandRef(atoms: Atom[]): Atom[][] | null {
  const open = atoms.indexOf('{');
  if (open === -1) return [atoms.map((a) => a)];
  // find the matching "}" and the top-level commas of the group
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < atoms.length; i++) {
    if (atoms[i] === '{') depth++;
    else if (atoms[i] === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (atoms[i] === ',' && depth === 1) commas.push(i);
  }
  if (close === -1) return null;
  const bounds = [open, ...commas, close];
  const out: Atom[][] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const alt = [...atoms.slice(0, open), ...atoms.slice(bounds[k] + 1, bounds[k + 1]), ...atoms.slice(close + 1)];
    const sub = expandRef(alt);
    if (sub === null) return null;
    out.push(...sub);
  }
  return out;
}

function refSegment(p: Atom[], s: string): boolean {
  if (!p.length) return s === '';
  const [a, ...rest] = p;
  if (a === '*') return refSegment(rest, s) || (s !== '' && refSegment(p, s.slice(1)));
  if (s === '') return false;
  const ok = a === '?' ? true : a.length > 1 ? classOf(a)!(s[0]) : a === s[0];
  return ok && refSegment(rest, s.slice(1));
}

function refSegments(p: Atom[][], t: string[]): boolean {
  if (!p.length) return t.length === 0;
  const [seg, ...rest] = p;
  if (seg.length >= 2 && seg.every((a) => a === '*')) {
    return refSegments(rest, t) || (t.length > 0 && refSegments(p, t.slice(1)));
  }
  return t.length > 0 && refSegment(seg, t[0]) && refSegments(rest, t.slice(1));
}

/** undefined when the pattern is invalid. */
function refMatch(pattern: string, path: string): boolean | undefined {
  let g = pattern.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (!g.includes('/')) g = `**/${g}`;
  const atoms = atomsOf(g);
  if (!atoms) return undefined;
  // braces first, with "}" and "," outside a group taken literally
  const alts = expandRef(atoms.map((a, i) => (a === '}' && !balancedBefore(atoms, i) ? '\u0000}' : a)));
  if (!alts) return undefined;
  const t = path.split('/');
  return alts.some((alt) => {
    const lit = alt.map((a) => (a === '\u0000}' ? '}' : a));
    const segs: Atom[][] = [[]];
    for (const a of lit) {
      if (a === '/') segs.push([]);
      else segs[segs.length - 1].push(a);
    }
    // a path matches when the pattern matches it or one of its folders
    for (let k = 1; k <= t.length; k++) if (refSegments(segs, t.slice(0, k))) return true;
    return false;
  });
}

/** Is atom i (a "}") inside a group opened before it? */
function balancedBefore(atoms: Atom[], i: number): boolean {
  let depth = 0;
  for (let k = 0; k < i; k++) {
    if (atoms[k] === '{') depth++;
    else if (atoms[k] === '}' && depth > 0) depth--;
  }
  return depth > 0;
}

// ---- tests ---------------------------------------------------------------------------------------

function matches(pattern: string, path: string): boolean {
  const g = compileGlob(pattern);
  assert.ok(!('reason' in g), `${pattern}: ${'reason' in g ? g.reason : ''}`);
  return g.match(path);
}

describe('exclude globs', () => {
  it('match paths and the folders above them, with ** across folders and the rest within one', () => {
    const cases: Array<[string, string, boolean]> = [
      ['**/node_modules', 'node_modules', true],
      ['**/node_modules', 'a/node_modules/x.yaml', true],
      ['charts', 'a/charts/x.yaml', true],
      ['charts', 'a/chartsx/x.yaml', false],
      ['**/charts/**', 'x/charts/a/b.yaml', true],
      ['*.json', 'a/b.json', true],
      ['*.json', 'a/b.yaml', false],
      ['k8s/*.yaml', 'k8s/a.yaml', true],
      ['k8s/*.yaml', 'k8s/x/a.yaml', false],
      ['k8s/*.yaml', 'other/k8s/a.yaml', false],
      ['{a,b}/x.yaml', 'b/x.yaml', true],
      ['{a,b}/x.yaml', 'c/x.yaml', false],
      ['{x,{y,z}}.yaml', 'd/z.yaml', true],
      ['[ab]?.yaml', 'd/ax.yaml', true],
      ['[!a]*.yaml', 'a.yaml', false],
      ['[!a]*.yaml', 'b.yaml', true],
      ['[a-c].yaml', 'b.yaml', true],
      ['[a-c].yaml', 'd.yaml', false],
      ['./k8s/**', 'k8s/a.yaml', true],
      ['k8s\\a.yaml', 'k8s/a.yaml', true],
      ['a/**b', 'a/xb', true],
      ['a/**b', 'a/x/yb', false],
      ['a[.yaml', 'a[.yaml', true],
      ['a}.yaml', 'a}.yaml', true],
      ['a,b.yaml', 'a,b.yaml', true],
      ['{[,]}x', 'q/,x', true],
      ['/abs/x', 'abs/x', false],
    ];
    for (const [p, path, want] of cases) assert.equal(matches(p, path), want, `${p} on ${path}`);
  });

  it('report a bad pattern and skip it instead of throwing', () => {
    for (const [p, why] of [
      ['[z-a]', /z-a.*out of order/],
      ['{a,b', /not closed/],
      ['x[]', /empty/],
      ['[!]', /empty/],
      ['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}', /too many alternatives/],
    ] as const) {
      const g = compileGlob(p);
      assert.ok('reason' in g, p);
      assert.match(g.reason, why);
      assert.equal(matchesAny('x', [p]), false);
    }
    assert.equal(matchesAny('a/x', ['[z-a]', '{a,b', 'x']), true);
    const set = new GlobSet(['[z-a]', '**/x', '{y']);
    assert.deepEqual(
      set.errors.map((e) => e.pattern),
      ['[z-a]', '{y'],
    );
    assert.ok(set.matches('a/x/b.yaml'));
    assert.ok(!set.matches('a/y/b.yaml'));
    const msgs = describeGlobErrors(['[z-a]', 'ok/**']);
    assert.equal(msgs.length, 1);
    assert.match(msgs[0], /"\[z-a\]".*ignored/);
  });

  it('take time proportional to pattern times path for hostile patterns', () => {
    const hostile: Array<[string, string]> = [
      ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(65)],
      ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(20000)],
      [`${'**/'.repeat(30)}b`, `${'a/'.repeat(2000)}c`],
      [`${'*a'.repeat(200)}b`, 'a'.repeat(5000)],
      [`${'?'.repeat(300)}x/**/${'*?'.repeat(100)}y`, `${'a'.repeat(400)}/${'b/'.repeat(500)}z`],
      [`{${'*a'.repeat(20)}b,${'**/a'.repeat(20)}/b}`, `${'a/'.repeat(300)}${'a'.repeat(300)}`],
    ];
    for (const [p, path] of hostile) {
      const g = compileGlob(p);
      assert.ok(!('reason' in g), p);
      const stats: MatchStats = { steps: 0 };
      const t0 = performance.now();
      assert.equal(g.match(path, stats), false);
      const ms = performance.now() - t0;
      const bound = 4 * (p.length + 2) * (path.length + 2);
      assert.ok(stats.steps <= bound, `${p.slice(0, 30)}: ${stats.steps} steps > ${bound}`);
      assert.ok(ms < 2000, `${p.slice(0, 30)}: ${ms} ms`);
    }
  });

  it('agree with the reference definition on random patterns and paths (including invalid ones)', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return Math.floor((seed / 0x80000000) * n); // the high bits: the low ones of this generator cycle
    };
    // weighted: mostly characters that match, some of everything else
    const pieces = [
      ...['a', 'a', 'b', 'b', '.', '/', '/', '*', '*', '**', '**', '?', '?', '[a-b]', '{a,b}', '{,b}', '[!a]'],
      ...['[', ']', '!', '-', '{', '}', ',', '[b-a]', '[]'],
    ];
    const names = ['a', 'b', '.', '/', 'ab', '-', ',', '}', '['];
    let invalid = 0;
    let matched = 0;
    for (let n = 0; n < 6000; n++) {
      let p = '';
      for (let k = 1 + rnd(7); k > 0; k--) p += pieces[rnd(pieces.length)];
      let path = '';
      if (rnd(2)) {
        // a path near the pattern, so that many match
        path = p.replace(/[*?]/g, () => names[rnd(3)]).replace(/[[\]{}!]/g, '');
      } else {
        for (let k = 1 + rnd(6); k > 0; k--) path += names[rnd(names.length)];
      }
      path = path.replace(/\/+/g, '/').replace(/^\/|\/$/g, '') || 'a';
      const want = refMatch(p, path);
      const g = compileGlob(p);
      if (want === undefined) {
        assert.ok('reason' in g, `"${p}" should be invalid`);
        invalid++;
        continue;
      }
      assert.ok(!('reason' in g), `"${p}" should be valid: ${'reason' in g ? g.reason : ''}`);
      const stats: MatchStats = { steps: 0 };
      assert.equal(g.match(path, stats), want, `"${p}" on "${path}"`);
      assert.ok(
        stats.steps <= 4 * 64 * (p.length + 2) * (path.length + 2),
        `"${p}" on "${path}": ${stats.steps} steps`,
      );
      if (want) matched++;
    }
    assert.ok(invalid > 500 && matched > 500, `${invalid} invalid, ${matched} matched: the generator covers both`);
  });
});
