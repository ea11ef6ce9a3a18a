/**
 * A Load with every role as a real process at KUBEQ_TIME_SCALE=10: its requests are spread over
 * the Service's endpoints by the nodes' iptables rules, their cost shows in the pods' metrics
 * (kubectl top), a CPU limit throttles and slows them, and with no ready endpoint they are
 * dropped with kube-proxy's reason.
 */
import { runKubectl } from '../helpers/kubectl';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';

let cluster: TestCluster;
let api: TestCluster['api'];

beforeAll(async () => {
  cluster = await startCluster('{e2e-load}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints', 'proxy'], { kubelet: { KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'node' }, proxy: { KUBEQ_DNS_PORT: '0' } });
  api = cluster.api;
}, 60_000);
afterAll(() => cluster?.stop());

const get = async (path: string) => (await api.call('GET', path)).body;
const LOADS = '/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads';
const deployment = (replicas: number, limits?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m' }, ...(limits ? { limits } : {}) } }] } },
  },
});
const patchReplicas = async (replicas: number) => expect((await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas } }, 'application/merge-patch+json')).status).toBe(200);

test('30 rps at 10 millicore-seconds each spread over 3 pods: about 100m each in kubectl top, and the Load status says so', async () => {
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment(3))).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } })).status).toBe(201);
  await eventually(async () => ((await get('/api/v1/namespaces/default/endpoints/web')).subsets?.[0]?.addresses?.length === 3 ? true : undefined), 'three ready endpoints', 30_000);

  const made = await api.call('POST', LOADS, { apiVersion: 'sim.kubeq.io/v1alpha1', kind: 'Load', metadata: { name: 'steady' }, spec: { service: 'web', port: 'http', rate: { rps: 30 }, cost: { cpu: '10m', memory: '2Mi', latency: '50ms' }, sampleRate: 0.01 } });
  expect(made.status).toBe(201);
  expect(made.body.spec).toMatchObject({ rate: { shape: 'Constant', rps: 30 }, clients: 10, cost: { cpu: '10m', memory: '2Mi', latency: '50ms' } });

  const status = await eventually(async () => {
    const s = (await get(`${LOADS}/steady`)).status;
    return s?.servedBy?.length === 3 ? s : undefined;
  }, 'the load served by three pods', 30_000, 300);
  expect(status).toMatchObject({ phase: 'Running', offeredRPS: 30, servedRPS: 30, droppedRPS: 0, latencyMs: 50 });
  // 150 requests a sync over iptables' 1/3, 1/2, 1 chain: each pod gets a fair share, give or take the draw.
  for (const s of status.servedBy) expect(s.rps).toBeGreaterThan(5);
  expect(status.servedBy.reduce((sum: number, s: { rps: number }) => sum + s.rps, 0)).toBeCloseTo(30, 1);

  // The pods' cpu: 1m baseline + their share of 300m; the total is exact, the split is the rules' draw.
  const top = await eventually(async () => {
    const out = await runKubectl(api.kubeconfig, ['top', 'pods', '-l', 'app=web', '--no-headers']).catch(() => '');
    const cpus = [...out.matchAll(/\s(\d+)m\s/g)].map((m) => Number(m[1]));
    return cpus.length === 3 && cpus.reduce((a, b) => a + b, 0) >= 290 ? cpus : undefined;
  }, 'kubectl top pods to show the load', 30_000, 500);
  expect(top.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(290);
  expect(top.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(310);

  const table = await runKubectl(api.kubeconfig, ['get', 'loads']);
  expect(table.split('\n')[0]).toMatch(/^NAME\s+SERVICE\s+SHAPE\s+OFFERED\s+SERVED\s+DROPPED\s+ENDPOINTS\s+PHASE\s+AGE/);
  expect(table).toMatch(/steady\s+web\s+Constant\s+30\/s\s+30\/s\s+0\/s\s+3\s+Running\s/);
}, 90_000);

