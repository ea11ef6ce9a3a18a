/** The ReplicaSet for the Deployment's current template: found (and its revision raised) or created (upstream's getNewReplicaSet). */
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import { controllerOf } from './replicaset-pods';
import { getCondition, hasProgressDeadline, newCondition, REASON, setCondition } from './deployment-status';
import { deploymentControllerRef, writeDeploymentStatus, type SyncContext } from './deployment-sync';
import {
  computeHash, equalIgnoreHash, findNewReplicaSet, isRollingUpdate, maxRevision, maxSurge, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, replicasOf,
  setNewReplicaSetAnnotations, specReplicas,
} from './deployment-util';

/** NewRSNewReplicas: Recreate wants spec.replicas at once; RollingUpdate grows within maxSurge. */
export function newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const current = specReplicas(allRSs);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
}

/**
 * getAllReplicaSetsAndSyncRevision: the ReplicaSet for the current template (created when
 * `create` and absent) and every other one. Updates the new one's revision (max old + 1) and
 * the Deployment's revision annotation. Throws after a hash collision (the collision count is
 * raised, so the next try names the ReplicaSet differently) or a failed create.
 */
export async function replicaSetsAndSyncRevision(ctx: SyncContext, rsList: KubeObject[], create: boolean): Promise<{ newRS?: KubeObject; oldRSs: KubeObject[] }> {
  const found = findNewReplicaSet(ctx.d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== found);
  const newRS = await newReplicaSet(ctx, found, oldRSs, create);
  return { newRS, oldRSs };
}

async function newReplicaSet(ctx: SyncContext, existing: KubeObject | undefined, oldRSs: KubeObject[], create: boolean): Promise<KubeObject | undefined> {
  const { d } = ctx;
  const revision = maxRevision(oldRSs) + 1;
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, revision, true);
    const minReadySeconds = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
      return ctx.store.guaranteedUpdate('replicasets', copy.metadata.namespace, copy.metadata.name!, (current) => {
        if (current.metadata.uid !== copy.metadata.uid) throw new Error(`replicaset ${copy.metadata.name} was replaced`);
        current.metadata.annotations = copy.metadata.annotations;
        current.spec.minReadySeconds = minReadySeconds;
        return current;
      });
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION]);
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      setCondition((d.status ??= {}), newCondition('Progressing', 'True', REASON.foundNewRS, `Found new replica set "${copy.metadata.name}"`, ctx.clock.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await writeDeploymentStatus(ctx);
    return existing;
  }
  if (!create) return undefined;
  return createNewReplicaSet(ctx, oldRSs, revision);
}

function setDeploymentRevision(d: KubeObject, revision: string | undefined): boolean {
  if (revision === undefined || d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
  d.metadata.annotations = { ...d.metadata.annotations, [REVISION_ANNOTATION]: revision };
  return true;
}

async function createNewReplicaSet(ctx: SyncContext, oldRSs: KubeObject[], revision: number): Promise<KubeObject | undefined> {
  const { d } = ctx;
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [deploymentControllerRef(d)], labels: template.metadata.labels },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, revision, false);
  let created: KubeObject;
  let alreadyExisted = false;
  try {
    created = await ctx.store.create('replicasets', rs);
  } catch (err) {
    if (isStatusError(err, 409)) {
      const stored = await ctx.store.get('replicasets', rs.metadata.namespace, rs.metadata.name!);
      if (!stored || controllerOf(stored)?.uid !== d.metadata.uid || !equalIgnoreHash(d.spec.template, stored.spec?.template)) {
        // A hash collision: the next try computes another name.
        d.status = { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        await writeDeploymentStatus(ctx);
        throw new Error(`replicaset ${rs.metadata.name} exists and is not this deployment's (collision count now ${d.status.collisionCount})`, { cause: err });
      }
      created = stored;
      alreadyExisted = true;
    } else {
      const message = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
      if (hasProgressDeadline(d)) {
        setCondition((d.status ??= {}), newCondition('Progressing', 'False', REASON.failedRSCreate, message, ctx.clock.now()));
        await writeDeploymentStatus(ctx);
      }
      await ctx.recorder.event(d, 'Warning', 'FailedCreate', message);
      throw err;
    }
  }
  if (!alreadyExisted && replicasOf(rs) > 0) await ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicasOf(rs)}`);
  let needsUpdate = setDeploymentRevision(d, String(revision));
  if (!alreadyExisted && hasProgressDeadline(d)) {
    setCondition((d.status ??= {}), newCondition('Progressing', 'True', REASON.newRSCreated, `Created new replica set "${created.metadata.name}"`, ctx.clock.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await writeDeploymentStatus(ctx);
  return created;
}
