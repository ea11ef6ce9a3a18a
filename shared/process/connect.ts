import { Redis } from 'ioredis';
import { lookupResourceByName } from '../api/registry';
import { realClock, type Clock } from '../clock';
import type { Settings } from '../config/settings';
import { Store, type StoreOptions } from '../store/store';

/**
 * What every worker role starts from: its Redis connection (retrying forever, as BullMQ needs),
 * the cluster clock at KUBEQ_TIME_SCALE, and the store over both. `extra` adds store options
 * (the controller-manager's write limiter).
 */
export function connectWorker(settings: Settings, extra: Partial<StoreOptions> = {}): { redis: Redis; clock: Clock; store: Store } {
  if (!settings.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it; or point it at your Redis)');
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const clock = realClock(settings.timeScale);
  const store = new Store(redis, { prefix: settings.redisPrefix, resources: lookupResourceByName, logMaxLen: settings.logMaxLen, now: clock.now, ...extra });
  return { redis, clock, store };
}
