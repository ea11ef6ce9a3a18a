/**
 * The scheduler's reconcile: one pending pod, one cycle, one write. The cycle (cache → plugins →
 * decision → assumed binding) runs without an await, so cycles never interleave even when
 * several reconciles run at once; only the writes overlap. Reads the pod, nodes and
 * pods from the informer cache, runs the profile inside a `schedule Pod` span (one child span
 * per plugin with its per-node verdicts and scores), then either binds the pod or records
 * PodScheduled=False (reason Unschedulable, the FitError message) and comes back later. Each
 * outcome is also an Event, as upstream records them: `Scheduled` (Normal, `Successfully
 * assigned default/web-x to node-1`) once per binding written, `FailedScheduling` (Warning, the
 * FitError) once per failed attempt.
 *
 * Contract (the shared runner's): returns nothing when done (bound, gone, not ours, already
 * bound); `{ requeueAfter }` while no node fits (1 s doubling to 10 s, see unschedulableBackoff);
 * throws when a plugin errs or the write fails, so the runner retries with backoff.
 */
import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import { realClock, type Clock } from '../../shared/clock';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import type { Indexer } from '../../shared/informer/indexer';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Mutation, Store } from '../../shared/store/store';
import { objectAttributes, withSpan } from '../../shared/tracing/tracer';
import { bindMutation, stillPending, unschedulableBackoff, unschedulableMutation } from './binding';
import { runCycle } from '../../shared/scheduling/framework/cycle';
import { SchedulerCache } from '../../shared/scheduling/framework/cache';
import type { ProfilePlugin } from '../../shared/scheduling/framework/plugin';
import type { Random } from '../../shared/scheduling/framework/random';
import { message } from '../../shared/scheduling/framework/status';
import { DEFAULT_PROFILE } from '../../shared/scheduling/profile';
import { outcomeAttributes, pluginAttributes } from './trace';

export const SCHEDULER_NAME = 'default-scheduler';

export interface ScheduleOptions {
  /** Default DEFAULT_PROFILE. */
  profile?: readonly ProfilePlugin[];
  /** Timestamps and requeue delays (cluster time, scaled). Default realClock(1). */
  clock?: Clock;
  /**
   * The process's scheduler cache: NodeInfos kept current from informer events, with the pods
   * this process assumed onto nodes while their bindings are written. Default: one built from
   * `cache` for this call (no assumptions kept across calls).
   */
  nodes?: SchedulerCache;
  /** Where the Scheduled and FailedScheduling events go (as `default-scheduler`). Default: nowhere. */
  recorder?: EventRecorder;
}

/** Upstream's truncateMessage: an event's note is at most 1024 bytes (the FitError can be longer; the condition keeps all of it). */
export function truncateMessage(message: string, max = 1024): string {
  if (Buffer.byteLength(message) <= max) return message;
  const suffix = ' ...';
  let cut = message.slice(0, max - suffix.length);
  while (Buffer.byteLength(cut) > max - suffix.length) cut = cut.slice(0, -1);
  return cut + suffix;
}

/** Whether this scheduler should place the pod now: ours, unbound, not deleting, no scheduling gates. */
export function needsScheduling(pod: KubeObject): boolean {
  const spec = pod.spec ?? {};
  if ((spec.schedulerName || SCHEDULER_NAME) !== SCHEDULER_NAME) return false;
  if (spec.nodeName || pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return !(Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0);
}

export async function scheduleOne(key: ObjectKey, cache: Indexer, store: Store, random: Random, options: ScheduleOptions = {}): Promise<ReconcileResult | void> {
  const pod = cache.get(key);
  if (!pod || !needsScheduling(pod)) return;
  const { namespace, name } = parseObjectKey(key);
  const clock = options.clock ?? realClock(1);
  const profile = options.profile ?? DEFAULT_PROFILE;
  return withSpan('schedule Pod', { attributes: objectAttributes('pods', namespace, name) }, async (span) => {
    const snapshot = options.nodes ?? SchedulerCache.fromIndexer(cache);
    const nodes = snapshot.nodeInfos();
    const result = runCycle(pod, nodes, profile, random, cache);
    for (const record of result.plugins) {
      const attributes = pluginAttributes(record);
      if (attributes) withSpan(`plugin ${record.plugin}`, { attributes }, () => undefined);
    }
    span.setAttributes(outcomeAttributes(result, nodes.length));
    if (result.kind === 'error') throw new Error(`scheduling ${namespace}/${name}: plugin ${result.status.plugin ?? '?'}: ${message(result.status)}`);
    const uid = pod.metadata.uid;
    const recorder = options.recorder ?? noEvents;
    if (result.kind === 'unschedulable') {
      const written = await updateIfPresent(store, namespace!, name, unschedulableMutation(uid, result.message, clock.now()));
      if (!written) return;
      if (stillPending(written, uid)) await recorder.event(written, 'Warning', 'FailedScheduling', truncateMessage(result.message));
      return { requeueAfter: unschedulableBackoff(pod, clock) };
    }
    // Assume, then bind (upstream's binding cycle): the pod counts on its node from here, before
    // any await, so the next pod's cycle (which may run while this write is in flight) sees it.
    const assumedPod: KubeObject = { ...pod, spec: { ...pod.spec, nodeName: result.nodeName } };
    const forget = () => snapshot.forget(key, assumedPod);
    snapshot.assume(key, assumedPod);
    const bind = bindMutation(uid, result.nodeName, clock.now());
    let wrote = false;
    const bound = await updateIfPresent(store, namespace!, name, (current) => {
      const next = bind(current);
      wrote = next !== undefined;
      return next;
    }).catch((err: unknown) => {
      forget();
      throw err;
    });
    if (!bound || !wrote) return forget();
    await recorder.event(bound, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${result.nodeName}`);
  });
}

/** guaranteedUpdate of the pod; undefined when it is gone (deleted meanwhile: nothing left to do). */
async function updateIfPresent(store: Store, namespace: string, name: string, mutate: Mutation): Promise<KubeObject | undefined> {
  try {
    return await store.guaranteedUpdate('pods', namespace, name, mutate, 'all');
  } catch (err) {
    if (isStatusError(err, 404)) return undefined;
    throw err;
  }
}
