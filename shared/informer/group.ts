import type { Redis } from 'ioredis';
import { parseEntry, revisionOfId, type ChangeEvent } from '../store/changelog';

/** A change-log entry as a consumer group hands it out; `event` is null when Redis trimmed the entry while it was pending. */
export interface GroupEntry {
  id: string;
  revision: number;
  event: ChangeEvent | null;
}

type RawEntry = [id: string, fields: string[] | null];
type ReadReply = [stream: string, entries: RawEntry[]][] | null;

function toEntry([id, fields]: RawEntry): GroupEntry {
  return { id, revision: revisionOfId(id), event: fields ? parseEntry([id, fields]) : null };
}

/** True for Redis's NOGROUP error: the group, or the whole stream, is gone. */
export function isNoGroup(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOGROUP');
}

/**
 * One consumer group on the change log and the one consumer this process reads it with.
 * Every call uses `redis`, which blocking reads tie up: give it a connection of its own.
 */
export class ConsumerGroup {
  constructor(
    private readonly redis: Redis,
    readonly stream: string,
    readonly name: string,
    readonly consumer: string,
  ) {}

  /** The revision the group last delivered, or undefined when the group (or the stream) does not exist. */
  async position(): Promise<number | undefined> {
    let groups: unknown[][];
    try {
      groups = (await this.redis.xinfo('GROUPS', this.stream)) as unknown[][];
    } catch (err) {
      if (err instanceof Error && /no such key/i.test(err.message)) return undefined;
      throw err;
    }
    for (const g of groups) {
      const info = new Map<unknown, unknown>();
      for (let i = 0; i + 1 < g.length; i += 2) info.set(g[i], g[i + 1]);
      if (info.get('name') === this.name) return revisionOfId(String(info.get('last-delivered-id')));
    }
    return undefined;
  }

  /** Creates the group positioned at `revision` (creating the stream if needed), or moves it there if it exists. */
  async createOrMove(revision: number): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, this.name, `${revision}-0`, 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
      await this.redis.xgroup('SETID', this.stream, this.name, `${revision}-0`);
    }
  }

  /** Up to `count` entries never delivered to the group, waiting at most `blockMs` for the first. */
  async readNew(count: number, blockMs: number): Promise<GroupEntry[]> {
    const reply = (await this.redis.xreadgroup('GROUP', this.name, this.consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.stream, '>')) as ReadReply;
    return (reply?.[0]?.[1] ?? []).map(toEntry);
  }

  /** Up to `count` of this consumer's delivered but unacknowledged entries with ids after `afterId`. */
  async readPending(afterId: string, count: number): Promise<GroupEntry[]> {
    const reply = (await this.redis.xreadgroup('GROUP', this.name, this.consumer, 'COUNT', count, 'STREAMS', this.stream, afterId)) as ReadReply;
    return (reply?.[0]?.[1] ?? []).map(toEntry);
  }

  /**
   * Takes over entries other consumers of the group left pending for at least `minIdleMs`.
   * Entries Redis trimmed meanwhile come back with a null event (Redis drops them from the pending list).
   */
  async claim(minIdleMs: number, cursor: string, count: number): Promise<{ cursor: string; entries: GroupEntry[] }> {
    const [next, raw, deleted] = (await this.redis.xautoclaim(this.stream, this.name, this.consumer, minIdleMs, cursor, 'COUNT', count)) as [string, RawEntry[], string[]?];
    const entries = raw.filter((e) => e !== null).map(toEntry);
    for (const id of deleted ?? []) entries.push({ id, revision: revisionOfId(id), event: null });
    return { cursor: next, entries: entries.sort((a, b) => a.revision - b.revision) };
  }

  async ack(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 1000) await this.redis.xack(this.stream, this.name, ...ids.slice(i, i + 1000));
  }

  /** Acknowledges everything pending in the group (every consumer), e.g. after a relist made it moot. */
  async ackAllPending(): Promise<void> {
    for (;;) {
      const pending = (await this.redis.xpending(this.stream, this.name, '-', '+', 1000)) as [string, string, number, number][];
      if (!pending.length) return;
      await this.ack(pending.map((p) => p[0]));
    }
  }

  /** The oldest revision the stream still holds, or undefined when it is empty. */
  async oldestRevision(): Promise<number | undefined> {
    const first = (await this.redis.xrange(this.stream, '-', '+', 'COUNT', 1)) as RawEntry[];
    return first.length ? revisionOfId(first[0][0]) : undefined;
  }
}
