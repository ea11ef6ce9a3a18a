/** Properties that hold for any document, checked with fast-check. */
import fc from 'fast-check';
import { generate as mergePatchOf } from 'json-merge-patch';
import { applyJsonPatch } from './jsonpatch';
import { applyMergePatchTo } from './mergepatch';
import { OPAQUE_SCHEMA, schemaForKind, type PatchSchema } from './patchmeta';
import { strategicMergePatch, type Json, type JsonMap } from './smp';
import { MERGE_ITEM_SCHEMA } from './testschema';

const GUARDED = new Set(['__proto__', 'constructor', 'prototype']);
const key = fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !k.startsWith('$') && !GUARDED.has(k));

const { object: jsonObject } = fc.letrec<{ value: Json; object: JsonMap; array: Json[] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));

/** Objects without nulls: what RFC 7386 can express as a target. */
const { object: nullFreeObject } = fc.letrec<{ value: Json; object: JsonMap }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const deployment = schemaForKind('apps/v1', 'Deployment') as PatchSchema;

describe('patch properties', () => {
  test('an empty patch is the identity, for every flavour and schema', () => {
    fc.assert(
      fc.property(jsonObject, (doc) => {
        for (const schema of [OPAQUE_SCHEMA, MERGE_ITEM_SCHEMA, deployment]) expect(strategicMergePatch(doc, {}, schema)).toEqual(doc);
        expect(applyMergePatchTo(doc, {})).toEqual(doc);
        expect(applyJsonPatch(doc, [])).toEqual(doc);
      }),
    );
  });

  test('a merge patch of a diff reproduces the target', () => {
    fc.assert(
      fc.property(nullFreeObject, nullFreeObject, (before, after) => {
        const diff = (mergePatchOf(before, after) ?? {}) as JsonMap;
        expect(applyMergePatchTo(before, diff)).toEqual(after);
      }),
    );
  });

  test('without merge metadata, strategic merge is JSON merge patch', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (doc, patch) => {
        expect(strategicMergePatch(doc, patch, OPAQUE_SCHEMA)).toEqual(applyMergePatchTo(doc, patch));
      }),
    );
  });

  test('inputs are never modified', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (doc, patch) => {
        deepFreeze(doc);
        deepFreeze(patch);
        strategicMergePatch(doc, patch, MERGE_ITEM_SCHEMA);
        applyMergePatchTo(doc, patch);
      }),
    );
  });

  test("kubectl apply's two-way list patch turns any live list into the new one", () => {
    const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 });
    const items = (ns: string[], tag: string): JsonMap[] => ns.map((name) => ({ name, value: `${tag}-${name}` }));
    fc.assert(
      fc.property(names, names, (liveNames, wantedNames) => {
        const live = items(liveNames, 'old');
        const wanted = items(wantedNames, 'new');
        const deletions = liveNames.filter((n) => !wantedNames.includes(n)).map((name) => ({ name, $patch: 'delete' }));
        const patch: JsonMap = { '$setElementOrder/mergingList': wantedNames.map((name) => ({ name })), mergingList: [...wanted, ...deletions] };
        expect(strategicMergePatch({ mergingList: live }, patch, MERGE_ITEM_SCHEMA)).toEqual({ mergingList: wanted });
      }),
    );
  });
});
