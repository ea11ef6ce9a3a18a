/**
 * Strategic merge patch, the apply half of k8s.io/apimachinery/pkg/util/strategicpatch
 * (StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls, as the apiserver
 * calls it), written by hand: no maintained JavaScript implementation exists.
 *
 * Semantics, as upstream:
 * - maps merge key by key; `null` deletes a key; `$patch: replace` replaces a map, `$patch: delete`
 *   empties it; `$retainKeys` clears the fields it does not list;
 * - lists whose field has patchStrategy `merge` merge by `patchMergeKey` (lists of maps) or as a
 *   set (lists of scalars), with `$patch: delete` / `$patch: replace` items,
 *   `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` (what `kubectl apply`
 *   sends); every other list is replaced whole;
 * - merged list order follows smporder.ts, including upstream's quirks.
 *
 * Where upstream leaves patch content for its typed decoder to clean (nulls and directives inside
 * new or replaced values), we clean it here, since kubeq stores the map itself.
 */
import type { PatchSchema } from './patchmeta';
import {
  applyRetainKeys,
  DELETE,
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE,
  effectiveStrategy,
  errBadArgType,
  errBadPatchType,
  extractKey,
  hasOwn,
  kindOf,
  put,
  REPLACE,
  sanitize,
  SET_ELEMENT_ORDER,
  type Json,
  type JsonMap,
} from './smpdirectives';
import { elementKind, mergeSliceHandler, sanitizeList, type SliceMerge } from './smplist';
import { checkSetElementOrder, normalizeElementOrder, partition } from './smporder';

export { SmpError, type Json, type JsonMap } from './smpdirectives';

/**
 * Applies `patch` to `original` under `schema`'s merge metadata. Neither input is modified.
 * Throws SmpError; its `status` says how the apiserver answers the failure.
 */
export function strategicMergePatch(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  return mergeMap(structuredClone(original), structuredClone(patch), schema);
}

/** Merges `patch` into `original` in place (both are consumed) and returns the result. */
function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (hasOwn(patch, DIRECTIVE)) return mapDirective(patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);
  for (const key of Object.keys(patch)) mergeField(original, key, patch[key], schema);
  return original;
}

function mapDirective(patch: JsonMap): JsonMap {
  const directive = patch[DIRECTIVE];
  if (directive === DELETE) return {};
  if (directive !== REPLACE) throw errBadPatchType(directive, patch);
  delete patch[DIRECTIVE];
  return sanitize(patch) as JsonMap;
}

function mergeField(original: JsonMap, rawKey: string, patchValue: Json, schema: PatchSchema): void {
  const isDeleteList = rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
  const key = isDeleteList ? extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST) : rawKey;
  if (patchValue === null) {
    delete original[key];
    return;
  }
  const current = hasOwn(original, key) ? original[key] : undefined;
  const kind = kindOf(patchValue);
  if (current === undefined || kindOf(current) !== kind) {
    if (!isDeleteList) putClean(original, key, patchValue);
    return;
  }
  if (kind === 'scalar') {
    put(original, key, patchValue);
    return;
  }
  const { schema: sub, meta } = schema.lookup(key);
  const strategy = effectiveStrategy(meta.strategies);
  if (kind === 'map') {
    if (strategy === REPLACE) putClean(original, key, patchValue);
    else put(original, key, mergeMap(current as JsonMap, patchValue as JsonMap, sub));
    return;
  }
  put(original, key, mergeSliceHandler(current as Json[], patchValue as Json[], sub, strategy, meta.mergeKey, isDeleteList, mergeMap).merged);
}

/** Sets patch content that is not merged; a value that cleans away removes the key. */
function putClean(map: JsonMap, key: string, value: Json): void {
  const clean = sanitize(value);
  if (clean === undefined) delete map[key];
  else put(map, key, clean);
}

/**
 * `$setElementOrder/<field>` (upstream mergePatchIntoOriginal): merges the field's patch list,
 * if any, into the live list and orders the result. Consumes the directive and the list.
 */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('slice', order);
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const live = listAt(original, field);
    const patched = listAt(patch, field);
    const { schema: sub, meta } = schema.lookup(field);
    const strategy = effectiveStrategy(meta.strategies);
    checkSetElementOrder(patched ?? [], order, meta.mergeKey);
    const result = mergeForOrder(live, patched, (l, p) => mergeSliceHandler(l, p, sub, strategy, meta.mergeKey, false, mergeMap));
    if (!result) continue;
    put(original, field, orderBy(result, order, patched ?? [], meta.mergeKey));
    delete patch[field];
  }
}

function mergeForOrder(live: Json[] | undefined, patched: Json[] | undefined, merge: (live: Json[], patched: Json[]) => SliceMerge): SliceMerge | undefined {
  if (live && patched) return merge(live, patched);
  if (live) return { merged: live, observedLive: live };
  if (patched) return { merged: sanitizeList(patched), observedLive: [] };
  return undefined;
}

/** Puts the items `$setElementOrder` names in its order and interleaves the server-only rest. */
function orderBy({ merged, observedLive }: SliceMerge, order: Json[], patched: Json[], mergeKey: string): Json[] {
  // Upstream fails with "no elements in any of the given slices" here; an empty result is kept.
  if (observedLive.length === 0 && patched.length === 0) return merged;
  const [named, serverOnly] = partition(merged, order, mergeKey);
  return normalizeElementOrder(named, serverOnly, order, observedLive, mergeKey, elementKind(observedLive, patched));
}

/** The list under `field`, undefined when absent; anything else there is an error, as upstream. */
function listAt(map: JsonMap, field: string): Json[] | undefined {
  if (!hasOwn(map, field)) return undefined;
  const value = map[field];
  if (!Array.isArray(value)) throw errBadArgType('slice', value);
  return value;
}
