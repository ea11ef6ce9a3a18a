import type { Redis } from 'ioredis';
import { gone } from '../api/status';
import type { KubeObject, ObjectKey } from '../api/types';
import type { StoreKeys } from './keys';

/** One change-log entry: what a write did, at which revision, under which trace. */
export interface ChangeEvent {
  revision: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: ObjectKey;
  /** The object after the write; for DELETED, the last state with the deletion's revision. */
  object: KubeObject;
  /** W3C traceparent of the write, '' when it was not traced. */
  traceparent: string;
}

type RawEntry = [id: string, fields: string[]];

export function parseEntry([id, fields]: RawEntry): ChangeEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  return {
    revision: Number(id.slice(0, id.indexOf('-'))),
    type: f.t as ChangeEvent['type'],
    key: f.k,
    object: JSON.parse(f.o) as KubeObject,
    traceparent: f.tp ?? '',
  };
}

export function revisionOfId(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

/** The oldest revision still in the log, or undefined when the log is empty. */
export async function oldestRevision(redis: Redis, keys: StoreKeys): Promise<number | undefined> {
  const first = (await redis.xrange(keys.log, '-', '+', 'COUNT', 1)) as RawEntry[];
  return first.length ? revisionOfId(first[0][0]) : undefined;
}

/**
 * Throws 410 Gone when changes after `revision` are no longer all in the log (trimmed),
 * worded as Kubernetes words it: `too old resource version: 5 (120)`.
 */
export async function assertRetained(redis: Redis, keys: StoreKeys, revision: number): Promise<void> {
  const [oldest, current] = await Promise.all([oldestRevision(redis, keys), redis.get(keys.revision)]);
  const cur = Number(current ?? 0);
  const firstKept = oldest ?? cur + 1;
  if (revision < firstKept - 1) throw gone(`too old resource version: ${revision} (${firstKept - 1})`);
}

/**
 * Up to `count` changes after `revision`, oldest first. Throws 410 Gone when some were trimmed.
 * An empty answer means the caller is up to date.
 */
export async function readChanges(redis: Redis, keys: StoreKeys, revision: number, count = 1000): Promise<ChangeEvent[]> {
  const entries = (await redis.xrange(keys.log, `${revision + 1}-0`, '+', 'COUNT', count)) as RawEntry[];
  if (entries.length === 0 || revisionOfId(entries[0][0]) !== revision + 1) await assertRetained(redis, keys, revision);
  return entries.map(parseEntry);
}
