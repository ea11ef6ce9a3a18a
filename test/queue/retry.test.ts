import { Registry } from 'prom-client';
import { TerminalError } from '../../shared/queue/reconcile';
import { runReconciler, type Runner } from '../../shared/queue/runner';
import { WorkQueue } from '../../shared/queue/workqueue';
import { startRedis, type TestRedis } from '../helpers/redis';
import { sleep, uniquePrefix, waitFor } from './util';

let redis: TestRedis;
let queue: WorkQueue;
let registry: Registry;
let runner: Runner | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  registry = new Registry();
  queue = new WorkQueue({ name: 'ctl', prefix: uniquePrefix(), connection: redis.client(), registry });
});
afterEach(async () => {
  await runner?.close(true);
  runner = undefined;
  await queue.close();
});

const KEY = 'pods/default/p';
const quiet = { onError: () => undefined };

async function retries(): Promise<number> {
  const m = (await registry.getSingleMetric('workqueue_retries_total')!.get()).values.find((v) => v.labels.name === 'ctl');
  return m?.value ?? 0;
}

test('a failing reconcile is retried with growing delays (client-go item backoff), then succeeds', async () => {
  const runs: { at: number; failures: number }[] = [];
  runner = runReconciler({
    queue,
    ...quiet,
    reconcile: async (_key, ctx) => {
      runs.push({ at: Date.now(), failures: ctx.failures });
      if (runs.length <= 6) throw new Error(`boom ${runs.length}`);
    },
  });
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 7, 'the seventh run');
  expect(runs.map((r) => r.failures)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  const gaps = runs.slice(1).map((r, i) => r.at - runs[i].at);
  const expected = [5, 10, 20, 40, 80, 160];
  gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(expected[i] - 2));
  expect(gaps[5]).toBeGreaterThan(gaps[2]);
  expect(gaps[5]).toBeLessThan(160 + 500);
  expect(await retries()).toBe(6);
  await sleep(200);
  expect(runs).toHaveLength(7);
});

test('requeueAfter comes back later without counting as a failure', async () => {
  const runs: { at: number; failures: number }[] = [];
  runner = runReconciler({
    queue,
    reconcile: async (_key, ctx) => {
      runs.push({ at: Date.now(), failures: ctx.failures });
      return runs.length < 3 ? { requeueAfter: 250 } : undefined;
    },
  });
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 3, 'three runs');
  expect(runs.map((r) => r.failures)).toEqual([0, 0, 0]);
  expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(245);
  expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(245);
  expect(await retries()).toBe(2);
  await sleep(400);
  expect(runs).toHaveLength(3);
});

test('a change to a key waiting out a requeueAfter or a backoff runs it now', async () => {
  const runs: number[] = [];
  runner = runReconciler({
    queue,
    ...quiet,
    backoff: { baseMs: 60_000 },
    reconcile: async () => {
      runs.push(Date.now());
      if (runs.length === 1) return { requeueAfter: 60_000 };
      if (runs.length === 2) throw new Error('fails, backs off a minute');
    },
  });
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 1, 'the first run');
  await waitFor(async () => (await queue.bull.getDelayedCount()) === 1, 'the requeue');
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 2, 'the run the change caused', 2000);
  await waitFor(async () => (await queue.bull.getDelayedCount()) === 1, 'the backoff');
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 3, 'the run the second change caused', 2000);
});

test('a change that arrives during a run that fails or requeues runs right after it', async () => {
  const runs: number[] = [];
  let release!: () => void;
  runner = runReconciler({
    queue,
    ...quiet,
    backoff: { baseMs: 60_000 },
    reconcile: async () => {
      runs.push(Date.now());
      if (runs.length === 1 || runs.length === 3) await new Promise<void>((r) => (release = r));
      if (runs.length === 1) throw new Error('fails while a change arrives');
      if (runs.length === 3) return { requeueAfter: 60_000 };
    },
  });
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 1, 'the first run');
  await queue.enqueue(KEY);
  release();
  await waitFor(() => runs.length === 2, 'the run after the failed one', 2000);
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 3, 'the third run', 2000);
  await queue.enqueue(KEY);
  release();
  await waitFor(() => runs.length === 4, 'the run after the requeueing one', 2000);
});

test('a TerminalError is not retried, and the key can come back later', async () => {
  const runs: number[] = [];
  runner = runReconciler({
    queue,
    ...quiet,
    reconcile: async () => {
      runs.push(Date.now());
      if (runs.length === 1) throw new TerminalError('will never work');
    },
  });
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 1, 'the first run');
  await sleep(300);
  expect(runs).toHaveLength(1);
  expect(await queue.bull.getJobCounts('wait', 'active', 'delayed', 'failed')).toEqual({ wait: 0, active: 0, delayed: 0, failed: 0 });
  expect(await retries()).toBe(0);
  await queue.enqueue(KEY);
  await waitFor(() => runs.length === 2, 'the run of the new change');
});

test('a malformed key fails as terminal', async () => {
  const runs: string[] = [];
  runner = runReconciler({ queue, ...quiet, reconcile: async (key) => void runs.push(key) });
  await queue.enqueue('no-slashes');
  await waitFor(async () => (await queue.bull.getJobCounts('wait', 'active', 'delayed')).wait === 0, 'the job to go');
  await sleep(200);
  expect(runs).toEqual([]);
  expect(await queue.bull.getDelayedCount()).toBe(0);
});
