import { startRedis, type TestRedis } from '../helpers/redis';
import { startApi, type TestApi } from '../helpers/api';

let redis: TestRedis;
let api: TestApi;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
afterEach(() => api.close());

/** Reads newline-delimited watch events until `count` arrived. */
async function readEvents(url: string, token: string, count: number): Promise<any[]> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  if (res.status !== 200) return [{ status: res.status, body: await res.json() }];
  const reader = res.body!.getReader();
  const events: any[] = [];
  let buf = '';
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

test('replay from revision N returns exactly the later changes, in order, then follows live ones', async () => {
  api = await startApi(redis);
  const cms = '/api/v1/namespaces/default/configmaps';
  const a = (await api.call('POST', cms, { metadata: { name: 'a' } })).body;
  const from = a.metadata.resourceVersion;
  await api.call('POST', cms, { metadata: { name: 'b' } });
  await api.call('PATCH', `${cms}/a`, { data: { x: '1' } }, { 'content-type': 'application/merge-patch+json' });
  await api.call('POST', '/api/v1/namespaces', { metadata: { name: 'other' } });
  const watching = readEvents(`${api.url}${cms}?watch=true&resourceVersion=${from}`, api.token, 3);
  await new Promise((r) => setTimeout(r, 200));
  await api.call('DELETE', `${cms}/b`);
  const events = await watching;
  expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
    ['ADDED', 'b'],
    ['MODIFIED', 'a'],
    ['DELETED', 'b'],
  ]);
  const revisions = events.map((e) => Number(e.object.metadata.resourceVersion));
  expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);
  expect(revisions[0]).toBeGreaterThan(Number(from));
});

test('without a resourceVersion the current objects come first as ADDED; selectors filter', async () => {
  api = await startApi(redis);
  const cms = '/api/v1/namespaces/default/configmaps';
  await api.call('POST', cms, { metadata: { name: 'keep', labels: { app: 'x' } } });
  await api.call('POST', cms, { metadata: { name: 'skip', labels: { app: 'y' } } });
  const watching = readEvents(`${api.url}${cms}?watch=1&labelSelector=app%3Dx`, api.token, 3);
  await new Promise((r) => setTimeout(r, 200));
  await api.call('POST', cms, { metadata: { name: 'late', labels: { app: 'x' } } });
  await api.call('PATCH', `${cms}/keep`, { metadata: { labels: { app: 'z' } } }, { 'content-type': 'application/merge-patch+json' });
  const events = await watching;
  expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
    ['ADDED', 'keep'],
    ['ADDED', 'late'],
    ['DELETED', 'keep'],
  ]);
});

test('a trimmed revision answers 410 Gone', async () => {
  api = await startApi(redis, { logMaxLen: 10 });
  for (let i = 0; i < 200; i++) await api.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `c${i}` } });
  const [res] = await readEvents(`${api.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2`, api.token, 1);
  expect(res.status).toBe(410);
  expect(res.body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: 2 \(\d+\)$/) });
});
