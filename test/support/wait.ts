// Waiting in tests without fixed sleeps: poll a condition until a deadline. (Where an event says
// that the state is reached, wait for that event instead, e.g. LspClient.waitForServerRequest.)

export interface PollOptions {
  /** How long to wait in all (default 30 s). */
  readonly timeoutMs?: number;
  /** Pause between two probes (default 50 ms). */
  readonly intervalMs?: number;
}

type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Probes until `probe` returns something other than undefined, null or false, and returns it; or
 * undefined once `timeoutMs` has passed (the probe runs at least once, and once more at the end).
 */
export async function poll<T>(probe: Probe<T>, opts: PollOptions = {}): Promise<T | undefined> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await pause(Math.min(opts.intervalMs ?? 50, left));
  }
}

/** Like poll, but fails when the time is up, saying what it waited for. */
export async function until<T>(what: string, probe: Probe<T>, opts: PollOptions = {}): Promise<T> {
  const v = await poll(probe, opts);
  if (v === undefined) throw new Error(`timed out after ${opts.timeoutMs ?? 30_000} ms waiting for ${what}`);
  return v;
}
