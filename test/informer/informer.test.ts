import { NODE_NAME_INDEX, OWNER_INDEX } from '../../shared/informer/indexers';
import { Informer } from '../../shared/informer/informer';
import { Store } from '../../shared/store/store';
import { fakeResources } from '../helpers/fake-resources';
import { startRedis, type TestRedis } from '../helpers/redis';
import { sleep, startFixture, uniquePrefix, waitFor } from '../queue/util';
import { cacheContents, caughtUp, describeEvent, randomWrites, recorder, storeContents } from './util';

let redis: TestRedis;
let store: Store;
const informers: Informer[] = [];
const RESOURCES = ['configmaps', 'pods'];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  store = new Store(redis.client(), { prefix: uniquePrefix('inf'), resources: fakeResources });
});
afterEach(async () => {
  await Promise.all(informers.splice(0).map((i) => i.stop()));
});

function informer(opts: Partial<ConstructorParameters<typeof Informer>[0]> & { enqueue: ConstructorParameters<typeof Informer>[0]['enqueue'] }): Informer {
  const i = new Informer({ store, group: 'ctl', resources: RESOURCES, blockMs: 100, ...opts });
  informers.push(i);
  return i;
}

test('the cache equals the store after random concurrent writes, indexes included', async () => {
  await randomWrites(store, 100);
  const listedAt = await store.revision();
  const rec = recorder();
  const inf = informer({ enqueue: rec.enqueue, handler: describeEvent });
  await inf.start();
  expect(inf.hasSynced()).toBe(true);
  const listed = rec.triggers.length;
  expect(rec.triggers.every((t) => t.key.startsWith('list ADDED '))).toBe(true);
  expect(listed).toBe((await storeContents(store, RESOURCES)).size);

  await randomWrites(store, 600);
  await caughtUp(inf, store);
  expect(cacheContents(inf)).toEqual(await storeContents(store, RESOURCES));
  for (const node of ['n1', 'n2', 'n3']) {
    const want = (await store.list('pods', { fieldSelector: `spec.nodeName=${node}` })).items.map((p) => p.metadata.name).sort();
    expect(inf.indexer.byIndex(NODE_NAME_INDEX, node).map((p) => p.metadata.name).sort()).toEqual(want);
  }
  expect(inf.indexer.byIndex('namespace', 'b', 'pods')).toEqual([]);
  // every change after the list was delivered once, as a watch event
  expect(rec.triggers.slice(listed).every((t) => t.key.startsWith('watch '))).toBe(true);
  expect(rec.triggers.length - listed).toBe((await store.revision()) - listedAt);
  expect(inf.stats).toEqual({ relists: 0, replayed: 0, handlerErrors: 0 });
});

test('custom indexers and the owner index', async () => {
  const owner = await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'a' } });
  await store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'child', namespace: 'a', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, controller: true }] },
    spec: { containers: [] },
  });
  const inf = informer({ enqueue: async () => undefined, indexers: { app: (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []) } });
  await inf.start();
  expect(inf.indexer.byIndex(OWNER_INDEX, owner.metadata.uid!).map((o) => o.metadata.name)).toEqual(['child']);
  expect(inf.indexer.byIndex('app', 'web').map((o) => o.metadata.name)).toEqual(['child']);
  await store.delete('pods', 'a', 'child', { gracePeriodSeconds: 0 });
  await caughtUp(inf, store);
  expect(inf.indexer.byIndex('app', 'web')).toEqual([]);
  expect(inf.indexer.byIndex(OWNER_INDEX, owner.metadata.uid!)).toEqual([]);
  expect(() => inf.indexer.byIndex('nope', 'x')).toThrow(/does not exist/);
});

test('entries are acknowledged only after their keys are enqueued; a process killed in between gets them again on restart', async () => {
  await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: 'a' } });
  const fixture = startFixture('informer', { REDIS_URL: redis.url, PREFIX: store.keys.prefix, GROUP: 'ctl', RESOURCES: RESOURCES.join(',') });
  try {
    await fixture.line(/^synced$/);
    for (const name of ['x', 'y', 'z']) await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'a' } });
    await store.delete('configmaps', 'a', 'x');
    await fixture.line(/^enqueued configmaps\/a\/x$/);
  } finally {
    await fixture.kill('SIGKILL');
  }
  const pending = (await store.redis.xpending(store.keys.log, 'ctl')) as [number, ...unknown[]];
  expect(pending[0]).toBeGreaterThanOrEqual(1);

  const rec = recorder();
  const inf = informer({ enqueue: rec.enqueue, handler: describeEvent });
  await inf.start();
  await caughtUp(inf, store);
  await waitFor(async () => ((await store.redis.xpending(store.keys.log, 'ctl')) as [number])[0] === 0, 'nothing pending');
  const got = rec.triggers.map((t) => t.key);
  expect(got).toContain('replay ADDED configmaps/a/x');
  expect(got).not.toContain('list ADDED configmaps/a/x');
  // the delete reaches the restarted informer either as a replay or as a new entry
  expect(got.filter((k) => / DELETED configmaps\/a\/x$/.test(k))).toHaveLength(1);
  expect(cacheContents(inf)).toEqual(await storeContents(store, RESOURCES));
});

test('a deleted consumer group is recreated by a relist', async () => {
  const rec = recorder();
  const inf = informer({ enqueue: rec.enqueue, handler: describeEvent, retryDelayMs: 50, onError: () => undefined });
  await inf.start();
  await store.redis.xgroup('DESTROY', store.keys.log, 'ctl');
  await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: 'a' } });
  await waitFor(() => inf.stats.relists === 1, 'the relist');
  await caughtUp(inf, store);
  expect(rec.triggers.map((t) => t.key)).toContain('resync ADDED configmaps/a/after');
  expect(cacheContents(inf)).toEqual(await storeContents(store, RESOURCES));
  await sleep(50);
});
