import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { diag } from '@opentelemetry/api';
import { getBooleanFromEnv } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
// Type only: ioredis is required after sdk.start(), so the ioredis instrumentation can patch it.
import type { Redis } from 'ioredis';
import { RedisSpanSink, type SinkOptions } from './sink';

/**
 * Process-wide OpenTelemetry setup. Call `startTelemetry` first in a role's main.ts, before
 * express, ioredis or bullmq are required (this module loads none of them).
 */
export interface TelemetryOptions {
  /** The role (`apiserver`) or the full name (`kubeq-apiserver`); `service.name` is always `kubeq-<role>`. */
  serviceName: string;
  /** When set, finished spans are also kept in this Redis (see sink.ts). */
  redisUrl?: string;
  /** Default `{kubeq}`: the key prefix of the span sink. */
  redisPrefix?: string;
  /** OTLP/HTTP base URL (`http://jaeger:4318`; `/v1/traces` is appended). Default `OTEL_EXPORTER_OTLP_ENDPOINT`; none means no export. */
  otlpEndpoint?: string;
  /** Default: `KUBEQ_TRACE_REDIS=1` (or `true`) turns on one span per Redis command; off by default, too many at scale. */
  traceRedis?: boolean;
  /** Bounds of the span sink; default from its environment variables. */
  sink?: Omit<SinkOptions, 'prefix' | 'serviceName'>;
  /** More span processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  readonly serviceName: string;
  /** Present when `redisUrl` was given. */
  readonly sink?: RedisSpanSink;
  /** Exports every finished span (OTLP and Redis sink). Never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the SDK and closes the sink's Redis connection; gives up on flushing after 5 s (an unreachable collector). Never rejects. */
  shutdown(): Promise<void>;
}

/** Incoming requests that would only add noise: probes and metric scrapes. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/livez', '/readyz']);

/** Shutdown must fit in a container's stop grace period (10 s by default). */
const SHUTDOWN_WAIT_MS = 5000;

let active: Telemetry | undefined;

/**
 * Starts the SDK once per process; a second call returns the running instance. With
 * `OTEL_SDK_DISABLED=true` nothing starts (no export, no sink) and the tracer stays a no-op.
 */
export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (active) return active;
  const serviceName = opts.serviceName.startsWith('kubeq-') ? opts.serviceName : `kubeq-${opts.serviceName}`;
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) return { serviceName, forceFlush: async () => {}, shutdown: async () => {} };
  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  const exporter = otlpExporter(opts.otlpEndpoint);
  // BatchSpanProcessor reads OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE, … for what it is not given.
  if (exporter) processors.push(new BatchSpanProcessor(exporter));
  const prefix = opts.redisPrefix || '{kubeq}';
  const sink = opts.redisUrl ? new RedisSpanSink({ ...opts.sink, prefix, serviceName }) : undefined;
  if (sink) processors.push(sink);

  const sdk = new NodeSDK({
    serviceName,
    resource: defaultResource().merge(
      resourceFromAttributes({ 'service.namespace': 'kubeq', 'service.instance.id': randomUUID() }),
    ),
    spanProcessors: processors,
    // Traces only: without these the SDK would export metrics and logs to OTLP by default.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(opts.traceRedis ?? ['1', 'true'].includes(process.env.KUBEQ_TRACE_REDIS ?? '')),
  });
  sdk.start();

  let redis: Redis | undefined;
  if (sink && opts.redisUrl) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only now, after instrumentation is registered
    const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
    redis = new RedisClient(opts.redisUrl, {
      connectionName: `${serviceName}-span-sink`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', (err: Error) => diag.debug(`kubeq span sink redis: ${err.message}`));
    sink.attach(redis);
  }

  const telemetry: Telemetry = {
    serviceName,
    sink,
    async forceFlush() {
      await Promise.all(processors.map((p) => p.forceFlush().catch((err) => diag.warn(`forceFlush: ${String(err)}`))));
    },
    async shutdown() {
      const stopped = sdk.shutdown().catch((err) => diag.warn(`telemetry shutdown: ${String(err)}`));
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
      await redis?.quit().catch(() => redis?.disconnect());
      if (active === telemetry) active = undefined;
    },
  };
  active = telemetry;
  return telemetry;
}

function otlpExporter(endpoint: string | undefined): OTLPTraceExporter | undefined {
  if (endpoint) return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  // Without a url the exporter reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT itself.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return new OTLPTraceExporter();
  return undefined;
}

function instrumentations(traceRedis: boolean) {
  const list = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
    }),
    // Middleware spans (body parsers, auth) are noise; routers and handlers stay, and so does http.route.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
  ];
  return traceRedis ? [...list, new IORedisInstrumentation({ requireParentSpan: true })] : list;
}
