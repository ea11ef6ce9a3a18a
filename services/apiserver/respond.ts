import type { Request, Response } from 'express';
import { asServed, type ResourceInfo } from '../../shared/api/resource';
import { internalError, isStatusError, StatusError, type Status } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import { encode, negotiate, tooLarge } from './codec';
import { includeObjectOf, toTable, wantsTable } from './table';

/** Sends an API body in the encoding the client asked for. */
export function send(req: Request, res: Response, code: number, body: unknown): void {
  let encoding: 'json' | 'yaml' = 'json';
  try {
    encoding = negotiate(req);
  } catch (err) {
    if (!isStatusError(err)) throw err;
    body = err.toStatus();
    code = err.code;
  }
  const { type, text } = encode(body, encoding);
  res.status(code).type(type).send(text);
}

/** Sends one object, or a one-row Table when kubectl asked for a Table. */
export function sendObject(req: Request, res: Response, code: number, info: ResourceInfo, obj: KubeObject): void {
  if (wantsTable(req)) send(req, res, code, toTable(info, [obj], includeObjectOf(req), { resourceVersion: obj.metadata.resourceVersion }));
  else send(req, res, code, asServed(info, obj));
}

export function toStatusError(err: unknown): StatusError {
  if (isStatusError(err)) return err;
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large' || e?.status === 413) return tooLarge();
  return internalError(err);
}

export function sendError(req: Request, res: Response, err: unknown): void {
  const status: Status = toStatusError(err).toStatus();
  if (status.code >= 500) console.error(`apiserver: ${req.method} ${req.originalUrl}:`, err);
  if (res.headersSent) {
    res.end();
    return;
  }
  send(req, res, status.code, status);
}
