import { lookupResourceByName } from '../../shared/api/registry';
import type { KubeObject } from '../../shared/api/types';
import { ResourceSamples } from '../../shared/resourcemetrics/samples';
import { Store } from '../../shared/store/store';
import { startRole, type RoleProcess } from '../helpers/processes';
import { startRedis, type TestRedis } from '../helpers/redis';

/** The built kubelet (dist/workers/kubelet/main.js) against a private Redis, 10× faster than real time. */
const PREFIX = '{kubelet-e2e}';
let redis: TestRedis;
let store: Store;
let kubelet: RoleProcess;

beforeAll(async () => {
  redis = await startRedis();
  store = new Store(redis.client(), { prefix: PREFIX, resources: lookupResourceByName });
  kubelet = startRole('workers/kubelet/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'sim', KUBEQ_TIME_SCALE: '10', KUBEQ_NODE_POOL: 'blue' });
  await kubelet.waitFor(/kubelet: ready/);
}, 60_000);
afterAll(async () => {
  await kubelet?.stop();
  await redis?.stop();
});

async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await fn();
    if (got) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${kubelet.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const condition = (obj: KubeObject | undefined, type: string) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type)?.status;

function pod(name: string, nodeName: string, annotations: Record<string, string> = {}, restartPolicy = 'Always'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations }, spec: { nodeName, restartPolicy, containers: [{ name: 'web', image: 'nginx:1.27' }] } };
}

test('logs its nodes in the ready line', () => {
  expect(kubelet.output()).toMatch(/kubelet: ready \(nodes: sim-0, sim-1; metrics off/);
});

test('registers each node Ready, with labels, capacity and addresses, and renews its lease', async () => {
  const nodes = (await store.list('nodes')).items;
  expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['sim-0', 'sim-1']);
  const node = nodes.find((n) => n.metadata.name === 'sim-1')!;
  expect(condition(node, 'Ready')).toBe('True');
  expect(condition(node, 'MemoryPressure')).toBe('False');
  expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'sim-1', 'kubeq.io/node-pool': 'blue' });
  expect(node.status.allocatable).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
  expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '172.20.32.11' });

  const lease = await store.get('leases', 'kube-node-lease', 'sim-1');
  expect(lease?.spec).toMatchObject({ holderIdentity: 'sim-1', leaseDurationSeconds: 40 });
  expect(lease?.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'sim-1', uid: node.metadata.uid }]);
  // Every 10 s, at scale 10 every second: two renewals more, about a second apart.
  const renewTime = async () => (await store.get('leases', 'kube-node-lease', 'sim-1'))?.spec.renewTime as string;
  await new Promise((r) => setTimeout(r, 300));
  const first = await renewTime();
  const second = await eventually(async () => ((await renewTime()) > first ? renewTime() : undefined), 'a lease renewal', 3_000);
  const third = await eventually(async () => ((await renewTime()) > second ? renewTime() : undefined), 'another lease renewal', 3_000);
  expect(Date.parse(third) - Date.parse(second)).toBeGreaterThanOrEqual(900);
}, 20_000);

test('a pod bound to one of its nodes starts Running and Ready with a podIP; deleting it removes it', async () => {
  await store.create('pods', pod('web', 'sim-1'));
  const pending = await eventually(async () => {
    const p = await store.get('pods', 'default', 'web');
    return p?.status?.hostIP ? p : undefined;
  }, 'the pod accepted');
  expect(pending.status.hostIP).toBe('172.20.32.11');

  const running = await eventually(async () => {
    const p = await store.get('pods', 'default', 'web');
    return p?.status?.phase === 'Running' ? p : undefined;
  }, 'the pod running');
  expect(running.status.podIP).toBe('10.244.1.2');
  expect(condition(running, 'Ready')).toBe('True');
  expect(condition(running, 'ContainersReady')).toBe('True');
  expect(condition(running, 'Initialized')).toBe('True');
  expect(condition(running, 'PodScheduled')).toBe('True');
  expect(running.status.containerStatuses[0]).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0, image: 'nginx:1.27' });
  expect(running.status.containerStatuses[0].state.running.startedAt).toBeTruthy();
  expect(running.status.startTime).toBeTruthy();

  // A second pod on the same node takes the next address.
  await store.create('pods', pod('web2', 'sim-1', { 'sim.kubeq.io/start-delay': '0s' }));
  const second = await eventually(async () => {
    const p = await store.get('pods', 'default', 'web2');
    return p?.status?.phase === 'Running' ? p : undefined;
  }, 'the second pod running');
  expect(second.status.podIP).toBe('10.244.1.3');

  // The default grace period (30 s) only marks it; the kubelet stops it and removes it.
  const marked = await store.delete('pods', 'default', 'web');
  expect(marked.deleted).toBe(false);
  await eventually(async () => !(await store.get('pods', 'default', 'web')), 'the pod removed');
  await store.delete('pods', 'default', 'web2');
  await eventually(async () => !(await store.get('pods', 'default', 'web2')), 'the second pod removed');
}, 30_000);

