/** Schema-driven helpers: unknown-field detection and strategic-merge-patch metadata. */
export { pruneUnknownFields, unknownFields } from './unknown';
export { patchMetaAt, type PatchMeta } from './patchmeta';
export { validatorFor } from './validators';
