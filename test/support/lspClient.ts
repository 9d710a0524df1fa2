// A small LSP client for protocol-level tests and benchmarks: starts the built server over
// stdio, answers workspace/configuration, records published diagnostics.

import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Array<{
    code?: string | number;
    message: string;
    severity?: number;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    data?: unknown;
    source?: string;
  }>;
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, Published>();
  /** Refresh requests received from the server, per method. */
  readonly refreshes = new Map<string, number>();
  /** Every request received from the server (refreshes, configuration reads, ...), per method. */
  readonly serverRequests = new Map<string, number>();
  private requestWaiters: Array<{ method: string; count: number; resolve: (n: number) => void }> = [];
  /** How many times diagnostics were published per URI. */
  readonly publishCount = new Map<string, number>();
  private waiters: Array<{ pred: (p: Published) => boolean; resolve: (p: Published) => void }> = [];
  private statusWaiters: Array<{
    pred: (s: Record<string, unknown>) => boolean;
    resolve: (s: Record<string, unknown>) => void;
  }> = [];
  lastStatus: Record<string, unknown> | null = null;
  stderr = '';
  settings: Record<string, unknown> = {};
  filesExclude: Record<string, boolean> = {};

  constructor(serverPath = path.resolve(__dirname, '../../dist/server.js'), nodeArgs: string[] = []) {
    this.proc = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.conn = createMessageConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.diagnostics.set(p.uri, p);
      this.publishCount.set(p.uri, (this.publishCount.get(p.uri) ?? 0) + 1);
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.conn.onNotification('netpolLens/indexStatus', (s: Record<string, unknown>) => {
      this.lastStatus = s;
      this.statusWaiters = this.statusWaiters.filter((w) => {
        if (w.pred(s)) {
          w.resolve(s);
          return false;
        }
        return true;
      });
    });
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => {
      const answer = p.items.map((i) =>
        i.section === 'netpolLens' ? this.settings : i.section === 'files.exclude' ? this.filesExclude : null,
      );
      this.received('workspace/configuration');
      return answer;
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    for (const m of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']) {
      this.conn.onRequest(m, () => {
        this.refreshes.set(m, (this.refreshes.get(m) ?? 0) + 1);
        this.received(m);
        return null;
      });
    }
    this.conn.onNotification('window/logMessage', () => {});
    this.conn.onNotification('$/progress', () => {});
    this.conn.listen();
  }

  async initialize(
    rootUri: string | null,
    capabilities: Record<string, unknown> = {},
    initializationOptions?: Record<string, unknown>,
  ): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      ...(initializationOptions ? { initializationOptions } : {}),
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        ...capabilities,
      },
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  /** Resolves with the first index status (by default the last one received too) that satisfies `pred`. */
  waitForStatus(
    pred: (s: Record<string, unknown>) => boolean = (s) => s.ready === true,
    timeoutMs = 60000,
    includeLast = true,
  ): Promise<Record<string, unknown>> {
    if (includeLast && this.lastStatus && pred(this.lastStatus)) return Promise.resolve(this.lastStatus);
    return withTimeout(new Promise((resolve) => this.statusWaiters.push({ pred, resolve })), timeoutMs, 'index status');
  }

  /** Counts a request from the server and wakes the tests waiting for it. */
  private received(method: string): void {
    const n = (this.serverRequests.get(method) ?? 0) + 1;
    this.serverRequests.set(method, n);
    this.requestWaiters = this.requestWaiters.filter((w) => {
      if (w.method !== method || n <= w.count) return true;
      w.resolve(n);
      return false;
    });
  }

  /**
   * Resolves (with the new count) once the server has sent request `method` more than `count`
   * times; by default, the next one from now.
   */
  waitForServerRequest(
    method: string,
    count = this.serverRequests.get(method) ?? 0,
    timeoutMs = 30000,
  ): Promise<number> {
    const now = this.serverRequests.get(method) ?? 0;
    if (now > count) return Promise.resolve(now);
    return withTimeout(
      new Promise((resolve) => this.requestWaiters.push({ method, count, resolve })),
      timeoutMs,
      `a ${method} request from the server`,
    );
  }

  /**
   * Changes the client's netpolLens settings and tells the server; resolves once the server has
   * read them (its workspace/configuration request is answered: later messages see them applied).
   */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    const read = this.waitForServerRequest('workspace/configuration');
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await read;
  }

  /** Resolves with the first publish (already received ones included) that satisfies `pred`. */
  waitForDiagnostics(pred: (p: Published) => boolean, timeoutMs = 30000, includeExisting = true): Promise<Published> {
    if (includeExisting) for (const p of this.diagnostics.values()) if (pred(p)) return Promise.resolve(p);
    return withTimeout(new Promise((resolve) => this.waiters.push({ pred, resolve })), timeoutMs, 'diagnostics');
  }

  open(uri: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: Array<{ range?: unknown; text: string }>): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  close(uri: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async shutdown(): Promise<void> {
    try {
      await withTimeout(this.conn.sendRequest('shutdown'), 5000, 'shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      // ignore
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await new Promise((r) => {
        const t = setTimeout(() => {
          this.proc.kill('SIGKILL');
          r(null);
        }, 3000);
        this.proc.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} after ${ms} ms`)), ms);
    }),
  ]);
}
