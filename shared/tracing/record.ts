import { SpanKind, SpanStatusCode, type Attributes, type AttributeValue, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** One finished span as the Redis sink keeps it: small, JSON, readable without the SDK. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Absent for a root span. The parent may live in another process (remote parent). */
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** `service.name` of the process that recorded the span (`kubeq-scheduler`). */
  service: string;
  /** Unix milliseconds with microsecond precision. */
  startMs: number;
  endMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  attributes: Attributes;
  links: SpanLinkRecord[];
}

export interface SpanLinkRecord {
  traceId: string;
  spanId: string;
  attributes?: Attributes;
}

/** String attribute values longer than this are cut (with `…`) so one span cannot bloat the sink. */
export const MAX_ATTRIBUTE_LENGTH = 512;

const KIND: Record<SpanKind, SpanRecord['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const STATUS: Record<SpanStatusCode, SpanRecord['status']> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};

export function toSpanRecord(span: ReadableSpan, service: string): SpanRecord {
  const ctx = span.spanContext();
  const record: SpanRecord = {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: KIND[span.kind] ?? 'internal',
    service,
    startMs: hrTimeToMs(span.startTime),
    endMs: hrTimeToMs(span.endTime),
    status: STATUS[span.status.code] ?? 'unset',
    statusMessage: span.status.message || undefined,
    attributes: compactAttributes(span.attributes),
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: l.attributes && Object.keys(l.attributes).length ? compactAttributes(l.attributes) : undefined,
    })),
  };
  return record;
}

/** Unix ms, rounded to the microsecond (exact in a double until the year 2255). */
export function hrTimeToMs([seconds, nanos]: HrTime): number {
  return Math.round(seconds * 1e6 + nanos / 1e3) / 1e3;
}

function compactAttributes(attrs: Attributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined) out[k] = truncate(v);
  }
  return out;
}

function truncate(v: AttributeValue): AttributeValue {
  return typeof v === 'string' && v.length > MAX_ATTRIBUTE_LENGTH ? `${v.slice(0, MAX_ATTRIBUTE_LENGTH)}…` : v;
}

/** Parses one stored record; undefined when it is not a record (foreign or corrupt entry). */
export function parseSpanRecord(raw: string): SpanRecord | undefined {
  try {
    const r = JSON.parse(raw) as Partial<SpanRecord>;
    if (typeof r.traceId !== 'string' || typeof r.spanId !== 'string' || typeof r.name !== 'string') return undefined;
    return { ...r, attributes: r.attributes ?? {}, links: r.links ?? [] } as SpanRecord;
  } catch {
    return undefined;
  }
}
