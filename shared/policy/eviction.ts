/**
 * An eviction (the pods/eviction subresource, policy/v1 Eviction): a delete that honours the
 * pod's PodDisruptionBudget. Shared by the apiserver's handler and the roles that drain nodes,
 * so both take the same path through the store.
 *
 * As upstream's eviction REST: a pod that is terminal, already being deleted, or covered by no
 * budget is deleted at once; more than one budget is a 500; otherwise the budget's status is
 * recomputed and, when `disruptionsAllowed` is above 0 (or the pod is not healthy and the budget
 * is met), decremented with the pod recorded in `disruptedPods` — one write with the budget's
 * resourceVersion, so two evictions never spend the same disruption — and the pod is deleted.
 * Else 429 TooManyRequests with upstream's message and cause.
 */
import { StatusError } from '../api/status';
import type { KubeObject } from '../api/types';
import type { Store } from '../store/store';
import { isPodReady, pdbsForPod, pdbStatus } from './disruption';
import { rfc3339 } from '../api/time';

export const EVICTION_BLOCKED_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";


export interface EvictOptions {
  /** `deleteOptions.gracePeriodSeconds` of the Eviction; default the pod's own. */
  gracePeriodSeconds?: number;
  now: Date;
}

/** Evicts the pod or throws (404 when absent, 429 when its budget forbids it). */
export async function evictPod(store: Store, namespace: string, name: string, opts: EvictOptions): Promise<void> {
  const pod = await store.getOrThrow('pods', namespace, name);
  const phase = pod.status?.phase;
  const del = () => store.delete('pods', namespace, name, opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {});
  if (phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp) return void (await del());
  const pdbs = pdbsForPod(pod, (await store.list('poddisruptionbudgets', { namespace })).items);
  if (pdbs.length === 0) return void (await del());
  if (pdbs.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pods = (await store.list('pods', { namespace })).items;
  const replicasCache = new Map<string, number | undefined>();
  for (const owner of pods.flatMap((p) => (p.metadata.ownerReferences ?? []).filter((o: any) => o.controller && o.kind === 'ReplicaSet'))) {
    if (!replicasCache.has(owner.uid)) replicasCache.set(owner.uid, (await store.get('replicasets', namespace, owner.name))?.spec?.replicas);
  }
  const healthy = isPodReady(pod);
  await store.guaranteedUpdate('poddisruptionbudgets', namespace, pdbs[0].metadata.name!, (pdb: KubeObject) => {
    const status = pdbStatus(pdb, pods, (owner) => replicasCache.get(owner.uid), opts.now);
    if (!healthy && status.currentHealthy >= status.desiredHealthy) return { ...pdb, status };
    if (status.disruptionsAllowed <= 0) {
      throw new StatusError(429, 'TooManyRequests', EVICTION_BLOCKED_MESSAGE, {
        causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently` }],
      });
    }
    return { ...pdb, status: { ...status, disruptionsAllowed: status.disruptionsAllowed - 1, disruptedPods: { ...status.disruptedPods, [name]: rfc3339(opts.now) } } };
  }, 'status');
  await del();
}
