/**
 * client-go's EventCorrelator (tools/record/events_cache.go), which every Kubernetes component's
 * recorder runs before writing:
 *
 * - spam filter: per source and involved object, a token bucket of 25 events refilled at one per
 *   5 minutes; an event without a token is dropped;
 * - aggregation: events alike but for their message (same source, object, type and reason) seen
 *   with 10 different messages within 10 minutes become one event, "(combined from similar
 *   events): <latest message>", whose count grows;
 * - deduplication: an event identical to one already written bumps that one's `count` and
 *   `lastTimestamp` instead of writing a new object.
 *
 * So a ReplicaSet creating 3,000 pods writes about 25 Events, not 3,000, as upstream. State is
 * per process and bounded (least recently used keys go first), as client-go's LRU caches are.
 */

/** client-go's defaults. */
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
export const MAX_SIMILAR = 10;
export const AGGREGATE_WINDOW_MS = 600_000;
const MAX_KEYS = 4096;
export const COMBINED_PREFIX = '(combined from similar events): ';

/** What the correlator sees of an event. */
export interface EventFacts {
  source: string;
  /** The involved object, e.g. `ReplicaSet/default/web-abc/<uid>`. */
  object: string;
  type: string;
  reason: string;
  message: string;
}

export type Correlation =
  /** Write a new Event with this message. */
  | { action: 'create'; message: string; key: string }
  /** Bump the Event written under `key` (`written`): count + 1, this message, lastTimestamp now. */
  | { action: 'update'; message: string; key: string; written: WrittenEvent }
  | { action: 'drop' };

/** Where an Event was written. */
export interface WrittenEvent {
  namespace: string;
  name: string;
}

/** A Map that forgets its least recently used keys beyond `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = MAX_KEYS) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

export class EventCorrelator {
  private readonly buckets = new Lru<{ tokens: number; at: number }>();
  private readonly similar = new Lru<{ messages: Set<string>; since: number }>();
  /** Events written, by key, for deduplication. */
  private readonly written = new Lru<WrittenEvent>();

  /** What to do with `event` at `now` (ms). Call `recorded(key, …)` once the created Event is stored. */
  correlate(event: EventFacts, now: number): Correlation {
    if (!this.allow(`${event.source}\u0000${event.object}`, now)) return { action: 'drop' };
    const aggregateKey = [event.source, event.object, event.type, event.reason].join('\u0000');
    let group = this.similar.get(aggregateKey);
    if (!group || now - group.since > AGGREGATE_WINDOW_MS) group = { messages: new Set(), since: now };
    group.messages.add(event.message);
    this.similar.set(aggregateKey, group);
    const combined = group.messages.size >= MAX_SIMILAR;
    const message = combined ? COMBINED_PREFIX + event.message : event.message;
    // Combined events share one Event (keyed without the message); others one per message.
    const key = combined ? `${aggregateKey}\u0000combined` : `${aggregateKey}\u0000${event.message}`;
    const written = this.written.get(key);
    return written ? { action: 'update', message, key, written } : { action: 'create', message, key };
  }

  /** The Event for `key` exists now (or, undefined, is gone): later ones alike update it. */
  recorded(key: string, written: WrittenEvent | undefined): void {
    if (written) this.written.set(key, written);
    else this.written.delete(key);
  }

  private allow(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: SPAM_BURST, at: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.at) / SPAM_REFILL_MS);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}
