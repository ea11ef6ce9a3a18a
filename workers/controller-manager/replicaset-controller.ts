import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { startController, type Controller, type ControllerOptions } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from './events';
import { reconcileReplicaSet } from './replicaset';
import { replicaSetKeys } from './replicaset-handler';

/** Consumer group and queue of the ReplicaSet controller: its own, so its keys never mix with another controller's. */
export const REPLICASET_CONTROLLER = 'replicaset-controller';

export interface ReplicaSetControllerOptions extends Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  store: Store;
  clock: Clock;
  /** Where SuccessfulCreate/SuccessfulDelete Events go. Default none. */
  recorder?: EventRecorder;
  /** Parallel reconciles. Default 5 (upstream's --concurrent-replicaset-syncs). */
  concurrency?: number;
}

/** Starts the ReplicaSet controller: watches replicasets and pods, one queue `replicaset-controller`. */
export async function startReplicaSetController(opts: ReplicaSetControllerOptions): Promise<Controller> {
  const { store, clock, recorder = noEvents, concurrency = 5, ...rest } = opts;
  // The orphan lookup needs the informer's cache, which exists once the controller has started.
  const cache: { current?: Indexer } = {};
  const controller = await startController({
    ...rest,
    role: REPLICASET_CONTROLLER,
    store,
    resources: ['replicasets', 'pods'],
    handler: replicaSetKeys(() => cache.current),
    reconcile: (key, ctx) => reconcileReplicaSet(key, ctx.cache, store, clock, recorder),
    concurrency,
  });
  cache.current = controller.informer.indexer;
  return controller;
}
