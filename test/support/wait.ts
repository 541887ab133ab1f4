import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` until it holds or the deadline passes (then throws): no fixed sleeps in tests. */
export async function waitFor(condition: () => boolean | Promise<boolean>, { timeoutMs = 5_000, intervalMs = 10, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
