import type { Redis } from 'ioredis';
import { lastTraceIdFor, readTrace, type SpanRecord } from '../shared/tracing/sink';

/**
 * `kubeq trace <target>`: the trace of the last change to an object, read from the Redis span
 * sink and printed as a tree. `target` is `<resource>/<ns>/<name>`, `<resource>/<name>` (cluster-
 * scoped, else tried in namespace `default`) or a 32-hex trace id. Resources may be written as
 * kubectl does (`deploy`, `pod`, `svc`). Throws an Error saying why when nothing is found.
 */
export async function renderTrace(redis: Redis, prefix: string, target: string): Promise<string> {
  const { traceId, label } = await resolveTarget(redis, prefix, target.trim());
  const spans = await readTrace(redis, prefix, traceId);
  if (!spans.length) {
    throw new Error(`trace ${traceId}${label ? ` (last change to ${label})` : ''} is not in the span sink: unknown, expired or trimmed (KUBEQ_TRACE_SINK_MAX_TRACES)`);
  }
  return formatTrace(traceId, label, spans);
}

const TRACE_ID = /^[\da-f]{32}$/i;

/** kubectl's singular and short names for the resources kubeq serves. */
const ALIASES: Readonly<Record<string, string>> = {
  po: 'pods', pod: 'pods', no: 'nodes', node: 'nodes', ns: 'namespaces', namespace: 'namespaces',
  deploy: 'deployments', deployment: 'deployments', rs: 'replicasets', replicaset: 'replicasets',
  svc: 'services', service: 'services', ep: 'endpoints', endpoint: 'endpoints', endpointslice: 'endpointslices',
  hpa: 'horizontalpodautoscalers', horizontalpodautoscaler: 'horizontalpodautoscalers',
  sts: 'statefulsets', statefulset: 'statefulsets', ds: 'daemonsets', daemonset: 'daemonsets',
  job: 'jobs', cj: 'cronjobs', cronjob: 'cronjobs', cm: 'configmaps', configmap: 'configmaps', lease: 'leases',
};

async function resolveTarget(redis: Redis, prefix: string, target: string): Promise<{ traceId: string; label?: string }> {
  if (TRACE_ID.test(target)) return { traceId: target.toLowerCase() };
  const parts = target.split('/').filter(Boolean);
  if (parts.length < 2 || parts.length > 3) {
    throw new Error(`cannot read ${JSON.stringify(target)}: expected <resource>/<namespace>/<name>, <resource>/<name> or a 32-hex trace id`);
  }
  const resource = ALIASES[parts[0].toLowerCase()] ?? parts[0].toLowerCase();
  const rest = parts.slice(1);
  const candidates = rest.length === 2 ? [`${resource}/${rest.join('/')}`] : [`${resource}/${rest[0]}`, `${resource}/default/${rest[0]}`];
  for (const key of candidates) {
    const traceId = await lastTraceIdFor(redis, prefix, key);
    if (traceId) return { traceId, label: key };
  }
  throw new Error(`no trace recorded for ${candidates.join(' or ')}: the span sink knows objects written or reconciled by roles running with REDIS_URL set, for KUBEQ_TRACE_SINK_TTL_SECONDS`);
}

function formatTrace(traceId: string, label: string | undefined, spans: SpanRecord[]): string {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, SpanRecord[]>();
  const roots: SpanRecord[] = [];
  for (const s of spans) {
    if (s.parentSpanId && byId.has(s.parentSpanId)) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
    else roots.push(s);
  }
  const start = spans[0].startMs;
  const end = Math.max(...spans.map((s) => s.endMs));
  const services = new Set(spans.map((s) => s.service)).size;
  const lines = [`trace ${traceId}${label ? `  ${label}` : ''}  ${plural(spans.length, 'span')}, ${plural(services, 'service')}, ${ms(end - start)} ms`];
  // Depth-first, children by start time (spans arrive sorted), without recursion: traces can be deep.
  const stack = roots.map((span, i) => ({ span, indent: '', last: i === roots.length - 1, top: true })).reverse();
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { span, indent, last, top } = item;
    const glyph = top ? '' : last ? '└─ ' : '├─ ';
    const under = top ? '' : `${indent}${last ? '   ' : '│  '}`;
    lines.push(`${indent}${glyph}${spanLine(span, start)}${top && span.parentSpanId ? '  (parent not recorded)' : ''}`);
    for (const link of span.links) lines.push(`${under}   ↳ ${linkText(link, byId)}`);
    const kids = children.get(span.spanId) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], indent: under, last: i === kids.length - 1, top: false });
  }
  return `${lines.join('\n')}\n`;
}

/** Attributes worth a line: the object (k8s.*, kubeq.*) and what an HTTP span served. */
const SHOWN = /^(k8s\.|kubeq\.|http\.request\.method$|http\.route$|http\.response\.status_code$)/;
const HIDDEN = new Set(['kubeq.resource']);

function spanLine(s: SpanRecord, traceStart: number): string {
  const attrs = Object.entries(s.attributes)
    .filter(([k]) => SHOWN.test(k) && !HIDDEN.has(k))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => `${k}=${value(v)}`);
  const error = s.status === 'error' ? `  ERROR${s.statusMessage ? ` ${JSON.stringify(s.statusMessage)}` : ''}` : '';
  return [`${s.name}  [${s.service}]  ${ms(s.endMs - s.startMs)} ms  +${ms(s.startMs - traceStart)} ms`, ...attrs].join('  ') + error;
}

/** k8s.* first (what the object is), then kubeq.*, then http.*; stable within each group. */
function rank(key: string): number {
  return key.startsWith('k8s.') ? 0 : key.startsWith('kubeq.') ? 1 : 2;
}

function linkText(link: SpanRecord['links'][number], byId: Map<string, SpanRecord>): string {
  const target = byId.get(link.spanId);
  if (target && target.traceId === link.traceId) return `link: ${target.name} [${target.service}]`;
  return `link: trace ${link.traceId} span ${link.spanId}`;
}

function value(v: unknown): string {
  const text = typeof v === 'string' && /^[\w./:@-]+$/.test(v) ? v : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2);
}
