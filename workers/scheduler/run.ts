import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { lookupResourceByName } from '../../shared/api/registry';
import type { KubeObject, ObjectKey } from '../../shared/api/types';
import { realClock } from '../../shared/clock';
import type { Settings } from '../../shared/config/settings';
import type { KeyMapper } from '../../shared/informer/events';
import { LeaderElector } from '../../shared/leaderelection/elector';
import type { Indexer } from '../../shared/informer/indexer';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { Store } from '../../shared/store/store';
import { schedulerKeys } from './events';
import { seededRandom } from './framework/random';
import { scheduleOne } from './schedule';
import type { Telemetry } from '../../shared/tracing/sdk';


/** Resources the scheduler caches: what its plugins read. */
const WATCHED = ['pods', 'nodes', 'replicasets', 'namespaces'];

/**
 * Wires the scheduler: informer → queue → scheduleOne, one pod at a time (upstream schedules
 * one pod per cycle, so a cycle always sees the bindings before it). One active scheduler per
 * cluster: a process schedules only while it holds the Lease kube-system/kube-scheduler; others
 * stand by and take over when the leader stops renewing. A leader that loses the lease exits,
 * as kube-scheduler does, and its supervisor restarts it as a standby.
 */
export async function runScheduler(settings: Settings, telemetry: Telemetry): Promise<void> {
  if (!settings.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it; or point it at your Redis)');
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const clock = realClock(settings.timeScale);
  const store = new Store(redis, { prefix: settings.redisPrefix, resources: lookupResourceByName, logMaxLen: settings.logMaxLen, now: clock.now });
  const identity = `${hostname()}_${randomUUID()}`;
  const elector = new LeaderElector({ store, clock, namespace: 'kube-system', name: 'kube-scheduler', identity });
  await elector.acquire((holder) => console.log(`scheduler: standing by; lease kube-system/kube-scheduler is held by ${holder}`));
  elector.keepRenewing(() => {
    console.error('scheduler: lost the lease kube-system/kube-scheduler; exiting');
    process.exit(1);
  });
  const random = seededRandom(settings.seed);
  const assumed = new Map<ObjectKey, KubeObject>();
  // The handler reads the cache for pending pods; until the first list is in, every pod event maps to its own key.
  const holder: { cache?: Indexer } = {};
  const handler: KeyMapper = (event) => (holder.cache ? schedulerKeys(holder.cache)(event) : event.resource === 'pods' ? [event.key] : []);
  const scheduler = await startController({
    role: 'scheduler',
    instance: settings.instance,
    store,
    resources: WATCHED,
    handler,
    reconcile: (key, { cache }) => scheduleOne(key, cache, store, random, { clock, assumed }),
    concurrency: 1,
  });
  holder.cache = scheduler.informer.indexer;
  const leadership = { stop: async () => elector.stop() };
  await runWorker('scheduler', `leading as ${identity}; profile default-scheduler`, settings, { controllers: [leadership, scheduler], redis, telemetry });
}
