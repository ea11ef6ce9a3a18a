import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { startTelemetry, type Telemetry } from '../../shared/tracing/sdk';
import { lastTraceIdFor, readTrace, RedisSpanSink, type SinkOptions } from '../../shared/tracing/sink';
import { objectAttributes } from '../../shared/tracing/tracer';
import { startRedis, type TestRedis } from '../helpers/redis';

let server: TestRedis;
let redis: Redis;
let telemetry: Telemetry;
let seq = 0;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
  // Only for the AsyncLocalStorage context manager (the suppression test): no processors, no export.
  telemetry = startTelemetry({ serviceName: 'sink-test' });
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
afterAll(async () => {
  await telemetry.shutdown();
  await server.stop();
});

/** A sink on its own prefix with a provider that feeds it; spans get explicit parents, no context manager needed. */
function setup(opts: Partial<SinkOptions> = {}, client: Redis | undefined = redis) {
  const prefix = `{t${++seq}}`;
  const sink = new RedisSpanSink({ prefix, serviceName: 'kubeq-test', ...opts }, client);
  const provider = new BasicTracerProvider({ spanProcessors: [sink], resource: resourceFromAttributes({ 'service.name': 'ignored' }) });
  cleanups.push(() => provider.shutdown());
  const tracer = provider.getTracer('test');
  const span = (name: string, o: { parent?: Span; attributes?: Record<string, string>; start?: number; end?: number } = {}) => {
    const s = tracer.startSpan(name, { attributes: o.attributes, startTime: o.start }, o.parent ? trace.setSpan(ROOT_CONTEXT, o.parent) : ROOT_CONTEXT);
    if (o.end !== undefined) s.end(o.end);
    return s;
  };
  return { prefix, sink, tracer, span };
}

test('keeps compact records per trace, readable in start order', async () => {
  const { prefix, sink, tracer, span } = setup();
  const t0 = Date.now();
  const write = span('store create', { attributes: objectAttributes('deployments', 'default', 'web') as Record<string, string>, start: t0 });
  const link = tracer.startSpan('store update');
  link.end();
  const rec = tracer.startSpan('reconcile Deployment', { links: [{ context: link.spanContext() }], startTime: t0 + 1 }, trace.setSpan(ROOT_CONTEXT, write));
  rec.setStatus({ code: SpanStatusCode.ERROR, message: 'conflict' });
  rec.end();
  write.end();
  await sink.forceFlush();

  const traceId = write.spanContext().traceId;
  const spans = await readTrace(redis, prefix, traceId);
  expect(spans.map((s) => s.name)).toEqual(['store create', 'reconcile Deployment']);
  expect(spans[0]).toMatchObject({
    traceId,
    spanId: write.spanContext().spanId,
    service: 'kubeq-test',
    kind: 'internal',
    status: 'unset',
    attributes: { 'k8s.deployment.name': 'web', 'kubeq.object_key': 'deployments/default/web' },
    links: [],
  });
  expect(spans[0].parentSpanId).toBeUndefined();
  expect(spans[1]).toMatchObject({ parentSpanId: write.spanContext().spanId, status: 'error', statusMessage: 'conflict' });
  expect(spans[1].links).toEqual([{ traceId: link.spanContext().traceId, spanId: link.spanContext().spanId }]);
  expect(spans[0].endMs).toBeGreaterThanOrEqual(spans[0].startMs);
  expect(Math.abs(spans[0].startMs - Date.now())).toBeLessThan(10_000);
  expect(await redis.ttl(`${prefix}:spans:trace:${traceId}`)).toBeGreaterThan(86_000);
  expect(await readTrace(redis, prefix, 'f'.repeat(32))).toEqual([]);
});

test('object index: the last trace that touched each object', async () => {
  const { prefix, sink, span } = setup();
  const attrs = objectAttributes('deployments', 'default', 'web') as Record<string, string>;
  const first = span('store create', { attributes: attrs, end: Date.now() - 10 });
  const second = span('store update', { attributes: attrs, end: Date.now() });
  const node = span('store update', { attributes: objectAttributes('nodes', undefined, 'n1') as Record<string, string>, end: Date.now() });
  await sink.forceFlush();
  expect(first.spanContext().traceId).not.toBe(second.spanContext().traceId);
  expect(await lastTraceIdFor(redis, prefix, 'deployments/default/web')).toBe(second.spanContext().traceId);
  expect(await lastTraceIdFor(redis, prefix, 'nodes/n1')).toBe(node.spanContext().traceId);
  expect(await lastTraceIdFor(redis, prefix, 'pods/default/nope')).toBeNull();
});

