import { objectKey } from '../../shared/api/types';
import { byResource, type KeyMapper } from '../../shared/informer/events';
import { standalone, startController, type Controller, type ControllerOptions, type ControllerSpec } from '../../shared/queue/controller';
import { NODE_LEASE_NAMESPACE, nodeLifecycle, reconcileNodeLifecycle, type NodeLifecycleOptions } from './nodelifecycle';

/** Consumer group and queue of the node lifecycle controller (upstream's controller name). */
export const NODE_LIFECYCLE_CONTROLLER = 'node-lifecycle-controller';
/** The component its Events name, as upstream's recorder does. */
export const NODE_CONTROLLER_COMPONENT = 'node-controller';

/**
 * Events → node keys. A node event enqueues the node (the kubelet posted status, someone cordoned
 * it, or this controller wrote it); a deleted node needs nothing. A Lease in kube-node-lease
 * enqueues its node when it appears or goes; a renewal (every 10 s per node) enqueues nothing: the
 * node's reconcile already waits until the moment the node would turn silent and reads the Lease
 * then, so heartbeats cost no reconcile.
 */
export const nodeLifecycleKeys: KeyMapper = byResource({
  nodes: (e) => (e.type === 'DELETED' ? [] : [e.key]),
  leases: (e) => (e.object.metadata.namespace === NODE_LEASE_NAMESPACE && e.type !== 'MODIFIED' ? [objectKey('nodes', undefined, e.object.metadata.name!)] : []),
});

export interface NodeLifecycleControllerOptions extends NodeLifecycleOptions, Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  /** Parallel reconciles. Default 5. */
  concurrency?: number;
}

/** The node lifecycle controller: watches nodes and leases, one queue `node-lifecycle-controller`. */
export function nodeLifecycleControllerSpec(opts: NodeLifecycleControllerOptions): ControllerSpec {
  const { runner, concurrency = 5 } = opts;
  const nl = nodeLifecycle(opts);
  return { queueName: NODE_LIFECYCLE_CONTROLLER, resources: ['nodes', 'leases'], handler: nodeLifecycleKeys, reconcile: (key, ctx) => reconcileNodeLifecycle(key, nl, ctx.cache), concurrency, runner };
}

/** Starts it alone, in its own consumer group `node-lifecycle-controller`. */
export function startNodeLifecycleController(opts: NodeLifecycleControllerOptions): Promise<Controller> {
  return startController({ ...standalone(opts), role: NODE_LIFECYCLE_CONTROLLER, ...nodeLifecycleControllerSpec(opts) });
}
