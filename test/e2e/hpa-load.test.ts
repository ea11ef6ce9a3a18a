/**
 * The HPA under a load step, every role a real process at KUBEQ_TIME_SCALE=30: a Load steps a
 * Service from 2 to 20 requests/s (10 millicore-seconds each) and back; the HPA (cpu 50 % of a
 * 100m request) goes 1 → 5 → 1 as upstream's rules give it:
 *
 *   step up:   1 pod at (1m + 200m) / 100m = 201 % → ratio 4.02 → ceil(4.02 × 1) = 5, within the
 *              default scale-up policy (max(100 %, 4 pods) = +4 per 15 s); then 5 pods at 41 %
 *              → ceil(0.82 × 5) = 5: it stays.
 *   step down: 5 pods at 5 % → ceil(0.1 × 5) = 1, held by the 300 s scale-down stabilization
 *              window until the last high recommendation leaves it, then down to 1 (100 % per
 *              15 s allows it at once; a recommendation taken while the samples changed over
 *              may leave a step on the way).
 */
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';

const SCALE = 30;
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster('{e2e-hpa-load}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints', 'proxy', 'hpa'], { kubelet: { KUBEQ_NODES: '3', KUBEQ_NODE_PREFIX: 'node' }, proxy: { KUBEQ_DNS_PORT: '0' } }, String(SCALE));
}, 60_000);
afterAll(() => cluster?.stop());

const get = async (path: string) => (await cluster.api.call('GET', path)).body;
const rescales = async () =>
  ((await get('/api/v1/namespaces/default/events')).items as any[])
    .filter((e) => e.reason === 'SuccessfulRescale')
    .map((e) => ({ message: e.message as string, at: Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp) }))
    .sort((a, b) => a.at - b.at);

test('a load step 2 → 20 → 2 rps: 1 → 5 → 1 replicas, the scale-down after the 300 s stabilization window', async () => {
  const { api } = cluster;
  const web = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m' } } }] } } },
  };
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', web)).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } })).status).toBe(201);
  await eventually(async () => ((await get('/api/v1/namespaces/default/endpoints/web')).subsets?.[0]?.addresses?.length === 1 ? true : undefined), 'one ready endpoint', 30_000);
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } };
  expect((await api.call('POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', hpa)).status).toBe(201);
  const load = { apiVersion: 'sim.kubeq.io/v1alpha1', kind: 'Load', metadata: { name: 'step' }, spec: { service: 'web', rate: { shape: 'Points', points: [[0, 2], [60, 2], [60, 20], [240, 20], [240, 2]] }, cost: { cpu: '10m' } } };
  expect((await api.call('POST', '/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads', load)).status).toBe(201);
  const start = Date.parse((await eventually(async () => (await get('/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads/step')).status?.startTime, 'the load to start', 30_000)) as string);
  const wall = (clusterSeconds: number) => start + (clusterSeconds * 1000) / SCALE;

  let seen = '';
  const look = async () => {
    const h = (await get('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).status;
    const l = (await get('/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads/step')).status;
    seen = `hpa ${JSON.stringify(h)}; load ${JSON.stringify(l)}; rescales ${JSON.stringify(await rescales())}`;
  };
  const up = await eventually(async () => (await look(), (await rescales()).find((r) => r.message.startsWith('New size: 5'))), () => `the scale-up to 5; last seen ${seen}`, 60_000, 200);
  expect(up.message).toBe('New size: 5; reason: cpu resource utilization (percentage of request) above target');
  // No earlier than the step; within a metrics window and two syncs of it (15 s + 2 × 15 s of cluster time, with slack).
  expect(up.at).toBeGreaterThanOrEqual(wall(60) - 1000);
  expect(up.at).toBeLessThanOrEqual(wall(60 + 60) + 2000);

  const down = await eventually(async () => (await look(), (await rescales()).find((r) => r.message.startsWith('New size: 1'))), () => `the scale-down to 1; last seen ${seen}`, 90_000, 200);
  expect(down.message).toBe('New size: 1; reason: All metrics below target');
  // Not much after the 300 s window that follows the drop at 240 s.
  expect(down.at).toBeLessThanOrEqual(wall(240 + 300 + 75) + 2000);
  // The stabilization window: no scale-down at all until 300 s after the last high recommendation,
  // which came at the drop. (Between the first scale-up and the drop, a sample taken while the new
  // pods joined the endpoints may read above the tolerance and add one: upstream's arithmetic on
  // such a sample does the same.)
  const sizes = (await rescales()).map((r) => ({ ...r, size: Number(/New size: (\d+)/.exec(r.message)![1]) }));
  for (const r of sizes.filter((x) => x.at < wall(240 + 300) - 1000)) expect(r.size).toBeGreaterThanOrEqual(5);
  expect(sizes[0].size).toBe(5);
  expect(sizes[sizes.length - 1].size).toBe(1);

  const status = (await get('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).status;
  expect(status).toMatchObject({ currentReplicas: expect.any(Number), desiredReplicas: 1 });
  await eventually(async () => ((await get('/apis/apps/v1/namespaces/default/deployments/web')).status?.replicas === 1 ? true : undefined), 'one pod left', 30_000);
}, 150_000);
