import type { Indexer } from '../../shared/informer/indexer';
import { standalone, startController, type Controller, type ControllerOptions, type ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { reconcileGarbageCollector } from './garbagecollector';
import { garbageCollectorHandler, garbageCollectorIndexers } from './garbagecollector-refs';

/** Consumer group and queue of the garbage collector. */
export const GARBAGE_COLLECTOR = 'garbage-collector';
/** Owners and dependents it follows by default: what kubeq's controllers create. */
export const GARBAGE_COLLECTED_RESOURCES = ['deployments', 'replicasets', 'pods', 'services', 'endpointslices'];

export interface GarbageCollectorOptions extends Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  store: Store;
  /** Resources whose objects can be owners or dependents. Default GARBAGE_COLLECTED_RESOURCES. */
  resources?: string[];
  /** Parallel reconciles. Default 20 (upstream's --concurrent-gc-syncs). */
  concurrency?: number;
}

/** The garbage collector: one queue `garbage-collector`, keys are any watched object's. */
export function garbageCollectorSpec(opts: GarbageCollectorOptions): ControllerSpec {
  const { store, resources = GARBAGE_COLLECTED_RESOURCES, concurrency = 20, runner } = opts;
  // The handler reads the informer's cache, which exists once the controller has started.
  const cache: { current?: Indexer } = {};
  return {
    queueName: GARBAGE_COLLECTOR,
    resources,
    handler: garbageCollectorHandler(() => cache.current),
    indexers: garbageCollectorIndexers,
    reconcile: (key, ctx) => reconcileGarbageCollector(key, ctx.cache, store),
    concurrency,
    runner,
    started: (controller) => (cache.current = controller.informer.indexer),
  };
}

/** Starts it alone, in its own consumer group `garbage-collector`. */
export function startGarbageCollector(opts: GarbageCollectorOptions): Promise<Controller> {
  return startController({ ...standalone(opts), role: GARBAGE_COLLECTOR, ...garbageCollectorSpec(opts) });
}
