import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { standalone, startController, type Controller, type ControllerOptions, type ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import { reconcileReplicaSet } from './replicaset';
import { replicaSetKeys } from './replicaset-handler';
import { replicaSetIndexers } from './replicaset-pods';

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

/** The ReplicaSet controller: watches replicasets and pods, one queue `replicaset-controller`. */
export function replicaSetControllerSpec(opts: ReplicaSetControllerOptions): ControllerSpec {
  const { store, clock, recorder = noEvents, concurrency = 5, runner } = opts;
  // The orphan lookup needs the informer's cache, which exists once the controller has started.
  const cache: { current?: Indexer } = {};
  return {
    queueName: REPLICASET_CONTROLLER,
    resources: ['replicasets', 'pods'],
    handler: replicaSetKeys(() => cache.current),
    indexers: replicaSetIndexers,
    reconcile: (key, ctx) => reconcileReplicaSet(key, ctx.cache, store, clock, recorder),
    concurrency,
    runner,
    started: (controller) => (cache.current = controller.informer.indexer),
  };
}

/** Starts it alone, in its own consumer group `replicaset-controller`. */
export function startReplicaSetController(opts: ReplicaSetControllerOptions): Promise<Controller> {
  return startController({ ...standalone(opts), role: REPLICASET_CONTROLLER, ...replicaSetControllerSpec(opts) });
}
