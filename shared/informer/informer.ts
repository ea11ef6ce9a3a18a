import type { Redis } from 'ioredis';
import type { ObjectKey } from '../api/types';
import type { ChangeEvent } from '../store/changelog';
import type { Store } from '../store/store';
import { ownKey, type InformerEvent, type KeyMapper } from './events';
import { ConsumerGroup, isNoGroup, type GroupEntry } from './group';
import { Cache, resourceOfKey, type Indexer } from './indexer';
import { listInto } from './list';
import type { IndexFunc } from './indexers';

/** Where the informer puts keys: the work queue's bulk enqueue. Must resolve only once the keys are stored. */
export type EnqueueFn = (triggers: { key: ObjectKey; traceparent: string }[]) => Promise<unknown>;

/** One consumer of the informer's events: a controller's handler and its queue. */
export interface Listener {
  /** The resources whose events it gets (a subset of the informer's). */
  resources: string[];
  /** Event → keys. Default: the object's own key. */
  handler?: KeyMapper;
  enqueue: EnqueueFn;
}

export interface InformerOptions {
  store: Store;
  /** Consumer group on the change log: `groupName(role, instance)`. One process per group. */
  group: string;
  /** Resources to cache and watch; entries of other resources are acknowledged and skipped. */
  resources: string[];
  /** Event → keys. Default: the object's own key. With `enqueue`, shorthand for one listener of every resource. */
  handler?: KeyMapper;
  enqueue?: EnqueueFn;
  /**
   * Several controllers of one process sharing this informer (client-go's SharedInformerFactory):
   * one read and one cache for all, each event handed to the listeners of its resource.
   */
  listeners?: Listener[];
  /** Indexes beside the built-in ones (namespace, spec.nodeName, owner, uid). */
  indexers?: Record<string, IndexFunc>;
  /** The group's one consumer. Default `informer`: a restarted process finds its own pending entries. */
  consumer?: string;
  /** Most entries per read (a maximum: a reader that keeps up gets fewer). Default 500. */
  batchSize?: number;
  /** How long one read waits for new entries, in ms; also bounds how long `stop()` takes. Default 1000. */
  blockMs?: number;
  /** Entries another consumer of the group left pending this long (ms) are claimed at start and after errors. Default 60,000. */
  claimMinIdleMs?: number;
  /** Pause after a Redis error before trying again, in ms. Default 1000. */
  retryDelayMs?: number;
  /** Redis errors and handler exceptions. Default: written to stderr. */
  onError?: (err: unknown) => void;
}

/** `<role>`, or `<role>:<instance>` when several processes of a role each keep their own cache and position. */
export function groupName(role: string, instance?: string): string {
  return instance && instance !== role ? `${role}:${instance}` : role;
}

/**
 * client-go's shared informer on the change log: a cache filled by a list, then kept current by
 * a consumer group that reads the log in order, its events handed to every listener. Delivery is at-least-once: entries are
 * acknowledged only after the keys they map to are enqueued, a restart first re-reads its own
 * pending entries, and a gap in revisions (Redis trimmed entries the group had not read) makes
 * it relist instead of carrying on (DESIGN invariant 5).
 */
