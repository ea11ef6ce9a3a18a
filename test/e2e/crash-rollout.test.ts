import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';
import { rollout, type Rollout } from '../helpers/rollout';

/**
 * Crash safety with real processes: kill -9 the controller-manager in the middle of a 50-pod
 * rollout; once it is back, the Deployment completes with exactly its pods, none twice, none missing.
 */
const PREFIX = '{e2e-crash}';
const env = (redisUrl: string) => ({ REDIS_URL: redisUrl, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' });
let redis: TestRedis;
let api: ApiServerProcess;
let cm: RoleProcess;
let big: Rollout;
const others: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  big = rollout(api);
  cm = startRole('workers/controller-manager/main.js', env(redis.url));
  others.push(startRole('workers/scheduler/main.js', env(redis.url)), startRole('workers/kubelet/main.js', { ...env(redis.url), KUBEQ_NODES: '5', KUBEQ_NODE_PREFIX: 'node' }));
  await Promise.all([cm.waitFor(/controller-manager: ready/), others[0].waitFor(/scheduler: ready/), others[1].waitFor(/kubelet: ready/)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([cm, ...others].map((r) => r?.stop()));
  await api?.stop();
  await redis?.stop();
});

async function killAndRestartControllerManager(): Promise<void> {
  await cm.stop('SIGKILL');
  cm = startRole('workers/controller-manager/main.js', env(redis.url));
  await cm.waitFor(/controller-manager: ready/);
}

test('kill -9 the controller-manager mid-creation and mid-rollout: the Deployment completes with exactly 50 pods', async () => {
  await big.create('app:1');
  await eventually(async () => ((await big.live()).length >= 10 ? true : undefined), 'the first pods', 20_000, 20);
  await killAndRestartControllerManager();
  await big.settled('app:1', () => `cm: ${cm.output()}`);

  await big.setImage('app:2');
  await eventually(async () => ((await big.live()).some((p) => p.spec.containers[0].image === 'app:2') ? true : undefined), 'the rollout to start', 20_000, 20);
  await killAndRestartControllerManager();
  await big.settled('app:2', () => `cm: ${cm.output()}`);

  await big.expectRolledOut('app:2');
}, 150_000);
