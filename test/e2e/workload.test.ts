import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { httpsCall, startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';
import { startOtlpReceiver } from '../tracing/otlp-receiver';

/**
 * The whole pipeline as real processes: apiserver → controller-manager (Deployment, ReplicaSet) →
 * scheduler → kubelet (3 simulated nodes, time ×10). One create becomes Running, Ready pods spread
 * over the nodes, `kubectl get deploy` shows 5/5, and one trace has spans from every role.
 */
const PREFIX = '{e2e-workload}';
const run = promisify(execFile);
let redis: TestRedis;
let api: ApiServerProcess;
let roles: RoleProcess[] = [];
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  redis = await startRedis();
  otlp = await startOtlpReceiver();
  const env = { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  api = await startApiServer(redis.url, PREFIX, env);
  roles = [
    startRole('workers/controller-manager/main.js', env),
    startRole('workers/scheduler/main.js', env),
    startRole('workers/kubelet/main.js', { ...env, KUBEQ_NODES: '3', KUBEQ_NODE_PREFIX: 'node' }),
  ];
  await Promise.all([roles[0].waitFor(/controller-manager: ready/), roles[1].waitFor(/scheduler: ready/), roles[2].waitFor(/kubelet: ready/)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(roles.map((r) => r.stop()));
  await api?.stop();
  await otlp?.stop();
  await redis?.stop();
});


const ready = (p: any) => p.status?.phase === 'Running' && p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

test('a 5-replica Deployment on 3 nodes: Running, Ready, spread, 5/5, and one trace across every role', async () => {
  await eventually(async () => {
    const items = (await api.call('GET', '/api/v1/nodes')).body.items as any[];
    return items.length === 3 && items.every((n) => n.spec?.podCIDR) ? true : undefined;
  }, 'node IPAM to give the 3 nodes their pod ranges');
  const traceId = randomBytes(16).toString('hex');
  const deploy = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
    },
  };
  const created = await httpsCall(`${api.url}/apis/apps/v1/namespaces/default/deployments`, api.ca, api.token, 'POST', deploy, 'application/json', { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
  expect(created.status).toBe(201);

  const pods = await eventually(async () => {
    const items = (await api.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items as any[];
    return items.length === 5 && items.every(ready) ? items : undefined;
  }, '5 Running and Ready pods');
  const nodes = new Set(pods.map((p) => p.spec.nodeName));
  expect(nodes.size).toBe(3);
  // node IPAM gave each node a /24 of 10.244.0.0/16; each pod's IP is in its node's range
  const nodeList = (await api.call('GET', '/api/v1/nodes')).body.items as any[];
  const podCIDR = new Map(nodeList.map((n) => [n.metadata.name, n.spec.podCIDR as string]));
  expect(new Set(podCIDR.values()).size).toBe(3);
  for (const p of pods) expect(p.status.podIP.split('.').slice(0, 3).join('.')).toBe(podCIDR.get(p.spec.nodeName)!.split('.').slice(0, 3).join('.'));
  expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(5);

  const deployed = await eventually(async () => {
    const d = (await api.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body;
    return d.status?.availableReplicas === 5 ? d : undefined;
  }, 'the Deployment to report 5 available');
  expect(deployed.status).toMatchObject({ replicas: 5, updatedReplicas: 5, readyReplicas: 5, availableReplicas: 5, observedGeneration: 1 });
  const table = (await run('kubectl', ['--kubeconfig', api.kubeconfig, 'get', 'deploy', 'web'])).stdout;
  expect(table).toMatch(/^web\s+5\/5\s+5\s+5\s+\d+s$/m);

  const services = await eventually(async () => {
    const names = new Set(otlp.spans().filter((s) => s.traceId === traceId).map((s) => String(s.resource['service.name'])));
    return ['kubeq-apiserver', 'kubeq-controller-manager', 'kubeq-scheduler', 'kubeq-kubelet'].every((n) => names.has(n)) ? names : undefined;
  }, 'spans of every role in the one trace');
  expect(services.size).toBeGreaterThanOrEqual(4);
  const spanNames = new Set(otlp.spans().filter((s) => s.traceId === traceId).map((s) => s.name));
  for (const name of ['store create', 'reconcile Deployment', 'reconcile ReplicaSet', 'schedule Pod', 'reconcile Pod']) expect(spanNames).toContain(name);
}, 60_000);