test('custom.metrics.k8s.io serves requests_per_second per pod and per Service (what the HPA reads)', async () => {
  const discovery = JSON.parse(await runKubectl(api.kubeconfig, ['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2']));
  expect(discovery.resources.map((r: { name: string }) => r.name)).toEqual(['pods/requests_per_second', 'services/requests_per_second']);
  const pods = JSON.parse(await runKubectl(api.kubeconfig, ['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/requests_per_second?labelSelector=app%3Dweb']));
  expect(pods.kind).toBe('MetricValueList');
  expect(pods.items).toHaveLength(3);
  const milli = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
  expect(pods.items.reduce((s: number, i: { value: string }) => s + milli(i.value), 0)).toBeCloseTo(30, 0);
  expect(pods.items[0]).toMatchObject({ describedObject: { kind: 'Pod', namespace: 'default', apiVersion: '/v1' }, metric: { name: 'requests_per_second' } });
  const svc = JSON.parse(await runKubectl(api.kubeconfig, ['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/services/web/requests_per_second']));
  expect(svc.items).toEqual([expect.objectContaining({ describedObject: expect.objectContaining({ kind: 'Service', name: 'web' }), value: '30' })]);
  await expect(runKubectl(api.kubeconfig, ['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/queue_depth'])).rejects.toThrow(/NotFound|could not find the metric queue_depth/);
});

test('a cpu limit below what the requests cost throttles the pod and slows its requests', async () => {
  expect((await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { template: { spec: { containers: [{ name: 'web', resources: { requests: { cpu: '40m' }, limits: { cpu: '50m' } } }] } } } }, 'application/strategic-merge-patch+json')).status).toBe(200);
  const status = await eventually(async () => {
    const s = (await get(`${LOADS}/steady`)).status;
    return s?.servedBy?.length === 3 && s.servedBy.every((b: { throttled: number }) => b.throttled > 0) ? s : undefined;
  }, 'throttled endpoints', 60_000, 300);
  // ~101m wanted against a 50m limit: about half held back, requests about twice as slow.
  for (const s of status.servedBy) expect(s.latencyMs).toBeGreaterThan(50);
  expect(status.latencyMs).toBeGreaterThan(70);
}, 90_000);

test('no ready endpoint: every request is dropped, with kube-proxy\'s reason', async () => {
  await patchReplicas(0);
  const status = await eventually(async () => {
    const s = (await get(`${LOADS}/steady`)).status;
    return s?.droppedRPS === 30 ? s : undefined;
  }, 'all requests dropped', 60_000, 300);
  expect(status).toMatchObject({ servedRPS: 0, servedBy: [] });
  expect(status.message).toMatch(/REJECT by kube-proxy: .*has no endpoints/);
}, 90_000);

test('bad Load specs are refused with field errors', async () => {
  const bad = await api.call('POST', LOADS, { apiVersion: 'sim.kubeq.io/v1alpha1', kind: 'Load', metadata: { name: 'bad' }, spec: { rate: { shape: 'Ramp', to: -1 }, clients: 0, sampleRate: 2, cost: { cpu: 'lots' } } });
  expect(bad.status).toBe(422);
  const causes = bad.body.details.causes.map((c: { field: string }) => c.field);
  expect(causes).toEqual(expect.arrayContaining(['spec.service', 'spec.rate.to', 'spec.rate.over', 'spec.clients', 'spec.sampleRate', 'spec.cost.cpu']));
});

test('memory over the limit from the requests in flight: OOMKilled and restarted, the restart count growing', async () => {
  const mem = { ...deployment(1, { memory: '64Mi' }), metadata: { name: 'mem' } };
  mem.spec.selector = { matchLabels: { app: 'mem' } };
  mem.spec.template.metadata.labels = { app: 'mem' };
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', mem)).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mem' }, spec: { selector: { app: 'mem' }, ports: [{ port: 80, targetPort: 8080 }] } })).status).toBe(201);
  await eventually(async () => ((await get('/api/v1/namespaces/default/endpoints/mem')).subsets?.[0]?.addresses?.length === 1 ? true : undefined), 'one ready endpoint', 30_000);
  // 100 rps × 100 ms = 10 requests in flight × 10Mi = 100Mi on top of 8Mi, against a 64Mi limit.
  expect((await api.call('POST', LOADS, { apiVersion: 'sim.kubeq.io/v1alpha1', kind: 'Load', metadata: { name: 'heavy' }, spec: { service: 'mem', rate: { rps: 100 }, cost: { cpu: '1m', memory: '10Mi', latency: '100ms' } } })).status).toBe(201);
  const status = await eventually(async () => {
    const pods = (await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dmem')).items as any[];
    const s = pods[0]?.status?.containerStatuses?.[0];
    return s?.restartCount >= 2 ? s : undefined;
  }, 'two OOM restarts', 60_000, 300);
  expect(status.lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
}, 90_000);
