/**
 * The cluster clock: every simulated period, delay and timestamp in role code comes from here,
 * never from `Date.now()` or `setTimeout` directly, so a later virtual-time mode is a change to
 * this file alone. `KUBEQ_TIME_SCALE=10` runs every period ten times faster.
 */
export interface Clock {
  /** The cluster's current time. */
  now(): Date;
  /** Real milliseconds to wait for a period of `simulatedMs` cluster milliseconds. */
  scaled(simulatedMs: number): number;
  /** Waits `simulatedMs` cluster milliseconds. */
  sleep(simulatedMs: number): Promise<void>;
}

export function realClock(timeScale = 1): Clock {
  return {
    now: () => new Date(),
    scaled: (ms) => Math.max(1, Math.round(ms / timeScale)),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.round(ms / timeScale)))),
  };
}