test('pods of restartPolicy Never exit after sim.kubeq.io/exit-after with their exit code', async () => {
  await store.create('pods', pod('job-ok', 'sim-0', { 'sim.kubeq.io/start-delay': '1s', 'sim.kubeq.io/exit-after': '2s' }, 'Never'));
  await store.create('pods', pod('job-bad', 'sim-0', { 'sim.kubeq.io/start-delay': '1s', 'sim.kubeq.io/exit-after': '2s', 'sim.kubeq.io/exit-code': '2' }, 'Never'));
  const phase = async (name: string) => (await store.get('pods', 'default', name))?.status?.phase;
  await eventually(async () => (await phase('job-ok')) === 'Succeeded', 'job-ok Succeeded');
  await eventually(async () => (await phase('job-bad')) === 'Failed', 'job-bad Failed');
  const bad = await store.get('pods', 'default', 'job-bad');
  const terminated = bad?.status.containerStatuses[0].state.terminated;
  expect(terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
  // 2 s at scale 10: at least 200 ms of real time between start and exit, and 1 s (100 ms) before the start.
  expect(Date.parse(terminated.finishedAt) - Date.parse(terminated.startedAt)).toBeGreaterThanOrEqual(200);
  expect(Date.parse(terminated.startedAt) - Date.parse(bad!.status.startTime)).toBeGreaterThanOrEqual(100);
}, 20_000);

test('leaves pods of other nodes alone', async () => {
  await store.create('pods', pod('elsewhere', 'other-0'));
  await store.create('pods', pod('marker', 'sim-0', { 'sim.kubeq.io/start-delay': '0s' }));
  await eventually(async () => (await store.get('pods', 'default', 'marker'))?.status?.phase === 'Running', 'the marker pod running');
  expect((await store.get('pods', 'default', 'elsewhere'))?.status?.hostIP).toBeUndefined();
}, 20_000);

test('a deleted Node is registered again', async () => {
  const before = await store.get('nodes', undefined, 'sim-0');
  await store.delete('nodes', undefined, 'sim-0');
  const again = await eventually(async () => {
    const n = await store.get('nodes', undefined, 'sim-0');
    return n && n.metadata.uid !== before?.metadata.uid ? n : undefined;
  }, 'sim-0 registered again');
  expect(condition(again, 'Ready')).toBe('True');
}, 20_000);

test('a second kubelet process runs its own nodes; a restarted one resumes, and a stopped one stops renewing', async () => {
  const other = startRole('workers/kubelet/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_NODES: '1', KUBEQ_NODE_PREFIX: 'other', KUBEQ_NODE_INDEX: '2', KUBEQ_TIME_SCALE: '10' });
  try {
    await other.waitFor(/kubelet: ready \(nodes: other-0;/);
    // The pod bound to other-0 earlier (ignored by the first kubelet) now starts; KUBEQ_NODE_INDEX=2 keeps its addresses apart.
    const elsewhere = await eventually(async () => {
      const p = await store.get('pods', 'default', 'elsewhere');
      return p?.status?.phase === 'Running' ? p : undefined;
    }, 'the other-0 pod running');
    expect(elsewhere.status).toMatchObject({ hostIP: '172.20.32.12', podIP: '10.244.2.2' });

    await kubelet.stop();
    const renewTime = async () => (await store.get('leases', 'kube-node-lease', 'sim-0'))?.spec.renewTime as string;
    const last = await renewTime();
    await store.create('pods', pod('while-down', 'sim-0', { 'sim.kubeq.io/start-delay': '0s' }));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await renewTime()).toBe(last);
    expect((await store.get('pods', 'default', 'while-down'))?.status?.hostIP).toBeUndefined();

    kubelet = startRole('workers/kubelet/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'sim', KUBEQ_TIME_SCALE: '10' });
    await kubelet.waitFor(/kubelet: ready/);
    await eventually(async () => (await store.get('pods', 'default', 'while-down'))?.status?.phase === 'Running', 'the pod created while down running');
    await eventually(async () => (await renewTime()) > last, 'renewals again');
  } finally {
    await other.stop();
  }
}, 40_000);

test('each node writes its running pods\' usage and its own every 15 s (scaled), and forgets pods that left', async () => {
  const samples = new ResourceSamples(redis.client(), PREFIX);
  await store.create('pods', pod('busy', 'sim-1', { 'sim.kubeq.io/start-delay': '0s', 'sim.kubeq.io/cpu-usage': '300m', 'sim.kubeq.io/memory-usage': '64Mi' }));
  const sample = await eventually(async () => samples.pod('default', 'busy'), 'a sample of the busy pod');
  expect(sample.containers).toEqual([{ name: 'web', cpuMillis: 300, memoryBytes: 64 * 1024 * 1024, throttled: 0 }]);
  expect(sample.windowMs).toBe(15_000);
  const node = await eventually(async () => {
    const n = await samples.node('sim-1');
    return n && n.timestamp >= sample.timestamp ? n : undefined;
  }, 'the node sample');
  expect(node.cpuMillis).toBeGreaterThanOrEqual(100 + 300);
  await store.delete('pods', 'default', 'busy', { gracePeriodSeconds: 0 });
  await eventually(async () => !(await samples.pod('default', 'busy')), 'the sample gone with the pod');
}, 30_000);
