/** Events → Deployment keys (upstream's addReplicaSet/updateReplicaSet/deleteReplicaSet and deletePod). */
import { objectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import { selectorMatches } from '../../shared/api/validation/labels';
import { byResource, controllerKey, ownKey, type KeyMapper } from '../../shared/informer/events';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';

/**
 * Deployment events enqueue their own key. A ReplicaSet event enqueues its controlling
 * Deployment (and the one it had before); an orphan ReplicaSet every Deployment of its namespace
 * that selects it, so one can adopt it. A deleted pod enqueues its ReplicaSet's Deployment when
 * that Deployment is Recreate (it waits for the old pods to go). Both lookups need the cache,
 * which `cache()` returns once the controller has started (undefined before: nothing then).
 */
export function deploymentKeys(cache: () => Indexer | undefined = () => undefined): KeyMapper {
  const replicaSetKeys = (rs: KubeObject): ObjectKey[] => {
    const owner = controllerKey(rs, 'deployments', 'Deployment');
    if (owner) return [owner];
    if (rs.metadata.ownerReferences?.some((r) => r.controller === true) || rs.metadata.deletionTimestamp) return [];
    const ns = rs.metadata.namespace;
    if (!ns) return [];
    return (cache()?.byIndex(NAMESPACE_INDEX, ns, 'deployments') ?? [])
      .filter((d) => selectorMatches(d.spec?.selector, rs.metadata.labels))
      .map((d) => objectKey('deployments', ns, d.metadata.name!));
  };
  return byResource({
    deployments: ownKey,
    replicasets: (event) => {
      const keys = replicaSetKeys(event.object);
      const before = event.oldObject ? controllerKey(event.oldObject, 'deployments', 'Deployment') : undefined;
      if (before) keys.push(before);
      return [...new Set(keys)];
    },
    pods: (event) => {
      if (event.type !== 'DELETED') return [];
      const rsKey = controllerKey(event.object, 'replicasets', 'ReplicaSet');
      const rs = rsKey ? cache()?.get(rsKey) : undefined;
      const dKey = rs ? controllerKey(rs, 'deployments', 'Deployment') : undefined;
      const d = dKey ? cache()?.get(dKey) : undefined;
      return d && d.spec?.strategy?.type === 'Recreate' ? [dKey!] : [];
    },
  });
}
