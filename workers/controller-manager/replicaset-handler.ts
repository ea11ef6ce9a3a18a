/** Events → ReplicaSet keys (upstream's addPod/updatePod/deletePod and the ReplicaSet handlers). */
import { objectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import { selectorMatches } from '../../shared/api/validation/labels';
import { byResource, controllerKey, ownKey, type KeyMapper } from '../../shared/informer/events';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';

/**
 * What a ReplicaSet's sync reads of a pod: whether it counts (phase, deletion), whom it belongs
 * to, whether it is fully labelled, ready and since when. Scheduling and the kubelet's other
 * status writes (binding, acceptance, container details) change none of it.
 */
function replicaSetView(pod: KubeObject): string {
  const ready = (pod.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready');
  return JSON.stringify([pod.metadata.labels, pod.metadata.ownerReferences, pod.metadata.deletionTimestamp, pod.status?.phase, ready?.status, ready?.lastTransitionTime]);
}

/**
 * ReplicaSet events enqueue their own key; a pod event enqueues its controlling ReplicaSet (and
 * the one it had before, when the controller changed), unless it changed nothing the sync reads
 * (upstream enqueues every pod update; at thousands of pods that is most of the work). An orphan pod enqueues every ReplicaSet
 * of its namespace whose selector matches it, so one can adopt it; that needs the cache, which
 * `cache()` returns once the controller has started (undefined before: the initial list
 * enqueues every ReplicaSet anyway).
 */
export function replicaSetKeys(cache: () => Indexer | undefined = () => undefined): KeyMapper {
  const podKeys = (pod: KubeObject): ObjectKey[] => {
    const owner = controllerKey(pod, 'replicasets', 'ReplicaSet');
    if (owner) return [owner];
    if (pod.metadata.ownerReferences?.some((r) => r.controller === true) || pod.metadata.deletionTimestamp) return [];
    const ns = pod.metadata.namespace;
    if (!ns) return [];
    return (cache()?.byIndex(NAMESPACE_INDEX, ns, 'replicasets') ?? [])
      .filter((rs) => selectorMatches(rs.spec?.selector, pod.metadata.labels))
      .map((rs) => objectKey('replicasets', ns, rs.metadata.name!));
  };
  return byResource({
    replicasets: ownKey,
    pods: (event) => {
      if (event.type === 'MODIFIED' && event.oldObject && replicaSetView(event.oldObject) === replicaSetView(event.object)) return [];
      const keys = podKeys(event.object);
      const before = event.oldObject ? controllerKey(event.oldObject, 'replicasets', 'ReplicaSet') : undefined;
      if (before) keys.push(before);
      return [...new Set(keys)];
    },
  });
}
