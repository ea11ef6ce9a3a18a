import { context, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import type { KubeObject } from '../../shared/api/types';
import { startController, type Controller } from '../../shared/queue/controller';
import { runReconciler } from '../../shared/queue/runner';
import { WorkQueue } from '../../shared/queue/workqueue';
import { Store } from '../../shared/store/store';
import { currentTraceparent } from '../../shared/tracing/propagation';
import { fakeResources } from '../helpers/fake-resources';
import { startRedis, type TestRedis } from '../helpers/redis';
import { uniquePrefix, waitFor } from './util';

/** DESIGN invariant 6: a reconcile span is a child of the write that triggered it; coalesced triggers are links. */
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = trace.getTracer('test');

let redis: TestRedis;
let store: Store;
let ctl: Controller | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await provider.shutdown();
  await redis.stop();
});
beforeEach(() => {
  exporter.reset();
  store = new Store(redis.client(), { prefix: uniquePrefix('tr'), resources: fakeResources });
});
afterEach(async () => {
  await ctl?.stop();
  ctl = undefined;
});

const cm = (name: string, v: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });

async function spans(name: string): Promise<ReadableSpan[]> {
  await provider.forceFlush();
  return exporter.getFinishedSpans().filter((s) => s.name === name);
}

const ids = (c: SpanContext | undefined): string => (c ? `${c.traceId}/${c.spanId}` : '');

test('a write traced by its client: the reconcile span is a child of the store write, inside the same trace', async () => {
  const runs: string[] = [];
  ctl = await startController({
    role: 'ctl',
    store,
    resources: ['configmaps'],
    registry: new Registry(),
    informer: { blockMs: 100 },
    reconcile: async (key, { cache }) => void runs.push(`${key} v=${cache.get(key)?.data?.v}`),
  });
  await tracer.startActiveSpan('kubectl apply', async (span) => {
    await store.create('configmaps', cm('a', '1'));
    span.end();
  });
  await waitFor(() => runs.length === 1, 'the reconcile');
  expect(runs).toEqual(['configmaps/default/a v=1']);

  const [write] = await spans('store create');
  const [reconcile] = await waitForSpans('reconcile ConfigMap', 1);
  expect(ids(reconcile.parentSpanContext)).toBe(ids(write.spanContext()));
  expect(reconcile.spanContext().traceId).toBe((await spans('kubectl apply'))[0].spanContext().traceId);
  expect(reconcile.attributes).toMatchObject({
    'kubeq.object_key': 'configmaps/default/a',
    'kubeq.resource': 'configmaps',
    'k8s.namespace.name': 'default',
    'kubeq.queue': 'ctl',
  });
  expect(reconcile.links).toEqual([]);
});

test('writes during a run: the next run is a child of the last write and links the others', async () => {
  let release!: () => void;
  const runs: string[] = [];
  ctl = await startController({
    role: 'ctl',
    store,
    resources: ['configmaps'],
    registry: new Registry(),
    informer: { blockMs: 100 },
    reconcile: async (key, { cache }) => {
      runs.push(`${key} v=${cache.get(key)?.data?.v}`);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    },
  });
  await store.create('configmaps', cm('a', '1'));
  await waitFor(() => runs.length === 1, 'the first run');
  await store.guaranteedUpdate('configmaps', 'default', 'a', (o) => ({ ...o, data: { v: '2' } }));
  await store.guaranteedUpdate('configmaps', 'default', 'a', (o) => ({ ...o, data: { v: '3' } }));
  await waitFor(async () => (await store.redis.llen(ctl!.queue.keys.links('configmaps/default/a'))) === 2, 'both triggers recorded');
  release();
  await waitFor(() => runs.length === 2, 'the second run');
  expect(runs[1]).toBe('configmaps/default/a v=3');

  const updates = await spans('store update');
  expect(updates).toHaveLength(2);
  const second = (await waitForSpans('reconcile ConfigMap', 2))[1];
  expect(ids(second.parentSpanContext)).toBe(ids(updates[1].spanContext()));
  expect(second.links.map((l) => ids(l.context))).toEqual([ids(updates[0].spanContext())]);
  expect(second.attributes['kubeq.coalesced']).toBe(1);
});

test('adds coalesced into a waiting job: the run is a child of the first trigger and links the rest', async () => {
  const queue = new WorkQueue({ name: 'direct', prefix: store.keys.prefix, connection: redis.client(), registry: new Registry() });
  const triggers = ['t1', 't2', 't3'].map((name) => {
    const span = tracer.startSpan(name);
    const tp = currentTraceparent(trace.setSpan(context.active(), span));
    span.end();
    return { span, tp };
  });
  for (const t of triggers) await queue.enqueue('pods/default/p', t.tp);
  const runner = runReconciler({ queue, reconcile: async () => undefined });
  try {
    const [run] = await waitForSpans('reconcile Pod', 1);
    expect(ids(run.parentSpanContext)).toBe(ids(triggers[0].span.spanContext()));
    expect(run.links.map((l) => ids(l.context))).toEqual([ids(triggers[1].span.spanContext()), ids(triggers[2].span.spanContext())]);
    expect(await store.redis.exists(queue.keys.links('pods/default/p'))).toBe(0);
  } finally {
    await runner.close();
    await queue.close();
  }
});

async function waitForSpans(name: string, n: number): Promise<ReadableSpan[]> {
  let found: ReadableSpan[] = [];
  await waitFor(async () => (found = await spans(name)).length >= n, `${n} span(s) named ${name}`);
  return found;
}
