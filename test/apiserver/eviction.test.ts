/**
 * policy/v1 PodDisruptionBudgets and the pods/eviction subresource over a real Redis: an
 * eviction the budget allows deletes the pod and spends the disruption (recorded in
 * disruptedPods); one it does not is answered 429 with upstream's message and cause.
 */
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApi, type TestApi } from '../helpers/api';

let redis: TestRedis;
let api: TestApi;
beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis);
});
afterAll(async () => {
  await api.close();
  await redis.stop();
});

async function readyPod(name: string, app = 'web'): Promise<void> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
  const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
  expect((await api.call('PATCH', `/api/v1/namespaces/default/pods/${name}/status`, status, { 'content-type': 'application/merge-patch+json' })).status).toBe(200);
}
const evict = (name: string) => api.call('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } });

test('validation and the kubectl table', async () => {
  const both = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'bad' }, spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'x' } } } };
  const refused = await api.call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', both);
  expect(refused.status).toBe(422);
  expect(refused.body.message).toContain('minAvailable and maxUnavailable cannot be both set');
  const percent = await api.call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { ...both, spec: { maxUnavailable: '150%' } });
  expect(percent.body.message).toContain('must not be greater than 100%');
  const table = await api.call('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
  expect(table.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
});

test('evictions spend the budget; past it, 429', async () => {
  await readyPod('a');
  await readyPod('b');
  await readyPod('c');
  await readyPod('lone', 'db');
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } };
  expect((await api.call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', pdb)).status).toBe(201);

  expect((await evict('a')).status).toBe(201);
  expect((await api.call('GET', '/api/v1/namespaces/default/pods/a')).status).toBe(404);
  const status = (await api.call('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).body.status;
  expect(status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0, disruptedPods: { a: expect.any(String) } });

  const blocked = await evict('b');
  expect(blocked.status).toBe(429);
  expect(blocked.body).toMatchObject({ reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget.", details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] } });
  expect((await api.call('GET', '/api/v1/namespaces/default/pods/b')).status).toBe(200);

  // A pod no budget covers is simply deleted; a missing one is 404.
  expect((await evict('lone')).status).toBe(201);
  expect((await evict('nope')).status).toBe(404);
});
