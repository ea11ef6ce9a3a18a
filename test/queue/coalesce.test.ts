import { Registry } from 'prom-client';
import { runReconciler, type Runner } from '../../shared/queue/runner';
import { WorkQueue } from '../../shared/queue/workqueue';
import { startRedis, type TestRedis } from '../helpers/redis';
import { sleep, uniquePrefix, waitFor } from './util';

let redis: TestRedis;
let queue: WorkQueue;
let runner: Runner | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  queue = new WorkQueue({ name: 'ctl', prefix: uniquePrefix(), connection: redis.client(), registry: new Registry() });
});
afterEach(async () => {
  await runner?.close(true);
  runner = undefined;
  await queue.close();
});

const KEY = 'configmaps/default/a';

test('many changes to a waiting key coalesce into one reconcile', async () => {
  const added = [];
  for (let i = 0; i < 50; i++) added.push(await queue.enqueue(KEY, ''));
  expect(added.filter(Boolean)).toHaveLength(1);
  expect(await queue.enqueueBulk(Array.from({ length: 20 }, () => ({ key: KEY, traceparent: '' })))).toEqual({ added: 0, coalesced: 20 });
  expect(await queue.depth()).toBe(1);

  const runs: string[] = [];
  runner = runReconciler({ queue, reconcile: async (key) => void runs.push(key) });
  await waitFor(() => runs.length === 1, 'the reconcile');
  await sleep(300);
  expect(runs).toEqual([KEY]);
  expect(await queue.bull.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed')).toEqual({ wait: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
});

test('a change that arrives while the key is active runs it once more afterwards', async () => {
  const runs: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  runner = runReconciler({
    queue,
    concurrency: 10,
    reconcile: async () => {
      runs.push(Date.now());
      if (runs.length === 1) await released;
    },
  });
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 1, 'the first run');
  for (let i = 0; i < 5; i++) await queue.enqueue(KEY);
  expect(await queue.hasPendingNext(KEY)).toBe(true);
  await sleep(100);
  expect(runs).toHaveLength(1); // never a second run of the key while the first is active
  release();
  await waitFor(() => runs.length === 2, 'the run after the change');
  await sleep(300);
  expect(runs).toHaveLength(2);
});

test('keys are independent: a slow key does not hold others back', async () => {
  const done: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  runner = runReconciler({
    queue,
    concurrency: 4,
    reconcile: async (key) => {
      if (key.endsWith('/slow')) await released;
      done.push(key);
    },
  });
  await queue.enqueueBulk(['slow', 'b', 'c', 'd'].map((n) => ({ key: `configmaps/default/${n}`, traceparent: '' })));
  await waitFor(() => done.length === 3, 'the fast keys');
  release();
  await waitFor(() => done.length === 4, 'the slow key');
});
