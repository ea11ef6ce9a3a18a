import { context, diag, ROOT_CONTEXT, TraceFlags } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
// Type only: this module must not load ioredis (sdk.ts imports it before instrumentation starts).
import type { Redis } from 'ioredis';
import { SinkKeys } from './keys';
import { parseSpanRecord, toSpanRecord, type SpanRecord } from './record';
import { TRIM_TRACES } from './scripts/trim-traces';
import { ATTR_KUBEQ_OBJECT_KEY } from './tracer';

export type { SpanRecord } from './record';

/** What the caller passes; `resolveSinkOptions` fills the defaults. */
export interface SinkOptions {
  /** Key prefix, the same hash tag as the store's (`{kubeq}`). */
  prefix: string;
  /** `service` of every record; default the span resource's `service.name`. */
  serviceName?: string;
  /** `KUBEQ_TRACE_SINK_MAX_TRACES`, default 10000: traces kept; the least recently active are deleted. */
  maxTraces?: number;
  /** `KUBEQ_TRACE_SINK_MAX_SPANS`, default 2000: spans kept per trace (the first to arrive). */
  maxSpansPerTrace?: number;
  /** `KUBEQ_TRACE_SINK_TTL_SECONDS`, default 86400: every sink key expires this long after its last write. */
  ttlSeconds?: number;
  /** Default 200 ms: how often buffered spans are written. */
  flushIntervalMs?: number;
  /** Default 20000: spans buffered while Redis is slow or away; more are dropped. */
  maxBufferedSpans?: number;
}

export type ResolvedSinkOptions = Required<Omit<SinkOptions, 'serviceName'>> & Pick<SinkOptions, 'serviceName'>;

export function resolveSinkOptions(opts: SinkOptions, env: NodeJS.ProcessEnv = process.env): ResolvedSinkOptions {
  const num = (v: number | undefined, fallback: number, envName?: string): number => {
    const n = v ?? (envName && env[envName] ? Number(env[envName]) : fallback);
    return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
  };
  return {
    prefix: opts.prefix,
    serviceName: opts.serviceName,
    maxTraces: num(opts.maxTraces, 10000, 'KUBEQ_TRACE_SINK_MAX_TRACES'),
    maxSpansPerTrace: num(opts.maxSpansPerTrace, 2000, 'KUBEQ_TRACE_SINK_MAX_SPANS'),
    ttlSeconds: num(opts.ttlSeconds, 86400, 'KUBEQ_TRACE_SINK_TTL_SECONDS'),
    flushIntervalMs: num(opts.flushIntervalMs, 200),
    maxBufferedSpans: num(opts.maxBufferedSpans, 20000),
  };
}

/** Spans written per pipeline. */
const CHUNK = 1000;
/** How long forceFlush waits for a connecting client before giving up on this flush. */
const READY_WAIT_MS = 1000;
/** How long forceFlush waits for a write in flight (a client that queues commands while away could hold it forever). */
const WRITE_WAIT_MS = 5000;

/**
 * A SpanProcessor that keeps finished spans in Redis, bounded, so traces can be read without
 * Jaeger (`readTrace`, `lastTraceIdFor`, `kubeq trace`). Spans are buffered and written in one
 * pipeline per tick; the sink's own commands run with tracing suppressed. It never throws into
 * the app: while Redis is away spans stay buffered up to `maxBufferedSpans`, a failed write drops
 * its spans, and `dropped` counts both.
 */
export class RedisSpanSink implements SpanProcessor {
  readonly options: ResolvedSinkOptions;
  private readonly keys: SinkKeys;
  private redis?: Redis;
  private buffer: ReadableSpan[] = [];
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private droppedSpans = 0;

  /** `redis` may come later through `attach` (the SDK starts before ioredis may be loaded). */
  constructor(opts: SinkOptions, redis?: Redis) {
    this.options = resolveSinkOptions(opts);
    this.keys = new SinkKeys(this.options.prefix);
    this.redis = redis;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Sets the client spans are written with. The caller keeps ownership (the sink never closes it). */
  attach(redis: Redis): void {
    this.redis = redis;
  }

  /** Spans lost so far: buffer overflow or failed writes. */
  get dropped(): number {
    return this.droppedSpans;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed || !(span.spanContext().traceFlags & TraceFlags.SAMPLED)) return;
    if (this.buffer.length >= this.options.maxBufferedSpans) this.droppedSpans++;
    else this.buffer.push(span);
  }

