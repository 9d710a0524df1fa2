// One build script for every bundle: client (extension host), server (language server), cli, and
// the webview (browser). `node esbuild.mjs [--production] [--watch] [--only cli,server,...]`.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { mermaidFastConfig } from './scripts/mermaid-fast-config.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** `--only NAMES`: only the bundles with these output names (extension, server, cli, main), e.g. for npm pack. */
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? null : (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean);

/** Prints start/end lines in the format of the `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * The `yaml` package reads process.env.LOG_TOKENS for every lexical token (and LOG_STREAM per
 * document): a getter into the C++ environment, about a fifth of the parse time on large files.
 * Those are debugging switches of the library; compile them out of our bundles.
 */
const yamlDebugSwitches = {
  name: 'yaml-debug-switches',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ },
      async (args) => {
        const { readFile } = await import('node:fs/promises');
        const src = await readFile(args.path, 'utf8');
        return { contents: src.replace(/node_process\.env\.LOG_(TOKENS|STREAM)/g, 'false'), loader: 'js' };
      },
    );
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher, yamlDebugSwitches, mermaidFastConfig],
  legalComments: 'none',
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const contexts = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('media/src/main.ts')) {
  contexts.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['media/src/main.ts'],
    outfile: 'media/dist/main.js',
  });
}

const bundleName = (c) => path.basename(c.outfile, '.js');
const unknown = (only ?? []).filter((n) => !contexts.some((c) => bundleName(c) === n));
if (unknown.length) {
  console.error(`✘ [ERROR] --only: no bundle ${unknown.join(', ')} (bundles: ${contexts.map(bundleName).join(', ')})`);
  process.exit(2);
}
mkdirSync('dist', { recursive: true });
const selected = contexts.filter((c) => !only || only.includes(bundleName(c)));
const ctxs = await Promise.all(selected.map((c) => esbuild.context(c)));
if (watch) {
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(ctxs.map((c) => c.rebuild()));
  await Promise.all(ctxs.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    process.exitCode = 1;
  } else {
    if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  }
}
