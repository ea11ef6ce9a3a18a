/**
 * `kubectl top pods` and `kubectl top nodes` with the real kubectl: metrics.k8s.io served from
 * the kubelets' samples (a real kubelet process at KUBEQ_TIME_SCALE=10, so samples come every 1.5 s).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../helpers/eventually';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';
import { startRedis, type TestRedis } from '../helpers/redis';

const run = promisify(execFile);
const PREFIX = '{kubectl-top}';
let redis: TestRedis;
let api: ApiServerProcess;
let kubelet: RoleProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  kubelet = startRole('workers/kubelet/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10', KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'top' });
  await kubelet.waitFor(/kubelet: ready/);
}, 60_000);
afterAll(async () => {
  await kubelet?.stop();
  await api?.stop();
  await redis?.stop();
});

const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', api.kubeconfig, ...args], { timeout: 30_000 })).stdout;
const pod = (name: string, cpu: string, memory: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'busy' }, annotations: { 'sim.kubeq.io/start-delay': '0s', 'sim.kubeq.io/cpu-usage': cpu, 'sim.kubeq.io/memory-usage': memory } },
  spec: { nodeName: 'top-0', containers: [{ name: 'c', image: 'busybox' }] },
});

test('kubectl top pods and nodes show the simulated usage', async () => {
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', pod('busy-1', '250m', '64Mi'))).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', pod('busy-2', '1500m', '1Gi'))).status).toBe(201);
  const pods = await eventually(async () => {
    const out = await kubectl('top', 'pods', '-l', 'app=busy').catch(() => '');
    return /busy-2/.test(out) ? out : undefined;
  }, 'kubectl top pods to list both pods', 30_000, 500);
  expect(pods.split('\n')[0]).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
  expect(pods).toMatch(/busy-1\s+250m\s+64Mi/);
  expect(pods).toMatch(/busy-2\s+1500m\s+1024Mi/);

  const nodes = await kubectl('top', 'nodes');
  expect(nodes.split('\n')[0]).toMatch(/^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)/);
  // top-0: the system's 100m + 250m + 1500m of its 4 cores = 46 %.
  expect(nodes).toMatch(/top-0\s+1850m\s+46%/);

  const list = (await api.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy-1')).body;
  expect(list).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', window: '15s', containers: [{ name: 'c', usage: { cpu: '250000000n', memory: '65536Ki' } }] });
  const missing = await api.call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope');
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods.metrics.k8s.io "default/nope" not found' });
}, 60_000);

test('CPU over the limit is throttled: held at the limit in kubectl top, the held-back share on /metrics', async () => {
  const hot = { ...pod('hot', '500m', '32Mi'), spec: { nodeName: 'top-1', containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '200m' } } }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', hot)).status).toBe(201);
  const out = await eventually(async () => {
    const text = await kubectl('top', 'pod', 'hot', '--no-headers').catch(() => '');
    return /hot\s+200m/.test(text) ? text : undefined;
  }, 'kubectl top to show hot held at 200m', 30_000, 500);
  expect(out).toMatch(/hot\s+200m\s+32Mi/);
  const metrics = (await api.call('GET', '/metrics')).body as string;
  // Wanted 500m, got 200m: 60 % held back.
  expect(metrics).toMatch(/kubeq_container_cpu_throttled_ratio\{namespace="default",pod="hot",container="c"\} 0\.6\b/);
  expect(metrics).toMatch(/kubeq_container_cpu_usage_cores\{namespace="default",pod="hot",container="c"\} 0\.2\b/);
  expect(metrics).toMatch(/container_memory_working_set_bytes\{namespace="default",pod="hot",container="c"\} 33554432\b/);
}, 60_000);

test('memory over the limit: OOMKilled (exit code 137) and restarted, the restart count growing', async () => {
  const leaky = {
    ...pod('leaky', '10m', '32Mi'),
    metadata: { name: 'leaky', annotations: { 'sim.kubeq.io/start-delay': '0s', 'sim.kubeq.io/memory-usage': '32Mi', 'sim.kubeq.io/memory-growth': '8Mi/s' } },
    spec: { nodeName: 'top-1', containers: [{ name: 'c', image: 'busybox', resources: { limits: { memory: '64Mi' } } }] },
  };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', leaky)).status).toBe(201);
  // 32Mi + 8Mi/s passes 64Mi after 4 s of cluster time (0.4 s here); back-off 10 s, 20 s, … (1 s, 2 s, … here).
  const status = await eventually(async () => {
    const s = (await api.call('GET', '/api/v1/namespaces/default/pods/leaky')).body.status?.containerStatuses?.[0];
    return s?.restartCount >= 2 ? s : undefined;
  }, 'two restarts', 40_000, 300);
  expect(status.lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  const events = (await api.call('GET', '/api/v1/namespaces/default/events')).body.items.filter((e: any) => e.involvedObject.name === 'leaky').map((e: any) => e.reason);
  expect(events).toContain('BackOff');
}, 60_000);
