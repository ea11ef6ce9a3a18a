import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/** Two processes of a role: one leads, one stands by; kill -9 the leader and the standby takes over. */
const PREFIX = '{e2e-leader}';
let redis: TestRedis;
let api: ApiServerProcess;
const schedulers: RoleProcess[] = [];
const managers: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
}, 60_000);
afterAll(async () => {
  await Promise.all([...schedulers, ...managers].map((s) => s.stop('SIGKILL')));
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

const replicaSet = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'rs' },
  spec: { replicas, selector: { matchLabels: { app: 'rs' } }, template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
});
const podCount = async () => (await api.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Drs')).body.items.length as number;

test('the standby controller-manager takes the lease when the leader dies, and its controllers run', async () => {
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' };
  managers.push(startRole('workers/controller-manager/main.js', env));
  const leading = await managers[0].waitFor(/controller-manager: ready \(leading as /);
  managers.push(startRole('workers/controller-manager/main.js', env));
  await managers[1].waitFor(/controller-manager: standing by; lease kube-system\/kube-controller-manager is held by /);
  const first = /leading as ([^;]+);/.exec(leading)![1];

  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/replicasets', replicaSet(2))).status).toBe(201);
  await eventually(async () => (await podCount()) === 2, 'the leader to create 2 pods', 20_000);
  expect(managers[1].output()).not.toMatch(/controller-manager: ready/);

  await managers[0].stop('SIGKILL');
  const taking = await managers[1].waitFor(/controller-manager: ready \(leading as /, 20_000);
  expect(/leading as ([^;]+);/.exec(taking)![1]).not.toBe(first);
  await api.call('PATCH', '/apis/apps/v1/namespaces/default/replicasets/rs', { spec: { replicas: 4 } }, 'application/merge-patch+json');
  await eventually(async () => (await podCount()) === 4, 'the new leader to scale to 4 pods', 20_000);
  const lease = (await api.call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager')).body;
  expect(lease.spec).toMatchObject({ leaseDurationSeconds: 15, leaseTransitions: 1 });
}, 60_000);
