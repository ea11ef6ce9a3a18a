/**
 * Merging two lists under the `merge` patch strategy (strategicpatch mergeSlice): scalars as a
 * set, maps by merge key with `$patch: delete` / `$patch: replace` items, and the parallel
 * `$deleteFromPrimitiveList` list.
 */
import { goFormat, goTypeName } from './gofmt';
import type { PatchSchema } from './patchmeta';
import {
  DELETE,
  DIRECTIVE,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
  hasOwn,
  identity,
  isMap,
  MERGE,
  REPLACE,
  sanitize,
  unknownError,
  type Json,
  type JsonMap,
} from './smpdirectives';
import { normalizeElementOrder, partition, type ItemKind } from './smporder';

/** The map merge, passed in to keep this module free of an import cycle with smp.ts. */
export type MergeMap = (original: JsonMap, patch: JsonMap, schema: PatchSchema) => JsonMap;

export interface SliceMerge {
  readonly merged: Json[];
  /**
   * The live list as upstream's `$setElementOrder` step sees it after this merge. Upstream
   * deletes `$patch: delete` items by shifting the live list down inside its own backing array
   * and then appends new items into the freed slots, so that step orders server-only items
   * against "survivors, then the first k new items" (k = items deleted), not the original list.
   */
  readonly observedLive: Json[];
}

/** A list field: merged under `merge` (or as a deletion list), otherwise replaced by the patch. */
export function mergeSliceHandler(original: Json[], patch: Json[], schema: PatchSchema, strategy: string, mergeKey: string, isDeleteList: boolean, mergeMap: MergeMap): SliceMerge {
  if (strategy === MERGE || isDeleteList) return mergeSlice(original, patch, schema, mergeKey, isDeleteList, mergeMap);
  return { merged: sanitizeList(patch), observedLive: original };
}

function mergeSlice(original: Json[], patch: Json[], schema: PatchSchema, mergeKey: string, isDeleteList: boolean, mergeMap: MergeMap): SliceMerge {
  if (original.length === 0 && patch.length === 0) return { merged: original, observedLive: original };
  if (elementKind(original, patch) === 'scalar') return mergeScalars(original, patch, mergeKey, isDeleteList);
  if (!mergeKey) throw unknownError(`cannot merge lists without merge key for ${schema.name}`);
  return mergeMaps(original, patch, schema, mergeKey, mergeMap);
}

function mergeScalars(original: Json[], patch: Json[], mergeKey: string, isDeleteList: boolean): SliceMerge {
  if (isDeleteList) {
    const drop = new Set(patch.map(identity));
    return { merged: original.filter((item) => !drop.has(identity(item))), observedLive: original };
  }
  const merged = dedupe([...original, ...patch]);
  const [inPatch, serverOnly] = partition(merged, patch, mergeKey);
  return { merged: normalizeElementOrder(inPatch, serverOnly, patch, original, mergeKey, 'scalar'), observedLive: original };
}

function mergeMaps(original: Json[], patch: Json[], schema: PatchSchema, mergeKey: string, mergeMap: MergeMap): SliceMerge {
  const { survivors, rest, replace } = applySpecialItems(original, patch, mergeKey);
  if (replace) {
    const [, list] = partition(rest, [], mergeKey);
    return { merged: sanitizeList(normalizeElementOrder([], list, [], rest, mergeKey, 'map')), observedLive: survivors };
  }
  const merged = [...survivors];
  const added: Json[] = [];
  for (const item of rest as JsonMap[]) {
    if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const at = findByKey(merged, mergeKey, item[mergeKey]);
    if (at >= 0) {
      merged[at] = mergeMap(merged[at] as JsonMap, item, schema);
    } else {
      const clean = sanitize(item) ?? {};
      merged.push(clean);
      added.push(clean);
    }
  }
  const [inPatch, serverOnly] = partition(merged, rest, mergeKey);
  const ordered = normalizeElementOrder(inPatch, serverOnly, rest, survivors, mergeKey, 'map');
  return { merged: ordered, observedLive: [...survivors, ...added.slice(0, original.length - survivors.length)] };
}

/**
 * Upstream mergeSliceWithSpecialElements: applies `$patch: delete` items to the live list and
 * notes `$patch: replace`; returns the live survivors and the patch items without directives.
 */
function applySpecialItems(original: Json[], patch: Json[], mergeKey: string): { survivors: Json[]; rest: Json[]; replace: boolean } {
  let survivors = original;
  let replace = false;
  const rest: Json[] = [];
  for (const item of patch as JsonMap[]) {
    if (!hasOwn(item, DIRECTIVE)) {
      rest.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === DELETE) {
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const doomed = identity(item[mergeKey]);
      survivors.forEach((live, i) => {
        if (!isMap(live)) throw unknownError(`value for key ${i} is not a map`);
      });
      survivors = survivors.filter((live) => !(hasOwn(live as JsonMap, mergeKey) && identity((live as JsonMap)[mergeKey]) === doomed));
    } else if (directive === REPLACE) {
      replace = true;
    } else if (directive === MERGE) {
      throw unknownError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  return { survivors, rest, replace };
}

function findByKey(list: Json[], mergeKey: string, value: Json): number {
  const wanted = identity(value);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isMap(item)) throw unknownError(`value for key ${i} is not a map`);
    if (hasOwn(item, mergeKey) && identity(item[mergeKey]) === wanted) return i;
  }
  return -1;
}

/**
 * Upstream sliceElementType: every element of every list has the same Go type, and it is not a
 * list. Answers whether items are maps (matched by merge key) or scalars (matched by value).
 */
export function elementKind(...lists: Json[][]): ItemKind {
  let first: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeName(item);
      if (first === undefined) {
        first = type;
        if (Array.isArray(item)) throw errNoListOfLists();
      } else if (type !== first) {
        throw unknownError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (first === undefined) throw unknownError('no elements in any of the given slices');
  return first === 'map[string]interface {}' ? 'map' : 'scalar';
}

/** Patch list content kept as it is, cleaned of directives and nulls. */
export function sanitizeList(list: Json[]): Json[] {
  return sanitize(list) as Json[];
}

function dedupe(list: Json[]): Json[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const id = identity(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
