import { createHmac } from 'node:crypto';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApi, type TestApi } from '../helpers/api';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const manifests = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: cart }
  template:
    metadata:
      labels: { app: cart }
    spec:
      containers:
      - name: cart
        image: shop/cart:1.0
`;

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('with a bearer token (no secret)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(redis);
  });
  afterAll(() => api.close());

  test('applies many manifests: 202, one result per object, the trace id', async () => {
    const res = await api.call('POST', '/webhooks/apply', manifests, { 'content-type': 'application/yaml' });
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([
      expect.objectContaining({ kind: 'Namespace', name: 'shop', action: 'created' }),
      expect.objectContaining({ kind: 'ConfigMap', namespace: 'shop', name: 'settings', action: 'created' }),
      expect.objectContaining({ kind: 'Deployment', namespace: 'shop', name: 'cart', action: 'created', resourceVersion: expect.any(String) }),
    ]);
    expect(res.body.traceId).toEqual(expect.any(String));
    const again = await api.call('POST', '/webhooks/apply', manifests, { 'content-type': 'application/yaml' });
    expect(again.body.results.map((r: any) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const changed = await api.call('POST', '/webhooks/apply', manifests.replace('fast', 'slow'), { 'content-type': 'application/yaml' });
    expect(changed.body.results.map((r: any) => r.action)).toEqual(['unchanged', 'configured', 'unchanged']);
  });

  test('a JSON List works, and a bad object fails alone', async () => {
    const list = { kind: 'List', apiVersion: 'v1', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }, { apiVersion: 'v9', kind: 'Nope', metadata: { name: 'x' } }] };
    const res = await api.call('POST', '/webhooks/apply', list);
    expect(res.status).toBe(202);
    expect(res.body.results[0]).toMatchObject({ name: 'ok', namespace: 'default', action: 'created' });
    expect(res.body.results[1].error).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(res.body.results[2].error).toMatchObject({ code: 400, message: 'no matches for kind "Nope" in version "v9"' });
  });

  test('without the token: 401; malformed bodies: 400 and nothing stored', async () => {
    expect((await fetch(`${api.url}/webhooks/apply`, { method: 'POST', body: manifests })).status).toBe(401);
    const before = await api.store.revision();
    const bad = await api.call('POST', '/webhooks/apply', 'kind: [unclosed', { 'content-type': 'application/yaml' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ kind: 'Status', code: 400 });
    expect((await api.call('POST', '/webhooks/apply', '', { 'content-type': 'application/yaml' })).status).toBe(400);
    expect(await api.store.revision()).toBe(before);
  });
});

describe('with KUBEQ_WEBHOOK_SECRET', () => {
  const secret = 's3cret';
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(redis, { webhookSecret: secret });
  });
  afterAll(() => api.close());
  const post = (body: string, headers: Record<string, string>) => fetch(`${api.url}/webhooks/apply`, { method: 'POST', body, headers: { 'content-type': 'application/yaml', ...headers } });

  test('signed deliveries apply; unsigned and wrongly signed are 401 and apply nothing', async () => {
    const before = await api.store.revision();
    expect((await post(manifests, {})).status).toBe(401);
    expect((await post(manifests, { 'x-kubeq-signature-256': sign('wrong', manifests) })).status).toBe(401);
    expect((await post(manifests, { 'x-kubeq-signature-256': 'sha256=zz' })).status).toBe(401);
    expect(await api.store.revision()).toBe(before);
    const ok = await post(manifests, { 'x-kubeq-signature-256': sign(secret, manifests) });
    expect(ok.status).toBe(202);
  });

  test('a replayed delivery id is not applied twice', async () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: once\ndata:\n  n: "1"\n';
    const headers = { 'x-kubeq-signature-256': sign(secret, body), 'x-kubeq-delivery': 'delivery-42' };
    const first = await post(body, headers);
    expect(first.status).toBe(202);
    const firstBody = (await first.json()) as { results: unknown[] };
    await api.store.guaranteedUpdate('configmaps', 'default', 'once', (o) => ({ ...o, data: { n: 'changed' } }));
    const revision = await api.store.revision();
    const replay = await post(body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ duplicate: true, results: firstBody.results });
    expect(await api.store.revision()).toBe(revision);
    expect((await api.store.get('configmaps', 'default', 'once'))!.data).toEqual({ n: 'changed' });
  });
});
