// The webview bundle replaces mermaid's getConfig() with a cheaper copy (scripts/mermaid-fast-config.mjs).
// Checks that the replacement is found in the installed mermaid, and that it returns what
// mermaid's own assignWithDepth({}, config) returns, on mermaid's real configuration objects (taken
// from the bundled chunk) and on random nested objects with arrays, duplicates, nulls and
// undefined values: same keys in the same order, same values, fresh objects where mermaid copies.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
type Copy = (src: unknown) => unknown;

function chunkWithConfig(): string {
  const dir = path.join(root, 'node_modules/mermaid/dist/chunks/mermaid.core');
  for (const f of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    if (text.includes('return assignWithDepth_default({}, currentConfig);')) return text;
  }
  throw new Error('no mermaid chunk defines getConfig');
}

/** The source of `var NAME = /* @__PURE__ *\/ __name(...)` up to its closing `, "NAME");`. */
function definition(text: string, name: string): string {
  const start = text.indexOf(`var ${name} = /* @__PURE__ */ __name(`);
  assert.ok(start !== -1, `${name} is defined in the chunk`);
  const endMark = `}, "${name}");`;
  const end = text.indexOf(endMark, start);
  return text.slice(start, end + endMark.length);
}

/** Keys in order and values, recursively; identical objects as "same". */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return ['array', v.length, ...v.map(shape)];
  if (v && typeof v === 'object') {
    return ['object', ...Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])])];
  }
  return v === undefined ? '<undefined>' : v;
}

describe('mermaid getConfig replacement (webview bundle)', () => {
  let original: Copy;
  let fast: Copy;
  let chunk: string;

  before(async () => {
    chunk = chunkWithConfig();
    const plugin = (await import('../../scripts/mermaid-fast-config.mjs')) as {
      MERMAID_GET_CONFIG: string;
      MERMAID_FAST_GET_CONFIG: string;
    };
    assert.ok(chunk.includes(plugin.MERMAID_GET_CONFIG), 'the installed mermaid has the getConfig the plugin replaces');
    const prelude = 'const __name = (f) => f;';
    original = new Function(
      `${prelude}\n${definition(chunk, 'assignWithDepth')}\nvar assignWithDepth_default = assignWithDepth;\nreturn (src) => assignWithDepth_default({}, src);`,
    )() as Copy;
    fast = new Function(
      `${prelude}\n${plugin.MERMAID_FAST_GET_CONFIG.replace('var getConfig =', 'var unused =')}\nreturn (src) => netpolCopyConfig(src, 2);`,
    )() as Copy;
  });

  it("copies mermaid's default configuration and theme variables as mermaid does", () => {
    // the default config object of the chunk, evaluated on its own (plain data)
    const m =
      /var config_schema_default = (\{[\s\S]*?\n\});/.exec(chunk) ??
      /var defaultConfig_default = (\{[\s\S]*?\n\});/.exec(chunk);
    assert.ok(m, 'a config object literal in the chunk');
    const cfg = new Function(`return (${m[1]});`)() as Record<string, unknown>;
    const withTheme = {
      ...cfg,
      theme: 'base',
      themeVariables: { primaryColor: '#fff', fontFamily: 'x', nested: { a: [1, 1, 2] } },
      htmlLabels: true,
      flowchart: { useMaxWidth: false, curve: 'basis' },
    };
    for (const c of [cfg, withTheme]) {
      const a = original(c);
      const b = fast(c);
      assert.deepEqual(shape(b), shape(a));
    }
  });

  it('equals assignWithDepth({}, x) on 500 random nested objects, copying where mermaid copies', () => {
    let seed = 11;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const shared = { s: 1 };
    const value = (depth: number): unknown => {
      switch (rnd(depth > 3 ? 5 : 9)) {
        case 0:
          return rnd(3);
        case 1:
          return `s${rnd(3)}`;
        case 2:
          return rnd(2) === 0;
        case 3:
          return null;
        case 4:
          return undefined;
        case 5:
          return shared;
        case 6:
          return Array.from({ length: rnd(4) }, () => (rnd(2) ? rnd(3) : value(depth + 1)));
        default: {
          const o: Record<string, unknown> = {};
          for (let i = rnd(5); i > 0; i--) o[`k${rnd(6)}`] = value(depth + 1);
          return o;
        }
      }
    };
    for (let i = 0; i < 500; i++) {
      const src = value(0);
      if (!src || typeof src !== 'object' || Array.isArray(src)) continue;
      const a = original(src) as Record<string, unknown>;
      const b = fast(src) as Record<string, unknown>;
      assert.deepEqual(shape(b), shape(a), `case ${i}: ${JSON.stringify(src)}`);
      // the copy is fresh where mermaid's is (levels 0-2), shared below
      for (const k of Object.keys(a)) {
        const av = a[k];
        const bv = b[k];
        if (av && typeof av === 'object') {
          assert.equal(
            av === (src as Record<string, unknown>)[k],
            bv === (src as Record<string, unknown>)[k],
            `case ${i}: ${k} copied alike`,
          );
        }
      }
    }
  });
});
