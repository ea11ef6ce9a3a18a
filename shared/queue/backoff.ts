/** The name jobs carry in `opts.backoff.type`; the runner's worker supplies the strategy. */
export const ITEM_BACKOFF = 'kubeq-item-exponential';

export interface BackoffOptions {
  /** Delay after the first failure, in ms. Default 5 (client-go's DefaultItemBasedRateLimiter). */
  baseMs?: number;
  /** Longest delay, in ms. Default 1,000,000 (1000 s). */
  maxMs?: number;
}

/**
 * client-go's ItemExponentialFailureRateLimiter: the n-th consecutive failure of a key waits
 * base × 2^(n−1), capped at max. `failures` counts from 1; anything below is treated as 1.
 */
export function itemBackoffMs(failures: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 5;
  const max = opts.maxMs ?? 1_000_000;
  const exp = Math.max(0, Math.floor(failures) - 1);
  return Math.min(max, base * 2 ** Math.min(exp, 60));
}
