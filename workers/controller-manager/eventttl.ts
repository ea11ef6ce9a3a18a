/**
 * Event expiry: kube-apiserver keeps Events for `--event-ttl` (1 h) after their last write
 * (an etcd lease on each). kubeq's store has no leases, so this controller does it: an Event
 * older than the TTL since its last update is deleted (a DELETED watch event, as etcd's expiry
 * gives), a younger one comes back when it is due. Cluster time, so KUBEQ_TIME_SCALE applies.
 */
import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';

/** Queue of the event-ttl controller. */
export const EVENT_TTL_CONTROLLER = 'event-ttl-controller';
/** kube-apiserver's default --event-ttl. */
export const DEFAULT_EVENT_TTL_MS = 3_600_000;

/** When the Event was last written: its lastTimestamp, series or eventTime, else its creation. */
export function lastWritten(event: KubeObject): number {
  const times = [event.lastTimestamp, event.series?.lastObservedTime, event.eventTime, event.metadata.creationTimestamp].map((t) => (typeof t === 'string' ? Date.parse(t) : NaN));
  return Math.max(...times.filter((t) => !Number.isNaN(t)), 0);
}

export async function reconcileEventTtl(key: ObjectKey, store: Store, clock: Clock, ttlMs: number): Promise<ReconcileResult | void> {
  const { namespace, name } = parseObjectKey(key);
  const event = await store.get('events', namespace, name);
  if (!event) return;
  // Second-precision timestamps: count from the end of the second.
  const leftMs = lastWritten(event) + 999 + ttlMs - clock.now().getTime();
  if (leftMs > 0) return { requeueAfter: clock.scaled(leftMs) };
  try {
    await store.delete('events', namespace, name, { preconditions: { resourceVersion: event.metadata.resourceVersion } });
  } catch (err) {
    // Gone, or written again meanwhile (its change runs this key again).
    if (!isStatusError(err, 404) && !isStatusError(err, 409)) throw err;
  }
}

export function eventTtlControllerSpec(opts: { store: Store; clock: Clock; ttlMs?: number }): ControllerSpec {
  const { store, clock, ttlMs = DEFAULT_EVENT_TTL_MS } = opts;
  return { queueName: EVENT_TTL_CONTROLLER, resources: ['events'], reconcile: (key) => reconcileEventTtl(key, store, clock, ttlMs), concurrency: 5 };
}
