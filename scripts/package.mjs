#!/usr/bin/env node
// The distribution packages, each built from a clean copy of the sources (the files Git knows,
// with the project's node_modules linked in), so that the project's own dist/ keeps its
// development build and a package never carries a stale bundle:
//
//   node scripts/package.mjs [vsix] [--out FILE]     (npm run package)
//       the extension as a .vsix: vsce runs vscode:prepublish (production bundles) and packs what
//       .vscodeignore lets through; default FILE: netpol-lens-<version>.vsix in the project
//   node scripts/package.mjs cli [--out-dir DIR]     (npm run package:cli)
//       the CLI as an npm tarball: `npm pack` (prepack bundles dist/cli.js) with what .npmignore
//       lets through; default DIR: the project
//
// test/e2e/run.mjs installs the .vsix that packageVsix() writes into code-server;
// test/unit/vsix.test.ts and test/unit/npmPackage.test.ts check what both packages contain.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** Files of an extension folder worth copying: Git's view when it is a repository, else a walk. */
export function listSourceFiles(dir) {
  const git = spawnSync('git', ['-C', dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    encoding: 'utf8',
  });
  if (git.status === 0 && existsSync(path.join(dir, '.git'))) {
    return git.stdout.split('\0').filter((f) => f && existsSync(path.join(dir, f)) && !/\.(vsix|tgz)$/.test(f));
  }
  const skip = new Set(['node_modules', '.git', 'out', '.vscode-test', 'dist']);
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .filter((rel) => !skip.has(rel.split(path.sep)[0]) && !/\.(vsix|tgz)$/.test(rel));
}

/** Copies the sources of `dir` into `stage` and links its node_modules there (for the build). */
export function stageSources(dir, stage) {
  dir = path.resolve(dir);
  for (const rel of listSourceFiles(dir)) {
    mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
    copyFileSync(path.join(dir, rel), path.join(stage, rel));
  }
  if (existsSync(path.join(dir, 'node_modules')))
    symlinkSync(path.join(dir, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  return stage;
}

/**
 * Runs a command; with `quiet`, its output is kept and shown only when it fails. Resolves to its
 * standard output (when quiet), rejects with the command's last lines on a non-zero status.
 */
function run(cmd, args, { cwd, quiet }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
    let stdout = '';
    let all = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
      all += d;
    });
    child.stderr?.on('data', (d) => (all += d));
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(stdout);
      else {
        const tail = all.trim().split('\n').slice(-20).join('\n');
        reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${signal ?? `status ${code}`})\n${tail}`));
      }
    });
  });
}

/** npm as this process should call it: the npm that runs us (npm run), else the one on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  return cli && /npm-cli\.c?js$/.test(cli) ? [process.execPath, [cli]] : ['npm', []];
}

/**
 * Packages the extension in `extDir` as a .vsix with vsce (`--no-dependencies`: the bundles are
 * self-contained) from a staged copy. `placeholders` (for probe extensions in the editor tests)
 * writes a LICENSE/README when missing, which vsce would otherwise ask for. Returns the file and
 * its size in bytes.
 */
export async function packageVsix(extDir = root, { out, quiet = false, placeholders = false } = {}) {
  const manifest = JSON.parse(readFileSync(path.join(extDir, 'package.json'), 'utf8'));
  const file = path.resolve(out ?? path.join(extDir, `${manifest.name}-${manifest.version}.vsix`));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-vsix-'));
  try {
    const stage = stageSources(extDir, path.join(tmp, 'stage'));
    const extra = [];
    const note = (msg) => quiet || process.stdout.write(`package.mjs: ${msg} (in the temporary copy only)\n`);
    if (placeholders) {
      if (!readdirSync(stage).some((f) => /^licen[cs]e/i.test(f))) {
        writeFileSync(path.join(stage, 'LICENSE'), 'Placeholder written by scripts/package.mjs for a probe.\n');
        note('no LICENSE in the extension: packaging with a placeholder');
      }
      if (!existsSync(path.join(stage, 'README.md'))) {
        writeFileSync(path.join(stage, 'README.md'), '# placeholder\n\nWritten by scripts/package.mjs for a probe.\n');
        note('no README.md in the extension: packaging with a placeholder');
      }
      extra.push('--allow-missing-repository');
    }
    mkdirSync(path.dirname(file), { recursive: true });
    rmSync(file, { force: true });
    const vsce = require.resolve('@vscode/vsce/vsce');
    await run(process.execPath, [vsce, 'package', '--no-dependencies', ...extra, '--out', file], {
      cwd: stage,
      quiet,
    });
    if (!existsSync(file)) throw new Error(`vsce did not write ${file}`);
    return { file, size: statSync(file).size };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Packs the CLI as an npm tarball with `npm pack` from a staged copy of `dir` (prepack bundles
 * dist/cli.js in production mode). Returns the tarball and its size in bytes.
 */
export async function packCli(dir = root, { outDir } = {}) {
  const dest = path.resolve(outDir ?? dir);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netpol-pack-'));
  try {
    const stage = stageSources(dir, path.join(tmp, 'stage'));
    mkdirSync(dest, { recursive: true });
    const [npm, pre] = npmCommand();
    const stdout = await run(npm, [...pre, 'pack', '--json', '--pack-destination', dest], { cwd: stage, quiet: true });
    // the report is the last thing npm prints: a JSON array, one entry per package
    const json = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1));
    const file = path.join(dest, json[0].filename);
    return { file, size: statSync(file).size, files: json[0].files.map((f) => f.path) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The entries of a zip file (a .vsix is one), read from its central directory: name, sizes,
 * compression method and where the entry starts. Enough for packages under 4 GiB (no ZIP64).
 */
export function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The content of the entry `name` of a zip file (stored or deflated). */
export function zipRead(file, name) {
  const entry = zipEntries(file).find((e) => e.name === name);
  if (!entry) throw new Error(`${file}: no entry ${name}`);
  const buf = readFileSync(file);
  const at = entry.offset;
  if (buf.readUInt32LE(at) !== 0x04034b50) throw new Error(`${file}: bad local header for ${name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${file}: ${name} uses compression method ${entry.method}`);
}

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, 'out-dir': { type: 'string' } },
  });
  const what = positionals[0] ?? 'vsix';
  if (what === 'vsix') {
    const { file, size } = await packageVsix(root, { out: values.out });
    const entries = zipEntries(file).filter((e) => e.name.startsWith('extension/'));
    process.stdout.write(`\n${path.relative(process.cwd(), file)}: ${kib(size)}, ${entries.length} files\n`);
  } else if (what === 'cli') {
    const { file, size, files } = await packCli(root, { outDir: values['out-dir'] });
    process.stdout.write(`\n${path.relative(process.cwd(), file)}: ${kib(size)}, ${files.join(', ')}\n`);
  } else {
    process.stderr.write(`package.mjs: unknown package ${what}; use vsix or cli\n`);
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`package.mjs: ${err.message}\n`);
    process.exitCode = 1;
  });
}
