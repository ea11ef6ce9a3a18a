import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentTraceparent, linkFromTraceparent, traceIdOf } from './propagation';
import { startTelemetry, type Telemetry } from './sdk';
import { objectAttributes, withSpan } from './tracer';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;

beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
});
afterAll(() => telemetry.shutdown());
beforeEach(() => {
  exporter.reset();
  flushed = false;
});
const flush = async () => {
  await telemetry.forceFlush();
  flushed = true;
};

// Simple/Batch processors wait for async resource attributes (host.id) before exporting: flush first.
let flushed = false;
const finished = (name: string) => {
  if (!flushed) throw new Error('await telemetry.forceFlush() before finished()');
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!span) throw new Error(`no finished span ${name}`);
  return span;
};

describe('startTelemetry', () => {
  test('names the service kubeq-<role>, once per process', async () => {
    expect(telemetry.serviceName).toBe('kubeq-test');
    expect(startTelemetry({ serviceName: 'other' })).toBe(telemetry);
    withSpan('probe', {}, () => undefined);
    await flush();
    expect(finished('probe').resource.attributes).toMatchObject({ 'service.name': 'kubeq-test', 'service.namespace': 'kubeq' });
  });
});

describe('objectAttributes', () => {
  test.each([
    ['pods', 'default', 'web-1', { 'k8s.namespace.name': 'default', 'k8s.pod.name': 'web-1', 'kubeq.object_key': 'pods/default/web-1' }],
    ['deployments', 'prod', 'web', { 'k8s.namespace.name': 'prod', 'k8s.deployment.name': 'web', 'kubeq.object_key': 'deployments/prod/web' }],
    ['replicasets', 'default', 'web-7f', { 'k8s.replicaset.name': 'web-7f' }],
    ['nodes', undefined, 'node-1', { 'k8s.node.name': 'node-1', 'kubeq.object_key': 'nodes/node-1' }],
    ['namespaces', '', 'team-a', { 'k8s.namespace.name': 'team-a', 'kubeq.object_key': 'namespaces/team-a' }],
    ['horizontalpodautoscalers', 'default', 'web', { 'k8s.hpa.name': 'web' }],
    ['configmaps', 'default', 'cfg', { 'kubeq.resource': 'configmaps', 'kubeq.object_key': 'configmaps/default/cfg' }],
  ])('%s %s/%s', (resource, ns, name, expected) => {
    const attrs = objectAttributes(resource, ns, name);
    expect(attrs).toMatchObject({ 'kubeq.resource': resource, ...expected });
    const k8sNames = Object.keys(attrs).filter((k) => k.startsWith('k8s.') && k !== 'k8s.namespace.name');
    expect(k8sNames.length).toBeLessThanOrEqual(1);
  });
  test('no namespace attribute for cluster-scoped objects', () => {
    expect(objectAttributes('nodes', undefined, 'n1')).not.toHaveProperty('k8s.namespace.name');
  });
});

describe('withSpan', () => {
  test('sync: returns the value, the span is active inside and ended after', async () => {
    const out = withSpan('store create', { attributes: { a: 1 }, kind: SpanKind.SERVER }, (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      return 42;
    });
    expect(out).toBe(42);
    await flush();
    const span = finished('store create');
    expect(span.attributes.a).toBe(1);
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  test('async: ends when the promise settles; children across awaits keep their parent', async () => {
    const out = await withSpan('reconcile Deployment', {}, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await withSpan('store update', {}, async () => new Promise((r) => setImmediate(r)));
      return 'ok';
    });
    expect(out).toBe('ok');
    await flush();
    const parent = finished('reconcile Deployment');
    const child = finished('store update');
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  });

  test.each([
    ['sync throw', () => withSpan('boom', {}, () => { throw new Error('sync failure'); })],
    ['async rejection', () => withSpan('boom', {}, async () => { throw new Error('async failure'); })],
  ])('%s: recorded and rethrown', async (_label, run) => {
    await expect(Promise.resolve().then(run)).rejects.toThrow(/failure/);
    await flush();
    const span = finished('boom');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toMatch(/failure/);
    expect(span.events.map((e) => e.name)).toContain('exception');
    expect(span.ended).toBe(true);
  });

  test('a thrown non-Error is recorded too', async () => {
    expect(() => withSpan('odd', {}, () => { throw 'plain string'; })).toThrow();
    await flush();
    expect(finished('odd').status.message).toBe('plain string');
  });

  test('parentTraceparent: the span is a child of the carried context, not of the active span', async () => {
    const write = withSpan('store create', {}, () => currentTraceparent());
    expect(write).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
    withSpan('process job', {}, () =>
      withSpan('reconcile Deployment', { parentTraceparent: write }, () => undefined),
    );
    await flush();
    const reconcile = finished('reconcile Deployment');
    expect(reconcile.spanContext().traceId).toBe(traceIdOf(write));
    expect(reconcile.parentSpanContext?.spanId).toBe(finished('store create').spanContext().spanId);
  });

  test('a malformed parentTraceparent falls back to the active span', async () => {
    withSpan('outer', {}, () => withSpan('inner', { parentTraceparent: 'garbage' }, () => undefined));
    await flush();
    expect(finished('inner').parentSpanContext?.spanId).toBe(finished('outer').spanContext().spanId);
  });

  test('links: undefined entries are skipped', async () => {
    const a = withSpan('store update', {}, () => currentTraceparent());
    withSpan('reconcile ReplicaSet', { links: [linkFromTraceparent(a), linkFromTraceparent(''), undefined] }, () => undefined);
    await flush();
    const links = finished('reconcile ReplicaSet').links;
    expect(links).toHaveLength(1);
    expect(links[0].context.traceId).toBe(traceIdOf(a));
  });

  test('root: a new trace even inside a span', async () => {
    withSpan('outer', {}, () => withSpan('tick', { root: true }, () => undefined));
    await flush();
    expect(finished('tick').spanContext().traceId).not.toBe(finished('outer').spanContext().traceId);
    expect(finished('tick').parentSpanContext).toBeUndefined();
  });

  test('outside any span the active context has no traceparent', async () => {
    expect(currentTraceparent(context.active())).toBe('');
  });
});
