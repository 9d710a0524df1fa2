// Starts the pinned code-server (VS Code 1.99.3) for one test run, isolated from the machine:
// config, XDG dirs, user data and extensions all live in a fresh temp root; it binds 127.0.0.1 on a
// port the kernel picks; stop() ends its whole process group and removes the temp root.
// How and why: docs/testing.md, sections 2 and 5.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { poll } from '../../support/wait';

/** test/e2e, found from this file whether it runs from source (tsx) or from a bundle under out/. */
export function e2eDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'e2e'))) {
      return path.join(dir, 'test', 'e2e');
    }
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the project root (package.json with test/e2e) above ${__dirname}`);
}

/** The code-server entry installed by test/e2e/setup.sh. */
export function codeServerBin(): string {
  const bin =
    process.env.NETPOL_E2E_CODE_SERVER ??
    path.join(e2eDir(), 'code-server-host', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(bin)) {
    throw new Error(`code-server is not installed (${bin} is missing). Run: bash test/e2e/setup.sh`);
  }
  return bin;
}

/** Settings that keep a fresh workbench quiet and offline (docs/testing.md, section 2). */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 200,
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
};

export interface ExtensionSource {
  /** A .vsix file, installed with `code-server --install-extension`. */
  vsix?: string;
  /** A built extension folder (package.json + dist/), copied into the extensions dir. */
  folder?: string;
}

/** The extension a spec installs, from its `--vsix FILE` or `--extension-folder DIR` flag (one is required). */
export function extensionFromFlags(flags: { readonly [flag: string]: unknown }): ExtensionSource {
  const vsix = flags.vsix;
  const folder = flags['extension-folder'];
  if (typeof vsix === 'string' && vsix) return { vsix: path.resolve(vsix) };
  if (typeof folder === 'string' && folder) return { folder: path.resolve(folder) };
  throw new Error('pass --vsix FILE or --extension-folder DIR');
}

export interface StartOptions {
  /** Extensions to install before start-up. */
  extensions?: ExtensionSource[];
  /** Settings merged over QUIET_SETTINGS into the user settings.json. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (it reaches the extension host and our language server). */
  env?: Record<string, string>;
  /**
   * Folder that receives code-server.log and VS Code's logs (vscode-logs/: extension host, our
   * language server's output channel) on stop(); the temp root itself is always removed.
   */
  artifacts?: string;
  /** How long to wait for /healthz; default 60 s. */
  readyTimeoutMs?: number;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The `vscode-remote://` authority of this server, for payload URIs. */
  readonly authority: string;
  readonly root: string;
  readonly logPath: string;
  /** Milliseconds spent installing extensions and until /healthz answered. */
  readonly timings: { installMs: number; readyMs: number };
  /** The last `lines` lines of code-server's log (stdout and stderr). */
  logTail(lines?: number): string;
  /** The last `lines` lines of each VS Code log file whose path matches `match` (e.g. /exthost\.log$/). */
  vscodeLogTail(match: RegExp, lines?: number): string;
  /** Workbench URL that opens `folder`, with optional extra query parameters. */
  folderUrl(folder: string, query?: Record<string, string>): string;
  stop(): Promise<void>;
}

/** Process groups started here and not stopped yet, with their temp roots. */
const live = new Map<number, string>();

/**
 * Last resort when the test process ends without stop() (an uncaught error, process.exit in a
 * signal handler): SIGKILL each group we started and remove its temp root. Synchronous, as 'exit'
 * handlers must be.
 */
function killLiveGroupsSync(): void {
  for (const [pgid, root] of live) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone already */
    }
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
  live.clear();
}
process.once('exit', killLiveGroupsSync);

/**
 * Makes SIGINT/SIGTERM end the process through process.exit, so that the 'exit' hook above stops
 * code-server (a detached group does not get the terminal's Ctrl+C). For scripts without their
 * own handling.
 */
export function exitOnSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`${sig}: stopping code-server\n`);
      process.exit(130);
    });
  }
}

