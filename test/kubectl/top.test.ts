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
