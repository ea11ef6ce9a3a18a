import { startRedis, type TestRedis } from '../helpers/redis';
import { startApi, type TestApi } from '../helpers/api';

/** Malformed, oversized or hostile input: the right Status code, no crash, nothing stored. */
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

const cms = '/api/v1/namespaces/default/configmaps';

async function expectNothingStored(fn: () => Promise<void>): Promise<void> {
  const before = await api.store.revision();
  await fn();
  expect(await api.store.revision()).toBe(before);
}

test.each([
  ['malformed JSON', '{"metadata": {"name": "x"', 'application/json', 400, 'BadRequest', /^couldn't get version\/kind; json parse error: /],
  ['malformed YAML', 'metadata:\n  name: [x\n', 'application/yaml', 400, 'BadRequest', /^error converting YAML to JSON: /],
  ['a JSON array', '[1,2]', 'application/json', 400, 'BadRequest', /json parse error/],
  ['an unsupported media type', 'x', 'application/cbor', 415, 'UnsupportedMediaType', /unknown format/],
  ['protobuf without the k8s envelope', 'x', 'application/vnd.kubernetes.protobuf', 400, 'BadRequest', /missing the k8s magic prefix/],
  ['a protobuf kind the server has no message for', 'k8s\u0000\n\t\n\u0002v1\u0012\u0003Pod', 'application/vnd.kubernetes.protobuf', 415, 'UnsupportedMediaType', /send Pod as application\/json/],
  ['the wrong kind', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), 'application/json', 400, 'BadRequest', /the kind Secret does not match the expected kind ConfigMap/],
  ['an invalid name', JSON.stringify({ metadata: { name: 'Not_Valid' } }), 'application/json', 422, 'Invalid', /^ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/],
  ['a missing name', JSON.stringify({ metadata: {} }), 'application/json', 422, 'Invalid', /metadata.name: Required value: name or generateName is required/],
  ['a mismatched namespace', JSON.stringify({ metadata: { name: 'x', namespace: 'other' } }), 'application/json', 400, 'BadRequest', /does not match the namespace sent on the request/],
  ['deep nesting', `{"metadata":{"name":"x"},"data":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'application/json', 400, 'BadRequest', /nested more than/],
])('%s → %i %s', async (_what, body, type, code, reason, message) => {
  await expectNothingStored(async () => {
    const res = await api.call('POST', cms, body, { 'content-type': type });
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
    expect(res.body.message).toMatch(message);
  });
});

test('an oversize body is 413 and the server keeps serving', async () => {
  await expectNothingStored(async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { k: 'x'.repeat(4 * 1024 * 1024) } });
    const res = await api.call('POST', cms, big, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ kind: 'Status', code: 413, reason: 'RequestEntityTooLarge' });
  });
  expect((await api.call('GET', cms)).status).toBe(200);
});

test('unknown fields: Strict refuses (400), Warn drops with a Warning header, Ignore drops', async () => {
  const body = { metadata: { name: 'u' }, data: { a: 'b' }, bogus: 1 };
  await expectNothingStored(async () => {
    const strict = await api.call('POST', `${cms}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"');
  });
  const warned = await api.call('POST', cms, body);
  expect(warned.status).toBe(201);
  expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"bogus\\""');
  expect(warned.body.bogus).toBeUndefined();
});

test('wrong methods are 405; unknown paths and resources are 404', async () => {
  expect((await api.call('PUT', cms, {})).status).toBe(405);
  expect((await api.call('POST', `${cms}/x`, {})).status).toBe(405);
  expect((await api.call('GET', '/api/v1/namespaces/default/widgets')).status).toBe(404);
  expect((await api.call('GET', '/nothing/here')).body).toMatchObject({ kind: 'Status', code: 404 });
});

test('hostile keys do not pollute prototypes', async () => {
  const res = await api.call('POST', cms, '{"metadata":{"name":"proto"},"data":{"a":"b"},"__proto__":{"polluted":"yes"}}', { 'content-type': 'application/json' });
  expect(res.status).toBe(201);
  expect(({} as any).polluted).toBeUndefined();
  const patch = await api.call('PATCH', `${cms}/proto`, '{"__proto__":{"polluted":"yes"},"data":{"c":"d"}}', { 'content-type': 'application/merge-patch+json' });
  expect(patch.status).toBe(200);
  expect(({} as any).polluted).toBeUndefined();
});

test('a bad patch type is 415 and a bad JSON patch is refused without a write', async () => {
  await api.call('POST', cms, { metadata: { name: 'p' }, data: { a: 'b' } });
  await expectNothingStored(async () => {
    expect((await api.call('PATCH', `${cms}/p`, '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await api.call('PATCH', `${cms}/p`, '[{"op":"test","path":"/data/a","value":"zzz"}]', { 'content-type': 'application/json-patch+json' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
  });
});
