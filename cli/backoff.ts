/** How long the supervisor waits before restarting a role that died. */
export interface BackoffOptions {
  /** First delay, default 1 s. */
  initialMs?: number;
  /** Ceiling, default 30 s; each quick death doubles the delay up to it. */
  maxMs?: number;
  /** A run at least this long, default 60 s, counts as healthy: the next delay is `initialMs` again. */
  resetAfterMs?: number;
}

export type ResolvedBackoffOptions = Required<BackoffOptions>;

export function resolveBackoff(opts: BackoffOptions = {}): ResolvedBackoffOptions {
  return { initialMs: opts.initialMs ?? 1000, maxMs: opts.maxMs ?? 30_000, resetAfterMs: opts.resetAfterMs ?? 60_000 };
}

/** Restart delays for one role: 1 s, 2 s, 4 s … 30 s, back to 1 s after a run of 60 s. */
export class RestartBackoff {
  private readonly opts: ResolvedBackoffOptions;
  /** The delay the next quick death gets. */
  private nextMs: number;

  constructor(opts: BackoffOptions = {}) {
    this.opts = resolveBackoff(opts);
    this.nextMs = this.opts.initialMs;
  }

  /** The delay before restarting a process that ran for `ranMs`. */
  next(ranMs: number): number {
    if (ranMs >= this.opts.resetAfterMs) this.nextMs = this.opts.initialMs;
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.opts.maxMs);
    return delay;
  }
}
