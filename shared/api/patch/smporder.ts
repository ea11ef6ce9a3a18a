/**
 * The order of a merged list (strategicpatch normalizeElementOrder and friends; design:
 * "preserve order in strategic merge patch"). Items named by the patch follow the patch's order
 * (or its `$setElementOrder`), items only the server has keep their live order, and the two runs
 * interleave by live position where both items are live. An item the live list lacks goes before
 * the server-only item it is compared with, which is why new items usually come first.
 */
import { DELETE, DIRECTIVE, errBadArgType, errNoMergeKey, hasOwn, identity, isMap, SET_ELEMENT_ORDER, unknownError, type Json } from './smpdirectives';
import { goFormat } from './gofmt';

/** Whether list items are matched by merge key (`map`) or by value. */
export type ItemKind = 'map' | 'scalar';

/** The value that identifies an item: its merge key's value for maps, itself otherwise. */
function itemId(item: Json, mergeKey: string, kind: ItemKind): string {
  if (kind !== 'map') return identity(item);
  return identity(isMap(item) ? item[mergeKey] : null);
}

/** Position of each item in `list`, first occurrence wins (upstream `index`). */
function positions(list: readonly Json[], mergeKey: string, kind: ItemKind): (item: Json) => number {
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const id = itemId(item, mergeKey, kind);
    if (!first.has(id)) first.set(id, i);
  });
  return (item) => first.get(itemId(item, mergeKey, kind)) ?? -1;
}

/**
 * Splits `list` into items present in `by` and the rest, keeping order (upstream
 * partitionMapsByPresentInList when there is a merge key, partitionPrimitivesByPresentInList otherwise).
 */
export function partition(list: readonly Json[], by: readonly Json[], mergeKey: string): [Json[], Json[]] {
  const kind: ItemKind = mergeKey ? 'map' : 'scalar';
  if (kind === 'map') {
    requireMergeKeys(mergeKey, list);
    by.forEach((item, i) => {
      if (!isMap(item)) throw unknownError(`value for key ${i} is not a map`);
    });
  }
  const present = new Set(by.map((item) => itemId(item, mergeKey, kind)));
  const inBy: Json[] = [];
  const rest: Json[] = [];
  for (const item of list) (present.has(itemId(item, mergeKey, kind)) ? inBy : rest).push(item);
  return [inBy, rest];
}

/** Orders `patchItems` by `patchOrder` and `serverOnly` by `serverOrder`, then interleaves them. */
export function normalizeElementOrder(patchItems: Json[], serverOnly: Json[], patchOrder: readonly Json[], serverOrder: readonly Json[], mergeKey: string, kind: ItemKind): Json[] {
  const patchSorted = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const serverSorted = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(serverSorted, patchSorted, serverOrder, mergeKey, kind);
}

/**
 * Upstream normalizeSliceOrder: a stable sort by position in `order`, with `$patch: delete`
 * items moved to the end. Items missing from `order` compare as "less" than anything, which Go's
 * insertion sort turns into moving them to the front; reproduced for that case.
 */
function sortByOrder(toSort: Json[], order: readonly Json[], mergeKey: string, kind: ItemKind): Json[] {
  let items = toSort;
  let deletions: Json[] = [];
  if (kind === 'map') {
    requireMergeKeys(mergeKey, toSort, order);
    deletions = toSort.filter((item) => (item as Record<string, Json>)[DIRECTIVE] === DELETE);
    items = toSort.filter((item) => (item as Record<string, Json>)[DIRECTIVE] !== DELETE);
  }
  const at = positions(order, mergeKey, kind);
  const less = (a: Json, b: Json): boolean => {
    const ia = at(a);
    const ib = at(b);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  const sorted = items.every((item) => at(item) >= 0) ? [...items].sort((a, b) => at(a) - at(b)) : insertionSort(items, less);
  return [...sorted, ...deletions];
}

function insertionSort(items: Json[], less: (a: Json, b: Json) => boolean): Json[] {
  const out = [...items];
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

/** Upstream mergeSortedSlice: take the server item first only when both are live and it is earlier. */
function mergeSorted(left: Json[], right: Json[], serverOrder: readonly Json[], mergeKey: string, kind: ItemKind): Json[] {
  const at = positions(serverOrder, mergeKey, kind);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at(left[i]);
      const ri = at(right[j]);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

function requireMergeKeys(mergeKey: string, ...lists: (readonly Json[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isMap(item)) throw errBadArgType('map', item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/**
 * Upstream validatePatchWithSetOrderList: the patch list's items (deletions and directive items
 * aside) must appear in `$setElementOrder` and in the same relative order.
 */
export function checkSetElementOrder(patchList: readonly Json[], order: readonly Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((item) => !(isMap(item) && item[DIRECTIVE] === DELETE)) : patchList;
  if (mergeKey) for (const item of patchList) if (!isMap(item)) throw errBadArgType('map', item);
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isMap(items[p]) && hasOwn(items[p] as Record<string, Json>, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameItem(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw unknownError(`the order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}`);
  }
}

/** Upstream mergeKeyValueEqual. */
function sameItem(left: Json, right: Json, mergeKey: string): boolean {
  if (!mergeKey) return identity(left) === identity(right);
  if (!isMap(left)) throw errBadArgType('map', left);
  if (!isMap(right)) throw errBadArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return identity(left[mergeKey]) === identity(right[mergeKey]);
}
