import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderTrace } from '../../cli/trace';
import { lastTraceIdFor, readTrace } from '../../shared/tracing/sink';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver';

// Real processes: inside Jest, auto-instrumentation patches nothing (see STACK.md).
const FIXTURE = join(__dirname, '../../dist/test/fixtures/tracing/emit.js');
const PREFIX = '{fixture}';
const SERVER = 2;
const CLIENT = 3;

let redis: TestRedis;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(FIXTURE)) throw new Error(`${FIXTURE} is missing: run \`npx tsc -p tsconfig.build.json\` (npm test builds first)`);
  redis = await startRedis();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await receiver.stop();
  await redis.stop();
});

interface Run {
  child: ChildProcess;
  traceId: string;
  preloaded: string[];
  exited: Promise<number | null>;
}

async function runFixture(env: Record<string, string>): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && !k.startsWith('KUBEQ_')));
  const child = spawn(process.execPath, [FIXTURE], {
    env: { ...clean, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    void exited.then((code) => reject(new Error(`fixture exited ${code}: ${err}`)));
  });
  return { child, exited, ...(JSON.parse(line) as { traceId: string; preloaded: string[] }) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const inTrace = (traceId: string) => receiver.spans().filter((s) => s.traceId === traceId);
const named = (spans: ReceivedSpan[], name: string) => spans.find((s) => s.name === name);

describe('a process that starts telemetry first (OTLP/HTTP, Redis sink, KUBEQ_TRACE_REDIS=1)', () => {
  let run: Run;
  let spans: ReceivedSpan[];
  let exportedAfterMs: number;

  beforeAll(async () => {
    run = await runFixture({ REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TRACE_REDIS: '1' });
    const t = Date.now();
    // While the process is still up: the batch processor's OTEL_BSP_SCHEDULE_DELAY (100 ms here, 5 s by default) decides.
    spans = await until('the exported trace', () => {
      const s = inTrace(run.traceId);
      return named(s, 'reconcile Deployment') && s.some((x) => x.kind === SERVER) ? s : undefined;
    });
    exportedAfterMs = Date.now() - t;
  });

  test('sdk.ts loads none of express, ioredis, bullmq', () => {
    expect(run.preloaded).toEqual([]);
  });

  test('exports OTLP/JSON to /v1/traces before the process ends, honouring OTEL_BSP_SCHEDULE_DELAY', () => {
    expect(exportedAfterMs).toBeLessThan(2500);
    expect(run.child.exitCode).toBeNull();
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const r of receiver.requests) {
      expect(r.path).toBe('/v1/traces');
      expect(r.contentType).toBe('application/json');
      expect(r.json?.resourceSpans?.[0]?.scopeSpans?.[0]?.spans?.length).toBeGreaterThan(0);
    }
  });

  test('resource: service.name, service.namespace, service.instance.id', () => {
    for (const s of spans) {
      expect(s.resource).toMatchObject({ 'service.name': 'kubeq-fixture', 'service.namespace': 'kubeq', 'telemetry.sdk.language': 'nodejs' });
      expect(s.resource['service.instance.id']).toMatch(/^[\da-f-]{36}$/);
      expect(s.traceId).toMatch(/^[\da-f]{32}$/);
      expect(s.spanId).toMatch(/^[\da-f]{16}$/);
    }
  });

  test('kubeq spans connect through the carried traceparent', () => {
    const write = named(spans, 'store create');
    const reconcile = named(spans, 'reconcile Deployment');
    expect(write).toMatchObject({ scope: 'kubeq', attributes: { 'k8s.deployment.name': 'web', 'kubeq.object_key': 'deployments/default/web' } });
    expect(write?.parentSpanId).toBeUndefined();
    expect(reconcile?.parentSpanId).toBe(write?.spanId);
  });

  test('http client and server spans from the instrumentation; probes are not traced', () => {
    const http = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-http');
    const servers = http.filter((s) => s.kind === SERVER);
    expect(servers).toHaveLength(1);
    expect(servers[0].attributes['url.path'] ?? servers[0].attributes['http.target']).toBe('/apis/apps/v1');
    const client = http.find((s) => s.spanId === servers[0].parentSpanId);
    expect(client?.kind).toBe(CLIENT);
    expect(client?.parentSpanId).toBe(named(spans, 'store create')?.spanId);
  });

  test('one span per Redis command of the app, none for the sink’s own commands', () => {
    const redisSpans = receiver.spans().filter((s) => s.scope === '@opentelemetry/instrumentation-ioredis');
    expect(redisSpans.map((s) => s.name)).toEqual(['set']);
    expect(redisSpans[0].parentSpanId).toBe(named(spans, 'store create')?.spanId);
    expect(JSON.stringify(receiver.spans())).not.toContain(':spans:');
  });

  test('the Redis sink has the same trace, indexed by object', async () => {
    const client = redis.client();
    const kept = await until('the trace in the sink', async () => {
      const r = await readTrace(client, PREFIX, run.traceId);
      return r.length >= 6 ? r : undefined;
    });
    expect(kept.map((s) => s.name).sort()).toEqual(spans.map((s) => s.name).sort());
    expect(new Set(kept.map((s) => s.service))).toEqual(new Set(['kubeq-fixture']));
    expect(await lastTraceIdFor(client, PREFIX, 'deployments/default/web')).toBe(run.traceId);
    const text = await renderTrace(client, PREFIX, 'deployments/default/web');
    expect(text).toMatch(/^store create {2}\[kubeq-fixture\]/m);
    expect(text).toMatch(/^└─ reconcile Deployment {2}\[kubeq-fixture\]/m);
    expect(text).toMatch(/^├─ set {2}\[kubeq-fixture\]/m);
  });

  test('SIGTERM: shuts telemetry down and exits 0', async () => {
    run.child.kill('SIGTERM');
    await expect(run.exited).resolves.toBe(0);
  });
});

test('without KUBEQ_TRACE_REDIS the app’s Redis commands are not traced', async () => {
  const run = await runFixture({ REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: '{fixture2}' });
  const spans = await until('the exported trace', () => {
    const s = inTrace(run.traceId);
    return named(s, 'reconcile Deployment') && s.some((x) => x.kind === SERVER) ? s : undefined;
  });
  expect(spans.some((s) => s.scope === '@opentelemetry/instrumentation-ioredis')).toBe(false);
  expect(spans.filter((s) => s.scope === '@opentelemetry/instrumentation-http').length).toBeGreaterThanOrEqual(2);
  run.child.kill('SIGTERM');
  await expect(run.exited).resolves.toBe(0);
});
