import type { Clock } from '../../shared/clock';
import { startController, type Controller, type ControllerOptions } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import type { EventRecorder } from './events';
import { nodeIpam, reconcileNodeIpam } from './nodeipam';

/** Consumer group and queue of the node IPAM controller. */
export const NODE_IPAM_CONTROLLER = 'node-ipam-controller';

export interface NodeIpamControllerOptions extends Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  store: Store;
  clock: Clock;
  /** Where CIDRNotAvailable Events go. Default none. */
  recorder?: EventRecorder;
  /** The range nodes' /24s come from. Default 10.244.0.0/16. */
  clusterCIDR?: string;
  /** Parallel reconciles; allocations themselves take turns under the allocation lock. Default 5. */
  concurrency?: number;
}

/** Starts the node IPAM controller: watches nodes, one queue `node-ipam-controller`. */
export function startNodeIpamController(opts: NodeIpamControllerOptions): Promise<Controller> {
  const { store, clock, recorder, clusterCIDR, concurrency = 5, ...rest } = opts;
  const ipam = nodeIpam({ store, clock, recorder, clusterCIDR });
  return startController({
    ...rest,
    role: NODE_IPAM_CONTROLLER,
    store,
    resources: ['nodes'],
    reconcile: (key) => reconcileNodeIpam(key, ipam),
    concurrency,
  });
}
