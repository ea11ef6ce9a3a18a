import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ObjectKey } from '../api/types';
import type { KeyMapper } from '../informer/events';
import type { Indexer } from '../informer/indexer';
import type { IndexFunc } from '../informer/indexers';
import { groupName, Informer, type InformerOptions } from '../informer/informer';
import type { Store } from '../store/store';
import type { ReconcileContext, ReconcileResult } from './reconcile';
import { runReconciler, type Runner, type RunnerOptions } from './runner';
import { kindFromResource } from './span';
import { WorkQueue } from './workqueue';

/** What a controller's reconcile gets besides the runner's context: the synced cache and the store to write through. */
export interface ControllerContext extends ReconcileContext {
  cache: Indexer;
  store: Store;
}

export interface ControllerOptions {
  /** The role (`controller-manager`, `scheduler`, …): names the consumer group and, by default, the queue. */
  role: string;
  /** `KUBEQ_INSTANCE` (settings.instance): a process with its own cache and position joins group `<role>:<instance>`. */
  instance?: string;
  store: Store;
  /** Resources the informer caches and watches. */
  resources: string[];
  /** Event → keys (STYLE rule 3). Default: the object's own key. */
  handler?: KeyMapper;
  indexers?: Record<string, IndexFunc>;
  /** The reconcile, under the `Reconciler` contract (return, requeueAfter, throw, TerminalError). */
  reconcile: (key: ObjectKey, ctx: ControllerContext) => Promise<ReconcileResult | void>;
  /** Parallel reconciles in this process. Default 1. */
  concurrency?: number;
  /** Queue name. Default the role; use `groupName(role, instance)` when each instance must do its own keys (kubelets). */
  queueName?: string;
  /** Connection for the queue and its worker (`maxRetriesPerRequest: null`). Default the store's. */
  connection?: Redis;
  /** Where workqueue metrics go. Default the process registry. */
  registry?: Registry;
  /** Informer tuning (batch size, block time, claim idle time, error sink). */
  informer?: Pick<InformerOptions, 'batchSize' | 'blockMs' | 'claimMinIdleMs' | 'retryDelayMs' | 'onError'>;
  /** Runner tuning (backoff, lock duration, stalled interval, kind names, error sink). */
  runner?: Pick<RunnerOptions, 'backoff' | 'lockDurationMs' | 'stalledIntervalMs' | 'kindOf' | 'onError'>;
  /** Stop cleanly on SIGTERM and SIGINT. Default false (the caller wires signals). */
  stopOnSignals?: boolean;
  /** Called once the controller exists (its informer has listed), e.g. to hand its cache to a handler that reads it. */
  started?: (controller: Controller) => void;
}

export interface Controller {
  informer: Informer;
  queue: WorkQueue;
  runner: Runner;
  /** Stops the workers (waiting for runs in flight), then the informer, then the queue. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Wires one role's control loop: informer (list + change log) → work queue → reconcile runner.
 * Workers start only after the cache has synced, as client-go waits for `HasSynced`.
 *
 *     const ctl = await startController({
 *       role: 'controller-manager', instance: settings.instance, store,
 *       resources: ['replicasets', 'pods'],
 *       handler: byResource({ replicasets: ownKey, pods: (e) => [controllerKey(e.object, 'replicasets', 'ReplicaSet')].filter(Boolean) }),
 *       reconcile: (key, { cache, store }) => reconcileReplicaSet(key, cache, store),
 *       concurrency: 10, stopOnSignals: true,
 *     });
 */
export async function startController(opts: ControllerOptions): Promise<Controller> {
  const { role, instance, store, connection, registry, informer, stopOnSignals, ...spec } = opts;
  const [controller] = await startControllers({ role, instance, store, connection, registry, informer, stopOnSignals, controllers: [{ ...spec, queueName: spec.queueName ?? role }] });
  return controller;
}

/** One controller of a set sharing an informer: its own queue, handler and reconcile. */
export type ControllerSpec = Omit<ControllerOptions, 'role' | 'instance' | 'store' | 'connection' | 'registry' | 'informer' | 'stopOnSignals' | 'queueName'> & {
  /** Its queue: one per controller (BullMQ refuses ':' in names). */
  queueName: string;
};

export type SharedControllersOptions = Pick<ControllerOptions, 'role' | 'instance' | 'store' | 'connection' | 'registry' | 'informer' | 'stopOnSignals'> & {
  controllers: ControllerSpec[];
};

/**
 * Several controllers of one process on one informer (client-go's SharedInformerFactory): the
 * change log is read and parsed once and cached once for all of them, in one consumer group
 * (`groupName(role, instance)`); each controller keeps its own queue, handler and workers.
 * Every returned controller's `stop()` stops the whole set: workers, then the informer, then
 * the queues.
 */
export async function startControllers(opts: SharedControllersOptions): Promise<Controller[]> {
  const connection = opts.connection ?? opts.store.redis;
  const queues = opts.controllers.map((c) => new WorkQueue({ name: c.queueName, prefix: opts.store.keys.prefix, connection, registry: opts.registry }));
  const informer = new Informer({
    ...opts.informer,
    store: opts.store,
    group: groupName(opts.role, opts.instance),
    resources: [...new Set(opts.controllers.flatMap((c) => c.resources))],
    indexers: Object.assign({}, ...opts.controllers.map((c) => c.indexers ?? {})),
    listeners: opts.controllers.map((c, i) => ({ resources: c.resources, handler: c.handler, enqueue: (triggers) => queues[i].enqueueBulk(triggers) })),
  });
  try {
    await informer.start();
  } catch (err) {
    await informer.stop().catch(() => undefined);
    await Promise.all(queues.map((q) => q.close()));
    throw err;
  }
  const runners = opts.controllers.map((c, i) =>
    runReconciler({
      kindOf: (resource) => knownKind(opts.store, resource),
      ...c.runner,
      queue: queues[i],
      role: opts.role,
      concurrency: c.concurrency,
      connection,
      reconcile: (key, ctx) => c.reconcile(key, { ...ctx, cache: informer.indexer, store: opts.store }),
    }),
  );
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await Promise.all(runners.map((r) => r.close()));
      await informer.stop();
      await Promise.all(queues.map((q) => q.close()));
    })());
  if (opts.stopOnSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
  }
  const controllers: Controller[] = runners.map((runner, i) => ({ informer, queue: queues[i], runner, stop }));
  opts.controllers.forEach((c, i) => c.started?.(controllers[i]));
  return controllers;
}

/** The kind the store's resource table names, else a guess from the resource name. */
function knownKind(store: Store, resource: string): string {
  try {
    return store.info(resource).kind;
  } catch {
    return kindFromResource(resource);
  }
}

/** The options of a controller started alone that are not its spec: connection, instance, store, metrics, tuning. */
export function standalone(opts: Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'connection' | 'store'>): Pick<ControllerOptions, 'instance' | 'registry' | 'informer' | 'connection' | 'store'> {
  const { instance, registry, informer, connection, store } = opts;
  return { instance, registry, informer, connection, store };
}
