import { Registry } from 'prom-client';
import { runReconciler, type Runner } from '../../shared/queue/runner';
import { WorkQueue } from '../../shared/queue/workqueue';
import { trackingReconciler } from '../fixtures/queue/tracking';
import { startRedis, type TestRedis } from '../helpers/redis';
import { sleep, startFixture, uniquePrefix, waitFor, type Fixture } from './util';

/** Needs the fixtures built: `npx tsc -p tsconfig.build.json` (npm test builds first). */
let redis: TestRedis;
let queue: WorkQueue;
let runner: Runner | undefined;
let fixture: Fixture | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
afterEach(async () => {
  await fixture?.kill();
  fixture = undefined;
  await runner?.close(true);
  runner = undefined;
  await queue.close();
});

test('a key is never reconciled twice at once: concurrency 10 in two worker processes, changes all the while', async () => {
  const prefix = uniquePrefix();
  const ns = `track${prefix}`;
  const c = redis.client();
  queue = new WorkQueue({ name: 'ctl', prefix, connection: c, registry: new Registry() });
  fixture = startFixture('worker', { REDIS_URL: redis.url, PREFIX: prefix, QUEUE: 'ctl', MODE: 'track', NS: ns, CONCURRENCY: '10' });
  await fixture.line(/^ready$/);
  runner = runReconciler({ queue, concurrency: 10, reconcile: trackingReconciler(c, ns, 'jest') });

  const keys = Array.from({ length: 6 }, (_, i) => `configmaps/default/k${i}`);
  const producers = Array.from({ length: 4 }, async () => {
    for (let i = 0; i < 150; i++) {
      const key = keys[Math.floor(Math.random() * keys.length)];
      await c.incr(`${ns}:ver:${key}`);
      await queue.enqueue(key);
      if (i % 10 === 0) await sleep(Math.random() * 10);
    }
  });
  await Promise.all(producers);

  await waitFor(
    async () => {
      const [ver, seen] = await Promise.all([c.mget(keys.map((k) => `${ns}:ver:${k}`)), c.mget(keys.map((k) => `${ns}:seen:${k}`))]);
      return keys.every((_, i) => ver[i] === seen[i]);
    },
    'every key to be reconciled after its last change',
    20_000,
  );
  expect(Number((await c.get(`${ns}:violations`)) ?? 0)).toBe(0);
  const runs = await c.hgetall(`${ns}:runs`);
  expect(Object.keys(runs).sort()).toEqual(['jest', `pid-${fixture.child.pid}`].sort());
  const total = Object.values(runs).reduce((a, b) => a + Number(b), 0);
  // 600 changes to 6 keys coalesce: far fewer runs than changes.
  expect(total).toBeLessThan(600);
}, 40_000);