test('bounded: keeps the newest maxTraces traces and deletes the others', async () => {
  const { prefix, sink, span } = setup({ maxTraces: 5 });
  const t0 = Date.now() - 60_000;
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    ids.push(span(`s${i}`, { start: t0 + i * 1000, end: t0 + i * 1000 + 1 }).spanContext().traceId);
    if (i % 4 === 3) await sink.forceFlush(); // several flushes, as in a long-running process
  }
  await sink.forceFlush();
  const kept = await redis.zrange(`${prefix}:spans:traces`, '0', '-1');
  expect(kept).toEqual(ids.slice(7));
  for (const [i, id] of ids.entries()) expect(await redis.exists(`${prefix}:spans:trace:${id}`)).toBe(i >= 7 ? 1 : 0);
});

test('bounded: at most maxSpansPerTrace spans per trace, the first to arrive', async () => {
  const { prefix, sink, span } = setup({ maxSpansPerTrace: 3 });
  const root = span('root');
  const t0 = Date.now() - 100;
  for (let i = 0; i < 10; i++) span(`child ${i}`, { parent: root, start: t0 + i, end: t0 + i });
  root.end();
  await sink.forceFlush();
  const spans = await readTrace(redis, prefix, root.spanContext().traceId);
  expect(spans.map((s) => s.name)).toEqual(['child 0', 'child 1', 'child 2']);
});

test('its own Redis commands run with tracing suppressed', async () => {
  const seen: boolean[] = [];
  const spy = new Proxy(redis, {
    get(target, prop, receiver) {
      if (prop === 'pipeline') {
        return () => {
          seen.push(isTracingSuppressed(context.active()));
          const p = target.pipeline();
          const exec = p.exec.bind(p);
          p.exec = (() => {
            seen.push(isTracingSuppressed(context.active()));
            return exec();
          }) as typeof p.exec;
          return p;
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const { sink, span } = setup({}, spy);
  span('x', { end: Date.now() });
  await sink.forceFlush();
  expect(seen).toEqual([true, true]);
  expect(isTracingSuppressed(context.active())).toBe(false);
});

test('spans that end before a client is attached are kept until it is', async () => {
  const { prefix, sink, span } = setup({}, undefined);
  const s = span('early', { end: Date.now() });
  await sink.forceFlush();
  sink.attach(redis);
  await sink.forceFlush();
  expect((await readTrace(redis, prefix, s.spanContext().traceId)).map((r) => r.name)).toEqual(['early']);
});

test('flushes on its own every flushIntervalMs', async () => {
  const { prefix, span } = setup({ flushIntervalMs: 50 });
  const s = span('periodic', { end: Date.now() });
  const key = `${prefix}:spans:trace:${s.spanContext().traceId}`;
  for (let i = 0; i < 40 && !(await redis.exists(key)); i++) await new Promise((r) => setTimeout(r, 25));
  expect(await redis.llen(key)).toBe(1);
});

test('a Redis outage drops spans, never throws, and the buffer stays bounded', async () => {
  const down = await startRedis();
  // The client options sdk.ts uses: fail fast instead of queueing while away.
  const client = new Redis(down.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, disconnectTimeout: 50 });
  client.on('error', () => undefined);
  cleanups.push(async () => client.disconnect());
  await new Promise((r) => client.once('ready', r));
  const { sink, span } = setup({ maxBufferedSpans: 3 }, client);
  await down.stop();
  await new Promise((r) => client.once('close', r));
  for (let i = 0; i < 5; i++) span(`lost ${i}`, { end: Date.now() });
  const t = Date.now();
  await expect(sink.forceFlush()).resolves.toBeUndefined();
  expect(Date.now() - t).toBeLessThan(3000);
  expect(sink.dropped).toBe(2);
  await expect(sink.shutdown()).resolves.toBeUndefined();
  expect(sink.dropped).toBe(5);
});

test('a write that fails drops its batch and the sink carries on', async () => {
  const broken = await startRedis();
  const client = new Redis(broken.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  cleanups.push(async () => client.disconnect());
  await new Promise((r) => client.once('ready', r));
  const { prefix, sink, span } = setup({}, client);
  await client.set(`${prefix}:spans:traces`, 'not a zset'); // every write now fails with WRONGTYPE
  span('a', { end: Date.now() });
  await sink.forceFlush();
  expect(sink.dropped).toBe(1);
  await client.del(`${prefix}:spans:traces`);
  const ok = span('b', { end: Date.now() });
  await sink.forceFlush();
  expect(sink.dropped).toBe(1);
  expect(await readTrace(client, prefix, ok.spanContext().traceId)).toHaveLength(1);
  await broken.stop();
});

test('readTrace skips entries that are not span records', async () => {
  const { prefix } = setup();
  const id = 'a'.repeat(32);
  await redis.rpush(`${prefix}:spans:trace:${id}`, 'not json', '{"x":1}', JSON.stringify({ traceId: id, spanId: 'b'.repeat(16), name: 'ok', startMs: 1, endMs: 2 }));
  expect((await readTrace(redis, prefix, id)).map((r) => r.name)).toEqual(['ok']);
});
