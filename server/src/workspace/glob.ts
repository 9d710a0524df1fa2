// Minimal glob matching for exclude patterns (files.exclude and netpolLens.exclude):
// `**` (any number of path segments), `*` and `?` (within a segment), `{a,b}` and `[...]`.
// Patterns without a slash match a path segment anywhere, as VS Code's files.exclude does.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (!g.includes('/')) g = `**/${g}`;
  let out = '';
  let inBrace = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slashAfter = g[i + 2] === '/';
        out += slashAfter ? '(?:[^/]*/)*' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      inBrace++;
      out += '(?:';
    } else if (c === '}' && inBrace) {
      inBrace--;
      out += ')';
    } else if (c === ',' && inBrace) out += '|';
    else if (c === '[') {
      const end = g.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${g
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  re = new RegExp(`^${out}(?:/.*)?$`);
  cache.set(glob, re);
  return re;
}

/** Does a workspace-relative path match any of the patterns? */
export function matchesAny(relPath: string, patterns: readonly string[]): boolean {
  for (const p of patterns) if (p && globToRegExp(p).test(relPath)) return true;
  return false;
}
