/**
 * `kubectl autoscale` (which writes autoscaling/v1) and autoscaling/v1 served from the stored
 * autoscaling/v2 objects, against a real apiserver with the real kubectl.
 */
import { runKubectl } from '../helpers/kubectl';
import { startApiServer, type ApiServerProcess } from '../helpers/processes';
import { startRedis, type TestRedis } from '../helpers/redis';

const PREFIX = '{kubectl-autoscale}';
const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
let redis: TestRedis;
let api: ApiServerProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const kubectl = (...args: string[]) => runKubectl(api.kubeconfig, args);
const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } } },
});

test('kubectl autoscale deployment web --cpu-percent=60 --min=1 --max=10 makes the HPA, read back in v1 and v2', async () => {
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'))).status).toBe(201);
  expect(await kubectl('autoscale', 'deployment', 'web', '--cpu-percent=60', '--min=1', '--max=10')).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');

  const v2 = (await api.call('GET', `${V2}/web`)).body;
  expect(v2).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } });
  const v1 = (await api.call('GET', `${V1}/web`)).body;
  expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 60 }, status: { currentReplicas: 0, desiredReplicas: 0 } });
  expect(v1.metadata.annotations).toBeUndefined();

  const table = await kubectl('get', 'hpa');
  expect(table.split('\n')[0]).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
  expect(table).toMatch(/web\s+Deployment\/web\s+cpu: <unknown>\/60%\s+1\s+10\s+0\s/);

  // The controller's v2 status reads back in v1 as currentCPUUtilizationPercentage.
  const status = { ...v2, status: { currentReplicas: 1, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 84, averageValue: '84m' } } }], conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
  expect((await api.call('PUT', `${V2}/web/status`, status)).status).toBe(200);
  const v1yaml = await kubectl('get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'jsonpath={.status.currentCPUUtilizationPercentage} {.status.desiredReplicas}');
  expect(v1yaml).toBe('84 2');
  expect(await kubectl('get', 'hpa', 'web', '--no-headers')).toMatch(/web\s+Deployment\/web\s+cpu: 84%\/60%\s+1\s+10\s+1\s/);

  // kubectl autoscale again is refused: the HPA exists.
  await expect(kubectl('autoscale', 'deployment', 'web', '--max=3')).rejects.toThrow(/AlreadyExists|already exists/);
}, 60_000);

test('a v1 client rewriting a v2 HPA it cannot fully see loses nothing (the round-trip annotations)', async () => {
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'mixed', annotations: { team: 'web' } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 6,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
    },
  };
  const made = await api.call('POST', V2, hpa);
  expect(made.status).toBe(201);
  const v1 = (await api.call('GET', `${V1}/mixed`)).body;
  expect(v1.spec).toEqual({ scaleTargetRef: hpa.spec.scaleTargetRef, minReplicas: 1, maxReplicas: 6, targetCPUUtilizationPercentage: 70 });
  expect(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([
    { type: 'Resource', resource: { name: 'memory', targetAverageValue: '200Mi' } },
    { type: 'Pods', pods: { metricName: 'requests_per_second', targetAverageValue: '10' } },
  ]);
  expect(v1.metadata.annotations.team).toBe('web');

  // A v1 update that changes maxReplicas keeps the v2-only metrics and behavior (cpu moves last, as upstream converts).
  const put = await api.call('PUT', `${V1}/mixed`, { ...v1, spec: { ...v1.spec, maxReplicas: 9 } });
  expect(put.status).toBe(200);
  expect(put.body.apiVersion).toBe('autoscaling/v1');
  const back = (await api.call('GET', `${V2}/mixed`)).body;
  expect(back.spec.maxReplicas).toBe(9);
  expect(back.spec.metrics.map((m: any) => m.resource?.name ?? m.pods.metric.name)).toEqual(['memory', 'requests_per_second', 'cpu']);
  expect(back.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(60);
  expect(back.metadata.annotations).toEqual({ team: 'web' });

  // A merge patch in v1 sees and edits the v1 shape.
  const patched = await api.call('PATCH', `${V1}/mixed`, { spec: { targetCPUUtilizationPercentage: 55 } }, 'application/merge-patch+json');
  expect(patched.status).toBe(200);
  expect(patched.body.spec.targetCPUUtilizationPercentage).toBe(55);
  expect((await api.call('GET', `${V2}/mixed`)).body.spec.metrics.find((m: any) => m.resource?.name === 'cpu').resource.target.averageUtilization).toBe(55);

  // Unknown v1 fields are refused under Strict, as kube-apiserver decodes v1.
  const strict = await api.call('POST', `${V1}?fieldValidation=Strict`, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 2, metrics: [] } });
  expect(strict.status).toBe(400);
  expect(strict.body.message).toMatch(/unknown field "spec.metrics"/);
}, 60_000);

test('discovery: autoscaling serves v2 (preferred) and v1; lists and watches in v1 are v1 objects', async () => {
  const groups = (await api.call('GET', '/apis')).body.groups;
  expect(groups.find((g: any) => g.name === 'autoscaling')).toEqual({ name: 'autoscaling', versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }, { groupVersion: 'autoscaling/v1', version: 'v1' }], preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' } });
  const resources = (await api.call('GET', '/apis/autoscaling/v1')).body.resources.map((r: any) => r.name);
  expect(resources).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
  const list = (await api.call('GET', V1)).body;
  expect(list.apiVersion).toBe('autoscaling/v1');
  expect(list.items.every((i: any) => i.apiVersion === 'autoscaling/v1' && i.spec.metrics === undefined)).toBe(true);
  const watched = await kubectl('get', 'horizontalpodautoscalers.v1.autoscaling', '--watch-only=false', '-o', 'jsonpath={.items[*].apiVersion}');
  expect(watched).toMatch(/^autoscaling\/v1( autoscaling\/v1)*$/);
});