/** Starts code-server; throws (after cleaning up) with the log tail when it does not come up. */
export async function startCodeServer(options: StartOptions = {}): Promise<CodeServer> {
  const bin = codeServerBin();
  const root = mkdtempSync(path.join(os.tmpdir(), 'netpol-e2e-cs-'));
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg', 'config'),
    xdgData: path.join(root, 'xdg', 'data'),
    xdgCache: path.join(root, 'xdg', 'cache'),
    tmp: path.join(root, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  const config = path.join(root, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const logPath = path.join(root, 'code-server.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
    // Set by a VS Code terminal; it would make code-server talk to that VS Code instead.
    VSCODE_IPC_HOOK_CLI: '',
    ...options.env,
  };
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const cleanup = (): void => {
    if (options.artifacts) {
      mkdirSync(options.artifacts, { recursive: true });
      if (existsSync(logPath)) writeFileSync(path.join(options.artifacts, 'code-server.log'), readFileSync(logPath));
      const logs = path.join(dirs.userData, 'logs');
      if (existsSync(logs)) {
        rmSync(path.join(options.artifacts, 'vscode-logs'), { recursive: true, force: true });
        cpSync(logs, path.join(options.artifacts, 'vscode-logs'), { recursive: true });
      }
    }
    rmSync(root, { recursive: true, force: true });
  };

  const t0 = Date.now();
  try {
    for (const ext of options.extensions ?? []) installExtension(bin, common, env, ext, dirs.extensions, logPath);
  } catch (err) {
    cleanup();
    throw err;
  }
  const installMs = Date.now() - t0;

  const t1 = Date.now();
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      bin,
      ...common,
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--disable-proxy',
    ],
    { env, cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid !== undefined) live.set(child.pid, root);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', () => {
      exited ??= { code: null, signal: null };
      resolve();
    });
  });

  const tail = (lines = 40): string => tailOf(logPath, lines) ?? '(no code-server log)';
  const vscodeLogTail = (match: RegExp, lines = 20): string => {
    const files = listFiles(path.join(dirs.userData, 'logs')).filter((f) => match.test(f));
    if (!files.length) return `(no VS Code log matches ${match})`;
    return files.map((f) => `== ${path.relative(dirs.userData, f)}\n${tailOf(f, lines) ?? '(unreadable)'}`).join('\n');
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killGroup(child, exitPromise, () => exited !== undefined);
    if (child.pid !== undefined) live.delete(child.pid);
    log.end();
    cleanup();
  };

  try {
    const port = await waitForPort(child, () => exited, options.readyTimeoutMs ?? 60_000);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealthz(url, () => exited, options.readyTimeoutMs ?? 60_000);
    const readyMs = Date.now() - t1;
    return {
      url,
      port,
      root,
      logPath,
      authority: `127.0.0.1:${port}`,
      timings: { installMs, readyMs },
      logTail: tail,
      vscodeLogTail,
      folderUrl: (folder, query = {}) => {
        const q = new URLSearchParams({ folder, ...query });
        return `${url}/?${q.toString()}`;
      },
      stop,
    };
  } catch (err) {
    const message = `${(err as Error).message}\n--- code-server log (last 40 lines) ---\n${tail()}`;
    await stop();
    throw new Error(message);
  }
}

function installExtension(
  bin: string,
  common: string[],
  env: NodeJS.ProcessEnv,
  ext: ExtensionSource,
  extensionsDir: string,
  logPath: string,
): void {
  if (ext.vsix) {
    const r = spawnSync(process.execPath, [bin, ...common, '--install-extension', ext.vsix, '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    writeFileSync(logPath, `$ code-server --install-extension ${ext.vsix}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`, {
      flag: 'a',
    });
    if (r.status !== 0 || !/was successfully installed/.test(r.stdout ?? '')) {
      throw new Error(
        `installing ${ext.vsix} failed (status ${r.status ?? r.signal}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`,
      );
    }
  } else if (ext.folder) {
    const manifest = JSON.parse(readFileSync(path.join(ext.folder, 'package.json'), 'utf8')) as {
      publisher?: string;
      name?: string;
      version?: string;
    };
    if (!manifest.publisher || !manifest.name || !manifest.version) {
      throw new Error(`${ext.folder}/package.json needs publisher, name and version`);
    }
    const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    copyExtensionFolder(ext.folder, target);
  } else {
    throw new Error('an extension source needs vsix or folder');
  }
}

/** Copies an extension folder without node_modules, sources, tests or VCS data. */
function copyExtensionFolder(from: string, to: string): void {
  const skip = new Set(['node_modules', '.git', 'test', 'out', '.vscode-test', 'src', 'bench-out']);
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(from, src);
      if (!rel) return true;
      const first = rel.split(path.sep)[0] ?? '';
      return !skip.has(first) && !rel.endsWith('.vsix');
    },
  });
}

function tailOf(file: string, lines: number): string | undefined {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-lines)
      .join('\n');
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: false }) as string[])
    .map((rel) => path.join(dir, rel))
    .filter((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}

function waitForPort(child: ChildProcess, exited: () => unknown, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
      if (m) {
        finish();
        resolve(Number(m[1]));
      }
      if (buffer.length > 100_000) buffer = buffer.slice(-10_000);
    };
    const onExit = (): void => {
      finish();
      reject(new Error(`code-server exited before listening (${describeExit(exited())})`));
    };
    const onError = (err: Error): void => {
      finish();
      reject(new Error(`code-server could not be started: ${err.message}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`code-server did not log its port within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function waitForHealthz(url: string, exited: () => unknown, timeoutMs: number): Promise<void> {
  const ok = await poll(
    async () => {
      if (exited()) throw new Error(`code-server exited before /healthz answered (${describeExit(exited())})`);
      return get(`${url}/healthz`);
    },
    { timeoutMs, intervalMs: 200 },
  );
  if (!ok) throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs} ms`);
}

function get(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** SIGTERM to the process group we created, SIGKILL after 5 s (docs/testing.md, section 2). */
async function killGroup(child: ChildProcess, exitPromise: Promise<void>, hasExited: () => boolean): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* group already gone */
    }
  };
  signal('SIGTERM');
  await withTimeout(exitPromise, 5000);
  // The leader may be gone while helpers (file watcher, extension host) linger: give the whole group
  // up to 2 s to follow the SIGTERM, then kill what is left.
  await poll(() => hasExited() && !groupAlive(pid), { timeoutMs: 2000 });
  if (!hasExited() || groupAlive(pid)) signal('SIGKILL');
  await withTimeout(exitPromise, 2000);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function describeExit(e: unknown): string {
  const x = e as { code: number | null; signal: string | null } | undefined;
  return x ? `code ${x.code ?? '-'}, signal ${x.signal ?? '-'}` : 'still running';
}

/** Resolves when `p` settles or after `ms`, whichever is first; never leaves a timer behind. */
export async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p.then(
        () => undefined,
        () => undefined,
      ),
      new Promise<void>((r) => {
        timer = setTimeout(r, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
