/**
 * The HPA with every role as a real process at KUBEQ_TIME_SCALE=20: pods using 150 % of their
 * cpu request against a 60 % target scale up as upstream's arithmetic and default behavior say,
 * to maxReplicas; `kubectl get hpa` shows the TARGETS column.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';

const run = promisify(execFile);
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster('{e2e-hpa}', ['controller-manager', 'scheduler', 'kubelet', 'hpa'], { kubelet: { KUBEQ_NODES: '3', KUBEQ_NODE_PREFIX: 'node' } }, '20');
}, 60_000);
afterAll(() => cluster?.stop());

const get = async (path: string) => (await cluster.api.call('GET', path)).body;

test('150 % of request against a 60 % target: 2 → 5 (ceil(2.5 × 2)), then on to maxReplicas 8, with upstream events and conditions', async () => {
  const { api } = cluster;
  const web = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' }, annotations: { 'sim.kubeq.io/cpu-usage': '150m' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
    },
  };
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', web)).status).toBe(201);
  await eventually(async () => ((await get('/apis/apps/v1/namespaces/default/deployments/web')).status?.readyReplicas === 2 ? true : undefined), 'two ready pods', 30_000);
  // Both pods with a sample taken a full window (15 s of cluster time) after they became Ready: within
  // the cpu initialization period an earlier sample would count a pod as unready (upstream's rule),
  // and the first proposal would be ceil(1.25 × 2) = 3, not 5.
  await eventually(async () => {
    const pods = (await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items as any[];
    const metrics = new Map(((await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).items as any[]).map((m) => [m.metadata.name, Date.parse(m.timestamp)]));
    const clean = (p: any) => (metrics.get(p.metadata.name) ?? 0) >= Date.parse(p.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime) + 15_000 / 20;
    return pods.length === 2 && pods.every(clean) ? true : undefined;
  }, 'a clean sample of both pods', 30_000, 100);
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 8, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } };
  const created = await api.call('POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', hpa);
  expect(created.status).toBe(201);

  const events = async () => (await get('/api/v1/namespaces/default/events')).items.filter((e: any) => e.reason === 'SuccessfulRescale').map((e: any) => e.message);
  await eventually(async () => ((await events()).includes('New size: 5; reason: cpu resource utilization (percentage of request) above target') ? true : undefined), 'the first rescale to 5', 60_000, 300);
  const status = await eventually(async () => {
    const s = (await get('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).status;
    return s?.currentReplicas === 8 && s.desiredReplicas === 8 ? s : undefined;
  }, 'maxReplicas', 90_000, 300);
  const conditions = Object.fromEntries(status.conditions.map((c: any) => [c.type, [c.status, c.reason]]));
  expect(conditions.AbleToScale[0]).toBe('True');
  expect(conditions.ScalingActive).toEqual(['True', 'ValidMetricFound']);
  expect(status.currentMetrics[0]).toMatchObject({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: expect.any(Number) } } });
  expect((await get('/apis/apps/v1/namespaces/default/deployments/web')).spec.replicas).toBe(8);

  const { stdout } = await run('kubectl', ['--kubeconfig', api.kubeconfig, 'get', 'hpa'], { timeout: 30_000 });
  expect(stdout.split('\n')[0]).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
  expect(stdout).toMatch(/web\s+Deployment\/web\s+cpu: \d+%\/60%\s+1\s+8\s+8\s/);
}, 180_000);
