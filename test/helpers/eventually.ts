/**
 * Polls `fn` until it gives a value (anything but undefined or false) and returns it; fails with
 * `timed out waiting for <what>` after `timeoutMs`. For tests that watch real processes converge.
 * `what` may be a function: it is called at the timeout, so the message can say what was last seen.
 */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string | (() => string), timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
