import { startController, type Controller, type ControllerOptions } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { reconcileGarbageCollector } from './garbagecollector';
import { garbageCollectorIndexers, garbageCollectorKeys } from './garbagecollector-refs';

/** Consumer group and queue of the garbage collector. */
export const GARBAGE_COLLECTOR = 'garbage-collector';
/** Owners and dependents it follows by default: what kubeq's controllers create. */
export const GARBAGE_COLLECTED_RESOURCES = ['deployments', 'replicasets', 'pods'];

export interface GarbageCollectorOptions extends Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  store: Store;
  /** Resources whose objects can be owners or dependents. Default GARBAGE_COLLECTED_RESOURCES. */
  resources?: string[];
  /** Parallel reconciles. Default 20 (upstream's --concurrent-gc-syncs). */
  concurrency?: number;
}

/** Starts the garbage collector: one queue `garbage-collector`, keys are any watched object's. */
export async function startGarbageCollector(opts: GarbageCollectorOptions): Promise<Controller> {
  const { store, resources = GARBAGE_COLLECTED_RESOURCES, concurrency = 20, ...rest } = opts;
  return startController({
    ...rest,
    role: GARBAGE_COLLECTOR,
    store,
    resources,
    handler: garbageCollectorKeys,
    indexers: garbageCollectorIndexers,
    reconcile: (key, ctx) => reconcileGarbageCollector(key, ctx.cache, store),
    concurrency,
  });
}
