import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link, type Span } from '@opentelemetry/api';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseObjectKey } from '../api/types';
import { contextFromTraceparent, linkFromTraceparent } from '../tracing/propagation';
import { itemBackoffMs, type BackoffOptions } from './backoff';
import { TerminalError, type Reconciler, type ReconcileResult } from './reconcile';
import { kindFromResource, reconcileAttributes, reconcileSpanName } from './span';
import type { JobData, WorkQueue } from './workqueue';

export interface RunnerOptions {
  queue: WorkQueue;
  /** The reconcile; its contract (done, requeueAfter, backoff, terminal) is on `Reconciler`. */
  reconcile: Reconciler;
  /** Names the BullMQ worker (`processedBy` on jobs). Default the queue name. */
  role?: string;
  /** Keys reconciled in parallel by this process (never two runs of one key). Default 1. */
  concurrency?: number;
  /** Resource → Kind for span names (`reconcile Pod`). Default a table of known kinds, else a singular guess. */
  kindOf?: (resource: string) => string;
  /** Per-key backoff after errors. Default 5 ms × 2^(n−1), at most 1000 s. */
  backoff?: BackoffOptions;
  /**
   * How long a job's lock lasts unless renewed (renewed every half of it). A dead worker's keys run
   * again after about this plus `stalledIntervalMs`. Default 10,000: a killed role's keys come back
   * within about 15 s (BullMQ's 30 s + 30 s left a crashed controller's keys stuck for a minute).
   */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock lapsed. Default 5,000. */
  stalledIntervalMs?: number;
  /** Worker connection (`maxRetriesPerRequest: null`); BullMQ adds a blocking duplicate. Default the queue's. */
  connection?: Redis;
  /** Worker errors (Redis trouble, lost locks). Default: written to stderr. */
  onError?: (err: Error) => void;
}

export interface Runner {
  readonly worker: Worker<JobData>;
  /** Stops taking keys and waits for the runs in flight to finish (call on SIGTERM); `force` does not wait. */
  close(force?: boolean): Promise<void>;
}

const tracer = trace.getTracer('kubeq');

/** Starts a BullMQ worker that runs `reconcile` for the queue's keys under the `Reconciler` contract. */
export function runReconciler(opts: RunnerOptions): Runner {
  const { queue, reconcile } = opts;
  const kindOf = opts.kindOf ?? kindFromResource;
  const onError = opts.onError ?? ((err: Error) => console.error(`[${queue.name}] worker error: ${err.message}`));

  async function processJob(job: Job<JobData>, token?: string): Promise<void> {
    const { key, traceparent } = job.data;
    const queued = job.attemptsStarted <= 1 && job.processedOn ? (job.processedOn - job.timestamp) / 1000 : undefined;
    const done = queue.metrics.started(queued);
    try {
      const links = (await queue.takeLinks(key, traceparent)).map(linkFromTraceparent).filter((l): l is Link => l !== undefined);
      const attributes = { ...reconcileAttributes(key), 'kubeq.queue': queue.name, 'kubeq.failures': job.attemptsMade, 'kubeq.coalesced': links.length };
      const parent = contextFromTraceparent(traceparent, ROOT_CONTEXT);
      await tracer.startActiveSpan(reconcileSpanName(key, kindOf), { kind: SpanKind.CONSUMER, links, attributes }, parent, (span) =>
        runOnce(job, token, span),
      );
    } finally {
      done();
    }
  }

  async function runOnce(job: Job<JobData>, token: string | undefined, span: Span): Promise<void> {
    const { key } = job.data;
    try {
      assertKey(key);
      const result: ReconcileResult | void = await reconcile(key, { span, failures: job.attemptsMade });
      const after = result?.requeueAfter;
      if (after !== undefined && after > 0) await requeueAfter(job, token, after, span);
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const error = err instanceof Error ? err : new Error(String(err));
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      if (error instanceof TerminalError) {
        span.setAttribute('kubeq.terminal', true);
        throw new UnrecoverableError(error.message);
      }
      queue.metrics.retried();
      // A change arrived during this run: finishing lets it run now instead of after the backoff
      // (client-go's dirty set); the failure count restarts with the new job.
      if (await queue.hasPendingNext(key)) return;
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * Puts the job back as delayed without using an attempt. When a change to the key already
   * waits (stashed while this run was active), finishing now serves it sooner, and that run
   * decides its own requeueAfter; a change stashed during the move promotes the job instead.
   */
  async function requeueAfter(job: Job<JobData>, token: string | undefined, ms: number, span: Span): Promise<void> {
    if (await queue.hasPendingNext(job.data.key)) return;
    span.setAttribute('kubeq.requeue_after_ms', ms);
    await job.moveToDelayed(Date.now() + ms, token);
    queue.metrics.retried();
    if (await queue.hasPendingNext(job.data.key)) await job.promote().catch(() => undefined);
    throw new DelayedError();
  }

  const worker = new Worker<JobData>(queue.name, processJob, {
    connection: opts.connection ?? queue.connection,
    prefix: queue.keys.prefix,
    name: opts.role ?? queue.name,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? 10_000,
    stalledInterval: opts.stalledIntervalMs ?? 5_000,
    // A crash must never drop a key: stalled jobs go back to wait however often it happens.
    maxStalledCount: Number.MAX_SAFE_INTEGER,
    settings: { backoffStrategy: (attemptsMade: number) => itemBackoffMs(attemptsMade, opts.backoff) },
  });
  worker.on('error', onError);
  // A change stashed after runOnce looked for one, before BullMQ moved the job to delayed: run now, not after the backoff.
  worker.on('failed', (job, err) => {
    if (!job || job.finishedOn || err instanceof UnrecoverableError) return;
    queue.hasPendingNext(job.data.key).then(
      (pending) => (pending ? job.promote().catch(() => undefined) : undefined),
      (e: Error) => onError(e),
    );
  });
  return { worker, close: (force = false) => worker.close(force) };
}

/** A key that does not parse can never reconcile: terminal. */
function assertKey(key: string): void {
  try {
    parseObjectKey(key);
  } catch (err) {
    throw new TerminalError((err as Error).message);
  }
}
