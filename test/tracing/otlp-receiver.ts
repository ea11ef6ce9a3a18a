import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One POST the receiver got; `json` is set for `application/json` bodies (protobuf stays raw). */
export interface OtlpRequest {
  path: string;
  contentType: string;
  body: Buffer;
  json?: { resourceSpans?: ResourceSpans[] };
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}
interface ResourceSpans {
  resource?: { attributes?: KeyValue[] };
  scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: KeyValue[];
}

/** A span with its resource and scope, attributes as plain values. */
export interface ReceivedSpan {
  resource: Record<string, unknown>;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** A minimal OTLP/HTTP collector: answers every POST /v1/traces with 200 `{}`, as Jaeger's receiver does. */
export async function startOtlpReceiver() {
  const requests: OtlpRequest[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const contentType = String(req.headers['content-type'] ?? '');
      const request: OtlpRequest = { path: req.url ?? '', contentType, body };
      if (contentType.startsWith('application/json')) request.json = JSON.parse(body.toString('utf8')) as OtlpRequest['json'];
      requests.push(request);
      res.writeHead(req.method === 'POST' && req.url === '/v1/traces' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    spans: (): ReceivedSpan[] => requests.flatMap((r) => flatten(r.json?.resourceSpans ?? [])),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

function flatten(resourceSpans: ResourceSpans[]): ReceivedSpan[] {
  return resourceSpans.flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        resource: values(rs.resource?.attributes),
        scope: ss.scope?.name ?? '',
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId || undefined,
        name: s.name,
        kind: s.kind,
        attributes: values(s.attributes),
      })),
    ),
  );
}

/** OTLP AnyValue → plain value (`{ stringValue: 'x' }` → `'x'`; intValue arrives as a number or a string). */
function values(kvs: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((kvs ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}
