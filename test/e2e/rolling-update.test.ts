import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { lookupResourceByName } from '../../shared/api/registry';
import type { KubeObject } from '../../shared/api/types';
import { Store } from '../../shared/store/store';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/**
 * A rolling update watched on every change (the change log, as a watch sees it): never more than
 * replicas + maxSurge pods, never fewer than replicas − maxUnavailable available; then
 * `kubectl rollout undo` brings the previous template back as a new revision.
 */
const run = promisify(execFile);
const PREFIX = '{e2e-rolling}';
let redis: TestRedis;
let api: ApiServerProcess;
const roles: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' };
  roles.push(startRole('workers/controller-manager/main.js', env), startRole('workers/scheduler/main.js', env), startRole('workers/kubelet/main.js', { ...env, KUBEQ_NODES: '3', KUBEQ_NODE_PREFIX: 'node' }));
  await Promise.all([roles[0].waitFor(/controller-manager: ready/), roles[1].waitFor(/scheduler: ready/), roles[2].waitFor(/kubelet: ready/)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(roles.map((r) => r.stop()));
  await api?.stop();
  await redis?.stop();
});

const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', api.kubeconfig, ...args], { timeout: 30_000 })).stdout;
const available = (p: KubeObject) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const image = async () => (await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body.spec.template.spec.containers[0].image as string;

async function rolledOut(want: string): Promise<void> {
  await eventually(async () => {
    const d = (await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body;
    const s = d.status ?? {};
    return d.spec.template.spec.containers[0].image === want && s.observedGeneration === d.metadata.generation && s.updatedReplicas === 10 && s.availableReplicas === 10 && s.replicas === 10 ? true : undefined;
  }, `the rollout of ${want}`, 60_000, 200);
}

test('a rolling update stays within maxSurge and maxUnavailable at every change; rollout undo restores the previous template', async () => {
  const manifest = (img: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 10
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${img}", resources: {requests: {cpu: 50m}}}]}
`;
  const file = `${api.home}/web.yaml`;
  writeFileSync(file, manifest('app:1'));
  await kubectl('apply', '-f', file);
  await rolledOut('app:1');

  // follow every change from here on, as a watch does
  const store = new Store(new Redis(redis.url), { prefix: PREFIX, resources: lookupResourceByName });
  let from = await store.revision();
  const pods = new Map((await store.list('pods', { namespace: 'default' })).items.map((p) => [p.metadata.name!, p]));
  let maxPods = 0;
  let minAvailable = Infinity;
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const change of await store.changesSince(from, 500)) {
        from = change.revision;
        if (!change.key.startsWith('pods/default/')) continue;
        if (change.type === 'DELETED') pods.delete(change.object.metadata.name!);
        else pods.set(change.object.metadata.name!, change.object);
        const live = [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
        maxPods = Math.max(maxPods, live.length);
        minAvailable = Math.min(minAvailable, live.filter(available).length);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  writeFileSync(file, manifest('app:2'));
  await kubectl('apply', '-f', file);
  await rolledOut('app:2');
  watching = false;
  await watcher;
  store.redis.disconnect();
  // 25% of 10: maxSurge rounds up to 3, maxUnavailable rounds down to 2
  expect(maxPods).toBeLessThanOrEqual(13);
  expect(maxPods).toBeGreaterThan(10);
  expect(minAvailable).toBeGreaterThanOrEqual(8);

  const d2 = (await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body;
  expect(d2.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
  expect(await kubectl('rollout', 'undo', 'deployment/web')).toContain('deployment.apps/web rolled back');
  await rolledOut('app:1');
  expect(await image()).toBe('app:1');
  const d3 = (await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body;
  expect(d3.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  const rsList = (await api.call('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items as any[];
  expect(rsList.length).toBe(2);
}, 150_000);
