import type { ObjectKey } from '../api/types';

/**
 * Redis keys of one work queue beside BullMQ's own, built in one place. BullMQ keeps a queue
 * under `<prefix>:<queue>:…`; ours live there too, so obliterating the queue removes them and a
 * hash-tag prefix (`{kubeq}`) keeps them all in one Redis Cluster slot.
 */
export class QueueKeys {
  constructor(
    readonly prefix: string,
    readonly queue: string,
  ) {}

  /**
   * List of the traceparents of triggers that were coalesced into the key's next run, oldest
   * first; capped and with a TTL. The runner reads and clears it when a job for the key starts.
   */
  links(key: ObjectKey): string {
    return `${this.prefix}:${this.queue}:kq:links:${key}`;
  }

  /**
   * BullMQ's deduplication key (`de:<id>`, value the job id holding the key). BullMQ internal,
   * named here so that tests and diagnostics read it from one place.
   */
  dedup(key: ObjectKey): string {
    return `${this.prefix}:${this.queue}:de:${key}`;
  }

  /**
   * BullMQ's keepLastIfActive stash (`dn:<id>`): present while an add that arrived during the
   * key's active run waits to become the next job. BullMQ internal (bullmq 6.x scripts).
   */
  pendingNext(key: ObjectKey): string {
    return `${this.prefix}:${this.queue}:dn:${key}`;
  }
}
