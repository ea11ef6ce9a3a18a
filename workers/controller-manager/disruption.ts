/**
 * The disruption controller (kube-controller-manager's, for policy/v1 PodDisruptionBudgets):
 * reconcile(`poddisruptionbudgets/<ns>/<name>`) rebuilds the budget's status from the pods its
 * selector matches and their controllers' scale (shared/policy/disruption.ts), keeping the
 * evictions already allowed (`disruptedPods`) that the cache has not seen go yet, and writes it
 * when it differs. A pod's change reconciles the budgets that select it.
 */
import { parseObjectKey, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import { byResource, type InformerEvent } from '../../shared/informer/events';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';
import { pdbsForPod, pdbStatus } from '../../shared/policy/disruption';
import type { ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';

export const DISRUPTION_CONTROLLER = 'disruption-controller';

export async function reconcilePdb(key: ObjectKey, cache: Indexer, store: Store, clock: Clock): Promise<void> {
  const { namespace, name } = parseObjectKey(key);
  if (!cache.get(key)) return;
  const pods = cache.byIndex(NAMESPACE_INDEX, namespace!, 'pods');
  const replicasOf = (owner: any, ns: string) => (owner.kind === 'ReplicaSet' ? cache.get(`replicasets/${ns}/${owner.name}`)?.spec?.replicas : undefined);
  try {
    await store.guaranteedUpdate('poddisruptionbudgets', namespace, name, (pdb) => {
      const status = pdbStatus(pdb, pods, replicasOf, clock.now());
      return JSON.stringify(status) === JSON.stringify(pdb.status ?? {}) ? undefined : { ...pdb, status };
    }, 'status');
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

export function disruptionControllerSpec(opts: { store: Store; clock: Clock }): ControllerSpec {
  const holder: { cache?: Indexer } = {};
  const podBudgets = (e: InformerEvent) => (holder.cache ? pdbsForPod(e.object, holder.cache.byIndex(NAMESPACE_INDEX, e.object.metadata.namespace ?? '', 'poddisruptionbudgets')).map((p) => `poddisruptionbudgets/${p.metadata.namespace}/${p.metadata.name}`) : []);
  return {
    queueName: DISRUPTION_CONTROLLER,
    resources: ['poddisruptionbudgets', 'pods', 'replicasets'],
    handler: byResource({ poddisruptionbudgets: (e) => [e.key], pods: podBudgets }),
    reconcile: (key, { cache }) => reconcilePdb(key, cache, opts.store, opts.clock),
    concurrency: 2,
    started: (controller) => (holder.cache = controller.informer.indexer),
  };
}
