/**
 * Strategic merge application, table-driven. The cases re-state the behaviours upstream pins
 * in k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go (two-way and three-way patches
 * applied to the original and to the live object) against a MergeItem-shaped schema.
 */
import { strategicMergePatch, type JsonMap } from './smp';
import { MERGE_ITEM_SCHEMA } from './testschema';

interface Case {
  name: string;
  original: JsonMap;
  patch: JsonMap;
  result: JsonMap;
}

const maps: Case[] = [
  { name: 'empty patch keeps everything', original: { name: 'a', other: 'x' }, patch: {}, result: { name: 'a', other: 'x' } },
  { name: 'adds a field', original: { name: 'a', other: 'x' }, patch: { value: 'v' }, result: { name: 'a', value: 'v', other: 'x' } },
  { name: 'null deletes a field, others merge', original: { name: 'a', other: 'x' }, patch: { name: null, value: 'v' }, result: { value: 'v', other: 'x' } },
  { name: 'null for an absent field is ignored', original: { name: 'a' }, patch: { other: null, value: 'v' }, result: { name: 'a', value: 'v' } },
  { name: 'deletes a key of a nested map', original: { simpleMap: { k1: '1', k2: '2', k3: '3' } }, patch: { simpleMap: { k2: null } }, result: { simpleMap: { k1: '1', k3: '3' } } },
  { name: '$patch: delete empties a nested map', original: { simpleMap: { k1: '1' } }, patch: { simpleMap: { $patch: 'delete' } }, result: { simpleMap: {} } },
  { name: '$patch: replace replaces the whole document', original: { name: 'a', value: 'v' }, patch: { $patch: 'replace', other: 'o' }, result: { other: 'o' } },
  { name: 'nulls inside a new nested map are dropped', original: {}, patch: { simpleMap: { k1: '1', k2: null } }, result: { simpleMap: { k1: '1' } } },
  { name: 'replace strategy takes the patch value whole', original: { replacingItem: { a: 1, b: 2 } }, patch: { replacingItem: { c: 3 } }, result: { replacingItem: { c: 3 } } },
  { name: 'type change replaces', original: { simpleMap: { a: '1' } }, patch: { simpleMap: 'flat' }, result: { simpleMap: 'flat' } },
  { name: 'a map replaces a list', original: { mergingList: [{ name: 'a' }, { name: 'a' }] }, patch: { mergingList: {} }, result: { mergingList: {} } },
];

const scalarLists: Case[] = [
  { name: 'merging int list is a set union', original: { mergingIntList: [1, 2] }, patch: { mergingIntList: [2, 3] }, result: { mergingIntList: [1, 2, 3] } },
  { name: 'patch order wins in a merging int list', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1, 2] }, result: { mergingIntList: [3, 1, 2] } },
  { name: 'server-only items interleave by live position', original: { mergingIntList: [1, 2, 3] }, patch: { mergingIntList: [3, 1] }, result: { mergingIntList: [2, 3, 1] } },
  { name: 'non-merging int list is replaced', original: { nonMergingIntList: [1, 2] }, patch: { nonMergingIntList: [2, 3] }, result: { nonMergingIntList: [2, 3] } },
  {
    name: '$deleteFromPrimitiveList with $setElementOrder',
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$deleteFromPrimitiveList removes every duplicate',
    original: { mergingIntList: [1, 2, 3, 3, 4] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: { mergingIntList: [1, 2, 4] },
  },
  {
    name: '$setElementOrder naming an absent item is fine',
    original: { mergingIntList: [1, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 2, 1] },
    result: { mergingIntList: [3, 1] },
  },
  { name: '$deleteFromPrimitiveList for an absent list does nothing', original: {}, patch: { '$deleteFromPrimitiveList/mergingIntList': [1] }, result: {} },
];

