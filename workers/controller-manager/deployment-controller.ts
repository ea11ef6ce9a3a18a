import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { standalone, startController, type Controller, type ControllerOptions, type ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
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

/** The Deployment controller: watches deployments, replicasets and pods, one queue `deployment-controller`. */
export function deploymentControllerSpec(opts: DeploymentControllerOptions): ControllerSpec {
  const { store, clock, recorder = noEvents, concurrency = 5, runner } = opts;
  // Orphan and pod lookups need the informer's cache, which exists once the controller has started.
  const cache: { current?: Indexer } = {};
  return {
    queueName: DEPLOYMENT_CONTROLLER,
    resources: ['deployments', 'replicasets', 'pods'],
    handler: deploymentKeys(() => cache.current),
    reconcile: (key, ctx) => reconcileDeployment(key, ctx.cache, store, clock, recorder),
    concurrency,
    runner,
    started: (controller) => (cache.current = controller.informer.indexer),
  };
}

/** Starts it alone, in its own consumer group `deployment-controller`. */
export function startDeploymentController(opts: DeploymentControllerOptions): Promise<Controller> {
  return startController({ ...standalone(opts), role: DEPLOYMENT_CONTROLLER, ...deploymentControllerSpec(opts) });
}
