/**
 * Scale to zero (the activator) with every role as a real process at KUBEQ_TIME_SCALE=10: an
 * idle Service's Deployment goes to 0; a Load arriving at zero is held, not rejected, while the
 * Deployment scales from zero; the held requests are served when the first endpoint is Ready,
 * and the cold start is recorded; idle again, it goes back to 0.
 */
import { Redis } from 'ioredis';
import { lastTraceIdFor, readTrace } from '../../shared/tracing/sink';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually } from '../helpers/eventually';

let cluster: TestCluster;
let api: TestCluster['api'];

beforeAll(async () => {
  cluster = await startCluster('{e2e-s2z}', ['controller-manager', 'scheduler', 'kubelet', 'endpoints', 'proxy'], { kubelet: { KUBEQ_NODES: '2', KUBEQ_NODE_PREFIX: 'node' }, proxy: { KUBEQ_DNS_PORT: '0' } });
  api = cluster.api;
}, 60_000);
afterAll(() => cluster?.stop());

const get = async (path: string) => (await api.call('GET', path)).body;
const replicas = async () => (await get('/apis/apps/v1/namespaces/default/deployments/fn')).spec.replicas;
const events = async (reason: string) => ((await get('/api/v1/namespaces/default/events')).items as any[]).filter((e) => e.reason === reason).map((e) => e.message as string);
const LOAD = '/apis/sim.kubeq.io/v1alpha1/namespaces/default/loads';

test('idle → 0; a request at zero is held, scales from zero, and is served after the cold start; idle → 0 again', async () => {
  const fn = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'fn' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'fn' } }, template: { metadata: { labels: { app: 'fn' } }, spec: { containers: [{ name: 'fn', image: 'hello:1', ports: [{ containerPort: 8080 }] }] } } },
  };
  expect((await api.call('POST', '/apis/apps/v1/namespaces/default/deployments', fn)).status).toBe(201);
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fn', annotations: { 'sim.kubeq.io/scale-to-zero': 'true', 'sim.kubeq.io/scale-to-zero-idle': '30s' } }, spec: { selector: { app: 'fn' }, ports: [{ port: 80, targetPort: 8080 }] } };
  expect((await api.call('POST', '/api/v1/namespaces/default/services', svc)).status).toBe(201);

  await eventually(async () => ((await replicas()) === 0 ? true : undefined), 'the idle deployment at 0', 30_000, 200);
  expect((await events('ScaledToZero'))[0]).toMatch(/^deployment fn scaled from 1 to 0: no requests for Service fn in \d+s$/);
  await eventually(async () => ((await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dfn')).items.length === 0 ? true : undefined), 'no pods', 30_000, 200);

  expect((await api.call('POST', LOAD, { apiVersion: 'sim.kubeq.io/v1alpha1', kind: 'Load', metadata: { name: 'wake' }, spec: { service: 'fn', rate: { rps: 5 } } })).status).toBe(201);
  const held = await eventually(async () => {
    const s = (await get(`${LOAD}/wake`)).status;
    return s?.heldRPS === 5 ? s : undefined;
  }, 'requests held at zero', 30_000, 100);
  expect(held).toMatchObject({ droppedRPS: 0, servedRPS: 0, message: 'held by the activator: deployment fn is scaling from zero' });
  expect(await events('ScalingFromZero')).toEqual(['deployment fn scaled from 0 to 1: requests arrived for Service fn']);

  const served = await eventually(async () => {
    const s = (await get(`${LOAD}/wake`)).status;
    return s?.lastColdStart && s.servedRPS === 5 ? s : undefined;
  }, 'the held requests served after the cold start', 60_000, 200);
  expect(served.lastColdStart.heldRequests).toBeGreaterThan(0);
  expect(served.lastColdStart.durationMs).toBeGreaterThan(0);
  expect(served.heldRPS).toBeUndefined();
  expect((await events('ColdStartServed'))[0]).toMatch(/^released \d+ held requests to the first ready endpoint after a \d+\.\ds cold start$/);

  // The trace of the load's syncs shows the cold start, with its numbers.
  const redis = new Redis(cluster.redis.url);
  try {
    const span = await eventually(async () => {
      const traceId = await lastTraceIdFor(redis, cluster.env.KUBEQ_REDIS_PREFIX, 'loads/default/wake');
      return traceId ? (await readTrace(redis, cluster.env.KUBEQ_REDIS_PREFIX, traceId)).find((r) => r.name === 'activator cold start default/fn') : undefined;
    }, 'the cold start span in the sink', 30_000, 300);
    expect(span.attributes).toMatchObject({ 'kubeq.activator.deployment': 'fn', 'kubeq.activator.cold_start_ms': served.lastColdStart.durationMs });
    expect(Number(span.attributes['kubeq.activator.held_requests'])).toBeGreaterThan(0);
    expect(span.service).toBe('kubeq-proxy');
  } finally {
    redis.disconnect();
  }

  // Traffic stops: idle again after 30 s of cluster time.
  expect((await api.call('DELETE', `${LOAD}/wake`)).status).toBe(200);
  await eventually(async () => ((await replicas()) === 0 ? true : undefined), 'back to 0 when idle', 30_000, 200);
}, 120_000);
