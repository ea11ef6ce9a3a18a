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
  const connection = opts.connection ?? opts.store.redis;
  const queue = new WorkQueue({ name: opts.queueName ?? opts.role, prefix: opts.store.keys.prefix, connection, registry: opts.registry });
  const informer = new Informer({
    ...opts.informer,
    store: opts.store,
    group: groupName(opts.role, opts.instance),
    resources: opts.resources,
    handler: opts.handler,
    indexers: opts.indexers,
    enqueue: (triggers) => queue.enqueueBulk(triggers),
  });
  try {
    await informer.start();
  } catch (err) {
    await informer.stop().catch(() => undefined);
    await queue.close();
    throw err;
  }
  const runner = runReconciler({
    kindOf: (resource) => knownKind(opts.store, resource),
    ...opts.runner,
    queue,
    role: opts.role,
    concurrency: opts.concurrency,
    connection,
    reconcile: (key, ctx) => opts.reconcile(key, { ...ctx, cache: informer.indexer, store: opts.store }),
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await runner.close();
      await informer.stop();
      await queue.close();
    })());
  if (opts.stopOnSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
  }
  return { informer, queue, runner, stop };
}

/** The kind the store's resource table names, else a guess from the resource name. */
function knownKind(store: Store, resource: string): string {
  try {
    return store.info(resource).kind;
  } catch {
    return kindFromResource(resource);
  }
}
