import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/** Real apiserver, controller-manager and scheduler processes: pods land on nodes that fit them. */
const PREFIX = '{e2e-sched}';
const run = promisify(execFile);
let redis: TestRedis;
let api: ApiServerProcess;
let roles: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX };
  roles = [startRole('workers/controller-manager/main.js', env), startRole('workers/scheduler/main.js', env)];
  await Promise.all([roles[0].waitFor(/controller-manager: ready/), roles[1].waitFor(/scheduler: ready/)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(roles.map((r) => r.stop()));
  await api?.stop();
  await redis?.stop();
});


const node = (name: string, unschedulable = false) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: unschedulable ? { unschedulable: true } : {},
  status: {
    capacity: { cpu: '2', memory: '4Gi', pods: '110' },
    allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
  },
});

const podsOf = async (app: string) => (await api.call('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).body.items as any[];
const eventsFor = async (pod: any, reason: string) =>
  ((await api.call('GET', '/api/v1/namespaces/default/events')).body.items as any[]).filter((e) => e.reason === reason && e.involvedObject.uid === pod.metadata.uid);

test('pods are bound within allocatable, spread over nodes, never on a cordoned node; the rest stay Pending with the upstream message; both outcomes are Events', async () => {
  for (const n of [node('n1'), node('n2'), node('n3'), node('cordoned', true)]) expect((await api.call('POST', '/api/v1/nodes', n)).status).toBe(201);
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web' },
    spec: {
      replicas: 7,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '600m', memory: '100Mi' } } }] } },
    },
  };
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/replicasets', rs)).status).toBe(201);

  // 3 nodes × 2 cpu fit 9 pods of 600m: all 7 bind, at most 3 per node, none on the cordoned node
  const bound = await eventually(async () => {
    const pods = await podsOf('web');
    return pods.length === 7 && pods.every((p) => p.spec.nodeName) ? pods : undefined;
  }, '7 bound pods', 20_000);
  const perNode = new Map<string, number>();
  for (const p of bound) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  expect(perNode.has('cordoned')).toBe(false);
  expect([...perNode.values()].every((n) => n <= 3)).toBe(true);
  expect(perNode.size).toBe(3);
  for (const p of bound) expect(p.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]));

  const huge = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', labels: { app: 'huge' } }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '3' } } }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', huge)).status).toBe(201);
  const condition = await eventually(async () => {
    const [pod] = await podsOf('huge');
    return pod?.status?.conditions?.find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
  }, 'the huge pod to be marked unschedulable', 20_000);
  expect(condition.reason).toBe('Unschedulable');
  // 3 cpu is more than any node has: evicting pods could not help, so upstream's preemption says so
  expect(condition.message).toBe('0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');

  // Events as kube-scheduler records them: one Scheduled per binding, FailedScheduling with the condition's message
  const fromScheduler = { type: 'Normal', reason: 'Scheduled', source: { component: 'default-scheduler' }, reportingComponent: 'default-scheduler' };
  for (const p of bound) {
    const events = await eventually(async () => {
      const found = await eventsFor(p, 'Scheduled');
      return found.length ? found : undefined;
    }, `the Scheduled event of ${p.metadata.name}`, 20_000);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ...fromScheduler, message: `Successfully assigned default/${p.metadata.name} to ${p.spec.nodeName}`, involvedObject: { kind: 'Pod', name: p.metadata.name } });
  }
  const [pending] = await podsOf('huge');
  const failed = await eventually(async () => {
    const found = await eventsFor(pending, 'FailedScheduling');
    return found.length ? found : undefined;
  }, 'the FailedScheduling event of huge', 20_000);
  expect(failed[0]).toMatchObject({ ...fromScheduler, type: 'Warning', reason: 'FailedScheduling', message: condition.message });
  const table = (await run('kubectl', ['--kubeconfig', api.kubeconfig, 'get', 'events'], { timeout: 30_000 })).stdout;
  expect(table).toMatch(/Warning\s+FailedScheduling\s+pod\/huge\s+0\/4 nodes are available: /);
  expect(table).toMatch(/Normal\s+Scheduled\s+pod\/web-\S+\s+Successfully assigned default\/web-\S+ to n[123]/);
}, 60_000);