  /**
   * Writes everything buffered; waits up to 1 s for a client that is still connecting and up to
   * 5 s for a write in flight. Never rejects; what cannot be written stays buffered.
   */
  async forceFlush(): Promise<void> {
    if (this.flushing) await within(this.flushing, WRITE_WAIT_MS);
    if (this.buffer.length && this.redis && this.redis.status !== 'ready') await waitReady(this.redis, READY_WAIT_MS);
    await within(this.flush(), WRITE_WAIT_MS);
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.forceFlush();
    this.closed = true;
    this.droppedSpans += this.buffer.length;
    this.buffer = [];
  }

  /** One flush at a time; a tick that finds one running leaves the buffer to it or the next tick. */
  private flush(): Promise<void> {
    if (this.flushing || !this.buffer.length || this.redis?.status !== 'ready') return this.flushing ?? Promise.resolve();
    this.flushing = context.with(suppressTracing(ROOT_CONTEXT), () => this.drain()).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length && this.redis) {
      const batch = this.buffer.splice(0, CHUNK);
      try {
        await this.write(this.redis, batch.map((s) => toSpanRecord(s, this.serviceOf(s))));
      } catch (err) {
        this.droppedSpans += batch.length;
        diag.warn(`kubeq span sink: dropped ${batch.length} spans: ${String(err)}`);
        return;
      }
    }
  }

  private serviceOf(span: ReadableSpan): string {
    return this.options.serviceName ?? String(span.resource.attributes['service.name'] ?? 'unknown');
  }

  private async write(redis: Redis, records: SpanRecord[]): Promise<void> {
    const { maxSpansPerTrace, ttlSeconds, maxTraces } = this.options;
    const byTrace = new Map<string, { items: string[]; lastMs: number }>();
    const objects = new Map<string, string>();
    for (const r of records.sort((a, b) => a.endMs - b.endMs)) {
      const t = byTrace.get(r.traceId) ?? { items: [], lastMs: 0 };
      t.items.push(JSON.stringify(r));
      t.lastMs = Math.max(t.lastMs, r.endMs);
      byTrace.set(r.traceId, t);
      const key = r.attributes[ATTR_KUBEQ_OBJECT_KEY];
      if (typeof key === 'string' && key) objects.set(key, r.traceId);
    }
    const p = redis.pipeline();
    const scores: (string | number)[] = [];
    for (const [traceId, { items, lastMs }] of byTrace) {
      const key = this.keys.trace(traceId);
      p.rpush(key, ...items).ltrim(key, 0, maxSpansPerTrace - 1).expire(key, ttlSeconds);
      scores.push(Math.round(lastMs), traceId);
    }
    for (const [objectKey, traceId] of objects) p.set(this.keys.object(objectKey), traceId, 'EX', ttlSeconds);
    p.zadd(this.keys.traces, ...scores).expire(this.keys.traces, ttlSeconds);
    p.eval(TRIM_TRACES, 1, this.keys.traces, maxTraces, this.keys.trace(''));
    const results = (await p.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }
}

/** Resolves on the client's next `ready` or after `ms`, whichever comes first. */
function waitReady(redis: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

/** `p`, or nothing after `ms`: whichever comes first. */
async function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([p, timeout]);
  clearTimeout(timer);
}

/** The spans kept for `traceId`, by start time; empty when the trace is unknown or trimmed. */
export async function readTrace(redis: Redis, prefix: string, traceId: string): Promise<SpanRecord[]> {
  const raw = await context.with(suppressTracing(context.active()), () => redis.lrange(new SinkKeys(prefix).trace(traceId), 0, -1));
  return raw
    .map(parseSpanRecord)
    .filter((r): r is SpanRecord => r !== undefined)
    .sort((a, b) => a.startMs - b.startMs);
}

/** The id of the last trace that touched `objectKey` (`resource/ns/name`), or null. */
export async function lastTraceIdFor(redis: Redis, prefix: string, objectKey: string): Promise<string | null> {
  return context.with(suppressTracing(context.active()), () => redis.get(new SinkKeys(prefix).object(objectKey)));
}
