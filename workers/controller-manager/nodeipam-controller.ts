import type { Clock } from '../../shared/clock';
import { standalone, startController, type Controller, type ControllerOptions, type ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import type { EventRecorder } from '../../shared/events/recorder';
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

/** The node IPAM controller: watches nodes, one queue `node-ipam-controller`. */
export function nodeIpamControllerSpec(opts: NodeIpamControllerOptions): ControllerSpec {
  const { store, clock, recorder, clusterCIDR, concurrency = 5, runner } = opts;
  const ipam = nodeIpam({ store, clock, recorder, clusterCIDR });
  return { queueName: NODE_IPAM_CONTROLLER, resources: ['nodes'], reconcile: (key) => reconcileNodeIpam(key, ipam), concurrency, runner };
}

/** Starts it alone, in its own consumer group `node-ipam-controller`. */
export function startNodeIpamController(opts: NodeIpamControllerOptions): Promise<Controller> {
  return startController({ ...standalone(opts), role: NODE_IPAM_CONTROLLER, ...nodeIpamControllerSpec(opts) });
}
