/**
 * The scheduler's reconcile: one pending pod, one cycle, one write. Reads the pod, nodes and
 * pods from the informer cache, runs the profile inside a `schedule Pod` span (one child span
 * per plugin with its per-node verdicts and scores), then either binds the pod or records
 * PodScheduled=False (reason Unschedulable, the FitError message) and comes back later.
 *
 * Contract (the shared runner's): returns nothing when done (bound, gone, not ours, already
 * bound); `{ requeueAfter }` while no node fits (1 s doubling to 10 s, see unschedulableBackoff);
 * throws when a plugin errs or the write fails, so the runner retries with backoff.
 */
import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import { realClock, type Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Mutation, Store } from '../../shared/store/store';
import { objectAttributes, withSpan } from '../../shared/tracing/tracer';
import { bindMutation, unschedulableBackoff, unschedulableMutation } from './binding';
import { runCycle } from './framework/cycle';
import { buildNodeInfos } from './framework/node-info';
import type { ProfilePlugin } from './framework/plugin';
import type { Random } from './framework/random';
import { message } from './framework/status';
import { DEFAULT_PROFILE } from './profile';
import { outcomeAttributes, pluginAttributes } from './trace';

export const SCHEDULER_NAME = 'default-scheduler';

export interface ScheduleOptions {
  /** Default DEFAULT_PROFILE. */
  profile?: readonly ProfilePlugin[];
  /** Timestamps and requeue delays (cluster time, scaled). Default realClock(1). */
  clock?: Clock;
  /**
   * Pods this process bound that the cache may not show bound yet (upstream's assumed pods),
   * by key. Pass one map per process so back-to-back pods do not overcommit a node while the
   * cache catches up; entries go once the cache shows the pod bound or gone. Default: none kept.
   */
  assumed?: Map<ObjectKey, KubeObject>;
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

/** Cached pods with the assumed bindings laid over those the cache still shows unbound. */
function podsWithAssumed(cache: Indexer, assumed: Map<ObjectKey, KubeObject> | undefined): KubeObject[] {
  const pods = cache.list('pods');
  if (!assumed || assumed.size === 0) return pods;
  for (const [key, pod] of assumed) {
    const cached = cache.get(key);
    if (!cached || cached.metadata.uid !== pod.metadata.uid || cached.spec?.nodeName) assumed.delete(key);
  }
  return pods.map((p) => {
    const key = `pods/${p.metadata.namespace}/${p.metadata.name}`;
    return assumed.get(key) ?? p;
  });
}

export async function scheduleOne(key: ObjectKey, cache: Indexer, store: Store, random: Random, options: ScheduleOptions = {}): Promise<ReconcileResult | void> {
  const pod = cache.get(key);
  if (!pod || !needsScheduling(pod)) return;
  const { namespace, name } = parseObjectKey(key);
  const clock = options.clock ?? realClock(1);
  const profile = options.profile ?? DEFAULT_PROFILE;
  return withSpan('schedule Pod', { attributes: objectAttributes('pods', namespace, name) }, async (span) => {
    const nodes = buildNodeInfos(cache.list('nodes'), podsWithAssumed(cache, options.assumed));
    const result = runCycle(pod, nodes, profile, random, cache);
    for (const record of result.plugins) {
      const attributes = pluginAttributes(record);
      if (attributes) withSpan(`plugin ${record.plugin}`, { attributes }, () => undefined);
    }
    span.setAttributes(outcomeAttributes(result, nodes.length));
    if (result.kind === 'error') throw new Error(`scheduling ${namespace}/${name}: plugin ${result.status.plugin ?? '?'}: ${message(result.status)}`);
    const uid = pod.metadata.uid;
    if (result.kind === 'unschedulable') {
      const written = await updateIfPresent(store, namespace!, name, unschedulableMutation(uid, result.message, clock.now()));
      return written ? { requeueAfter: clock.scaled(unschedulableBackoff(pod, clock.now())) } : undefined;
    }
    const bound = await updateIfPresent(store, namespace!, name, bindMutation(uid, result.nodeName, clock.now()));
    if (bound?.spec?.nodeName === result.nodeName && bound.metadata.uid === uid) options.assumed?.set(key, bound);
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
