import type { Span } from '@opentelemetry/api';
import type { ObjectKey } from '../api/types';

/**
 * What a reconcile asks of the runner when it returns normally.
 * Returning nothing (or `{}`) means done: the key runs again only when something enqueues it.
 */
export interface ReconcileResult {
  /**
   * Run this key again after this many milliseconds, without counting a failure (a resync
   * for time-driven work: leases, grace periods, HPA periods). A change to the key that
   * arrives meanwhile runs it at once, as client-go's `Add` overtakes an `AddAfter`.
   */
  requeueAfter?: number;
}

export interface ReconcileContext {
  /** The `reconcile <Kind>` span the reconcile runs in; it is also the active span. */
  span: Span;
  /** Failed attempts of this key so far (0 on a first try; requeueAfter does not count). */
  failures: number;
}

/**
 * One reconcile entry: read the current state of `key`, act, write through the store.
 * The contract, carried out by the shared runner (`runReconciler`), never by the reconciler:
 *
 * - return (void or a `ReconcileResult` without `requeueAfter`) → done;
 * - return `{ requeueAfter: ms }` → the key comes back after `ms`, not as a failure;
 * - throw any error → the key is retried with per-key exponential backoff (client-go's item
 *   rate limiter: 5 ms × 2^(failures−1), at most 1000 s), without end, until a run succeeds;
 * - throw a `TerminalError` → the key is not retried (until something enqueues it again).
 *
 * A key is never reconciled by two workers at once, and a change that arrives while it runs
 * makes it run once more afterwards. Reconciling twice must be harmless (the job carries only
 * the key, never state).
 */
export type Reconciler = (key: ObjectKey, ctx: ReconcileContext) => Promise<ReconcileResult | void>;

/** An error that retrying cannot fix (a malformed key, an object the reconciler will never accept). */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}
