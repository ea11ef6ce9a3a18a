import { Redis } from 'ioredis';
import { lookupResourceByName } from '../../shared/api/registry';
import type { KubeObject, ObjectKey } from '../../shared/api/types';
import { realClock } from '../../shared/clock';
import type { Settings } from '../../shared/config/settings';
import type { KeyMapper } from '../../shared/informer/events';
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
 * cluster: leader election comes with a later change, so run a single scheduler process.
 */
export async function runScheduler(settings: Settings, telemetry: Telemetry): Promise<void> {
  if (!settings.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it; or point it at your Redis)');
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const clock = realClock(settings.timeScale);
  const store = new Store(redis, { prefix: settings.redisPrefix, resources: lookupResourceByName, logMaxLen: settings.logMaxLen, now: clock.now });
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
  await runWorker('scheduler', 'profile default-scheduler', settings, { controllers: [scheduler], redis, telemetry });
}
