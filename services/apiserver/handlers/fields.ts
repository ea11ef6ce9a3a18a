import type { Request, Response } from 'express';
import { pruneUnknownFields, unknownFields } from '../../../shared/api/schema';
import { badRequest } from '../../../shared/api/status';
import type { KubeObject } from '../../../shared/api/types';

/**
 * `fieldValidation`: Strict refuses unknown fields (400), Warn (the default) drops them and says so
 * in `Warning` headers, Ignore drops them silently — as the apiserver does since 1.27.
 */
export function checkUnknownFields(req: Request, res: Response, obj: KubeObject): void {
  const mode = String(req.query.fieldValidation ?? 'Warn');
  const unknown = unknownFields(obj, obj.apiVersion, obj.kind);
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    const version = obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1);
    throw badRequest(`${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  pruneUnknownFields(obj, obj.apiVersion, obj.kind);
  if (mode !== 'Ignore') {
    res.setHeader('Warning', unknown.map((f) => `299 - "unknown field \\"${f}\\""`));
  }
}
