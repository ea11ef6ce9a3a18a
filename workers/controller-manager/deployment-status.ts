/**
 * Deployment status and conditions (upstream's calculateStatus, progress.go and the condition
 * helpers of deployment_util.go). Status is rebuilt from the ReplicaSets; conditions carry over.
 */
import type { KubeObject } from '../../shared/api/types';
import { actualReplicas, availableReplicas, maxUnavailable, readyReplicas, replicasOf, specReplicas } from './deployment-util';
import { rfc3339 } from '../../shared/api/time';

export interface DeploymentCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Reasons of the Progressing condition (upstream's deployment_util constants). */
export const REASON = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  failedRSCreate: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

const MAX_INT32 = 2147483647;
/** metav1.Time text (shared/api/time), by the name the controller-manager's controllers use. */
export const timestamp = rfc3339;

export function newCondition(type: DeploymentCondition['type'], status: DeploymentCondition['status'], reason: string, message: string, now: Date): DeploymentCondition {
  const t = timestamp(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: any, type: DeploymentCondition['type']): DeploymentCondition | undefined {
  return ((status?.conditions ?? []) as DeploymentCondition[]).find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason keeps the old one; same status keeps its transition time. */
export function setCondition(status: any, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const c = { ...condition };
  if (current && current.status === c.status) c.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...((status.conditions ?? []) as DeploymentCondition[]).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: any, type: DeploymentCondition['type']): void {
  const rest = ((status.conditions ?? []) as DeploymentCondition[]).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/** HasProgressDeadline: progressDeadlineSeconds set and not MaxInt32. */
export const hasProgressDeadline = (d: KubeObject): boolean => typeof d.spec?.progressDeadlineSeconds === 'number' && d.spec.progressDeadlineSeconds !== MAX_INT32;

/**
 * calculateStatus: counts from the ReplicaSets (`newRS` may be absent), conditions carried over,
 * Available set from availability against spec.replicas − maxUnavailable. Zero counters are left
 * out (upstream's omitempty); `replicas` too when 0, as upstream's int32 omitempty does.
 */
export function calculateStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject, now: Date): Record<string, any> {
  const available = availableReplicas(allRSs);
  const counts: Record<string, number> = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicas(allRSs),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicas(allRSs) - available),
  };
  const status: Record<string, any> = {};
  for (const [k, v] of Object.entries(counts)) if (v !== 0) status[k] = v;
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(status, newCondition('Available', 'True', REASON.minAvailable, 'Deployment has minimum availability.', now));
  else setCondition(status, newCondition('Available', 'False', REASON.minUnavailable, 'Deployment does not have minimum availability.', now));
  return status;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** DeploymentComplete: every replica updated and available, and the generation observed. */
export function deploymentComplete(d: KubeObject, status: any): boolean {
  const want = replicasOf(d);
  return num(status?.updatedReplicas) === want && num(status?.replicas) === want && num(status?.availableReplicas) === want && num(status?.observedGeneration) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available replicas than before, or fewer old ones. */
export function deploymentProgressing(d: KubeObject, status: any): boolean {
  const old = d.status ?? {};
  const oldOld = num(old.replicas) - num(old.updatedReplicas);
  const newOld = num(status.replicas) - num(status.updatedReplicas);
  return num(status.updatedReplicas) > num(old.updatedReplicas) || newOld < oldOld || num(status.readyReplicas) > num(old.readyReplicas) || num(status.availableReplicas) > num(old.availableReplicas);
}

/** DeploymentTimedOut: Progressing not updated for progressDeadlineSeconds. */
export function deploymentTimedOut(d: KubeObject, status: any, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, 'Progressing');
  if (!c || c.reason === REASON.newRSAvailable) return false;
  if (c.reason === REASON.timedOut) return true;
  const from = new Date(c.lastUpdateTime ?? 0).getTime();
  return from + d.spec.progressDeadlineSeconds * 1000 < now.getTime();
}

/** The ReplicaFailure condition of the first ReplicaSet (new one first) that has one, as the Deployment's (getReplicaFailures). */
function replicaFailure(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs.filter((r) => r !== newRS)]) {
    const c = ((rs?.status?.conditions ?? []) as DeploymentCondition[]).find((x) => x.type === 'ReplicaFailure');
    if (c) return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/** syncRolloutStatus's status: calculateStatus plus the Progressing condition and ReplicaFailure. */
export function rolloutStatus(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject, now: Date): Record<string, any> {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === REASON.newRSAvailable;
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', REASON.newRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      const c = newCondition('Progressing', 'True', REASON.rsUpdated, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition('Progressing', 'False', REASON.timedOut, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/**
 * requeueStuckDeployment: how long until the progress deadline passes for a rollout still under
 * way (plus a second, as upstream adds); undefined when there is nothing to wait for.
 */
export function untilDeadline(d: KubeObject, status: any, now: Date): number | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, status) || c.reason === REASON.timedOut) return undefined;
  const after = new Date(c.lastUpdateTime ?? 0).getTime() + d.spec.progressDeadlineSeconds * 1000 - now.getTime();
  return Math.max(after, 0) + 1000;
}
