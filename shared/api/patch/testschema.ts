/**
 * Test fixture: a schema shaped like upstream strategicpatch's test type `MergeItem`
 * (patch_test.go), so behaviours can be checked against upstream's cases without a real kind.
 */
import { literalSchema, type PatchSchema, type SchemaSpec } from './patchmeta';
import type { FieldPatchMeta } from './mergekeys';

const meta = (strategies: string[], mergeKey = ''): FieldPatchMeta => ({ strategies, mergeKey });

const mergeItem: Record<string, SchemaSpec[string]> = {};
const retainKeysItem: Record<string, SchemaSpec[string]> = {};

Object.assign(mergeItem, {
  mergingList: { meta: meta(['merge'], 'name'), schema: mergeItem },
  nonMergingList: { schema: mergeItem },
  mergingIntList: { meta: meta(['merge']) },
  nonMergingIntList: {},
  mergeItemPtr: { meta: meta(['merge'], 'name'), schema: mergeItem },
  simpleMap: {},
  replacingItem: { meta: meta(['replace']) },
  retainKeysMap: { meta: meta(['retainKeys']), schema: retainKeysItem },
  retainKeysMergingList: { meta: meta(['merge', 'retainKeys'], 'name'), schema: mergeItem },
});

Object.assign(retainKeysItem, {
  simpleMap: {},
  mergingIntList: { meta: meta(['merge']) },
  mergingList: { meta: meta(['merge'], 'name'), schema: mergeItem },
  nonMergingList: { schema: mergeItem },
});

/** Upstream's `MergeItem`: mergingList by name, mergingIntList as a set, retainKeys fields. */
export const MERGE_ITEM_SCHEMA: PatchSchema = literalSchema(mergeItem);
