// Exclude patterns (files.exclude, netpolLens.exclude, the CLI config's `exclude`), matched
// without regular expressions so that no pattern can make a match slow: they come from workspace
// settings and configuration files, which a pull request can change.
//
// Semantics: `\` is read as `/`, a leading `./` is dropped, and a pattern without `/` matches a
// path segment anywhere (as if written `**/pattern`, as VS Code's files.exclude does). A `[` opens
// a character class when a `]` follows before any `/` (`[abc]`, `[a-z]`, `[!a]` or `[^a]`; else
// it is a literal `[`); then `{a,b}` alternatives are expanded (nested groups too; a `,` or `}`
// outside a group is literal). A segment that is only stars (`**`) matches any number of path
// segments; elsewhere `*` matches any run of characters within a segment and `?` one character.
// A pattern matches a path when it matches the path or one of the folders above it.
//
// Matching is the greedy wildcard algorithm (backing up only to the last star), once over path
// segments and once within a segment: time proportional to pattern length times path length.
// Bad patterns (a class with a range out of order or nothing in it, a `{` never closed, more than
// 256 alternatives) are reported by compileGlob and skipped by the matchers.

const MAX_ALTERNATIVES = 256;
const MAX_PATTERN_LENGTH = 4096;
const MAX_BRACE_DEPTH = 32;

type Tok =
  | { readonly t: 'lit'; readonly c: number }
  | { readonly t: 'any' }
  | { readonly t: 'star' }
  | { readonly t: 'class'; readonly negated: boolean; readonly ranges: readonly number[] } // lo,hi pairs
  | { readonly t: 'sep' }
  | { readonly t: 'open' }
  | { readonly t: 'comma' }
  | { readonly t: 'close' };

type SegTok = Extract<Tok, { t: 'lit' | 'any' | 'star' | 'class' }>;
/** A segment of a pattern: `**` or the tokens of one path segment. */
type Segment = 'globstar' | readonly SegTok[];

/** Counts the work of a match (for tests that bound it). */
export interface MatchStats {
  steps: number;
}

export interface CompiledGlob {
  readonly pattern: string;
  match(relPath: string, stats?: MatchStats): boolean;
}

export interface GlobError {
  readonly pattern: string;
  readonly reason: string;
}

class BadGlob extends Error {}

function classToken(body: string): Tok {
  const negated = body[0] === '!' || body[0] === '^';
  const items = negated ? body.slice(1) : body;
  if (!items.length) throw new BadGlob(`the character class [${body}] is empty`);
  const ranges: number[] = [];
  for (let i = 0; i < items.length;) {
    if (items[i + 1] === '-' && i + 2 < items.length) {
      const lo = items.charCodeAt(i);
      const hi = items.charCodeAt(i + 2);
      if (lo > hi) throw new BadGlob(`the range ${items[i]}-${items[i + 2]} is out of order`);
      ranges.push(lo, hi);
      i += 3;
    } else {
      ranges.push(items.charCodeAt(i), items.charCodeAt(i));
      i++;
    }
  }
  return { t: 'class', negated, ranges };
}

function tokenize(g: string): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '[') {
      const close = g.indexOf(']', i + 1);
      const slash = g.indexOf('/', i + 1);
      if (close !== -1 && (slash === -1 || slash > close)) {
        out.push(classToken(g.slice(i + 1, close)));
        i = close;
        continue;
      }
    }
    if (c === '*') out.push({ t: 'star' });
    else if (c === '?') out.push({ t: 'any' });
    else if (c === '/') out.push({ t: 'sep' });
    else if (c === '{') out.push({ t: 'open' });
    else if (c === ',') out.push({ t: 'comma' });
    else if (c === '}') out.push({ t: 'close' });
    else out.push({ t: 'lit', c: g.charCodeAt(i) });
  }
  return out;
}

const LIT_COMMA: Tok = { t: 'lit', c: 44 };
const LIT_CLOSE: Tok = { t: 'lit', c: 125 };

/** Expands `{a,b}` groups: the token lists of every alternative. */
function expand(toks: readonly Tok[]): Tok[][] {
  let pos = 0;
  const sequence = (depth: number): Tok[][] => {
    if (depth > MAX_BRACE_DEPTH) throw new BadGlob('the { } groups are nested too deeply');
    let acc: Tok[][] = [[]];
    while (pos < toks.length) {
      const k = toks[pos];
      if (depth > 0 && (k.t === 'comma' || k.t === 'close')) break;
      pos++;
      if (k.t !== 'open') {
        const tok = k.t === 'comma' ? LIT_COMMA : k.t === 'close' ? LIT_CLOSE : k;
        for (const a of acc) a.push(tok);
        continue;
      }
      const options: Tok[][] = [];
      for (;;) {
        options.push(...sequence(depth + 1));
        if (options.length > MAX_ALTERNATIVES) throw new BadGlob(`more than ${MAX_ALTERNATIVES} alternatives`);
        if (pos >= toks.length) throw new BadGlob('a { is not closed');
        if (toks[pos++].t === 'close') break;
      }
      if (acc.length * options.length > MAX_ALTERNATIVES) {
        throw new BadGlob(`too many alternatives (over ${MAX_ALTERNATIVES})`);
      }
      acc = acc.flatMap((a) => options.map((o) => [...a, ...o]));
    }
    return acc;
  };
  return sequence(0);
}

