import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Link, type Span } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { Redis } from 'ioredis';
import { renderTrace } from '../../cli/trace';
import { RedisSpanSink } from '../../shared/tracing/sink';
import { objectAttributes } from '../../shared/tracing/tracer';
import { startRedis, type TestRedis } from '../helpers/redis';

const PREFIX = '{render}';
let server: TestRedis;
let redis: Redis;
const sinks: RedisSpanSink[] = [];
let t = Date.now() - 1000;

/** A tracer whose spans land in the sink as `service`, as one role process would record them. */
function role(service: string) {
  const sink = new RedisSpanSink({ prefix: PREFIX, serviceName: service }, redis);
  sinks.push(sink);
  const tracer = new BasicTracerProvider({ spanProcessors: [sink] }).getTracer('kubeq');
  return (name: string, parent: Span | undefined, attributes: Attributes, o: { ms?: number; links?: Link[]; kind?: SpanKind } = {}) => {
    const start = (t += 1);
    const span = tracer.startSpan(name, { attributes, links: o.links, kind: o.kind, startTime: start }, parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT);
    return Object.assign(span, { finish: () => span.end(start + (o.ms ?? 1)) });
  };
}

let traceId: string;
let output: string;

beforeAll(async () => {
  server = await startRedis();
  redis = server.client();
  const api = role('kubeq-apiserver');
  const cm = role('kubeq-controller-manager');
  const sched = role('kubeq-scheduler');

  const other = api('store update', undefined, objectAttributes('nodes', undefined, 'node-1'));
  other.finish();
  const req = api('POST', undefined, { 'http.request.method': 'POST', 'http.route': '/apis/apps/v1/namespaces/:namespace/deployments', 'http.response.status_code': 201, 'url.full': 'hidden' }, { ms: 4, kind: SpanKind.SERVER });
  const create = api('store create', req, { ...objectAttributes('deployments', 'default', 'web'), 'kubeq.resource_version': '12' });
  const reconcile = cm('reconcile Deployment', create, objectAttributes('deployments', 'default', 'web'), { ms: 3 });
  const rs = cm('store create', reconcile, objectAttributes('replicasets', 'default', 'web-7f'));
  const rsReconcile = cm('reconcile ReplicaSet', rs, objectAttributes('replicasets', 'default', 'web-7f'), { links: [{ context: other.spanContext() }, { context: create.spanContext() }] });
  const pod = cm('store create', rsReconcile, objectAttributes('pods', 'default', 'web-7f-abc'));
  const schedule = sched('schedule Pod', pod, objectAttributes('pods', 'default', 'web-7f-abc'));
  schedule.setStatus({ code: SpanStatusCode.ERROR, message: '0/3 nodes are available' });
  for (const s of [schedule, pod, rsReconcile, rs, reconcile, create, req]) s.finish();
  traceId = req.spanContext().traceId;
  await Promise.all(sinks.map((s) => s.forceFlush()));
  output = await renderTrace(redis, PREFIX, 'deployments/default/web');
});

afterAll(async () => {
  await Promise.all(sinks.map((s) => s.shutdown()));
  await server.stop();
});

