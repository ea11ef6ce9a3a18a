import type { Request, Response } from 'express';
import { apiVersionOf, asServed, type ResourceInfo } from '../../../shared/api/resource';
import { badRequest } from '../../../shared/api/status';
import type { ListOptions } from '../../../shared/store/list';
import type { RequestInfo } from '../request';
import { send, sendObject } from '../respond';
import { includeObjectOf, toTable, wantsTable } from '../table';
import type { ApiContext } from './context';

export function listOptions(req: Request, namespace: string | undefined): ListOptions {
  const limitRaw = req.query.limit;
  const limit = limitRaw === undefined ? undefined : Number(limitRaw);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`invalid limit: ${String(limitRaw)}`);
  return {
    namespace,
    labelSelector: req.query.labelSelector === undefined ? undefined : String(req.query.labelSelector),
    fieldSelector: req.query.fieldSelector === undefined ? undefined : String(req.query.fieldSelector),
    limit,
    continue: req.query.continue === undefined ? undefined : String(req.query.continue),
  };
}

export async function getObject(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const obj = await ctx.store.getOrThrow(info.resource, r.namespace, r.name!);
  sendObject(req, res, 200, info, obj);
}

export async function listObjects(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const result = await ctx.store.list(info.resource, listOptions(req, r.namespace));
  const metadata = { resourceVersion: result.resourceVersion, ...(result.continue ? { continue: result.continue } : {}) };
  if (wantsTable(req)) {
    send(req, res, 200, toTable(info, result.items, includeObjectOf(req), metadata));
    return;
  }
  send(req, res, 200, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata, items: result.items.map((o) => asServed(info, o)) });
}
