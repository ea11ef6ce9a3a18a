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

/** `kubeq trace <target>`: the trace rendered by cli/trace.ts, read from the Redis span sink. */
export async function traceText(target: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const settings = loadSettings(env);
  const url = traceRedisUrl(env);
  // Loaded on demand: the other commands must not depend on the tracing code.
  const { renderTrace } = await import('./trace');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect().catch((err: Error) => {
      throw new Error(`cannot reach Redis at ${url}: ${err.message}`);
    });
    return await renderTrace(redis, settings.redisPrefix, target);
  } finally {
    redis.disconnect();
  }
}
