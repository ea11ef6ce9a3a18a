import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { startController, type Controller, type ControllerOptions } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from './events';
import { reconcileDeployment } from './deployment';
import { deploymentKeys } from './deployment-handler';

/** Consumer group and queue of the Deployment controller. */
export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

export interface DeploymentControllerOptions extends Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  store: Store;
  clock: Clock;
  /** Where ScalingReplicaSet (and FailedCreate, SelectingAll) Events go. Default none. */
  recorder?: EventRecorder;
  /** Parallel reconciles. Default 5 (upstream's --concurrent-deployment-syncs). */
  concurrency?: number;
}

/** Starts the Deployment controller: watches deployments, replicasets and pods, one queue `deployment-controller`. */
export async function startDeploymentController(opts: DeploymentControllerOptions): Promise<Controller> {
  const { store, clock, recorder = noEvents, concurrency = 5, ...rest } = opts;
  // Orphan and pod lookups need the informer's cache, which exists once the controller has started.
  const cache: { current?: Indexer } = {};
  const controller = await startController({
    ...rest,
    role: DEPLOYMENT_CONTROLLER,
    store,
    resources: ['deployments', 'replicasets', 'pods'],
    handler: deploymentKeys(() => cache.current),
    reconcile: (key, ctx) => reconcileDeployment(key, ctx.cache, store, clock, recorder),
    concurrency,
  });
  cache.current = controller.informer.indexer;
  return controller;
}
