// Runs a mocha suite inside the extension host of a real VS Code (code-server 4.99.4), the way
// VS Code's own browser integration tests do: the workbench URL carries a `payload` with
// extensionDevelopmentPath and extensionTestsPath, and the workbench reports the suite's exit code
// through `window.codeAutomationExit` (docs/testing.md, section 4). A purely headless run is not possible:
// code-server only starts an extension host for a connected workbench, so Chromium is needed.
//
// Two ways in, both built by `node test/e2e/run.mjs` into out/test/e2e/exthost-runner.js (executable):
//   * directly: exthost-runner.js --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [WORKSPACE]
//   * as `vscodeExecutablePath` of @vscode/test-electron's runTests(), or `useInstallation.fromPath`
//     of @vscode/test-cli: both spawn it with the arguments above plus Electron flags, ignored here.
// Exit status: the suite's exit code; 2 when the run could not be started or timed out.
// Environment: NETPOL_E2E_TIMEOUT_MS (default 300000), NETPOL_E2E_ARTIFACTS (where logs are kept),
// and everything else is passed on to code-server and so reaches the extension host.
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, type Browser } from './lib/browser';
import { e2eDir, startCodeServer, type CodeServer } from './lib/launcher';

export interface RunnerArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath: string;
  workspace?: string;
}

/** Parses the arguments test-electron and test-cli pass to a VS Code executable. */
export function parseRunnerArgs(argv: readonly string[]): RunnerArgs {
  const dev: string[] = [];
  let tests: string | undefined;
  let workspace: string | undefined;
  // Flags of the Electron/VS Code CLI that take a separate value; their values are not workspaces.
  const withValue = new Set([
    '--user-data-dir',
    '--extensions-dir',
    '--locale',
    '--profile',
    '--log',
    '--folder-uri',
    '--file-uri',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = splitFlag(arg);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--extensionDevelopmentPath') dev.push(path.resolve(value()));
    else if (flag === '--extensionTestsPath') tests = path.resolve(value());
    else if (withValue.has(flag) && inline === undefined) i++;
    else if (!arg.startsWith('-') && workspace === undefined) workspace = path.resolve(arg);
  }
  if (!dev.length) throw new Error('missing --extensionDevelopmentPath=<extension folder>');
  if (!tests) throw new Error('missing --extensionTestsPath=<module exporting run()>');
  for (const d of dev) {
    if (!existsSync(path.join(d, 'package.json'))) throw new Error(`${d} is not an extension folder (no package.json)`);
  }
  if (!existsSync(tests) && !existsSync(`${tests}.js`)) {
    throw new Error(`${tests} does not exist (build the tests first)`);
  }
  if (workspace !== undefined && !existsSync(workspace)) throw new Error(`workspace ${workspace} does not exist`);
  return { extensionDevelopmentPaths: dev, extensionTestsPath: tests, ...(workspace ? { workspace } : {}) };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

/** Runs the suite; resolves to its exit code. Never throws: failures to start give 2. */
export async function runInExtensionHost(args: RunnerArgs, signal?: AbortSignal): Promise<number> {
  const artifacts = process.env.NETPOL_E2E_ARTIFACTS ?? path.join(e2eDir(), 'artifacts', 'exthost');
  const timeoutMs = Number(process.env.NETPOL_E2E_TIMEOUT_MS ?? 300_000);
  mkdirSync(artifacts, { recursive: true });
  const say = (msg: string): void => {
    process.stdout.write(`[exthost-runner] ${msg}\n`);
  };
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let closeLog = (): void => undefined;
  const t0 = Date.now();
  try {
    server = await startCodeServer({ artifacts });
    say(`code-server ${server.url} ready in ${server.timings.readyMs} ms`);
    browser = await launchBrowser();
    const remote = (p: string): string => `vscode-remote://${server!.authority}${p.split(path.sep).join('/')}`;
    const payload = [
      ...args.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(args.extensionTestsPath.replace(/\.js$/, ''))],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    let settle: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      settle = resolve;
    });
    // The extension host's console calls (mocha's reporter among them) and the workbench's own log
    // lines both arrive here, as argument lists. All go to workbench.log; stdout skips the
    // workbench's known start-up chatter and the gallery lookup that fails offline (open-vsx.org),
    // unless NETPOL_E2E_VERBOSE=1.
    const workbenchLog = createWriteStream(path.join(artifacts, 'workbench.log'));
    closeLog = () => workbenchLog.end();
    const verbose = process.env.NETPOL_E2E_VERBOSE === '1';
    await browser.page.exposeFunction('codeAutomationLog', (type: string, message: unknown) => {
      const text = formatLog(message);
      workbenchLog.write(`[${type}] ${text}\n`);
      if (verbose || !WORKBENCH_NOISE.test(text)) {
        process.stdout.write(`${type === 'error' ? '[error] ' : ''}${text}\n`);
      }
    });
    // The workbench also passes its in-browser logs as a second argument; the server-side logs
    // (extension host, output channels) are copied from the user-data dir by stop().
    await browser.page.exposeFunction('codeAutomationExit', (code: unknown) => {
      settle(typeof code === 'number' ? code : 2);
    });
    const query: Record<string, string> = { payload: JSON.stringify(payload) };
    const url = args.workspace
      ? server.folderUrl(args.workspace, query)
      : `${server.url}/?${new URLSearchParams(query)}`;
    await browser.page.goto(url);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        say(`no result after ${timeoutMs} ms; giving up`);
        resolve(2);
      }, timeoutMs);
    });
    const aborted = new Promise<number>((resolve) => {
      if (signal?.aborted) resolve(130);
      signal?.addEventListener('abort', () => resolve(130), { once: true });
    });
    const code = await Promise.race([exited, timeout, aborted]);
    clearTimeout(timer);
    say(`extension tests exited with ${code} after ${Date.now() - t0} ms`);
    if (code !== 0) say(`logs: ${artifacts}\n--- code-server log (last 25 lines) ---\n${server.logTail(25)}`);
    return code;
  } catch (err) {
    say(`could not run the extension tests: ${(err as Error).message}`);
    return 2;
  } finally {
    closeLog();
    browser?.saveConsole(path.join(artifacts, 'browser-console.log'));
    await browser?.close();
    await server?.stop();
  }
}

const WORKBENCH_NOISE = new RegExp(
  [
    '^Resolv(ing|ed) connection token',
    '^Creating a socket',
    '^ChatSessionStore:',
    '^Updating additional builtin extensions',
    '^\\[Service Worker\\]',
    'ENOTFOUND open-vsx\\.org',
  ].join('|'),
);

/** The extension host's console calls arrive as their argument lists, e.g. ["%d passing", 3]. */
function formatLog(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return format(...(message as unknown[]));
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}

if (require.main === module) {
  let args: RunnerArgs;
  try {
    args = parseRunnerArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `exthost-runner: ${(err as Error).message}\n` +
        'usage: exthost-runner --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [WORKSPACE]\n',
    );
    process.exit(2);
  }
  const abort = new AbortController();
  const interrupt = (): void => {
    if (abort.signal.aborted) process.exit(130);
    process.stdout.write('[exthost-runner] interrupted; stopping code-server\n');
    abort.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  void runInExtensionHost(args, abort.signal).then((code) => {
    process.exitCode = code;
  });
}
