import { randomUUID } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ObjectKey } from '../api/types';
import { queueMetrics, type QueueMetrics } from '../metrics/workqueue';
import { ITEM_BACKOFF } from './backoff';
import { QueueKeys } from './keys';
import { DEFAULT_LINK_LIMITS, recordLinks, takeLinks, type LinkLimits } from './links';

/** Why a key should be reconciled: the key, and the traceparent of the write that caused it ('' for none). */
export interface Trigger {
  key: ObjectKey;
  traceparent: string;
}

/** A job's whole data: a key and the trigger's trace, never object state (DESIGN invariant 2). */
export type JobData = Trigger;

export interface WorkQueueOptions {
  /** Queue name; by convention the role (`controller-manager`), or `<role>:<instance>` for per-instance work. */
  name: string;
  /** BullMQ key prefix: the store prefix, a hash tag such as `{kubeq}`. */
  prefix: string;
  /** Connection for adds; shared, not closed by `close()`. Needs `maxRetriesPerRequest: null` if a worker shares it. */
  connection: Redis;
  /** Limits of the coalesced-trigger lists (span links). Defaults: 32 per key, 1 h TTL. */
  links?: Partial<LinkLimits>;
  /** Where the workqueue metrics go. Default the process registry. */
  registry?: Registry;
}

export interface EnqueueResult {
  /** Keys that got a new waiting job. */
  added: number;
  /**
   * Triggers folded into a job that already existed for their key: a waiting or delayed one,
   * or the key's active one (then the key runs once more after it; BullMQ does not tell which).
   */
  coalesced: number;
}

const ADD_CHUNK = 500;

/**
 * client-go's workqueue on BullMQ: at most one job per key is waiting or delayed and at most
 * one is active; adds to a waiting key coalesce; an add while the key is active runs it once
 * more afterwards (`keepLastIfActive`); an add to a key waiting out a backoff or a requeueAfter
 * runs it now (`reschedule`). Jobs are removed when they finish, so a key can always come back.
 */
export class WorkQueue {
  readonly name: string;
  readonly keys: QueueKeys;
  readonly bull: Queue<JobData>;
  readonly metrics: QueueMetrics;
  readonly connection: Redis;
  private readonly linkLimits: LinkLimits;

  constructor(opts: WorkQueueOptions) {
    this.name = opts.name;
    this.connection = opts.connection;
    this.keys = new QueueKeys(opts.prefix, opts.name);
    this.linkLimits = { ...DEFAULT_LINK_LIMITS, ...opts.links };
    this.bull = new Queue<JobData>(opts.name, { connection: opts.connection, prefix: opts.prefix });
    this.metrics = queueMetrics(opts.name, opts.registry);
    this.metrics.depthFrom(() => this.depth());
  }

  /** Enqueues one key; true when it made a new job, false when it was coalesced into one. */
  async enqueue(key: ObjectKey, traceparent = ''): Promise<boolean> {
    return (await this.enqueueBulk([{ key, traceparent }])).added === 1;
  }

  /**
   * Enqueues many keys with `addBulk` (a pipeline, not a transaction). Repeated keys collapse
   * to one add; the first trigger of a new job becomes its parent trace, every other trigger a
   * span link of the run that serves it.
   */
  async enqueueBulk(triggers: Iterable<Trigger>): Promise<EnqueueResult> {
    const byKey = new Map<ObjectKey, string[]>();
    for (const t of triggers) {
      const list = byKey.get(t.key);
      if (list) list.push(t.traceparent);
      else byKey.set(t.key, [t.traceparent]);
    }
    const all = [...byKey];
    const result: EnqueueResult = { added: 0, coalesced: 0 };
    for (let i = 0; i < all.length; i += ADD_CHUNK) {
      const chunk = all.slice(i, i + ADD_CHUNK).map(([key, traceparents]) => ({ key, traceparents, jobId: randomUUID() }));
      const jobs = await this.bull.addBulk(
        chunk.map((c) => ({ name: 'reconcile', data: { key: c.key, traceparent: c.traceparents[0] }, opts: jobOptions(c.key, c.jobId) })),
      );
      const extra = new Map<ObjectKey, string[]>();
      chunk.forEach((c, j) => {
        // BullMQ answers a deduplicated add with the existing job's id and no other flag.
        const isNew = jobs[j].id === c.jobId;
        if (isNew) result.added++;
        result.coalesced += c.traceparents.length - (isNew ? 1 : 0);
        const links = isNew ? c.traceparents.slice(1) : c.traceparents;
        if (links.some(Boolean)) extra.set(c.key, links);
      });
      await recordLinks(this.connection, this.keys, extra, this.linkLimits);
    }
    this.metrics.added(result.added);
    return result;
  }

  /** Reads and clears the coalesced triggers of `key` (without the job's own `parent`). */
  takeLinks(key: ObjectKey, parent = ''): Promise<string[]> {
    return takeLinks(this.connection, this.keys, key, parent);
  }

  /** True while an add that arrived during the key's active run waits to become its next job. */
  async hasPendingNext(key: ObjectKey): Promise<boolean> {
    return (await this.connection.exists(this.keys.pendingNext(key))) === 1;
  }

  /** Keys ready to run (waiting), as client-go's depth counts them: not the active, not the delayed. */
  async depth(): Promise<number> {
    const counts = await this.bull.getJobCounts('wait', 'prioritized');
    return (counts.wait ?? 0) + (counts.prioritized ?? 0);
  }

  async close(): Promise<void> {
    await this.bull.close();
  }
}

/**
 * Every job's options. `attempts` is effectively unbounded: a failing key backs off (at most
 * 1000 s) until it succeeds, as client-go retries forever; only a TerminalError stops it.
 */
export function jobOptions(key: ObjectKey, jobId: string): JobsOptions {
  return {
    jobId,
    deduplication: { id: key, keepLastIfActive: true, reschedule: true },
    removeOnComplete: true,
    removeOnFail: true,
    attempts: Number.MAX_SAFE_INTEGER,
    backoff: { type: ITEM_BACKOFF },
  };
}
