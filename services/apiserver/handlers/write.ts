import type { Request, Response } from 'express';
import { applyPatch } from '../../../shared/api/patch';
import { asServed, asStored, type ResourceInfo } from '../../../shared/api/resource';
import { badRequest, StatusError } from '../../../shared/api/status';
import type { KubeObject } from '../../../shared/api/types';
import type { DeleteOptions } from '../../../shared/store/store';
import { decodeObject, mediaType, parseJson } from '../codec';
import type { RequestInfo } from '../request';
import { send, sendObject } from '../respond';
import { admitCreate, admitDelete } from './admission';
import type { ApiContext } from './context';
import { checkUnknownFields } from './fields';
import { listOptions } from './read';

function asObject(body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  const obj = body as KubeObject;
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw badRequest('metadata must be an object');
  }
  obj.metadata ??= {};
  return obj;
}

/** The body's namespace must be empty or the request's (Kubernetes' wording). */
function checkNamespace(info: ResourceInfo, obj: KubeObject, r: RequestInfo): void {
  if (!info.namespaced) return;
  if (obj.metadata.namespace && obj.metadata.namespace !== r.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = r.namespace;
}

/** `dryRun=All` (what `kubectl --dry-run=server` sends): every check, no write. */
export function dryRunOf(req: Request): boolean {
  const raw = req.query.dryRun;
  if (raw === undefined || raw === '') return false;
  const values = (Array.isArray(raw) ? raw : [raw]).map(String);
  const bad = values.find((v) => v !== 'All');
  if (bad !== undefined) throw badRequest(`dryRun: Unsupported value: "${bad}": supported values: "All"`);
  return true;
}

function fillTypeMeta(info: ResourceInfo, obj: KubeObject): void {
  obj.apiVersion ??= info.group ? `${info.group}/${info.version}` : info.version;
  obj.kind ??= info.kind;
}

export async function createObject(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  if (info.namespaced && !r.namespace) throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const obj = asObject(decodeObject(req));
  fillTypeMeta(info, obj);
  checkNamespace(info, obj, r);
  checkUnknownFields(req, res, obj);
  await admitCreate(ctx.store, info, r.namespace, obj.metadata.name ?? '');
  const made = await ctx.store.create(info.resource, asStored(info, obj), { dryRun: dryRunOf(req) });
  sendObject(req, res, 201, info, made);
}

export async function updateObject(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const obj = asObject(decodeObject(req));
  fillTypeMeta(info, obj);
  checkNamespace(info, obj, r);
  if (obj.metadata.name && obj.metadata.name !== r.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${r.name})`);
  obj.metadata.name = r.name;
  checkUnknownFields(req, res, obj);
  const updated = await ctx.store.update(info.resource, asStored(info, obj), r.subresource === 'status' ? 'status' : 'main', { dryRun: dryRunOf(req) });
  sendObject(req, res, 200, info, updated);
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export function readPatch(req: Request): { type: string; patch: unknown } {
  const type = mediaType(req);
  if (!PATCH_TYPES.includes(type)) {
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  return { type, patch: parseJson(text) };
}

export async function patchObject(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const { type, patch } = readPatch(req);
  const dryRun = dryRunOf(req);
  const target = r.subresource === 'status' ? 'status' : 'main';
  const patched = await ctx.store.guaranteedUpdate(info.resource, r.namespace, r.name!, (current) => {
    // The patch applies to the object as the request's version shows it.
    const next = applyPatch(asServed(info, current), patch, type);
    const wanted = next.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${info.group ? `${info.resource}.${info.group}` : info.resource} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    checkUnknownFields(req, res, next);
    return asStored(info, next);
  }, target, { dryRun });
  sendObject(req, res, 200, info, patched);
}

function deleteOptions(req: Request): DeleteOptions {
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8').trim() : '';
  const body = (text ? parseJson(text) : {}) as Record<string, any>;
  const grace = req.query.gracePeriodSeconds ?? body.gracePeriodSeconds;
  const policy = String(req.query.propagationPolicy ?? body.propagationPolicy ?? (body.orphanDependents === true ? 'Orphan' : 'Background'));
  if (!['Background', 'Foreground', 'Orphan'].includes(policy)) throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  const gracePeriodSeconds = grace === undefined || grace === null ? undefined : Number(grace);
  if (gracePeriodSeconds !== undefined && (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0)) throw badRequest(`invalid gracePeriodSeconds: ${String(grace)}`);
  return { gracePeriodSeconds, propagationPolicy: policy as DeleteOptions['propagationPolicy'], preconditions: body.preconditions, dryRun: dryRunOf(req) };
}

export async function deleteObject(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  admitDelete(info, r.name!);
  const result = await ctx.store.delete(info.resource, r.namespace, r.name!, deleteOptions(req));
  sendObject(req, res, 200, info, result.object);
}

export async function deleteCollection(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const opts = deleteOptions(req);
  const { items, resourceVersion } = await ctx.store.list(info.resource, { ...listOptions(req, r.namespace), limit: undefined, continue: undefined });
  const deleted: KubeObject[] = [];
  for (const obj of items) {
    if (info.resource === 'namespaces') admitDelete(info, obj.metadata.name!);
    try {
      deleted.push((await ctx.store.delete(info.resource, obj.metadata.namespace, obj.metadata.name!, opts)).object);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  send(req, res, 200, { kind: info.listKind, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, metadata: { resourceVersion }, items: deleted.map((o) => asServed(info, o)) });
}