const mapLists: Case[] = [
  {
    name: 'merges items by key and keeps server fields',
    original: { mergingList: [{ name: 'a', other: 'x' }, { name: 'b', value: '2', other: 'y' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }], mergingList: [{ name: 'a', value: '1' }] },
    result: { mergingList: [{ name: 'a', value: '1', other: 'x' }, { name: 'b', value: '2', other: 'y' }] },
  },
  {
    name: 'new items land where $setElementOrder says',
    original: { mergingList: [{ name: 'a', other: 'x' }, { name: 'b', other: 'y' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'd' }, { name: 'a' }, { name: 'b' }, { name: 'c' }], mergingList: [{ name: 'd', value: '4' }, { name: 'c', value: '3' }] },
    result: { mergingList: [{ name: 'd', value: '4' }, { name: 'a', other: 'x' }, { name: 'b', other: 'y' }, { name: 'c', value: '3' }] },
  },
  {
    name: 'without $setElementOrder a new item goes first',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }] },
    patch: { mergingList: [{ name: 'c' }] },
    result: { mergingList: [{ name: 'c' }, { name: 'a' }, { name: 'b' }] },
  },
  {
    name: 'patch order of existing items wins, server-only items interleave',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    patch: { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] },
    result: { mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }] },
  },
  {
    name: 'deletes an item with $patch: delete',
    original: { mergingList: [{ name: 'a' }, { name: 'b', other: 'y' }] },
    patch: { '$setElementOrder/mergingList': [{ name: 'b' }], mergingList: [{ name: 'a', $patch: 'delete' }] },
    result: { mergingList: [{ name: 'b', other: 'y' }] },
  },
  {
    name: 'deleting an absent item is a no-op',
    original: { mergingList: [{ name: 'b' }] },
    patch: { mergingList: [{ name: 'a', $patch: 'delete' }] },
    result: { mergingList: [{ name: 'b' }] },
  },
  {
    name: '$patch: delete removes every duplicate',
    original: { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }] },
    patch: { mergingList: [{ name: '1', $patch: 'delete' }] },
    result: { mergingList: [{ name: '2', value: 'a' }] },
  },
  {
    name: 'add and delete with a server-only item: new items follow it (upstream slice reuse)',
    original: { mergingList: [{ name: '1', other: 'a' }, { name: '4', other: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '2' }, { name: '3' }], mergingList: [{ name: '2' }, { name: '3' }, { name: '1', $patch: 'delete' }] },
    result: { mergingList: [{ name: '4', other: 'c' }, { name: '2' }, { name: '3' }] },
  },
  {
    name: 'add and delete when the server-only item stays put',
    original: { mergingList: [{ name: '1' }, { name: '2', other: 'b' }, { name: '4', other: 'c' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '2' }, { name: '3' }], mergingList: [{ name: '3' }, { name: '1', $patch: 'delete' }] },
    result: { mergingList: [{ name: '2', other: 'b' }, { name: '4', other: 'c' }, { name: '3' }] },
  },
  {
    name: '$patch: replace item replaces the list',
    original: { mergingList: [{ name: 'a' }, { name: 'b' }] },
    patch: { mergingList: [{ $patch: 'replace' }, { name: 'c', value: null }] },
    result: { mergingList: [{ name: 'c' }] },
  },
  { name: 'a lone $patch: replace empties the list', original: { mergingList: [{ name: 'a' }] }, patch: { mergingList: [{ $patch: 'replace' }] }, result: { mergingList: [] } },
  {
    name: 'null deletes a field of a merged item',
    original: { mergingList: [{ name: 'a', value: '1', other: 'x' }] },
    patch: { mergingList: [{ name: 'a', value: null }] },
    result: { mergingList: [{ name: 'a', other: 'x' }] },
  },
  {
    name: 'non-merging list nested in a merging list is replaced',
    original: { mergingList: [{ name: 'a', other: 'x', nonMergingList: [{ name: '1' }, { name: '2' }] }] },
    patch: { mergingList: [{ name: 'a', nonMergingList: [{ name: '1', value: 'v' }] }] },
    result: { mergingList: [{ name: 'a', other: 'x', nonMergingList: [{ name: '1', value: 'v' }] }] },
  },
  {
    name: 'merging list nested in a merging list merges, with its own $setElementOrder',
    original: { mergingList: [{ name: 'a', mergingList: [{ name: '1' }, { name: '2', value: '2' }] }] },
    patch: { mergingList: [{ name: 'a', '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }], mergingList: [{ name: '1', value: '1' }] }] },
    result: { mergingList: [{ name: 'a', mergingList: [{ name: '1', value: '1' }, { name: '2', value: '2' }] }] },
  },
  {
    name: 'directives inside a new item are cleaned',
    original: { mergingList: [{ name: 'a' }] },
    patch: { mergingList: [{ name: 'b', '$setElementOrder/mergingList': [{ name: 'x' }], mergingList: [{ name: 'x' }], value: null }] },
    result: { mergingList: [{ name: 'b', mergingList: [{ name: 'x' }] }, { name: 'a' }] },
  },
  { name: 'merging into an empty list', original: { mergingList: [] }, patch: { mergingList: [] }, result: { mergingList: [] } },
];

const retainKeys: Case[] = [
  {
    name: '$retainKeys clears unlisted fields',
    original: { retainKeysMap: { name: 'foo', value: 'a', other: 'b' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'c' } },
    result: { retainKeysMap: { name: 'foo', value: 'c' } },
  },
  {
    name: 'without $retainKeys a retainKeys map merges',
    original: { retainKeysMap: { name: 'foo', value: 'a' } },
    patch: { retainKeysMap: { value: null } },
    result: { retainKeysMap: { name: 'foo' } },
  },
  {
    name: '$retainKeys in a retainKeys list item',
    original: { retainKeysMergingList: [{ name: 'foo', value: 'a', other: 'b' }] },
    patch: { retainKeysMergingList: [{ name: 'foo', $retainKeys: ['name', 'other'] }] },
    result: { retainKeysMergingList: [{ name: 'foo', other: 'b' }] },
  },
];

describe('strategicMergePatch', () => {
  test.each([...maps, ...scalarLists, ...mapLists, ...retainKeys])('$name', ({ original, patch, result }) => {
    const before = structuredClone({ original, patch });
    expect(strategicMergePatch(original, patch, MERGE_ITEM_SCHEMA)).toEqual(result);
    expect({ original, patch }).toEqual(before);
  });
});

describe('strategicMergePatch keys', () => {
  test('a __proto__ key is data, not a prototype', () => {
    const patch = JSON.parse('{"simpleMap": {"__proto__": {"polluted": true}}, "__proto__": {"x": 1}}') as JsonMap;
    const result = strategicMergePatch({ simpleMap: { a: '1' } }, patch, MERGE_ITEM_SCHEMA);
    expect(Object.keys(result.simpleMap as JsonMap)).toEqual(['a', '__proto__']);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect((result as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('strategicMergePatch errors', () => {
  const errors: { name: string; original: JsonMap; patch: JsonMap; status: string; message: string | RegExp }[] = [
    { name: 'merge key missing from a patch item', original: { mergingList: [{ name: 'a', value: '1' }] }, patch: { mergingList: [{ value: 'b' }] }, status: 'Unknown', message: 'map: map[value:b] does not contain declared merge key: name' },
    {
      name: 'patch list out of $setElementOrder order',
      original: { mergingList: [{ name: '1' }, { name: '3' }, { name: '2' }] },
      patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }, { name: '3' }], mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
      status: 'Unknown',
      message: /^the order in patch list:\n\[map\[name:3 value:3\] map\[name:1 value:1\]\]\n doesn't match \$setElementOrder list:/,
    },
    { name: 'int list out of $setElementOrder order', original: { mergingIntList: [1, 3, 2] }, patch: { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] }, status: 'Unknown', message: /doesn't match/ },
    { name: 'unknown map directive', original: { simpleMap: { a: '1' } }, patch: { simpleMap: { $patch: 'bogus' } }, status: 'Unknown', message: 'unknown patch type: bogus in map: map[$patch:bogus]' },
    { name: '$patch: merge in a list', original: { mergingList: [{ name: 'a' }] }, patch: { mergingList: [{ $patch: 'merge' }] }, status: 'Unknown', message: 'merging lists cannot yet be specified in the patch' },
    { name: 'list of lists', original: { mergingIntList: [[1]] }, patch: { mergingIntList: [[2]] } as JsonMap, status: 'Invalid', message: 'lists of lists are not supported' },
    { name: 'mixed element types', original: { mergingIntList: [1] }, patch: { mergingIntList: ['a'] }, status: 'Unknown', message: 'list element types are not identical: [[1] [a]]' },
    { name: '$retainKeys not a list', original: { retainKeysMap: {} }, patch: { retainKeysMap: { $retainKeys: 'name' } }, status: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: 'field outside $retainKeys', original: { retainKeysMap: {} }, patch: { retainKeysMap: { $retainKeys: ['name'], value: 'x' } }, status: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: 'malformed $setElementOrder key', original: {}, patch: { $setElementOrder: [] }, status: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    { name: 'malformed $deleteFromPrimitiveList key', original: {}, patch: { $deleteFromPrimitiveListX: [] }, status: 'BadRequest', message: 'invalid patch format of primitive list' },
    { name: '$setElementOrder not a list', original: {}, patch: { '$setElementOrder/mergingList': 'x' }, status: 'Unknown', message: 'expected a []interface {}, but received a string' },
  ];

  test.each(errors)('$name', ({ original, patch, status, message }) => {
    let thrown: unknown;
    try {
      strategicMergePatch(original, patch, MERGE_ITEM_SCHEMA);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ name: 'SmpError', status });
    expect((thrown as Error).message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });
});
