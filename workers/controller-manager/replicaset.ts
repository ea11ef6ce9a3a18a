import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import { selectorString } from '../../shared/api/validation/labels';
import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { OWNER_INDEX } from '../../shared/informer/indexers';
import { TerminalError, type ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import { ownedObjects } from './garbagecollector-refs';
import { claimPods } from './replicaset-claim';
import { controllerOf, isPodActive, isPodAvailable, isPodReady, ORPHAN_PODS_INDEX, podFromTemplate } from './replicaset-pods';
import { podsToDelete } from './replicaset-rank';
import { calculateStatus, updateReplicaSetStatus, type ManageFailure } from './replicaset-status';

/** Most pods one reconcile creates or deletes (upstream's burstReplicas). */
export const BURST_REPLICAS = 500;
/** The first create batch; each later batch doubles (upstream's SlowStartInitialBatchSize). */
const SLOW_START_INITIAL_BATCH = 1;

/**
 * The ReplicaSet controller (upstream's syncReplicaSet). Reads the ReplicaSet from the store and
 * which pods it owns from the store's owner index (so a lagging cache never makes it create or
 * delete twice; their contents come from the cache when it holds them), takes orphans from
 * the cache, adopts and releases, creates or deletes pods to reach `spec.replicas`, and writes
 * status from the pods that exist afterwards. A ReplicaSet being deleted gets status only.
 *
 * Throws (backoff) when a create or delete failed, after writing the ReplicaFailure condition;
 * TerminalError for a selector that cannot be parsed. Comes back after minReadySeconds while
 * ready pods wait to count as available. Records SuccessfulCreate, SuccessfulDelete, FailedCreate
 * and FailedDelete Events on the ReplicaSet, as upstream does (default: none).
 */
export async function reconcileReplicaSet(key: ObjectKey, cache: Indexer, store: Store, clock: Clock, recorder: EventRecorder = noEvents): Promise<ReconcileResult | void> {
  const { namespace, name } = parseObjectKey(key);
  const rs = await store.get('replicasets', namespace, name);
  if (!rs) return;
  if (!selectorString(rs.spec?.selector)) throw new TerminalError(`replicaset ${key}: invalid or empty selector`);
  const owned = (await ownedObjects(store, cache, rs.metadata.uid!))
    .filter((d) => d.resource === 'pods' && controllerOf(d.object)?.uid === rs.metadata.uid && isPodActive(d.object))
    .map((d) => d.object);
  const orphans = cache.byIndex(ORPHAN_PODS_INDEX, namespace!, 'pods').filter((p) => !controllerOf(p) && isPodActive(p));
  let pods = await claimPods(store, rs, owned, orphans);
  let failure: ManageFailure | undefined;
  if (!rs.metadata.deletionTimestamp) ({ pods, failure } = await manageReplicas(rs, pods, cache, store, clock.now(), recorder));

  const now = clock.now();
  const status = calculateStatus(rs, pods, failure, now);
  try {
    await updateReplicaSetStatus(store, rs, status);
  } catch (err) {
    if (!isStatusError(err, 404)) throw err;
    return;
  }
  if (failure) throw new Error(`replicaset ${key}: ${failure.message}`);
  const minReadySeconds: number = rs.spec?.minReadySeconds ?? 0;
  const waiting = pods.some((p) => isPodReady(p) && !isPodAvailable(p, minReadySeconds, now));
  if (minReadySeconds > 0 && waiting) return { requeueAfter: clock.scaled(minReadySeconds * 1000) };
}

/** Creates or deletes pods towards `spec.replicas`; returns the pods that remain active and what failed. */
async function manageReplicas(rs: KubeObject, pods: KubeObject[], cache: Indexer, store: Store, now: Date, recorder: EventRecorder): Promise<{ pods: KubeObject[]; failure?: ManageFailure }> {
  const wanted: number = rs.spec?.replicas ?? 1;
  const diff = pods.length - wanted;
  if (diff < 0) {
    const { created, error } = await slowStartBatch(Math.min(-diff, BURST_REPLICAS), () => store.create('pods', podFromTemplate(rs)));
    await Promise.all(created.map((p) => recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`)));
    if (!error) return { pods: [...pods, ...created] };
    await recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${messageOf(error)}`);
    return { pods: [...pods, ...created], failure: { reason: 'FailedCreate', message: messageOf(error) } };
  }
  if (diff > 0) {
    const victims = podsToDelete(pods, relatedPods(rs, pods, cache), Math.min(diff, BURST_REPLICAS), now);
    const results = await Promise.allSettled(victims.map((p) => deletePod(store, p)));
    const gone = new Set<string | undefined>();
    let failure: ManageFailure | undefined;
    for (const [i, r] of results.entries()) {
      const name = victims[i].metadata.name;
      if (r.status === 'fulfilled') {
        gone.add(victims[i].metadata.uid);
        await recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } else {
        failure ??= { reason: 'FailedDelete', message: messageOf(r.reason) };
        await recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(r.reason)}`);
      }
    }
    return { pods: pods.filter((p) => !gone.has(p.metadata.uid)), failure };
  }
  return { pods };
}

/** Creates `count` pods in batches of 1, 2, 4, …, stopping after the first batch with a failure (upstream's slowStartBatch). */
async function slowStartBatch(count: number, create: () => Promise<KubeObject>): Promise<{ created: KubeObject[]; error?: unknown }> {
  const created: KubeObject[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, SLOW_START_INITIAL_BATCH); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, create));
    for (const r of results) if (r.status === 'fulfilled') created.push(r.value);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) return { created, error: rejected.reason };
    remaining -= size;
  }
  return { created };
}

/** Deletes one pod, only the one we ranked (uid precondition); a pod already gone counts as deleted. */
async function deletePod(store: Store, pod: KubeObject): Promise<void> {
  try {
    await store.delete('pods', pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
  } catch (err) {
    if (!isStatusError(err, 404)) throw err;
  }
}

/** This ReplicaSet's pods and those of its siblings (same controller, e.g. one Deployment), from the cache. */
function relatedPods(rs: KubeObject, pods: KubeObject[], cache: Indexer): KubeObject[] {
  const owner = controllerOf(rs);
  if (!owner) return pods;
  const siblings = cache.byIndex(OWNER_INDEX, owner.uid, 'replicasets').filter((s) => s.metadata.uid !== rs.metadata.uid);
  return [...pods, ...siblings.flatMap((s) => cache.byIndex(OWNER_INDEX, s.metadata.uid!, 'pods'))];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
