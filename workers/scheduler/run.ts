import { connectWorker } from '../../shared/process/connect';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Settings } from '../../shared/config/settings';
import { storeEventRecorder } from '../../shared/events/recorder';
import type { KeyMapper } from '../../shared/informer/events';
import { LeaderElector } from '../../shared/leaderelection/elector';
import type { Indexer } from '../../shared/informer/indexer';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { schedulerKeys } from './events';
import { SchedulerCache } from '../../shared/scheduling/framework/cache';
import { seededRandom } from '../../shared/scheduling/framework/random';
import { SCHEDULER_NAME, scheduleOne } from './schedule';
import type { Telemetry } from '../../shared/tracing/sdk';


/** Resources the scheduler caches: what its plugins read. */
const WATCHED = ['pods', 'nodes', 'replicasets', 'namespaces'];

/**
 * Reconciles in flight. Scheduling cycles still run one at a time (each is synchronous, see
 * schedule.ts), as upstream schedules one pod per cycle and every cycle sees the bindings
 * assumed before it; the binding writes and events overlap, as upstream's binding goroutines do.
 */
const SCHEDULER_CONCURRENCY = 16;

/**
 * Wires the scheduler: informer → queue → scheduleOne. One active scheduler per
 * cluster: a process schedules only while it holds the Lease kube-system/kube-scheduler; others
 * stand by and take over when the leader stops renewing. A leader that loses the lease exits,
 * as kube-scheduler does, and its supervisor restarts it as a standby.
 */
export async function runScheduler(settings: Settings, telemetry: Telemetry): Promise<void> {
  const { redis, clock, store } = connectWorker(settings);
  const identity = `${hostname()}_${randomUUID()}`;
  const elector = new LeaderElector({ store, clock, namespace: 'kube-system', name: 'kube-scheduler', identity });
  await elector.acquire((holder) => console.log(`scheduler: standing by; lease kube-system/kube-scheduler is held by ${holder}`));
  elector.keepRenewing(() => {
    console.error('scheduler: lost the lease kube-system/kube-scheduler; exiting');
    process.exit(1);
  });
  const random = seededRandom(settings.seed);
  const nodes = new SchedulerCache();
  const recorder = storeEventRecorder(store, clock, SCHEDULER_NAME);
  // The handler reads the cache for pending pods; until the first list is in, every pod event maps to its own key.
  const holder: { cache?: Indexer } = {};
  const handler: KeyMapper = (event) => {
    nodes.apply(event);
    return holder.cache ? schedulerKeys(holder.cache)(event) : event.resource === 'pods' ? [event.key] : [];
  };
  const scheduler = await startController({
    role: 'scheduler',
    instance: settings.instance,
    store,
    resources: WATCHED,
    handler,
    reconcile: (key, { cache }) => scheduleOne(key, cache, store, random, { clock, nodes, recorder }),
    concurrency: SCHEDULER_CONCURRENCY,
  });
  holder.cache = scheduler.informer.indexer;
  const leadership = { stop: async () => elector.stop() };
  await runWorker('scheduler', `leading as ${identity}; profile default-scheduler`, settings, { controllers: [leadership, scheduler], redis, telemetry });
}
