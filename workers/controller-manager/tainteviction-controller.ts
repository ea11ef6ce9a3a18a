import { isDeepStrictEqual } from 'node:util';
import { nodeTaints, podTolerations } from '../../shared/api/taints';
import { objectKey, type KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import { byResource, type KeyMapper } from '../../shared/informer/events';
import type { Indexer } from '../../shared/informer/indexer';
import { NODE_NAME_INDEX } from '../../shared/informer/indexers';
import { standalone, startController, type Controller, type ControllerOptions, type ControllerSpec } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { reconcileTaintEviction } from './tainteviction';
import { noExecuteTaintsOf } from './tainteviction-decision';

/** Consumer group and queue of the taint-eviction controller, and the component of its Events (upstream's name). */
export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';

/**
 * Events → pod keys (upstream's PodUpdated and NodeUpdated). A pod counts when it is bound to a
 * node the cache shows with NoExecute taints, and it is new, or its node or tolerations changed;
 * a node counts when its NoExecute taints changed and it has some: then every pod on it. Nothing
 * else can change a verdict; the time a toleration runs out comes back through requeueAfter.
 * `cache()` is the controller's informer cache, undefined before it has started: the initial list
 * then enqueues every bound pod, as it cannot look at their nodes.
 */
export function taintEvictionKeys(cache: () => Indexer | undefined): KeyMapper {
  const tainted = (nodeName: string): boolean => {
    const nodes = cache();
    return !nodes || noExecuteTaintsOf(nodeTaints(nodes.get(objectKey('nodes', undefined, nodeName)))).length > 0;
  };
  const noExecute = (node: KubeObject | undefined) => noExecuteTaintsOf(nodeTaints(node)).map(({ key, value, effect }) => ({ key, value, effect }));
  return byResource({
    pods: (e) => {
      const nodeName: unknown = e.object.spec?.nodeName;
      if (e.type === 'DELETED' || typeof nodeName !== 'string' || !nodeName || !tainted(nodeName)) return [];
      const old = e.oldObject;
      if (old && old.spec?.nodeName === nodeName && isDeepStrictEqual(podTolerations(old), podTolerations(e.object))) return [];
      return [e.key];
    },
    nodes: (e) => {
      const taints = noExecute(e.object);
      if (e.type === 'DELETED' || taints.length === 0 || (e.oldObject && isDeepStrictEqual(noExecute(e.oldObject), taints))) return [];
      return cache()?.indexKeys(NODE_NAME_INDEX, e.object.metadata.name!, 'pods') ?? [];
    },
  });
}

export interface TaintEvictionControllerOptions extends Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'runner' | 'connection'> {
  store: Store;
  clock: Clock;
  /** Where TaintManagerEviction Events go. Default none. */
  recorder?: EventRecorder;
  /** Parallel reconciles. Default 8 (upstream's UpdateWorkerSize). */
  concurrency?: number;
}

/** The taint-eviction controller: watches pods and nodes, one queue `taint-eviction-controller`. */
export function taintEvictionControllerSpec(opts: TaintEvictionControllerOptions): ControllerSpec {
  const { store, clock, recorder = noEvents, concurrency = 8, runner } = opts;
  const cache: { current?: Indexer } = {};
  return {
    queueName: TAINT_EVICTION_CONTROLLER,
    resources: ['nodes', 'pods'],
    handler: taintEvictionKeys(() => cache.current),
    reconcile: (key) => reconcileTaintEviction(key, { store, clock, recorder }),
    concurrency,
    runner,
    started: (controller) => (cache.current = controller.informer.indexer),
  };
}

/** Starts it alone, in its own consumer group `taint-eviction-controller`. */
export function startTaintEvictionController(opts: TaintEvictionControllerOptions): Promise<Controller> {
  return startController({ ...standalone(opts), role: TAINT_EVICTION_CONTROLLER, ...taintEvictionControllerSpec(opts) });
}
