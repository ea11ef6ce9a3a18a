/**
 * client-go's client-side rate limit (flowcontrol.NewTokenBucketRateLimiter, as
 * `--kube-api-qps` / `--kube-api-burst` configure it): `qps` tokens a second up to `burst`, one
 * per request, a request without a token waits for the next. Waiting takes a reservation
 * (golang.org/x/time/rate's), so callers go in the order they asked, with no queue to keep.
 * Cluster time: at KUBEQ_TIME_SCALE=10, 20 qps is 200 requests a second of wall time.
 *
 * Written here rather than taken from a package: it is these ten lines, and it must follow the
 * simulated clock.
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private readonly perMs: number;

  constructor(
    qps: number,
    private readonly burst: number,
    timeScale = 1,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`rate limit needs qps > 0 and burst >= 1, got ${qps} and ${burst}`);
    this.perMs = (qps * timeScale) / 1000;
    this.tokens = burst;
  }

  /** Resolves when this request may go. */
  take(): Promise<void> {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, -this.tokens / this.perMs));
  }
}
