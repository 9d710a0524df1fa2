// The one place where netpol-lens runs other programs (kubectl, kustomize, helm) to render
// environments. A program runs only when the caller says the workspace is trusted, without a
// shell (an argument array), in a working folder the caller names, with a small environment (the
// variables a renderer needs to find its own configuration, nothing else), standard input closed,
// a time limit and a cap on its output: past either, the program and everything it started (its
// process group) are killed and the result says why. Nothing here throws.

import { spawn } from 'node:child_process';

export interface RunRequest {
  /** A program name looked up on PATH, or an absolute path. */
  readonly command: string;
  readonly args: readonly string[];
  /** The working folder (absolute). */
  readonly cwd: string;
  /** False in an untrusted workspace: nothing is run. */
  readonly trusted: boolean;
  readonly timeoutMs: number;
  /** Bytes of standard output and standard error together. */
  readonly maxOutputBytes: number;
}

export type RunFailure = 'untrusted' | 'missing' | 'not-executable' | 'failed' | 'timeout' | 'too-large';

export type RunResult =
  | { readonly ok: true; readonly stdout: string; readonly stderr: string; readonly ms: number }
  | {
      readonly ok: false;
      readonly reason: RunFailure;
      /** What happened, in one sentence (without the program's own words). */
      readonly message: string;
      /** The program's standard error (or output), trimmed: its own error message. */
      readonly detail: string;
      readonly ms: number;
    };

/** The variables passed on: where programs, home, temporary files, proxies and the renderers' own settings are. */
const PASSED =
  /^(PATH|HOME|USERPROFILE|SYSTEMROOT|WINDIR|TMPDIR|TEMP|TMP|LANG|LC_ALL|XDG_[A-Z_]+|HELM_[A-Z_]+|KUSTOMIZE_[A-Z_]+|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy)$/;

export function minimalEnv(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) if (v !== undefined && PASSED.test(k)) out[k] = v;
  return out;
}

/** The last lines of a program's error output, for a message (at most `max` characters). */
export function trimDetail(text: string, max = 600): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  let out = lines.join('\n');
  if (out.length > max) out = `…${out.slice(out.length - max + 1)}`;
  return out;
}

/** Programs still running: killed when this process exits (a render must not outlive the CLI). */
const live = new Set<number>();
let exitHook = false;

function track(pid: number | undefined): void {
  if (pid === undefined) return;
  live.add(pid);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of live) kill(p);
    });
  }
}

function kill(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // the process group (detached below): kubectl kustomize --enable-helm starts helm, for instance
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs a program as described above. */
export function runProgram(req: RunRequest): Promise<RunResult> {
  if (!req.trusted) {
    return Promise.resolve({
      ok: false,
      reason: 'untrusted',
      message: 'the workspace is not trusted, so no program is run',
      detail: '',
      ms: 0,
    });
  }
  return execute(req);
}

/** Spawns the program and collects its output under the limits. */
function execute(req: RunRequest): Promise<RunResult> {
  const started = Date.now();
  const ms = (): number => Date.now() - started;
  return new Promise((resolve) => {
    let done = false;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const finish = (r: RunResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child?.pid !== undefined) live.delete(child.pid);
      resolve(r);
    };
    const fail = (reason: RunFailure, message: string): void =>
      finish({ ok: false, reason, message, detail: trimDetail(Buffer.concat(err).toString('utf8')), ms: ms() });
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(req.command, [...req.args], {
        cwd: req.cwd,
        env: minimalEnv(),
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (e) {
      resolve({ ok: false, reason: 'failed', message: (e as Error).message, detail: '', ms: ms() });
      return;
    }
    track(child.pid);
    const timer = setTimeout(() => {
      kill(child.pid);
      fail('timeout', `${req.command} did not finish within ${Math.round(req.timeoutMs / 100) / 10} s and was stopped`);
    }, req.timeoutMs);
    const take = (into: Buffer[]) => (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      if (bytes > req.maxOutputBytes) {
        kill(child.pid);
        fail(
          'too-large',
          `the output of ${req.command} exceeded ${formatBytes(req.maxOutputBytes)} and it was stopped`,
        );
        return;
      }
      into.push(chunk);
    };
    child.stdout?.on('data', take(out));
    child.stderr?.on('data', take(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') fail('missing', `${req.command} was not found`);
      else if (e.code === 'EACCES') fail('not-executable', `${req.command} cannot be run (not executable)`);
      else fail('failed', `${req.command} could not be started: ${e.code ?? e.message}`);
    });
    child.on('close', (code, signal) => {
      if (done) return;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) {
        finish({ ok: true, stdout, stderr, ms: ms() });
        return;
      }
      finish({
        ok: false,
        reason: 'failed',
        message: `${req.command} failed (${signal ? `signal ${signal}` : `exit status ${code}`})`,
        detail: trimDetail(stderr || stdout),
        ms: ms(),
      });
    });
  });
}

export function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}
