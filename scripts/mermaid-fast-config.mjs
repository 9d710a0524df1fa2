// An esbuild plugin for the webview bundle (used by esbuild.mjs); tested by
// test/unit/mermaidConfig.test.ts against mermaid's own assignWithDepth.

/**
 * mermaid's getConfig() deep-copies its whole configuration (every diagram type's settings and
 * ~200 theme variables) with a generic merge that defines each key with Object.defineProperty, and
 * the flowchart renderer calls it for every node, label and edge: about a third of rendering a
 * namespace of 200 workloads. Same result, cheaper copy: a fresh object three levels deep, arrays
 * de-duplicated and nulls dropped exactly as assignWithDepth({}, config) does (mermaid 11.17).
 */
export const MERMAID_GET_CONFIG = `var getConfig = /* @__PURE__ */ __name(() => {
  return assignWithDepth_default({}, currentConfig);
}, "getConfig");`;
export const MERMAID_FAST_GET_CONFIG = `var netpolCopyConfig = /* @__PURE__ */ __name((src, depth) => {
  if (Array.isArray(src)) {
    const out = [];
    src.forEach((s) => {
      if (!out.includes(s)) out.push(s);
    });
    return out;
  }
  if (depth <= 0) return Object.assign({}, src);
  const out = {};
  for (const key of Object.keys(src)) {
    const v = src[key];
    if (typeof v === "object") {
      if (v === null) continue;
      const c = netpolCopyConfig(v, depth - 1);
      if (key === "__proto__") Object.defineProperty(out, key, { value: c, writable: true, enumerable: true, configurable: true });
      else out[key] = c;
    } else if (key === "__proto__") Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}, "netpolCopyConfig");
var getConfig = /* @__PURE__ */ __name(() => netpolCopyConfig(currentConfig, 2), "getConfig");`;
export const mermaidFastConfig = {
  name: 'mermaid-fast-config',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]mermaid[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const src = await readFile(args.path, 'utf8');
      if (!src.includes('return assignWithDepth_default({}, currentConfig);')) return undefined;
      if (!src.includes(MERMAID_GET_CONFIG)) {
        console.warn(`mermaid-fast-config: getConfig not found in ${args.path}; left as it is`);
        return undefined;
      }
      return { contents: src.replace(MERMAID_GET_CONFIG, MERMAID_FAST_GET_CONFIG), loader: 'js' };
    });
  },
};
