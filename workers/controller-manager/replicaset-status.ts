/** ReplicaSet status from the pods it has (upstream's calculateStatus and updateReplicaSetStatus). */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../shared/api/types';
import type { Store } from '../../shared/store/store';
import { hasTemplateLabels, isPodAvailable, isPodReady } from './replicaset-pods';
import { rfc3339 } from '../../shared/api/time';

export interface ReplicaSetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What failed while creating or deleting pods: it becomes the ReplicaFailure condition. */
export interface ManageFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

/**
 * The status for `pods` (the active pods the ReplicaSet owns after this reconcile). Counters that
 * are 0 are left out, as upstream's `omitempty` does; `replicas` is always there. A failure sets
 * the ReplicaFailure condition; a run without one clears it.
 */
export function calculateStatus(rs: KubeObject, pods: KubeObject[], failure: ManageFailure | undefined, now: Date): Record<string, unknown> {
  const minReadySeconds: number = rs.spec?.minReadySeconds ?? 0;
  const counts = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => hasTemplateLabels(p, rs)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  const status: Record<string, unknown> = { replicas: counts.replicas };
  for (const [k, v] of Object.entries(counts)) if (k !== 'replicas' && v !== 0) status[k] = v;
  const conditions = conditionsWith(rs.status?.conditions ?? [], failure, now);
  if (conditions.length) status.conditions = conditions;
  return status;
}

function conditionsWith(current: ReplicaSetCondition[], failure: ManageFailure | undefined, now: Date): ReplicaSetCondition[] {
  const others = current.filter((c) => c.type !== 'ReplicaFailure');
  if (!failure) return others;
  const existing = current.find((c) => c.type === 'ReplicaFailure');
  if (existing) return current;
  const lastTransitionTime = rfc3339(now);
  return [...others, { type: 'ReplicaFailure', status: 'True', lastTransitionTime, reason: failure.reason, message: failure.message }];
}

/** Writes `status` through the status subresource, only when it differs from the stored one; returns the stored ReplicaSet. */
export async function updateReplicaSetStatus(store: Store, rs: KubeObject, status: Record<string, unknown>): Promise<KubeObject> {
  return store.guaranteedUpdate('replicasets', rs.metadata.namespace, rs.metadata.name!, (current) => {
    if (current.metadata.uid !== rs.metadata.uid) return undefined;
    if (isDeepStrictEqual(current.status ?? {}, status)) return undefined;
    return { ...current, status };
  }, 'status');
}
