import { randomBytes } from 'node:crypto';
import { readTrace } from '../../shared/tracing/sink';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';
import { startOtlpReceiver } from '../tracing/otlp-receiver';

/**
 * One API write and the reconcile it triggers in another process share one trace: the
 * controller-manager's `reconcile Namespace` span is a child of the apiserver's store write.
 * Both processes export over OTLP/HTTP to a receiver the test runs, as they would to Jaeger v2.
 */
const PREFIX = '{e2e-trace}';
let redis: TestRedis;
let api: ApiServerProcess;
let cm: RoleProcess;
let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  redis = await startRedis();
  otlp = await startOtlpReceiver();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
  api = await startApiServer(redis.url, PREFIX, env);
  cm = startRole('workers/controller-manager/main.js', { REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, ...env });
  await cm.waitFor(/controller-manager: ready/);
}, 60_000);
afterAll(async () => {
  await cm?.stop();
  await api?.stop();
  await otlp?.stop();
  await redis?.stop();
});


test('deleting a namespace: the API write and the namespace reconcile are one trace across two processes', async () => {
  expect((await api.call('POST', '/api/v1/namespaces', { metadata: { name: 'team' } })).status).toBe(201);
  expect((await api.call('POST', '/api/v1/namespaces/team/configmaps', { metadata: { name: 'c1' } })).status).toBe(201);

  // Let the controller-manager finish with the create's triggers first: a trigger that finds the key
  // still queued is coalesced into that job, and becomes a span link of its run, not the parent.
  const queued = async () => {
    const r = redis.client();
    const keys = [...(await r.keys(`${PREFIX}:*:wait`)), ...(await r.keys(`${PREFIX}:*:active`))];
    const lengths = await Promise.all(keys.map((k) => r.llen(k)));
    const prioritized = await Promise.all((await r.keys(`${PREFIX}:*:prioritized`)).map((k) => r.zcard(k)));
    return [...lengths, ...prioritized].reduce((a, b) => a + b, 0);
  };
  await eventually(async () => ((await queued()) === 0 ? true : undefined), 'the controller-manager to be idle', 20_000);

  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  const deleted = await new Promise<number>((resolve, reject) => {
    // the W3C header starts the trace the way a traced client would
    void import('node:https').then(({ request }) => {
      const req = request(`${api.url}/api/v1/namespaces/team`, { method: 'DELETE', ca: api.ca, headers: { authorization: `Bearer ${api.token}`, traceparent } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  });
  expect(deleted).toBe(200);

  // the controller empties the namespace, removes its finalizer, and the namespace goes
  await eventually(async () => ((await api.call('GET', '/api/v1/namespaces/team')).status === 404 ? true : undefined), 'the namespace to go', 20_000);
  expect((await api.call('GET', '/api/v1/namespaces/team/configmaps/c1')).status).toBe(404);

  const spans = await eventually(async () => {
    const got = otlp.spans().filter((s) => s.traceId === traceId);
    return got.some((s) => s.name === 'reconcile Namespace') && got.some((s) => s.name === 'store delete') ? got : undefined;
  }, 'spans of both processes at the OTLP receiver', 20_000);
  const services = new Set(spans.map((s) => s.resource['service.name']));
  expect(services).toEqual(new Set(['kubeq-apiserver', 'kubeq-controller-manager']));
  const write = spans.find((s) => s.name === 'store delete' && s.resource['service.name'] === 'kubeq-apiserver')!;
  expect(write.attributes['kubeq.object_key']).toBe('namespaces/team');
  const reconcile = spans.find((s) => s.name === 'reconcile Namespace' && s.parentSpanId === write.spanId);
  expect(reconcile).toBeDefined();
  expect(reconcile!.resource['service.name']).toBe('kubeq-controller-manager');
  expect(reconcile!.attributes['kubeq.object_key']).toBe('namespaces/team');

  // the same trace can be read without Jaeger, from the Redis span sink
  const sunk = await eventually(async () => {
    const records = await readTrace(redis.client(), PREFIX, traceId);
    return records.find((r) => r.spanId === reconcile!.spanId);
  }, 'the reconcile span in the Redis span sink', 20_000);
  expect(sunk).toMatchObject({ name: 'reconcile Namespace', parentSpanId: write.spanId, service: 'kubeq-controller-manager' });
}, 60_000);