test('prints the tree of the last change to the object', () => {
  const lines = output.trimEnd().split('\n');
  expect(lines[0]).toBe(`trace ${traceId}  deployments/default/web  7 spans, 3 services, ${lines[0].split(', ').pop()}`);
  expect(lines[0]).toMatch(/3 services, [\d.]+ ms$/);
  const names = lines.slice(1).filter((l) => !l.includes('↳')).map((l) => l.replace(/\s{2}\[.*$/, ''));
  expect(names).toEqual([
    'POST',
    '└─ store create',
    '   └─ reconcile Deployment',
    '      └─ store create',
    '         └─ reconcile ReplicaSet',
    '            └─ store create',
    '               └─ schedule Pod',
  ]);
});

test('each line: service, duration, offset, k8s.* and kubeq.* attributes, errors', () => {
  const line = (prefix: string) => output.split('\n').find((l) => l.includes(prefix)) ?? '';
  expect(line('POST')).toMatch(/^POST {2}\[kubeq-apiserver\] {2}4\.0 ms {2}\+0\.00 ms {2}http\.request\.method=POST {2}http\.route=\/apis\/apps\/v1\/namespaces\/:namespace\/deployments {2}http\.response\.status_code=201$/);
  expect(line('└─ store create  [kubeq-apiserver]')).toContain('k8s.namespace.name=default  k8s.deployment.name=web');
  expect(line('└─ store create  [kubeq-apiserver]')).toContain('kubeq.resource_version=12');
  expect(line('reconcile Deployment')).toMatch(/\[kubeq-controller-manager\] {2}3\.0 ms {2}\+2\.0 ms {2}k8s\.namespace\.name=default {2}k8s\.deployment\.name=web {2}kubeq\.object_key=deployments\/default\/web$/);
  expect(line('schedule Pod')).toMatch(/\[kubeq-scheduler\].*kubeq\.object_key=pods\/default\/web-7f-abc {2}ERROR "0\/3 nodes are available"$/);
  expect(output).not.toContain('url.full');
  expect(output).not.toContain('kubeq.resource=');
});

test('links: by name inside the trace, by ids outside it', () => {
  const links = output.split('\n').filter((l) => l.includes('↳'));
  expect(links).toHaveLength(2);
  expect(links[0]).toMatch(/^ {15}↳ link: trace [\da-f]{32} span [\da-f]{16}$/);
  expect(links[1]).toMatch(/↳ link: store create \[kubeq-apiserver\]$/);
});

test.each([
  ['kubectl names', 'deploy/default/web'],
  ['the raw trace id', 'TRACE'],
  ['a trailing slash', 'deployments/default/web/'],
])('the same trace by %s', async (_label, target) => {
  const out = await renderTrace(redis, PREFIX, target === 'TRACE' ? traceId.toUpperCase() : target);
  expect(out.split('\n')[0]).toContain(traceId);
  expect(out.split('\n').slice(1)).toEqual(output.split('\n').slice(1));
});

test('cluster-scoped and default-namespace shorthands', async () => {
  expect(await renderTrace(redis, PREFIX, 'nodes/node-1')).toMatch(/^trace [\da-f]{32} {2}nodes\/node-1 {2}1 span, 1 service,/);
  expect(await renderTrace(redis, PREFIX, 'po/web-7f-abc')).toMatch(new RegExp(`^trace ${traceId} {2}pods/default/web-7f-abc`));
});

test('a span whose parent was not recorded is shown as a root', async () => {
  const api = role('kubeq-apiserver');
  const remote = trace.wrapSpanContext({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1, isRemote: true });
  const s = api('reconcile Pod', remote, objectAttributes('pods', 'default', 'orphan'));
  s.finish();
  await sinks[sinks.length - 1].forceFlush();
  expect(await renderTrace(redis, PREFIX, 'pods/default/orphan')).toMatch(/\nreconcile Pod {2}\[kubeq-apiserver\].*\(parent not recorded\)\n$/);
});

test.each([
  ['an unknown object', 'deployments/default/nope', /^no trace recorded for deployments\/default\/nope:/],
  ['a cluster-scoped guess', 'nodes/nope', /no trace recorded for nodes\/nope or nodes\/default\/nope/],
  ['an unknown trace id', 'e'.repeat(32), /^trace e{32} is not in the span sink/],
  ['a malformed target', 'web', /expected <resource>\/<namespace>\/<name>/],
])('an error saying why for %s', async (_label, target, message) => {
  await expect(renderTrace(redis, PREFIX, target)).rejects.toThrow(message);
});

test('an object whose trace was trimmed', async () => {
  await redis.set(`${PREFIX}:spans:object:pods/default/gone`, 'f'.repeat(32));
  await expect(renderTrace(redis, PREFIX, 'pods/default/gone')).rejects.toThrow(/^trace f{32} \(last change to pods\/default\/gone\) is not in the span sink/);
});