/** One alternative's tokens -> segments (consecutive stars merged; a segment of 2+ stars alone is `**`). */
function segmentsOf(toks: readonly Tok[]): Segment[] {
  const out: Segment[] = [];
  let cur: SegTok[] = [];
  let stars = 0;
  let onlyStars = true;
  const end = (): void => {
    out.push(onlyStars && stars >= 2 ? 'globstar' : cur);
    cur = [];
    stars = 0;
    onlyStars = true;
  };
  for (const k of toks) {
    if (k.t === 'sep') end();
    else if (k.t === 'star') {
      if (cur[cur.length - 1]?.t !== 'star') cur.push(k);
      stars++;
    } else {
      onlyStars = false;
      cur.push(k as SegTok);
    }
  }
  end();
  return out;
}

function oneChar(k: SegTok, c: number): boolean {
  if (k.t === 'lit') return k.c === c;
  if (k.t === 'any') return true;
  if (k.t !== 'class') return false;
  let inside = false;
  for (let r = 0; r < k.ranges.length && !inside; r += 2) inside = c >= k.ranges[r] && c <= k.ranges[r + 1];
  return inside !== k.negated;
}

/** Greedy wildcard match of one segment (only the last star is backed up to). */
function matchSegment(p: readonly SegTok[], s: string, stats: MatchStats): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    stats.steps++;
    if (i < p.length) {
      const k = p[i];
      if (k.t === 'star') {
        star = i++;
        mark = j;
        continue;
      }
      if (oneChar(k, s.charCodeAt(j))) {
        i++;
        j++;
        continue;
      }
    }
    if (star < 0) return false;
    i = star + 1;
    j = ++mark;
  }
  while (i < p.length && p[i].t === 'star') i++;
  return i === p.length;
}

/** The same algorithm over path segments, `**` being the star. */
function matchPath(p: readonly Segment[], t: readonly string[], stats: MatchStats): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < t.length) {
    stats.steps++;
    if (i < p.length) {
      const seg = p[i];
      if (seg === 'globstar') {
        star = i++;
        mark = j;
        continue;
      }
      if (matchSegment(seg, t[j], stats)) {
        i++;
        j++;
        continue;
      }
    }
    if (star < 0) return false;
    i = star + 1;
    j = ++mark;
  }
  while (i < p.length && p[i] === 'globstar') i++;
  return i === p.length;
}

function normalize(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  return g.includes('/') ? g : `**/${g}`;
}

const cache = new Map<string, CompiledGlob | GlobError>();

/** Compiles an exclude pattern; a GlobError (with the reason) when it is not valid. */
export function compileGlob(pattern: string): CompiledGlob | GlobError {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let result: CompiledGlob | GlobError;
  try {
    if (pattern.length > MAX_PATTERN_LENGTH) throw new BadGlob(`longer than ${MAX_PATTERN_LENGTH} characters`);
    // the trailing `**` makes a pattern match everything under a folder it matches
    const alternatives = expand(tokenize(normalize(pattern))).map((a) => [...segmentsOf(a), 'globstar' as const]);
    result = {
      pattern,
      match: (relPath, stats = { steps: 0 }) => {
        const t = relPath.split('/');
        return alternatives.some((a) => matchPath(a, t, stats));
      },
    };
  } catch (e) {
    if (!(e instanceof BadGlob)) throw e;
    result = { pattern, reason: e.message };
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, result);
  return result;
}

function isError(g: CompiledGlob | GlobError): g is GlobError {
  return 'reason' in g;
}

/** Does a workspace-relative path match any of the patterns? Invalid and empty patterns are skipped. */
export function matchesAny(relPath: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (!p) continue;
    const g = compileGlob(p);
    if (!isError(g) && g.match(relPath)) return true;
  }
  return false;
}

/** A list of patterns compiled once, with the invalid ones set apart. */
export class GlobSet {
  readonly errors: GlobError[] = [];
  private readonly globs: CompiledGlob[] = [];

  constructor(patterns: readonly string[]) {
    for (const p of patterns) {
      if (!p.trim()) continue;
      const g = compileGlob(p);
      if (isError(g)) this.errors.push(g);
      else this.globs.push(g);
    }
  }

  get size(): number {
    return this.globs.length;
  }

  matches(relPath: string): boolean {
    return this.globs.some((g) => g.match(relPath));
  }
}

/** One message per invalid pattern, for the user (the pattern is ignored). */
export function describeGlobErrors(patterns: readonly string[]): string[] {
  return new GlobSet(patterns).errors.map(
    (e) => `the exclude pattern ${JSON.stringify(e.pattern)} is ignored: ${e.reason}`,
  );
}
