import { Redis } from 'ioredis';
import { loadSettings } from '../shared/config/settings';
import { homePaths, recordedRedisUrl } from './home';

/** The Redis `kubeq trace` reads: REDIS_URL, else the local one the running `kubeq up` recorded. */
export function traceRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  const settings = loadSettings(env);
  const url = settings.redisUrl || recordedRedisUrl(homePaths(settings.home));
  if (!url) {
    throw new Error(`no Redis to read traces from: set REDIS_URL, or start kubeq with \`npm start\` (it records its Redis in ${homePaths(settings.home).redisUrl})`);
  }
  return url;
}

/**
 * Runs `fn` with a connection to that Redis and the key prefix, and disconnects after; a Redis
 * that does not answer fails at once with its URL. `retries`: ioredis' maxRetriesPerRequest
 * (null where BullMQ uses the connection).
 */
export async function withCliRedis<T>(env: NodeJS.ProcessEnv, fn: (redis: Redis, prefix: string) => Promise<T>, retries: number | null = 1): Promise<T> {
  const settings = loadSettings(env);
  const url = traceRedisUrl(env);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: retries, retryStrategy: () => null });
  try {
    await redis.connect().catch((err: Error) => {
      throw new Error(`cannot reach Redis at ${url}: ${err.message}`);
    });
    return await fn(redis, settings.redisPrefix);
  } finally {
    redis.disconnect();
  }
}

/** `kubeq trace <target>`: the trace rendered by cli/trace.ts, read from the Redis span sink. */
export async function traceText(target: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  // Loaded on demand: the other commands must not depend on the tracing code.
  const { renderTrace } = await import('./trace');
  return withCliRedis(env, (redis, prefix) => renderTrace(redis, prefix, target));
}
