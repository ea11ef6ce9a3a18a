import { Registry } from 'prom-client';
import { runReconciler, type Runner } from '../../shared/queue/runner';
import { WorkQueue } from '../../shared/queue/workqueue';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startFixture, uniquePrefix, waitFor, type Fixture } from './util';

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
  await runner?.close(true);
  await queue.close();
});

test('a worker process killed mid-reconcile: the key runs again elsewhere once its lock lapses', async () => {
  const prefix = uniquePrefix();
  queue = new WorkQueue({ name: 'ctl', prefix, connection: redis.client(), registry: new Registry() });
  fixture = startFixture('worker', { REDIS_URL: redis.url, PREFIX: prefix, QUEUE: 'ctl', MODE: 'hang', LOCK_MS: '1000', STALLED_MS: '500' });
  await fixture.line(/^ready$/);
  const key = 'pods/default/web-0';
  await queue.enqueue(key);
  await fixture.line(/^started pods\/default\/web-0$/);
  // A change while the doomed run is active is kept for afterwards, not run beside it.
  expect(await queue.enqueue(key)).toBe(false);
  const killedAt = Date.now();
  await fixture.kill('SIGKILL');

  const runs: { key: string; at: number }[] = [];
  runner = runReconciler({ queue, lockDurationMs: 1000, stalledIntervalMs: 500, reconcile: async (k) => void runs.push({ key: k, at: Date.now() }) });
  await waitFor(() => runs.length >= 1, 'the stalled key to run again', 10_000);
  expect(runs[0].key).toBe(key);
  expect(runs[0].at - killedAt).toBeLessThan(5000);
  // the stalled run, then the change that arrived during it
  await waitFor(() => runs.length === 2, 'the change kept for after the run');
  await waitFor(async () => (await queue.bull.getJobCounts('wait', 'active', 'delayed')).active === 0, 'an empty queue');
});
