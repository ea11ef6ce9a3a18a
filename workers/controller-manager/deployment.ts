import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import { selectorIsEmpty, selectorMatches, selectorString } from '../../shared/api/validation/labels';
import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';
import { TerminalError, type ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import { dependentsOf } from './garbagecollector-refs';
import { controllerOf } from './replicaset-pods';
import { rolloutRecreate, rolloutRolling } from './deployment-rollout';
import { getCondition, hasProgressDeadline, newCondition, REASON, setCondition } from './deployment-status';
import { replicaSetsAndSyncRevision } from './deployment-newrs';
import { scale } from './deployment-scale';
import { cleanupDeployment, deploymentControllerRef, refresh, syncDeploymentStatus, writeDeploymentStatus, type SyncContext } from './deployment-sync';
import { activeReplicaSets, desiredReplicasAnnotation, isRollingUpdate, replicasOf } from './deployment-util';

/**
 * The Deployment controller (upstream's syncDeployment). Reads the Deployment and the
 * ReplicaSets it owns from the store, adopts matching orphans from the cache, then: a Deployment
 * being deleted gets status only; a paused one or a resize is scaled without rollout progress;
 * otherwise the strategy (RollingUpdate or Recreate) moves the rollout one step, and status is
 * rebuilt from the ReplicaSets. Records ScalingReplicaSet Events on the Deployment (default none).
 *
 * Throws (backoff) on a failed write or a template-hash collision; TerminalError for a selector
 * that cannot be parsed. Returns `requeueAfter` to check the progress deadline of a stalled rollout.
 */
export async function reconcileDeployment(key: ObjectKey, cache: Indexer, store: Store, clock: Clock, recorder: EventRecorder = noEvents): Promise<ReconcileResult | void> {
  const { namespace, name } = parseObjectKey(key);
  const stored = await store.get('deployments', namespace, name);
  if (!stored) return;
  const ctx: SyncContext = { store, clock, recorder, d: structuredClone(stored) };
  const { d } = ctx;
  if (selectorString(d.spec?.selector) === undefined) throw new TerminalError(`deployment ${key}: invalid selector`);
  if (selectorIsEmpty(d.spec?.selector)) {
    await recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
      d.status = { ...d.status, observedGeneration: d.metadata.generation };
      await writeDeploymentStatus(ctx);
    }
    return;
  }
  const rsList = await replicaSetsForDeployment(store, d, cache);
  if (d.metadata.deletionTimestamp) return syncStatusOnly(ctx, rsList);
  await checkPausedConditions(ctx);
  if (ctx.d.spec?.paused) return syncOnly(ctx, rsList);
  if (await isScalingEvent(ctx, rsList)) return syncOnly(ctx, rsList);
  return isRollingUpdate(ctx.d) ? rolloutRolling(ctx, rsList) : rolloutRecreate(ctx, rsList);
}

/**
 * getReplicaSetsForDeployment (ClaimReplicaSets): owned ReplicaSets that still match the
 * selector, plus matching orphans it adopts; owned ones that stop matching are released. Each
 * adoption and release re-checks the stored ReplicaSet. A Deployment being deleted only keeps.
 */
async function replicaSetsForDeployment(store: Store, d: KubeObject, cache: Indexer): Promise<KubeObject[]> {
  const matches = (rs: KubeObject) => selectorMatches(d.spec.selector, rs.metadata.labels);
  const owned = (await dependentsOf(store, d.metadata.uid!)).filter((x) => x.resource === 'replicasets' && controllerOf(x.object)?.uid === d.metadata.uid).map((x) => x.object);
  const claimed = owned.filter(matches);
  if (d.metadata.deletionTimestamp) return claimed;
  for (const rs of owned.filter((r) => !matches(r))) await updateOwner(store, rs, (current) => {
    if (matches(current)) return undefined;
    current.metadata.ownerReferences = (current.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid);
    return current;
  });
  const orphans = cache.byIndex(NAMESPACE_INDEX, d.metadata.namespace!, 'replicasets').filter((rs) => !controllerOf(rs) && matches(rs) && !rs.metadata.deletionTimestamp);
  for (const rs of orphans) {
    const adopted = await updateOwner(store, rs, (current) => {
      if (controllerOf(current) || current.metadata.deletionTimestamp || !matches(current)) return undefined;
      current.metadata.ownerReferences = [...(current.metadata.ownerReferences ?? []), deploymentControllerRef(d)];
      return current;
    });
    if (adopted && controllerOf(adopted)?.uid === d.metadata.uid) claimed.push(adopted);
  }
  return claimed;
}

/** A guarded owner-reference change on the ReplicaSet `rs` names (same uid); undefined when it is gone. */
async function updateOwner(store: Store, rs: KubeObject, mutate: (current: KubeObject) => KubeObject | undefined): Promise<KubeObject | undefined> {
  try {
    return await store.guaranteedUpdate('replicasets', rs.metadata.namespace, rs.metadata.name!, (current) => (current.metadata.uid === rs.metadata.uid ? mutate(current) : undefined));
  } catch (err) {
    if (isStatusError(err, 404)) return undefined;
    throw err;
  }
}

/** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed, unless the deadline was already reported. */
async function checkPausedConditions(ctx: SyncContext): Promise<void> {
  const { d } = ctx;
  if (!hasProgressDeadline(d)) return;
  const c = getCondition(d.status, 'Progressing');
  if (c?.reason === REASON.timedOut) return;
  const pausedShown = c?.reason === REASON.paused;
  const status = (d.status ??= {});
  if (d.spec?.paused && !pausedShown) setCondition(status, newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', ctx.clock.now()));
  else if (!d.spec?.paused && pausedShown) setCondition(status, newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', ctx.clock.now()));
  else return;
  await writeDeploymentStatus(ctx);
}

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
async function isScalingEvent(ctx: SyncContext, rsList: KubeObject[]): Promise<boolean> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(ctx, rsList, false);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== replicasOf(ctx.d);
  });
}

/** sync: scaling and (paused) cleanup without rollout progress, then syncDeploymentStatus. */
async function syncOnly(ctx: SyncContext, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(ctx, rsList, false);
  await scale(ctx, newRS, oldRSs);
  if (ctx.d.spec?.paused) await cleanupDeployment(ctx, oldRSs);
  await syncDeploymentStatus(ctx, await refresh(ctx, [...oldRSs, newRS]), newRS && (await refresh(ctx, [newRS]))[0]);
}

/** syncStatusOnly: a Deployment being deleted gets its status and nothing else. */
async function syncStatusOnly(ctx: SyncContext, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(ctx, rsList, false);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS);
}
