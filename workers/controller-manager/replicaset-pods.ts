/** Pod helpers the ReplicaSet controller shares with its ranking and status (upstream's podutil and controller_utils). */
import type { KubeObject, OwnerReference } from '../../shared/api/types';
import type { IndexFunc } from '../../shared/informer/indexers';

/** Not finished and not being deleted (upstream's IsPodActive): the pods a ReplicaSet counts. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): { status?: string; lastTransitionTime?: string } | undefined {
  const conditions: { type?: string; status?: string; lastTransitionTime?: string }[] = pod.status?.conditions ?? [];
  return conditions.find((c) => c.type === 'Ready');
}

/** The Ready condition is True (podutil.IsPodReady). */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod last became ready; undefined when it is not ready or the time is unknown. */
export function podReadyTime(pod: KubeObject): Date | undefined {
  const c = readyCondition(pod);
  return c?.status === 'True' && c.lastTransitionTime ? new Date(c.lastTransitionTime) : undefined;
}

/**
 * Ready for at least `minReadySeconds` at `now` (podutil.IsPodAvailable). With 0 a ready pod is
 * available at once; a ready pod without a transition time is not available otherwise.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return !!since && since.getTime() + minReadySeconds * 1000 <= now.getTime();
}

/** Cache index: pods without a controller, by namespace — the orphans a ReplicaSet may adopt, without walking every pod. */
export const ORPHAN_PODS_INDEX = 'replicaset.orphanPods';

export const replicaSetIndexers: Record<string, IndexFunc> = {
  [ORPHAN_PODS_INDEX]: (obj, key) => (key.startsWith('pods/') && obj.metadata.namespace && !controllerOf(obj) ? [obj.metadata.namespace] : []),
};

/** The owner reference marked `controller: true`, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The reference a ReplicaSet puts on the pods it controls. */
export function replicaSetControllerRef(rs: KubeObject): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** A new pod from the ReplicaSet's template (controller.GetPodFromTemplate): labels, annotations, finalizers and spec, named `<rs>-xxxxx`. */
export function podFromTemplate(rs: KubeObject): KubeObject {
  const template = rs.spec?.template ?? {};
  const meta = template.metadata ?? {};
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ownerReferences: [replicaSetControllerRef(rs)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

/** Every label of the template is on the pod with the same value (status.fullyLabeledReplicas). */
export function hasTemplateLabels(pod: KubeObject, rs: KubeObject): boolean {
  const want: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const have = pod.metadata.labels ?? {};
  return Object.entries(want).every(([k, v]) => have[k] === v);
}
