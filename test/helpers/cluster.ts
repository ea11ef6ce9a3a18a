import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from './processes';
import { startRedis, type TestRedis } from './redis';

/** A private cluster of real processes: its Redis, the apiserver and the worker roles asked for. */
export interface TestCluster {
  redis: TestRedis;
  api: ApiServerProcess;
  roles: Record<string, RoleProcess>;
  /** The roles' shared environment (Redis, prefix, time scale). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts Redis, the apiserver and `workers/<role>/main.js` for each role (with `extra[role]`
 * added to its environment) at KUBEQ_TIME_SCALE `timeScale` (default 10), and waits for every
 * role's ready line.
 */
export async function startCluster(prefix: string, roles: string[], extra: Record<string, Record<string, string>> = {}, timeScale = '10'): Promise<TestCluster> {
  const redis = await startRedis();
  const api = await startApiServer(redis.url, prefix);
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: prefix, KUBEQ_TIME_SCALE: timeScale };
  const started = Object.fromEntries(roles.map((role) => [role, startRole(`workers/${role}/main.js`, { ...env, ...extra[role] })]));
  await Promise.all(roles.map((role) => started[role].waitFor(new RegExp(`${role}: ready`))));
  return {
    redis,
    api,
    roles: started,
    env,
    async stop() {
      await Promise.all(Object.values(started).map((r) => r.stop()));
      await api.stop();
      await redis.stop();
    },
  };
}
