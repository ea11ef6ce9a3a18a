import type { KubeObject } from '../../shared/api/types';
import { Informer } from '../../shared/informer/informer';
import { Store } from '../../shared/store/store';
import { fakeResources } from '../helpers/fake-resources';
import { startRedis, type TestRedis } from '../helpers/redis';
import { uniquePrefix, waitFor } from '../queue/util';
import { cacheContents, caughtUp, describeEvent, randomWrites, recorder, storeContents } from './util';

/**
 * DESIGN invariant 5: Redis trims the change log without regard for consumer groups, so an
 * informer whose next entry is not last + 1 must relist, rebuild its cache and move its group,
 * never carry on past the gap.
 */
let redis: TestRedis;
let store: Store;
const RESOURCES = ['configmaps', 'pods'];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  store = new Store(redis.client(), { prefix: uniquePrefix('gap'), resources: fakeResources, logMaxLen: 10 });
});

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'a' }, data: { v: '0' } });

async function groupPosition(): Promise<number> {
  const groups = (await store.redis.xinfo('GROUPS', store.keys.log)) as unknown[][];
  return Number(String(groups[0][groups[0].indexOf('last-delivered-id') + 1]).split('-')[0]);
}

test('stopped while the log is trimmed past its position: on restart it finds the gap, relists and follows on', async () => {
  for (let i = 0; i < 20; i++) await store.create('configmaps', cm(`c${i}`));
  const first = new Informer({ store, group: 'ctl', resources: RESOURCES, blockMs: 100, enqueue: async () => undefined });
  await first.start();
  await caughtUp(first, store);
  await first.stop();
  const stoppedAt = await groupPosition();

  await randomWrites(store, 400);
  for (let i = 0; i < 10; i++) await store.delete('configmaps', 'a', `c${i}`);
  const oldest = Number((await store.redis.xrange(store.keys.log, '-', '+', 'COUNT', 1))[0][0].split('-')[0]);
  expect(oldest).toBeGreaterThan(stoppedAt + 1);

  const rec = recorder();
  const second = new Informer({ store, group: 'ctl', resources: RESOURCES, blockMs: 100, enqueue: rec.enqueue, handler: describeEvent });
  try {
    await second.start();
    expect(second.stats.relists).toBe(1);
    expect(await groupPosition()).toBeGreaterThanOrEqual(oldest - 1);
    expect(((await store.redis.xpending(store.keys.log, 'ctl')) as [number])[0]).toBe(0);
    expect(cacheContents(second)).toEqual(await storeContents(store, RESOURCES));
    expect(rec.triggers.some((t) => t.key.startsWith('replay '))).toBe(false);

    await store.create('configmaps', cm('later'));
    await caughtUp(second, store);
    expect(second.indexer.get('configmaps/a/later')).toBeDefined();
    expect(cacheContents(second)).toEqual(await storeContents(store, RESOURCES));
    expect(second.stats.relists).toBe(1);
  } finally {
    await second.stop();
  }
});

test('falling behind while running: the next entry is not last + 1, so it relists with deletes and updates made up', async () => {
  for (let i = 0; i < 10; i++) await store.create('configmaps', cm(`c${i}`));
  const rec = recorder();
  let hold: Promise<void> | undefined;
  let release!: () => void;
  const inf = new Informer({
    store,
    group: 'ctl',
    resources: RESOURCES,
    blockMs: 100,
    handler: describeEvent,
    enqueue: async (triggers) => {
      rec.triggers.push(...triggers);
      if (hold) await hold;
    },
  });
  try {
    await inf.start();
    hold = new Promise<void>((r) => (release = r));
    const listedAt = inf.lastSyncResourceVersion();
    await store.guaranteedUpdate('configmaps', 'a', 'c0', (o) => ({ ...o, data: { v: 'first' } }));
    await waitFor(() => rec.triggers.some((t) => t.key === 'watch MODIFIED configmaps/a/c0'), 'the informer to be stuck on its first batch');
    // meanwhile: far more writes than the log keeps
    for (let i = 1; i < 5; i++) await store.delete('configmaps', 'a', `c${i}`);
    for (let i = 5; i < 10; i++) await store.guaranteedUpdate('configmaps', 'a', `c${i}`, (o) => ({ ...o, data: { v: 'changed' } }));
    await randomWrites(store, 300);
    expect(Number((await store.redis.xrange(store.keys.log, '-', '+', 'COUNT', 1))[0][0].split('-')[0])).toBeGreaterThan(listedAt + 2);

    const before = rec.triggers.length;
    release();
    hold = undefined;
    await waitFor(() => inf.stats.relists === 1, 'the relist');
    await caughtUp(inf, store);
    const resync = rec.triggers.slice(before).map((t) => t.key);
    for (let i = 1; i < 5; i++) expect(resync).toContain(`resync DELETED configmaps/a/c${i}`);
    for (let i = 5; i < 10; i++) expect(resync).toContain(`resync MODIFIED configmaps/a/c${i}`);
    // nothing from beyond the gap was taken as a watch event before the relist
    const firstResync = resync.findIndex((k) => k.startsWith('resync '));
    expect(resync.slice(0, firstResync)).toEqual([]);
    expect(cacheContents(inf)).toEqual(await storeContents(store, RESOURCES));
    expect(((await store.redis.xpending(store.keys.log, 'ctl')) as [number])[0]).toBe(0);
  } finally {
    release?.();
    await inf.stop();
  }
});
