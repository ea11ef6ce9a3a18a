import { Store } from '../../shared/store/store';
import type { KubeObject } from '../../shared/api/types';
import { startRedis, type TestRedis } from '../helpers/redis';
import { fakeResources } from '../helpers/fake-resources';

let redis: TestRedis;
let store: Store;
let n = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  store = new Store(redis.client(), { prefix: `{t${++n}}`, resources: fakeResources });
});

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
  data,
});

test('create fills server fields and a second create of the name is 409 AlreadyExists', async () => {
  const made = await store.create('configmaps', cm('a'));
  expect(made.metadata).toMatchObject({ name: 'a', namespace: 'default', resourceVersion: '1' });
  expect(made.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  await expect(store.create('configmaps', cm('a'))).rejects.toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
  expect(await store.get('configmaps', 'default', 'a')).toEqual(made);
});

test('generateName makes a fresh name', async () => {
  const made = await store.create('configmaps', { ...cm(''), metadata: { generateName: 'web-', namespace: 'default' } });
  expect(made.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('an invalid object is 422 and writes nothing', async () => {
  await expect(store.create('configmaps', cm(''))).rejects.toMatchObject({ code: 422, reason: 'Invalid' });
  expect(await store.revision()).toBe(0);
  expect(await store.changesSince(0)).toEqual([]);
});

test('concurrent updates with the same stale resourceVersion: exactly one wins, the rest are 409', async () => {
  const made = await store.create('configmaps', cm('race'));
  const attempts = Array.from({ length: 20 }, (_, i) => store.update('configmaps', { ...made, data: { writer: String(i) } }));
  const results = await Promise.allSettled(attempts);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(19);
  for (const l of lost) expect(l.reason).toMatchObject({ code: 409, reason: 'Conflict' });
  expect(lost[0].reason.message).toBe('Operation cannot be fulfilled on configmaps "race": the object has been modified; please apply your changes to the latest version and try again');
  const changes = await store.changesSince(0);
  expect(changes.map((c) => c.type)).toEqual(['ADDED', 'MODIFIED']);
});

test('an update that changes nothing writes nothing', async () => {
  const made = await store.create('configmaps', cm('same', { a: '1' }));
  const again = await store.update('configmaps', made);
  expect(again.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
  expect(await store.revision()).toBe(1);
});

test('generation bumps on spec changes only; status and spec are written through their own paths', async () => {
  const made = await store.create('widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 1 }, status: { ignored: true } });
  expect(made.metadata.generation).toBe(1);
  expect(made.status).toBeUndefined();
  const labelled = await store.update('widgets', { ...made, metadata: { ...made.metadata, labels: { a: 'b' } } });
  expect(labelled.metadata.generation).toBe(1);
  const withStatus = await store.update('widgets', { ...labelled, spec: { size: 99 }, status: { ready: 1 } }, 'status');
  expect(withStatus.status).toEqual({ ready: 1 });
  expect(withStatus.spec).toEqual({ size: 1 });
  expect(withStatus.metadata.generation).toBe(1);
  const resized = await store.update('widgets', { ...withStatus, spec: { size: 2 }, status: { ready: 0 } });
  expect(resized.metadata.generation).toBe(2);
  expect(resized.status).toEqual({ ready: 1 });
});

test('delete honours finalizers: marked first, gone when the last finalizer is removed', async () => {
  await store.create('configmaps', { ...cm('fin'), metadata: { name: 'fin', namespace: 'default', finalizers: ['example.com/hold'] } });
  const marked = await store.delete('configmaps', 'default', 'fin');
  expect(marked.deleted).toBe(false);
  expect(marked.object.metadata.deletionTimestamp).toBeDefined();
  expect(marked.object.metadata.deletionGracePeriodSeconds).toBe(0);
  const again = await store.delete('configmaps', 'default', 'fin');
  expect(again.object.metadata.resourceVersion).toBe(marked.object.metadata.resourceVersion);
  const gone = await store.guaranteedUpdate('configmaps', 'default', 'fin', (o) => ({ ...o, metadata: { ...o.metadata, finalizers: [] } }));
  expect(gone.metadata.resourceVersion).toBe('3');
  expect(await store.get('configmaps', 'default', 'fin')).toBeUndefined();
  expect((await store.changesSince(0)).map((c) => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
});

test('pods bound to a node wait for their grace period; unbound pods go at once', async () => {
  const pod = (name: string, nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [] } });
  await store.create('pods', pod('bound', 'node-1'));
  await store.create('pods', pod('free'));
  expect((await store.delete('pods', 'default', 'free')).deleted).toBe(true);
  const bound = await store.delete('pods', 'default', 'bound');
  expect(bound).toMatchObject({ deleted: false, object: { metadata: { deletionGracePeriodSeconds: 30 } } });
  expect((await store.delete('pods', 'default', 'bound', { gracePeriodSeconds: 0 })).deleted).toBe(true);
});

test('delete preconditions and propagation policies', async () => {
  const made = await store.create('configmaps', cm('pre'));
  await expect(store.delete('configmaps', 'default', 'pre', { preconditions: { uid: 'nope' } })).rejects.toMatchObject({ code: 409 });
  const orphaned = await store.delete('configmaps', 'default', 'pre', { propagationPolicy: 'Orphan', preconditions: { uid: made.metadata.uid } });
  expect(orphaned).toMatchObject({ deleted: false, object: { metadata: { finalizers: ['orphan'] } } });
  await expect(store.delete('configmaps', 'default', 'missing')).rejects.toMatchObject({ code: 404, message: 'configmaps "missing" not found' });
});

test('list: namespaces, label and field selectors, paging with continue', async () => {
  for (let i = 0; i < 7; i++) await store.create('configmaps', { ...cm(`c${i}`, {}, { parity: i % 2 ? 'odd' : 'even' }), metadata: { name: `c${i}`, namespace: i < 5 ? 'a' : 'b', labels: { parity: i % 2 ? 'odd' : 'even' } } });
  expect((await store.list('configmaps')).items).toHaveLength(7);
  expect((await store.list('configmaps', { namespace: 'b' })).items.map((o) => o.metadata.name)).toEqual(['c5', 'c6']);
  expect((await store.list('configmaps', { labelSelector: 'parity=odd' })).items.map((o) => o.metadata.name)).toEqual(['c1', 'c3', 'c5']);
  expect((await store.list('configmaps', { fieldSelector: 'metadata.namespace=a,metadata.name!=c0' })).items).toHaveLength(4);
  const names: string[] = [];
  let cont: string | undefined;
  let pages = 0;
  do {
    const page = await store.list('configmaps', { limit: 3, continue: cont, labelSelector: 'parity in (even,odd)' });
    expect(page.resourceVersion).toBe('7');
    names.push(...page.items.map((o) => o.metadata.name!));
    cont = page.continue;
    pages++;
  } while (cont);
  expect(pages).toBe(3);
  expect(names).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  await expect(store.list('configmaps', { continue: 'garbage' })).rejects.toMatchObject({ code: 400 });
});

test('pods are indexed by node and the index follows binding', async () => {
  const pod = await store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } });
  expect((await store.list('pods', { fieldSelector: 'spec.nodeName=n1' })).items).toHaveLength(0);
  await store.update('pods', { ...pod, spec: { ...pod.spec, nodeName: 'n1' } });
  expect((await store.list('pods', { fieldSelector: 'spec.nodeName=n1' })).items.map((p) => p.metadata.name)).toEqual(['p']);
  await store.delete('pods', 'default', 'p', { gracePeriodSeconds: 0 });
  expect(await redis.client().zcard(store.keys.podsOnNode('n1'))).toBe(0);
});

test('replay from revision N returns exactly the later changes; a trimmed revision is 410 Gone', async () => {
  const small = new Store(redis.client(), { prefix: `{trim${n}}`, resources: fakeResources, logMaxLen: 10 });
  for (let i = 0; i < 300; i++) await small.create('configmaps', cm(`x${i}`));
  const recent = await small.changesSince(295);
  expect(recent.map((c) => c.revision)).toEqual([296, 297, 298, 299, 300]);
  expect(recent.map((c) => c.key)).toEqual(['configmaps/default/x295', 'configmaps/default/x296', 'configmaps/default/x297', 'configmaps/default/x298', 'configmaps/default/x299']);
  await expect(small.changesSince(3)).rejects.toMatchObject({ code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: 3 \(\d+\)$/) });
  expect(await small.changesSince(300)).toEqual([]);
});
