import type { Request } from 'express';
import YAML from 'yaml';
import { badRequest, StatusError } from '../../shared/api/status';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf';

/** Request bodies in, response bodies out: JSON and YAML, with Kubernetes' errors for bad input. */

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Deeper documents are refused before anything walks them recursively. */
const MAX_DEPTH = 100;

export function tooLarge(): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);
}

export function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Drops `__proto__` keys and refuses documents nested deeper than MAX_DEPTH. */
export function sanitize(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw badRequest(`the object is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (const v of value) sanitize(v, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(rec, '__proto__')) delete rec.__proto__;
    for (const k of Object.keys(rec)) sanitize(rec[k], depth + 1);
  }
  return value;
}

export function parseJson(text: string): unknown {
  try {
    return sanitize(JSON.parse(text));
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

/** All documents of a YAML stream (empty ones skipped). */
export function parseYamlDocuments(text: string): unknown[] {
  const docs = YAML.parseAllDocuments(text);
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw badRequest(`error converting YAML to JSON: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: 50 }) as unknown;
    if (value !== null && value !== undefined) out.push(sanitize(value));
  }
  return out;
}

/** The body of a create or update: one object, as JSON, YAML or (for the kinds protobuf.ts knows) protobuf. */
export function decodeObject(req: Request): unknown {
  const type = mediaType(req);
  if (type === PROTOBUF_MEDIA_TYPE) return sanitize(decodeProtobufObject(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)));
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (text.trim() === '') throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  if (type === 'application/json' || type === '' || type === '*/*') return parseJson(text);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    const docs = parseYamlDocuments(text);
    if (docs.length !== 1) throw badRequest(`error converting YAML to JSON: expected exactly one document, got ${docs.length}`);
    return docs[0];
  }
  throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
}

export type Encoding = 'json' | 'yaml';

/** What the client accepts: JSON (the default), YAML; 406 for anything we cannot produce. */
export function negotiate(req: Request): Encoding {
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (accept === '') return 'json';
  for (const part of accept.split(',')) {
    const type = part.split(';')[0].trim();
    if (type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/json-seq') return 'json';
    if (type === 'application/yaml') return 'yaml';
  }
  throw new StatusError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml`);
}

export function encode(body: unknown, encoding: Encoding): { type: string; text: string } {
  return encoding === 'yaml' ? { type: 'application/yaml', text: YAML.stringify(body) } : { type: 'application/json', text: JSON.stringify(body) };
}
