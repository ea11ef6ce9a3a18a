/**
 * The Deployment controller's basic writes (upstream's sync.go): the Deployment's status (and
 * revision annotation), scaling one ReplicaSet with its annotations and event, history cleanup.
 */
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import type { EventRecorder } from '../../shared/events/recorder';
import { calculateStatus, rolloutStatus, untilDeadline } from './deployment-status';
import { byRevision, maxSurge, REVISION_ANNOTATION, replicasOf, sameJson, setReplicasAnnotations } from './deployment-util';

/** One reconcile's state: `d` is the working copy of the Deployment, kept current after each write of it. */
export interface SyncContext {
  store: Store;
  clock: Clock;
  recorder: EventRecorder;
  d: KubeObject;
}

export function deploymentControllerRef(d: KubeObject) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name!, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/**
 * Writes the working copy's status and revision annotation (upstream's UpdateStatus, which
 * carries both); nothing when neither changed. A Deployment replaced meanwhile is left alone.
 */
export async function writeDeploymentStatus(ctx: SyncContext): Promise<void> {
  const { d } = ctx;
  ctx.d = await ctx.store.guaranteedUpdate('deployments', d.metadata.namespace, d.metadata.name!, (current) => {
    if (current.metadata.uid !== d.metadata.uid) return undefined;
    const revision = d.metadata.annotations?.[REVISION_ANNOTATION];
    const sameRevision = revision === undefined || current.metadata.annotations?.[REVISION_ANNOTATION] === revision;
    if (sameRevision && sameJson(current.status ?? {}, d.status ?? {})) return undefined;
    if (revision !== undefined) current.metadata.annotations = { ...current.metadata.annotations, [REVISION_ANNOTATION]: revision };
    current.status = d.status;
    return current;
  }, 'all');
}

/**
 * scaleReplicaSet: sets spec.replicas and the replicas annotations; records ScalingReplicaSet
 * when the size changed. Returns the stored ReplicaSet.
 */
export async function scaleReplicaSet(ctx: SyncContext, rs: KubeObject, newScale: number, operation: string): Promise<KubeObject> {
  const { d } = ctx;
  const copy = structuredClone(rs);
  const sizeChanged = replicasOf(rs) !== newScale;
  const annotationsChanged = setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurge(d));
  if (!sizeChanged && !annotationsChanged) return rs;
  const stored = await ctx.store.guaranteedUpdate('replicasets', rs.metadata.namespace, rs.metadata.name!, (current) => {
    if (current.metadata.uid !== rs.metadata.uid) throw new Error(`replicaset ${rs.metadata.name} was replaced`);
    current.spec.replicas = newScale;
    current.metadata.annotations = { ...current.metadata.annotations, ...copy.metadata.annotations };
    return current;
  });
  if (sizeChanged) await ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name} from ${replicasOf(rs)} to ${newScale}`);
  return stored;
}

/** scaleReplicaSetAndRecordEvent: nothing when the size is already `newScale`. */
export async function scaleAndRecord(ctx: SyncContext, rs: KubeObject, newScale: number): Promise<{ scaled: boolean; rs: KubeObject }> {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return { scaled: true, rs: await scaleReplicaSet(ctx, rs, newScale, replicasOf(rs) < newScale ? 'up' : 'down') };
}

/**
 * cleanupDeployment: deletes the oldest revisions beyond revisionHistoryLimit, only those scaled
 * to 0 with no pods left and their generation observed.
 */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: KubeObject[]): Promise<void> {
  const limit = ctx.d.spec?.revisionHistoryLimit;
  if (typeof limit !== 'number') return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - limit;
  for (const rs of cleanable.slice(0, Math.max(0, diff))) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await ctx.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
  }
}

/** syncDeploymentStatus: the status from the ReplicaSets, written when it changed. */
export async function syncDeploymentStatus(ctx: SyncContext, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): Promise<void> {
  const status = calculateStatus(allRSs, newRS, ctx.d, ctx.clock.now());
  if (sameJson(ctx.d.status ?? {}, status)) return;
  ctx.d.status = status;
  await writeDeploymentStatus(ctx);
}

/** syncRolloutStatus: status with Progressing; when unchanged, comes back at the progress deadline. */
export async function syncRolloutStatus(ctx: SyncContext, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): Promise<ReconcileResult | void> {
  const now = ctx.clock.now();
  const status = rolloutStatus(allRSs, newRS, ctx.d, now);
  if (sameJson(ctx.d.status ?? {}, status)) {
    const after = untilDeadline(ctx.d, status, now);
    return after === undefined ? undefined : { requeueAfter: ctx.clock.scaled(after) };
  }
  ctx.d.status = status;
  await writeDeploymentStatus(ctx);
}

/** The stored versions of these ReplicaSets (after scaling), dropping any that are gone. */
export async function refresh(ctx: SyncContext, rss: (KubeObject | undefined)[]): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const rs of rss) {
    if (!rs) continue;
    const stored = await ctx.store.get('replicasets', rs.metadata.namespace, rs.metadata.name!);
    if (stored && stored.metadata.uid === rs.metadata.uid) out.push(stored);
  }
  return out;
}
