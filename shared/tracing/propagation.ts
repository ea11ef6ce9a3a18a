import { context, trace, type Context, type Link } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C `traceparent` in and out of strings, so trace context can ride in change-log entries
 * and jobs. Works with or without a started SDK (the propagator is used directly).
 */
const w3c = new W3CTraceContextPropagator();

/** The active span's `traceparent`, or `''` when there is no recording span. */
export function currentTraceparent(ctx: Context = context.active()): string {
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, { set: (c, k, v) => void (c[k] = v) });
  return carrier.traceparent ?? '';
}

/** A context whose remote parent is `traceparent`; the given context when it is empty or malformed. */
export function contextFromTraceparent(traceparent: string | undefined, base: Context = context.active()): Context {
  if (!traceparent) return base;
  return w3c.extract(base, { traceparent }, { get: (c, k) => c[k], keys: (c) => Object.keys(c) });
}

/** A span link to the span named by `traceparent`, or undefined when it is empty or malformed. */
export function linkFromTraceparent(traceparent: string | undefined): Link | undefined {
  if (!traceparent) return undefined;
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent, context.active()));
  return spanContext ? { context: spanContext } : undefined;
}

/** The trace id inside a `traceparent`, or `''` (also for the all-zero id, which W3C calls invalid). */
export function traceIdOf(traceparent: string | undefined): string {
  const m = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '');
  return m && !/^0+$/.test(m[1]) ? m[1] : '';
}

