/** Resizing a Deployment while several ReplicaSets run (upstream's scale and its proportions). */
import type { KubeObject } from '../../shared/api/types';
import { scaleAndRecord, scaleReplicaSet, type SyncContext } from './deployment-sync';
import {
  activeReplicaSets, byCreation, bySizeNewer, bySizeOlder, desiredReplicasAnnotation, isRollingUpdate, maxReplicasAnnotation, maxSurge, replicasOf, specReplicas,
} from './deployment-util';

/** FindActiveOrLatest: the only active ReplicaSet, or (none active) the new or newest one; undefined when several are active. */
function activeOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort(byCreation).reverse();
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** IsSaturated: the new ReplicaSet runs spec.replicas, all available. */
function isSaturated(d: KubeObject, newRS: KubeObject | undefined): boolean {
  if (!newRS) return false;
  return replicasOf(newRS) === replicasOf(d) && desiredReplicasAnnotation(newRS) === replicasOf(d) && (newRS.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** getReplicaSetFraction and GetProportion: this ReplicaSet's share of a scaling of the Deployment. */
function proportion(ctx: SyncContext, rs: KubeObject, toAdd: number, added: number): number {
  const { d } = ctx;
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = maxReplicasAnnotation(rs) ?? (d.status?.replicas ?? 0);
    const size = (replicasOf(rs) * deploymentReplicas) / annotated;
    fraction = Math.sign(size) * Math.round(Math.abs(size)) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * scale: a Deployment resized mid-rollout. One active ReplicaSet takes the new size; a saturated
 * new one leaves the old at 0; otherwise a rolling update spreads the change in proportion.
 */
export async function scale(ctx: SyncContext, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
  const { d } = ctx;
  const only = activeOrLatest(newRS, oldRSs);
  if (only) {
    if (replicasOf(only) !== replicasOf(d)) await scaleAndRecord(ctx, only, replicasOf(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleAndRecord(ctx, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(all);
  let operation = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return replicasOf(rs);
    const p = proportion(ctx, rs, toAdd, added);
    added += p;
    return replicasOf(rs) + p;
  });
  for (const [i, rs] of all.entries()) {
    if (i === 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
    await scaleReplicaSet(ctx, rs, sizes[i], operation);
  }
}
