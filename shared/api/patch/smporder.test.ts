/**
 * Order of merged lists under `$setElementOrder`, the cases upstream's "preserve order" tests
 * pin (patch_test.go): patch items follow the directive, server-only items keep their live place.
 */
import { strategicMergePatch, type Json, type JsonMap } from './smp';
import { MERGE_ITEM_SCHEMA } from './testschema';

const named = (...names: string[]): JsonMap[] => names.map((name) => ({ name }));

const cases: { name: string; live: JsonMap; patch: JsonMap; result: Json }[] = [
  {
    name: 'int list: new item first, server-only item keeps its slot',
    live: { mergingIntList: [1, 4, 2] },
    patch: { '$setElementOrder/mergingIntList': [3, 1, 2], mergingIntList: [3] },
    result: [3, 1, 4, 2],
  },
  {
    name: 'int list: delete and reorder',
    live: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [2, 1], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: [2, 1],
  },
  {
    name: 'int list: add and delete',
    live: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [4, 2, 1], mergingIntList: [4], '$deleteFromPrimitiveList/mergingIntList': [3] },
    result: [4, 2, 1],
  },
  {
    name: 'int list: server-only items between reordered ones',
    live: { mergingIntList: [1, 2, 7, 9, 8, 3, 4] },
    patch: { '$setElementOrder/mergingIntList': [2, 1, 4, 3] },
    result: [2, 1, 7, 9, 8, 4, 3],
  },
  {
    name: 'maps: delete one, reorder the rest',
    live: { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2' }, { name: '3', value: '3' }] },
    patch: { '$setElementOrder/mergingList': named('2', '1'), mergingList: [{ name: '3', $patch: 'delete' }] },
    result: [{ name: '2', value: '2' }, { name: '1', other: 'a' }],
  },
  {
    name: 'maps: add one, delete one',
    live: { mergingList: [{ name: '1', other: 'a' }, { name: '2', other: 'b' }, { name: '3' }] },
    patch: { '$setElementOrder/mergingList': named('4', '2', '1'), mergingList: [{ name: '4', value: '4' }, { name: '3', $patch: 'delete' }] },
    result: [{ name: '4', value: '4' }, { name: '2', other: 'b' }, { name: '1', other: 'a' }],
  },
  {
    name: 'maps: a server-only item stays between its live neighbours',
    live: { mergingList: [{ name: '1', other: 'a' }, ...named('2', '9', '3', '4')] },
    patch: { '$setElementOrder/mergingList': named('2', '1', '4', '3') },
    result: [{ name: '2' }, { name: '1', other: 'a' }, { name: '9' }, { name: '4' }, { name: '3' }],
  },
  {
    name: 'maps: a trailing server-only item stays last',
    live: { mergingList: [{ name: '1', other: 'a' }, ...named('3', '4', '2', '9')] },
    patch: { '$setElementOrder/mergingList': named('4', '2', '3', '1') },
    result: [{ name: '4' }, { name: '2' }, { name: '3' }, { name: '1', other: 'a' }, { name: '9' }],
  },
  {
    name: 'maps: duplicates of a key sort together at its first position',
    live: { mergingList: [{ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }] },
    patch: { '$setElementOrder/mergingList': named('2', '1', '4', '3', '2') },
    result: [{ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }],
  },
  {
    name: 'maps: list absent from the live object',
    live: {},
    patch: { '$setElementOrder/mergingList': named('b', 'a'), mergingList: [{ name: 'b', value: null }, { name: 'a' }] },
    result: [{ name: 'b' }, { name: 'a' }],
  },
];

describe('strategic merge list order', () => {
  test.each(cases)('$name', ({ live, patch, result }) => {
    const merged = strategicMergePatch(live, patch, MERGE_ITEM_SCHEMA);
    const field = Object.keys(merged)[0];
    expect(merged[field]).toEqual(result);
    expect(Object.keys(merged)).toHaveLength(1);
  });
});
