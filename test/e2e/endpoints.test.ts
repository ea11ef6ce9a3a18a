/**
 * The endpoints worker with every role as a real process at KUBEQ_TIME_SCALE=10: a Service's
 * Endpoints and EndpointSlices follow its pods' readiness, and scaling 3 → 150 → 0 keeps the
 * slices at most 100 endpoints each and exactly the ready pods.
 */
import type { KubeObject } from '../../shared/api/types';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';

let cluster: TestCluster;
let api: TestCluster['api'];

beforeAll(async () => {
  cluster = await startCluster('{e2e-endpoints}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints'], { kubelet: { KUBEQ_NODES: '3', KUBEQ_NODE_PREFIX: 'node' } });
  api = cluster.api;
}, 60_000);
afterAll(() => cluster?.stop());

const deployment = (replicas: number, annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' }, annotations },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2, failureThreshold: 2 } }] },
    },
  },
});
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };

const get = async (path: string) => (await api.call('GET', path)).body;
const slices = async (): Promise<KubeObject[]> => (await get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb')).items;
const pods = async (): Promise<KubeObject[]> => (await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items;
const isReady = (p: KubeObject) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const readyInSlices = (all: KubeObject[]) => all.flatMap((s) => s.endpoints ?? []).filter((e: any) => e.conditions.ready).map((e: any) => e.targetRef.uid).sort();

test('Endpoints and EndpointSlices follow readiness: a pod failing its readiness probe leaves the ready set and returns', async () => {
  expect((await api.call('POST', '/api/v1/namespaces/default/services', service)).status).toBe(201);
  // Every pod's readiness fails from 30 s to 60 s after its start (3 to 6 s of wall time).
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment(3, { 'sim.kubeq.io/fail-readiness': '30s-60s' }))).status).toBe(201);
  const ready = await eventually(async () => {
    const ep = await get('/api/v1/namespaces/default/endpoints/web');
    return ep.subsets?.[0]?.addresses?.length === 3 ? ep : undefined;
  }, 'three ready addresses', 30_000);
  expect(ready.subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  expect(ready.metadata.labels).toMatchObject({ tier: 'front', 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  const [slice] = await slices();
  expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', tier: 'front' });
  expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', name: 'web', controller: true })]);
  expect(slice.endpoints[0]).toMatchObject({ conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod' }, nodeName: expect.stringMatching(/^node-/) });

  await eventually(async () => ((await get('/api/v1/namespaces/default/endpoints/web')).subsets?.[0]?.notReadyAddresses?.length === 3 ? true : undefined), 'all three not ready', 30_000);
  expect(readyInSlices(await slices())).toEqual([]);
  await eventually(async () => ((await get('/api/v1/namespaces/default/endpoints/web')).subsets?.[0]?.addresses?.length === 3 ? true : undefined), 'all three ready again', 30_000);
  expect((await pods()).every((p) => p.status.containerStatuses[0].restartCount === 0)).toBe(true);
}, 90_000);

test('scaling 3 → 150 → 0: slices hold at most 100 endpoints and exactly the ready pods', async () => {
  // A patch, not GET-then-PUT (the controller's status writes move the resourceVersion in between:
  // 409); dropping the scripted readiness failure rolls out pods that stay ready.
  expect((await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 150, template: { metadata: { annotations: { 'sim.kubeq.io/fail-readiness': null } } } } }, 'application/merge-patch+json')).status).toBe(200);
  let seen = 'nothing yet';
  await eventually(async () => {
    const [all, everyPod] = [await slices(), await pods()];
    const ready = everyPod.filter(isReady);
    const uids = ready.map((p) => p.metadata.uid).sort();
    const inSlices = readyInSlices(all);
    const phases = everyPod.reduce<Record<string, number>>((n, p) => ({ ...n, [p.status?.phase ?? 'none']: (n[p.status?.phase ?? 'none'] ?? 0) + 1 }), {});
    seen = `${everyPod.length} pods ${JSON.stringify(phases)}, ${ready.length} ready; slices of ${JSON.stringify(all.map((s) => (s.endpoints ?? []).length))}, ${inSlices.length} ready endpoints, ${uids.filter((u) => !inSlices.includes(u)).length} ready pods missing from them`;
    if (ready.length !== 150 || all.some((s) => (s.endpoints ?? []).length > 100)) return undefined;
    return JSON.stringify(inSlices) === JSON.stringify(uids) ? true : undefined;
  }, () => `150 ready pods, exactly, in slices of at most 100; last seen ${seen}`, 90_000, 500);
  expect((await slices()).map((s) => s.endpoints.length).sort((a, b) => b - a)[0]).toBeLessThanOrEqual(100);
  expect((await get('/api/v1/namespaces/default/endpoints/web')).subsets[0].addresses).toHaveLength(150);

  expect((await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 0 } }, 'application/merge-patch+json')).status).toBe(200);
  await eventually(async () => ((await pods()).length === 0 && (await slices()).every((s) => !(s.endpoints ?? []).length) ? true : undefined), 'no pods and no endpoints', 90_000, 500);
  expect((await get('/api/v1/namespaces/default/endpoints/web')).subsets ?? []).toEqual([]);
}, 200_000);

test("deleting the Service takes its EndpointSlices (owner references, the garbage collector) and its Endpoints", async () => {
  expect((await api.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 2 } }, 'application/merge-patch+json')).status).toBe(200);
  await eventually(async () => ((await slices()).some((s) => (s.endpoints ?? []).length === 2) ? true : undefined), 'a slice with two endpoints', 30_000, 300);
  expect((await api.call('DELETE', '/api/v1/namespaces/default/services/web')).status).toBe(200);
  await eventually(async () => ((await slices()).length === 0 && (await api.call('GET', '/api/v1/namespaces/default/endpoints/web')).status === 404 ? true : undefined), 'slices and Endpoints gone', 30_000, 300);
}, 60_000);
