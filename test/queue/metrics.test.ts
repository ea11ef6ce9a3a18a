import { Registry } from 'prom-client';
import { serveMetrics, type MetricsServer } from '../../shared/metrics/registry';
import { runReconciler, type Runner } from '../../shared/queue/runner';
import { WorkQueue } from '../../shared/queue/workqueue';
import { startRedis, type TestRedis } from '../helpers/redis';
import { sleep, uniquePrefix, waitFor } from './util';

let redis: TestRedis;
let server: MetricsServer;
let registry: Registry;
let queue: WorkQueue;
let runner: Runner | undefined;

beforeAll(async () => {
  redis = await startRedis();
  registry = new Registry();
  server = await serveMetrics(0, registry, '127.0.0.1');
  queue = new WorkQueue({ name: 'ctl', prefix: uniquePrefix(), connection: redis.client(), registry });
});
afterAll(async () => {
  await runner?.close(true);
  await queue.close();
  await server.close();
  await redis.stop();
});

async function scrape(path = '/metrics'): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: res.status, text: await res.text() };
}

/** The sample of `series`, or undefined when the scrape has no such series. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('client-go workqueue metrics with upstream names, labels and buckets, depth read from BullMQ at scrape time', async () => {
  for (const name of ['a', 'b', 'c', 'a', 'b']) await queue.enqueue(`configmaps/default/${name}`);
  const first = await scrape();
  expect(first.status).toBe(200);
  let text = first.text;
  expect(value(text, 'workqueue_adds_total{name="ctl"}')).toBe(3);
  expect(value(text, 'workqueue_depth{name="ctl"}')).toBe(3);
  expect(text).toContain('# HELP workqueue_queue_duration_seconds How long in seconds an item stays in workqueue before being requested.');
  expect(text).toContain('# TYPE workqueue_work_duration_seconds histogram');

  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  runner = runReconciler({
    queue,
    concurrency: 3,
    reconcile: async (key) => {
      if (key.endsWith('/c')) await blocked;
    },
  });
  await waitFor(async () => value((await scrape()).text, 'workqueue_work_duration_seconds_count{name="ctl"}') === 2, 'two finished runs');
  await sleep(50);
  ({ text } = await scrape());
  expect(value(text, 'workqueue_depth{name="ctl"}')).toBe(0);
  expect(value(text, 'workqueue_unfinished_work_seconds{name="ctl"}')).toBeGreaterThan(0.04);
  expect(value(text, 'workqueue_longest_running_processor_seconds{name="ctl"}')).toBeGreaterThan(0.04);
  release();
  await waitFor(async () => value((await scrape()).text, 'workqueue_work_duration_seconds_count{name="ctl"}') === 3, 'three finished runs');
  ({ text } = await scrape());
  expect(value(text, 'workqueue_queue_duration_seconds_count{name="ctl"}')).toBe(3);
  expect(value(text, 'workqueue_unfinished_work_seconds{name="ctl"}')).toBe(0);
  expect(value(text, 'workqueue_retries_total{name="ctl"}')).toBe(0);
  const buckets = [...text.matchAll(/^workqueue_work_duration_seconds_bucket\{le="([^"]+)",name="ctl"\}/gm)].map((m) => m[1]);
  expect(buckets).toEqual(['0.000001', '0.00001', '0.0001', '0.001', '0.01', '0.1', '1', '10', '100', '1000', '+Inf']);
});

test('anything but GET /metrics is 404', async () => {
  expect((await scrape('/other')).status).toBe(404);
});
