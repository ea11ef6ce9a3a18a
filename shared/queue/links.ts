import type { Redis } from 'ioredis';
import type { ObjectKey } from '../api/types';
import type { QueueKeys } from './keys';

export interface LinkLimits {
  /** Traceparents kept per key; older ones are dropped. Default 32. */
  maxLinks: number;
  /** Lifetime of a key's list after its last trigger, in ms. Default 1 h. */
  ttlMs: number;
}

export const DEFAULT_LINK_LIMITS: LinkLimits = { maxLinks: 32, ttlMs: 3_600_000 };

/**
 * Remembers the traceparents of triggers that were coalesced into a key's existing job, so the
 * run that serves them can link to them. Best effort: one pipeline, not atomic with the add, so
 * a trigger recorded just after its job started is linked by the key's next run instead.
 */
export async function recordLinks(redis: Redis, keys: QueueKeys, byKey: Map<ObjectKey, string[]>, limits: LinkLimits): Promise<void> {
  const pipeline = redis.pipeline();
  let commands = 0;
  for (const [key, traceparents] of byKey) {
    const kept = traceparents.filter(Boolean);
    if (!kept.length) continue;
    const list = keys.links(key);
    pipeline.rpush(list, ...kept).ltrim(list, -limits.maxLinks, -1).pexpire(list, limits.ttlMs);
    commands++;
  }
  if (commands) await pipeline.exec();
}

/** Reads and clears the traceparents coalesced into `key`'s run, oldest first, without `except`. */
export async function takeLinks(redis: Redis, keys: QueueKeys, key: ObjectKey, except = ''): Promise<string[]> {
  const list = keys.links(key);
  const replies = await redis.multi().lrange(list, 0, -1).del(list).exec();
  const traceparents = (replies?.[0]?.[1] as string[] | undefined) ?? [];
  return [...new Set(traceparents)].filter((tp) => tp && tp !== except);
}
