// The tests' waiting helper (test/support/wait.ts): polls until a value comes or the deadline passes.
import { strict as assert } from 'node:assert';
import { poll, until } from '../support/wait';

describe('test helper: poll and until', () => {
  it('returns the first value that is not undefined, null or false, probing again in between', async () => {
    const answers: unknown[] = [undefined, null, false, 0, 'x'];
    let calls = 0;
    assert.equal(await poll(() => answers[calls++] as number | undefined, { intervalMs: 1 }), 0);
    assert.equal(calls, 4, '0 is a value');
    assert.equal(await poll(async () => 'now'), 'now');
  });

  it('gives up at the deadline after a last probe, and until says what it waited for', async () => {
    let calls = 0;
    assert.equal(
      await poll(
        () => {
          calls++;
          return false;
        },
        { timeoutMs: 30, intervalMs: 10 },
      ),
      undefined,
    );
    assert.ok(calls >= 2, `${calls} probes`);
    await assert.rejects(
      until('the moon', () => undefined, { timeoutMs: 5 }),
      /timed out after 5 ms waiting for the moon/,
    );
  });

  it('lets a failing probe fail the wait', async () => {
    await assert.rejects(
      poll(() => {
        throw new Error('server exited');
      }),
      /server exited/,
    );
  });
});
