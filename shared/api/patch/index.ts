/**
 * PATCH for API objects: the three patch flavours the Kubernetes apiserver accepts for built-in
 * kinds (k8s.io/apiserver/pkg/endpoints/handlers/patch.go), with its status codes and wording.
 *
 * - `application/json-patch+json`: RFC 6902 (`kubectl patch --type json`);
 * - `application/merge-patch+json`: RFC 7386 (`kubectl patch --type merge`);
 * - `application/strategic-merge-patch+json`: Kubernetes' strategic merge (`kubectl apply` on an
 *   existing object, `kubectl patch`, `scale`, `label`, `annotate`). Only for kinds with a schema;
 *   custom resources answer 415, as upstream.
 *
 * Server-side apply (`application/apply-patch+yaml`) is not implemented and answers 415.
 */
import { badRequest, invalid } from '../status';
import type { KubeObject } from '../types';
import { patchRejected, unsupportedMediaType, UnknownServerError } from './errors';
import { unmarshalTypeError } from './gofmt';
import { decodeBody, GoJsonSyntaxError } from './gojson';
import { applyJsonPatch, decodeJsonPatch } from './jsonpatch';
import { applyMergePatchTo, decodeMergePatch } from './mergepatch';
import { schemaForKind, type PatchSchema } from './patchmeta';
import { SmpError, strategicMergePatch, type JsonMap } from './smp';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** Patch media types kubeq accepts for a kind; strategic merge needs the kind's schema. */
export function acceptedPatchTypes(hasSchema: boolean): string[] {
  return hasSchema ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH] : [JSON_PATCH, MERGE_PATCH];
}

/**
 * Applies a PATCH request body to `original` and returns the patched object; `original` is never
 * modified. `patch` is the raw body (string or bytes) or an already-decoded JSON value.
 * `contentType` is the request's Content-Type; parameters after `;` are ignored.
 *
 * Error wording is the apiserver's under its default `fieldValidation=Warn`, which decodes the
 * body strictly (hence `error decoding patch: ...` for JSON and merge patches).
 *
 * Throws StatusError: 415 for other media types, 400 for bodies that do not decode, 413 for more
 * than 10000 JSON patch operations, 422 for JSON patches that do not apply, and 400/422/500 for
 * strategic merge failures as upstream answers them. Validation of the result (unknown fields,
 * immutable fields, name and namespace) is the caller's.
 */
export function applyPatch(original: KubeObject, patch: unknown, contentType: string): KubeObject {
  const mediaType = contentType.split(';')[0];
  const schema = schemaForKind(original.apiVersion, original.kind);
  const accepted = acceptedPatchTypes(schema !== undefined);
  const doc = original as unknown as JsonMap;
  if (mediaType === JSON_PATCH) return finish(original, applyJsonPatch(doc, decodeJsonPatch(decode(patch, 'error decoding patch: '))));
  if (mediaType === MERGE_PATCH) return finish(original, applyMergePatchTo(doc, decodeMergePatch(decode(patch, 'error decoding patch: '))));
  if (mediaType === STRATEGIC_MERGE_PATCH && schema) return finish(original, strategic(doc, decode(patch, ''), schema));
  throw unsupportedMediaType(accepted);
}

/** Decodes the body; a syntax error is a 400 with Go's wording after `prefix`. */
function decode(body: unknown, prefix: string): unknown {
  try {
    return decodeBody(body);
  } catch (err) {
    if (err instanceof GoJsonSyntaxError) throw badRequest(`${prefix}${err.message}`);
    throw err;
  }
}

function strategic(doc: JsonMap, body: unknown, schema: PatchSchema): JsonMap {
  if (body === null) return structuredClone(doc);
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(unmarshalTypeError(body, 'map[string]interface {}'));
  try {
    return strategicMergePatch(doc, body as JsonMap, schema);
  } catch (err) {
    if (!(err instanceof SmpError)) throw err;
    if (err.status === 'BadRequest') throw badRequest(err.message);
    if (err.status === 'Invalid') throw patchRejected(err.message);
    throw new UnknownServerError(err.message);
  }
}

/**
 * What the apiserver's typed decode of the patched document guarantees: apiVersion and kind
 * (removed ones come back from the original) and an object under `metadata`.
 */
function finish(original: KubeObject, patched: JsonMap): KubeObject {
  const out = patched as unknown as KubeObject;
  if (out.apiVersion === undefined || out.apiVersion === null) out.apiVersion = original.apiVersion;
  if (out.kind === undefined || out.kind === null) out.kind = original.kind;
  if (out.metadata === undefined || out.metadata === null) out.metadata = {};
  if (typeof out.metadata !== 'object' || Array.isArray(out.metadata)) {
    const why = unmarshalTypeError(out.metadata, 'v1.ObjectMeta', `${original.kind}.metadata`);
    throw invalid('', '', '', [{ field: 'patch', type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(JSON.stringify(patched))}: ${why}` }]);
  }
  return out;
}

export { strategicMergePatch, SmpError, type Json, type JsonMap } from './smp';
export { literalSchema, schemaForKind, OPAQUE_SCHEMA, type PatchSchema, type FieldLookup, type SchemaSpec } from './patchmeta';
export { BUILTIN_PATCH_META, type FieldPatchMeta } from './mergekeys';
export { UnknownServerError } from './errors';
