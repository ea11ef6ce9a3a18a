import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { lookupKind } from '../../shared/api/registry';
import { asStored } from '../../shared/api/resource';
import { badRequest, isStatusError, StatusError, unauthorized } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import { currentTraceparent } from '../../shared/tracing/propagation';
import { invalidPacketRequest, sendPacket, type PacketRequest } from '../../shared/netstate/packets';
import { withSpan } from '../../shared/tracing/tracer';
import { mediaType, parseJson, parseYamlDocuments } from './codec';
import { admitCreate } from './handlers/admission';
import type { ApiContext } from './handlers/context';
import { toStatusError } from './respond';

/**
 * `POST /webhooks/apply`: one or many manifests (multi-document YAML, a JSON object or a List),
 * each created or updated; answers 202 with one result per object and the trace id. With
 * KUBEQ_WEBHOOK_SECRET set, the body must carry `X-Kubeq-Signature-256: sha256=<hex HMAC>`.
 * A repeated `X-Kubeq-Delivery` id is answered with the first delivery's results, not applied again.
 */

export interface ApplyResult {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  action?: 'created' | 'configured' | 'unchanged';
  resourceVersion?: string;
  error?: ReturnType<StatusError['toStatus']>;
}

const DELIVERY_TTL_SECONDS = 24 * 3600;

export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!m) return false;
  const want = createHmac('sha256', secret).update(body).digest();
  const got = Buffer.from(m[1], 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

export function manifestsOf(req: Request): KubeObject[] {
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const type = mediaType(req);
  const docs = type === 'application/json' ? [parseJson(text)] : parseYamlDocuments(text);
  const out: KubeObject[] = [];
  for (const doc of docs) {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw badRequest('each manifest must be an object');
    const obj = doc as KubeObject;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) out.push(...(obj.items as KubeObject[]));
    else out.push(obj);
  }
  if (out.length === 0) throw badRequest('no manifests in the body');
  return out;
}

async function applyOne(ctx: ApiContext, obj: KubeObject): Promise<ApplyResult> {
  const result: ApplyResult = { kind: String(obj?.kind ?? ''), apiVersion: String(obj?.apiVersion ?? ''), namespace: obj?.metadata?.namespace, name: String(obj?.metadata?.name ?? '') };
  try {
    if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object') throw badRequest('Object \'metadata\' is missing');
    const info = lookupKind(String(obj.apiVersion), String(obj.kind));
    if (!info) throw badRequest(`no matches for kind "${String(obj.kind)}" in version "${String(obj.apiVersion)}"`);
    if (info.namespaced) obj.metadata.namespace ??= 'default';
    else delete obj.metadata.namespace;
    result.namespace = obj.metadata.namespace;
    const name = obj.metadata.name;
    const existing = name ? await ctx.store.get(info.resource, obj.metadata.namespace, name) : undefined;
    if (!existing) {
      await admitCreate(ctx.store, info, obj.metadata.namespace, name ?? '');
      const made = await ctx.store.create(info.resource, asStored(info, obj));
      return { ...result, name: made.metadata.name!, action: 'created', resourceVersion: made.metadata.resourceVersion };
    }
    const next = { ...obj, metadata: { ...existing.metadata, labels: obj.metadata.labels, annotations: obj.metadata.annotations } };
    if (obj.metadata.finalizers) next.metadata.finalizers = obj.metadata.finalizers;
    delete next.metadata.resourceVersion;
    const updated = await ctx.store.update(info.resource, asStored(info, next));
    const action = updated.metadata.resourceVersion === existing.metadata.resourceVersion ? 'unchanged' : 'configured';
    return { ...result, action, resourceVersion: updated.metadata.resourceVersion };
  } catch (err) {
    return { ...result, error: toStatusError(err).toStatus() };
  }
}

/** Namespaces first, so a manifest set can create its namespace and its content in one call. */
function applyOrder(objs: KubeObject[]): KubeObject[] {
  return [...objs.filter((o) => o?.kind === 'Namespace'), ...objs.filter((o) => o?.kind !== 'Namespace')];
}

export async function applyWebhook(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (ctx.webhookSecret && !verifySignature(ctx.webhookSecret, raw, req.header('x-kubeq-signature-256'))) throw unauthorized();
  const delivery = req.header('x-kubeq-delivery');
  const deliveryKey = delivery ? `${ctx.prefix}:webhook:delivery:${delivery}` : undefined;
  if (deliveryKey) {
    const first = await ctx.redis.set(deliveryKey, '', 'EX', DELIVERY_TTL_SECONDS, 'NX');
    if (first !== 'OK') {
      const earlier = await ctx.redis.get(deliveryKey);
      if (!earlier) throw new StatusError(409, 'Conflict', `delivery ${delivery} is being applied`);
      res.status(200).json({ ...JSON.parse(earlier), duplicate: true });
      return;
    }
  }
  try {
    const body = await withSpan('webhook apply', { attributes: { 'kubeq.webhook.delivery': delivery ?? '' } }, async () => {
      const traceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
      const results: ApplyResult[] = [];
      for (const obj of applyOrder(manifestsOf(req))) results.push(await applyOne(ctx, obj));
      return { kind: 'ApplyResult', apiVersion: 'kubeq.io/v1', traceId, results };
    });
    if (deliveryKey) await ctx.redis.set(deliveryKey, JSON.stringify(body), 'EX', DELIVERY_TTL_SECONDS);
    res.status(202).json(body);
  } catch (err) {
    if (deliveryKey) await ctx.redis.del(deliveryKey);
    if (isStatusError(err)) throw err;
    throw toStatusError(err);
  }
}

/**
 * `POST /webhooks/packets` `{"from": "<ns>/<pod>", "to": "<host>:<port>", "count": 1}`: sends
 * simulated packets through the proxy role and answers with every hop, who served each packet
 * and the trace id (200), 400 for a malformed request, 504 when no proxy answers in time.
 * Authenticated as /webhooks/apply is (bearer token, or the signature when a secret is set).
 */
export async function packetsWebhook(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (ctx.webhookSecret && !verifySignature(ctx.webhookSecret, raw, req.header('x-kubeq-signature-256'))) throw unauthorized();
  let request: PacketRequest;
  try {
    request = JSON.parse(raw.toString('utf8')) as PacketRequest;
  } catch {
    throw new StatusError(400, 'BadRequest', 'the request body is not JSON: send {"from": "<namespace>/<pod>", "to": "<host>:<port>"}');
  }
  const problem = invalidPacketRequest(request ?? {});
  if (problem) throw new StatusError(400, 'BadRequest', problem);
  const result = await withSpan('webhook packets', { attributes: { 'kubeq.packet.from': request.from, 'kubeq.packet.to': request.to } }, () =>
    sendPacket(ctx.redis, ctx.store.keys.prefix, { from: request.from, to: request.to, count: request.count, protocol: request.protocol, bytes: request.bytes }, currentTraceparent()),
  );
  if (!result) throw new StatusError(504, 'Timeout', 'no proxy answered in time: is the proxy role running?');
  if (result.error) throw new StatusError(404, 'NotFound', result.error);
  res.status(200).json({ kind: 'PacketResult', apiVersion: 'kubeq.io/v1', ...result });
}
