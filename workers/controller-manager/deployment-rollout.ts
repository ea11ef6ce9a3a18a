/** The two rollout strategies (upstream's rolling.go and recreate.go). */
import type { KubeObject } from '../../shared/api/types';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import { dependentsOf } from './garbagecollector-refs';
import { controllerOf } from './replicaset-pods';
import { deploymentComplete } from './deployment-status';
import { newRSNewReplicas, replicaSetsAndSyncRevision } from './deployment-newrs';
import { cleanupDeployment, refresh, scaleAndRecord, syncRolloutStatus, type SyncContext } from './deployment-sync';
import { actualReplicas, activeReplicaSets, availableReplicas, byCreation, maxUnavailable, replicasOf, specReplicas } from './deployment-util';

/** rolloutRolling: grow the new ReplicaSet within maxSurge, shrink the old within maxUnavailable, clean up once complete. */
export async function rolloutRolling(ctx: SyncContext, rsList: KubeObject[]): Promise<ReconcileResult | void> {
  const { d } = ctx;
  const found = await replicaSetsAndSyncRevision(ctx, rsList, true);
  const newRS = found.newRS!;
  let oldRSs = found.oldRSs;
  if (await reconcileNewReplicaSet(ctx, [...oldRSs, newRS], newRS)) {
    return syncRolloutStatus(ctx, await refresh(ctx, [...oldRSs, newRS]), (await refresh(ctx, [newRS]))[0]);
  }
  if (await reconcileOldReplicaSets(ctx, [...oldRSs, newRS], activeReplicaSets(oldRSs), newRS)) {
    oldRSs = await refresh(ctx, oldRSs);
    return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  }
  if (deploymentComplete(d, ctx.d.status)) await cleanupDeployment(ctx, oldRSs);
  return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
}

/** reconcileNewReplicaSet: true when it scaled the new ReplicaSet. */
async function reconcileNewReplicaSet(ctx: SyncContext, allRSs: KubeObject[], newRS: KubeObject): Promise<boolean> {
  const want = replicasOf(ctx.d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) return (await scaleAndRecord(ctx, newRS, want)).scaled;
  return (await scaleAndRecord(ctx, newRS, newRSNewReplicas(ctx.d, allRSs, newRS))).scaled;
}

/**
 * reconcileOldReplicaSets: scale old ReplicaSets down as far as availability allows, their
 * unavailable replicas first (they cost no availability). True when it scaled any.
 */
async function reconcileOldReplicaSets(ctx: SyncContext, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, maxScaledDown);
  const scaled = await scaleDownOldForRollingUpdate(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs);
  return cleaned.count + scaled > 0;
}

/** cleanupUnhealthyReplicas: removes unavailable replicas of old ReplicaSets, oldest first, at most `max`. */
async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: KubeObject[], max: number): Promise<{ oldRSs: KubeObject[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (const [i, rs] of sorted.entries()) {
    if (total >= max) break;
    const available = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
    const down = Math.min(max - total, replicasOf(rs) - available);
    sorted[i] = (await scaleAndRecord(ctx, rs, replicasOf(rs) - down)).rs;
    total += down;
  }
  return { oldRSs: sorted, count: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: down to minAvailable available pods, oldest ReplicaSets first. */
async function scaleDownOldForRollingUpdate(ctx: SyncContext, allRSs: KubeObject[], oldRSs: KubeObject[]): Promise<number> {
  const minAvailable = replicasOf(ctx.d) - maxUnavailable(ctx.d);
  const available = availableReplicas(allRSs);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), target - total);
    await scaleAndRecord(ctx, rs, replicasOf(rs) - down);
    total += down;
  }
  return total;
}

/** rolloutRecreate: old ReplicaSets to 0, wait until their pods are gone, then the new one at full size. */
export async function rolloutRecreate(ctx: SyncContext, rsList: KubeObject[]): Promise<ReconcileResult | void> {
  let { newRS, oldRSs } = await replicaSetsAndSyncRevision(ctx, rsList, false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) if ((await scaleAndRecord(ctx, rs, 0)).scaled) scaledDown = true;
  if (scaledDown) {
    oldRSs = await refresh(ctx, oldRSs);
    return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  }
  if (await oldPodsRunning(ctx, newRS, oldRSs)) return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  if (!newRS) ({ newRS, oldRSs } = await replicaSetsAndSyncRevision(ctx, rsList, true));
  const up = await scaleAndRecord(ctx, newRS!, replicasOf(ctx.d));
  newRS = up.rs;
  if (deploymentComplete(ctx.d, ctx.d.status)) await cleanupDeployment(ctx, oldRSs);
  return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
}

/**
 * oldPodsRunning: old ReplicaSets still report pods, or a pod they control (read from the store's
 * owner index, so never stale) has not finished.
 */
async function oldPodsRunning(ctx: SyncContext, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<boolean> {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const rs of oldRSs) {
    if (rs.metadata.uid === newRS?.metadata.uid) continue;
    const pods = (await dependentsOf(ctx.store, rs.metadata.uid!)).filter((x) => x.resource === 'pods' && controllerOf(x.object)?.uid === rs.metadata.uid);
    if (pods.some((p) => p.object.status?.phase !== 'Failed' && p.object.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
