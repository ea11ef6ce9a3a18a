/**
 * Real kubectl against PodDisruptionBudgets and the eviction subresource: `kubectl get pdb`
 * shows upstream's columns, and `kubectl drain` cordons a node and evicts its pods through
 * pods/eviction, retrying while the budget refuses (429) and giving up at its timeout.
 */
import { runKubectl } from '../helpers/kubectl';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, type ApiServerProcess } from '../helpers/processes';

let redis: TestRedis;
let api: ApiServerProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, '{kubectl-drain}');
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const kubectl = (...args: string[]) => runKubectl(api.kubeconfig, args);

async function readyPod(name: string, node: string): Promise<void> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
  const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
  expect((await api.call('PATCH', `/api/v1/namespaces/default/pods/${name}/status`, status, 'application/merge-patch+json')).status).toBe(200);
}

test('kubectl get pdb, and kubectl drain evicting through the budget', async () => {
  for (const name of ['n1', 'n2']) {
    expect((await api.call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } })).status).toBe(201);
  }
  await readyPod('a', 'n1');
  await readyPod('b', 'n2');
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
  expect((await api.call('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', pdb)).status).toBe(201);
  // No controller-manager here, so no disruption controller: ALLOWED DISRUPTIONS shows the unset 0.
  const table = await kubectl('get', 'pdb');
  expect(table.split('\n')[0]).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/);
  expect(table).toMatch(/^web\s+1\s+N\/A\s+0\s+/m);

  // One of two healthy pods may go: n1 drains (--force: these pods have no controller).
  const out = await kubectl('drain', 'n1', '--force', '--grace-period=0', '--timeout=20s');
  expect(out).toContain('node/n1 cordoned');
  expect(out).toContain('evicting pod default/a');
  expect(out).toContain('node/n1 drained');
  expect((await api.call('GET', '/api/v1/nodes/n1')).body.spec.unschedulable).toBe(true);
  expect((await api.call('GET', '/api/v1/namespaces/default/pods/a')).status).toBe(404);

  // The last healthy pod may not: kubectl retries the 429 until its timeout.
  await expect(kubectl('drain', 'n2', '--force', '--grace-period=0', '--timeout=3s')).rejects.toThrow(/Cannot evict pod as it would violate the pod's disruption budget|global timeout reached/);
  expect((await api.call('GET', '/api/v1/namespaces/default/pods/b')).status).toBe(200);
}, 60_000);
