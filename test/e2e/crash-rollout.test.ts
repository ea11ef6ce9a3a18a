import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';

/**
 * Crash safety with real processes: kill -9 the controller-manager in the middle of a 50-pod
 * rollout; once it is back, the Deployment completes with exactly its pods, none twice, none missing.
 */
const PREFIX = '{e2e-crash}';
const env = (redisUrl: string) => ({ REDIS_URL: redisUrl, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' });
let redis: TestRedis;
let api: ApiServerProcess;
let cm: RoleProcess;
const others: RoleProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  cm = startRole('workers/controller-manager/main.js', env(redis.url));
  others.push(startRole('workers/scheduler/main.js', env(redis.url)), startRole('workers/kubelet/main.js', { ...env(redis.url), KUBEQ_NODES: '5', KUBEQ_NODE_PREFIX: 'node' }));
  await Promise.all([cm.waitFor(/controller-manager: ready/), others[0].waitFor(/scheduler: ready/), others[1].waitFor(/kubelet: ready/)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([cm, ...others].map((r) => r?.stop()));
  await api?.stop();
  await redis?.stop();
});

const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'big' },
  spec: {
    replicas: 50,
    selector: { matchLabels: { app: 'big' } },
    template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});
const live = async () => ((await api.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbig')).body.items as any[]).filter((p) => !p.metadata.deletionTimestamp);
const status = async () => (await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/big')).body;

async function killAndRestartControllerManager(): Promise<void> {
  await cm.stop('SIGKILL');
  cm = startRole('workers/controller-manager/main.js', env(redis.url));
  await cm.waitFor(/controller-manager: ready/);
}

async function settled(image: string): Promise<void> {
  await eventually(async () => {
    const d = await status();
    const pods = await live();
    return d.status?.updatedReplicas === 50 && d.status?.availableReplicas === 50 && d.status?.replicas === 50 && pods.length === 50 && pods.every((p) => p.spec.containers[0].image === image) ? true : undefined;
  }, `50 available pods of ${image}`, 60_000, 250).catch(async (err: Error) => {
    const pods = await live();
    const phases: Record<string, number> = {};
    for (const p of pods) phases[`${p.status?.phase}/${p.spec.nodeName ?? 'unbound'}`] = (phases[`${p.status?.phase}/${p.spec.nodeName ?? 'unbound'}`] ?? 0) + 1;
    const rss = (await api.call('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items.map((r: any) => [r.metadata.name, r.spec.replicas, r.status]);
    throw new Error(`${err.message}: deployment ${JSON.stringify((await status()).status)}; pods ${pods.length} ${JSON.stringify(phases)}; replicasets ${JSON.stringify(rss)}\ncm: ${cm.output().slice(-2000)}`);
  });
}

test('kill -9 the controller-manager mid-creation and mid-rollout: the Deployment completes with exactly 50 pods', async () => {
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('app:1'))).status).toBe(201);
  await eventually(async () => ((await live()).length >= 10 ? true : undefined), 'the first pods', 20_000, 20);
  await killAndRestartControllerManager();
  await settled('app:1');

  const d = await status();
  await api.call('PUT', '/apis/apps/v1/namespaces/default/deployments/big', { ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ ...d.spec.template.spec.containers[0], image: 'app:2' }] } } } });
  await eventually(async () => ((await live()).some((p) => p.spec.containers[0].image === 'app:2') ? true : undefined), 'the rollout to start', 20_000, 20);
  await killAndRestartControllerManager();
  await settled('app:2');

  const pods = await live();
  expect(new Set(pods.map((p) => p.metadata.name)).size).toBe(50);
  const rss = (await api.call('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items as any[];
  expect(rss).toHaveLength(2);
  const current = rss.find((rs) => rs.spec.template.spec.containers[0].image === 'app:2');
  expect(current.spec.replicas).toBe(50);
  expect(rss.find((rs) => rs !== current).spec.replicas).toBe(0);
  for (const p of pods) expect(p.metadata.ownerReferences[0].uid).toBe(current.metadata.uid);
}, 150_000);
