import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/** Two scheduler processes: one leads, one stands by; kill -9 the leader and the standby takes over. */
const PREFIX = '{e2e-leader}';
let redis: TestRedis;
let api: ApiServerProcess;
const schedulers: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
}, 60_000);
afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop('SIGKILL')));
  await api?.stop();
  await redis?.stop();
});

const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const boundTo = async (name: string) => (await api.call('GET', `/api/v1/namespaces/default/pods/${name}`)).body.spec?.nodeName as string | undefined;

test('the standby scheduler takes the lease when the leader dies, and schedules', async () => {
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' };
  expect((await api.call('POST', '/api/v1/nodes', node)).status).toBe(201);
  schedulers.push(startRole('workers/scheduler/main.js', env));
  const leading = await schedulers[0].waitFor(/scheduler: ready \(leading as /);
  schedulers.push(startRole('workers/scheduler/main.js', env));
  await schedulers[1].waitFor(/scheduler: standing by; lease kube-system\/kube-scheduler is held by /);
  const first = /leading as ([^;]+);/.exec(leading)![1];

  await api.call('POST', '/api/v1/namespaces/default/pods', pod('p1'));
  expect(await eventually(() => boundTo('p1'), 'p1 to be bound by the leader', 20_000)).toBe('n1');
  expect(schedulers[1].output()).not.toMatch(/scheduler: ready/);

  await schedulers[0].stop('SIGKILL');
  await api.call('POST', '/api/v1/namespaces/default/pods', pod('p2'));
  const taking = await schedulers[1].waitFor(/scheduler: ready \(leading as /, 20_000);
  const second = /leading as ([^;]+);/.exec(taking)![1];
  expect(second).not.toBe(first);
  expect(await eventually(() => boundTo('p2'), 'p2 to be bound by the new leader', 20_000)).toBe('n1');
  const lease = (await api.call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler')).body;
  expect(lease.spec).toMatchObject({ holderIdentity: second, leaseDurationSeconds: 15, leaseTransitions: 1 });
}, 60_000);