export class Informer {
  /** The cache (read only: written by this informer alone). */
  readonly indexer: Indexer;
  /** Relists after gaps, entries delivered again, handler exceptions. */
  readonly stats = { relists: 0, replayed: 0, handlerErrors: 0 };
  private readonly cache: Cache;
  private readonly group: ConsumerGroup;
  private readonly conn: Redis;
  private readonly resources: Set<string>;
  private readonly listeners: { resources: Set<string>; handler: KeyMapper; enqueue: EnqueueFn }[];
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly onError: (err: unknown) => void;
  /** Revision of the last entry the group delivered in order: the next one must be last + 1, or there is a gap. */
  private last = 0;
  /** resource → revision of its last list: in-order entries at or below it are already reflected in the cache. */
  private readonly listedAt = new Map<string, number>();
  /** Work owed after an error: re-read pending entries, or relist. */
  private repair: 'replay' | 'relist' | undefined;
  private synced = false;
  private stopping = false;
  private reading = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly opts: InformerOptions) {
    this.cache = new Cache(opts.indexers);
    this.indexer = this.cache;
    this.resources = new Set(opts.resources);
    const listeners = opts.listeners ?? (opts.enqueue ? [{ resources: opts.resources, handler: opts.handler, enqueue: opts.enqueue }] : []);
    this.listeners = listeners.map((l) => ({ resources: new Set(l.resources), handler: l.handler ?? ownKey, enqueue: l.enqueue }));
    this.batchSize = opts.batchSize ?? 500;
    this.blockMs = opts.blockMs ?? 1000;
    this.onError = opts.onError ?? ((err) => console.error(`[informer ${opts.group}] ${(err as Error)?.message ?? String(err)}`));
    this.conn = opts.store.redis.duplicate();
    this.group = new ConsumerGroup(this.conn, opts.store.keys.log, opts.group, opts.consumer ?? 'informer');
  }

  /** The revision of the last change-log entry this informer took in order (or of its last list after a gap). */
  lastSyncResourceVersion(): number {
    return this.last;
  }

  /** True once the initial list is cached and its keys enqueued. */
  hasSynced(): boolean {
    return this.synced;
  }

  /**
   * Lists every resource into the cache and enqueues every listed key (origin `list`), joins or
   * creates the group, re-delivers what an earlier run left pending, then follows the log in the
   * background. Resolves once synced.
   */
  async start(): Promise<void> {
    const position = await this.group.position();
    const revision = await this.listAll('list');
    if (position === undefined) {
      await this.group.createOrMove(revision);
      this.last = revision;
    } else {
      this.last = position;
      const oldest = (await this.group.oldestRevision()) ?? revision + 1;
      // Entries after the group's position were trimmed while it was away; the list just made covers them.
      if (oldest > position + 1) await this.reset(revision);
      // Pending entries trimmed meanwhile are lost events, but every listed object was just enqueued.
      else await this.replayPending();
    }
    this.synced = true;
    this.loop = this.run();
  }

  /**
   * Stops reading. A blocked read is cut short; a batch being enqueued is finished first.
   * Entries read but not yet acknowledged are delivered again to the next run.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    if (this.reading) this.conn.disconnect();
    await this.loop;
    this.conn.disconnect();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.repair === 'relist') {
          await this.relist();
          this.repair = undefined;
        } else if (this.repair === 'replay') {
          this.repair = (await this.replayPending()) ? 'relist' : undefined;
          continue;
        }
        this.reading = true;
        const entries = await this.group.readNew(this.batchSize, this.blockMs).finally(() => (this.reading = false));
        if (this.stopping) break;
        if (entries.length) await this.receive(entries);
      } catch (err) {
        if (this.stopping) break;
        this.onError(err);
        this.repair = isNoGroup(err) ? 'relist' : (this.repair ?? 'replay');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.retryDelayMs ?? 1000);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      }
    }
  }

  /** New entries: applies and delivers the in-order prefix; anything after a missing revision means relist. */
  private async receive(entries: GroupEntry[]): Promise<void> {
    let n = 0;
    while (n < entries.length && entries[n].event && entries[n].revision === this.last + 1 + n) n++;
    if (n > 0) this.last = entries[n - 1].revision;
    await this.deliver(entries.slice(0, n), 'watch');
    if (n < entries.length) await this.relist();
  }

  /** Maps entries to keys, enqueues them, then acknowledges the entries. Watch entries update the cache first. */
  private async deliver(entries: GroupEntry[], origin: 'watch' | 'replay'): Promise<void> {
    if (!entries.length) return;
    const events: InformerEvent[] = [];
    for (const { event } of entries) {
      if (!event) continue;
      const resource = resourceOfKey(event.key);
      if (!this.resources.has(resource)) continue;
      events.push(origin === 'watch' ? this.apply(event, resource) : toEvent(event, resource, 'replay'));
    }
    if (origin === 'replay') this.stats.replayed += entries.length;
    await this.hand(events);
    await this.group.ack(entries.map((e) => e.id));
  }

  /** Each listener's keys for the events of its resources, enqueued on its queue. */
  private async hand(events: InformerEvent[]): Promise<void> {
    await Promise.all(
      this.listeners.map(async (listener) => {
        const triggers = events.filter((e) => listener.resources.has(e.resource)).flatMap((e) => this.keysFor(listener.handler, e));
        if (triggers.length) await listener.enqueue(triggers);
      }),
    );
  }

  /** Applies an in-order change when it is newer than what the cache holds for its key. */
  private apply(change: ChangeEvent, resource: string): InformerEvent {
    const event = toEvent(change, resource, 'watch');
    if (change.revision <= (this.listedAt.get(resource) ?? 0)) return event;
    const cached = this.cache.get(change.key);
    if (cached && Number(cached.metadata.resourceVersion) >= change.revision) return event;
    event.oldObject = change.type === 'DELETED' ? this.cache.delete(change.key) : this.cache.set(change.key, change.object);
    return event;
  }

  /** Re-delivers this consumer's pending entries, then entries other consumers abandoned; true when some were trimmed. */
  private async replayPending(): Promise<boolean> {
    let trimmed = false;
    for (let after = '0'; ; ) {
      const entries = await this.group.readPending(after, this.batchSize);
      if (!entries.length) break;
      trimmed ||= entries.some((e) => !e.event);
      await this.deliver(entries, 'replay');
      after = entries[entries.length - 1].id;
    }
    for (let cursor = '0-0'; ; ) {
      const claimed = await this.group.claim(this.opts.claimMinIdleMs ?? 60_000, cursor, this.batchSize);
      trimmed ||= claimed.entries.some((e) => !e.event);
      await this.deliver(claimed.entries, 'replay');
      if (claimed.cursor === '0-0') break;
      cursor = claimed.cursor;
    }
    return trimmed;
  }

  /** After a gap: list again, turn the difference into events (resync), and move the group to the list's revision. */
  private async relist(): Promise<void> {
    await this.reset(await this.listAll('resync'));
  }

  private async reset(revision: number): Promise<void> {
    await this.group.createOrMove(revision);
    await this.group.ackAllPending();
    this.last = revision;
    this.stats.relists++;
  }

  /** Lists every resource into the cache and enqueues the keys the changes map to; returns the oldest list revision. */
  private async listAll(origin: 'list' | 'resync'): Promise<number> {
    const { changes, revisions } = await listInto(this.cache, this.opts.store, this.resources);
    for (const [resource, revision] of revisions) this.listedAt.set(resource, revision);
    await this.hand(changes.map((c) => ({ ...c, traceparent: '', origin })));
    return revisions.size ? Math.min(...revisions.values()) : 0;
  }

  private keysFor(handler: KeyMapper, event: InformerEvent): { key: ObjectKey; traceparent: string }[] {
    try {
      return (handler(event) ?? []).map((key) => ({ key, traceparent: event.traceparent }));
    } catch (err) {
      this.stats.handlerErrors++;
      this.onError(err);
      return [];
    }
  }
}

function toEvent(change: ChangeEvent, resource: string, origin: 'watch' | 'replay'): InformerEvent {
  return { type: change.type, resource, key: change.key, object: change.object, revision: change.revision, traceparent: change.traceparent, origin };
}
