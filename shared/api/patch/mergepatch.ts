/**
 * RFC 7386 JSON merge patch (`application/merge-patch+json`), applied with json-merge-patch the
 * way the apiserver applies it with evanphx/json-patch MergePatch:
 * - the body must decode into an object (400 `error decoding patch: ...`); `null` is
 *   `Invalid JSON Patch` (400);
 * - `null` deletes a key; objects merge recursively; anything else, lists included, replaces;
 * - nulls inside replacing lists' objects are pruned, as evanphx prunes them.
 */
import { apply as applyMergePatch } from 'json-merge-patch';
import { badRequest } from '../status';
import { unmarshalTypeError } from './gofmt';
import type { Json, JsonMap } from './smpdirectives';

/**
 * json-merge-patch stops at these keys (its prototype-pollution guard) and would silently skip
 * the rest of the patch; we refuse such patches instead.
 */
const GUARDED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks a decoded merge patch body. Throws 400 as the apiserver does. */
export function decodeMergePatch(body: unknown): JsonMap {
  if (body === null) throw badRequest('Invalid JSON Patch');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`error decoding patch: ${unmarshalTypeError(body, 'map[string]interface {}')}`);
  }
  const guarded = findGuardedKey(body as Json);
  if (guarded !== undefined) throw badRequest(`error decoding patch: merge patch key ${JSON.stringify(guarded)} is not supported`);
  return body as JsonMap;
}

/** Applies `patch` to a copy of `doc`; neither input is modified. */
export function applyMergePatchTo(doc: JsonMap, patch: JsonMap): JsonMap {
  return applyMergePatch(structuredClone(doc), pruneNullsInLists(patch) as JsonMap);
}

/** evanphx pruneNulls, for the only place json-merge-patch does not already drop them: lists. */
function pruneNullsInLists(value: Json, inList = false): Json {
  if (Array.isArray(value)) return value.map((item) => pruneNullsInLists(item, true));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonMap = {};
  for (const [key, item] of Object.entries(value)) {
    if (inList && item === null) continue;
    Object.defineProperty(out, key, { value: pruneNullsInLists(item, inList), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A guarded key on the merge path (objects only: lists are replaced, never walked). */
function findGuardedKey(value: Json): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (GUARDED_KEYS.has(key)) return key;
    const found = findGuardedKey(item);
    if (found !== undefined) return found;
  }
  return undefined;
}
