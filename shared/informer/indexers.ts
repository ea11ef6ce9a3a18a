import type { KubeObject, ObjectKey } from '../api/types';

/** The index values of one object (none: the object is not in the index). Must be pure. */
export type IndexFunc = (obj: KubeObject, key: ObjectKey) => string[];

/** Objects by `metadata.namespace` (cluster-scoped objects are not indexed). */
export const NAMESPACE_INDEX = 'namespace';
/** Pods by `spec.nodeName` (unbound pods and other resources are not indexed). */
export const NODE_NAME_INDEX = 'spec.nodeName';
/** Objects by the uid of each owner in `metadata.ownerReferences`. */
export const OWNER_INDEX = 'owner';
/** Objects by `metadata.uid`, to find an owner from a reference. */
export const UID_INDEX = 'uid';

export const defaultIndexers: Readonly<Record<string, IndexFunc>> = {
  [NAMESPACE_INDEX]: (obj) => (obj.metadata.namespace ? [obj.metadata.namespace] : []),
  [NODE_NAME_INDEX]: (obj, key) => (key.startsWith('pods/') && typeof obj.spec?.nodeName === 'string' && obj.spec.nodeName ? [obj.spec.nodeName] : []),
  [OWNER_INDEX]: (obj) => (obj.metadata.ownerReferences ?? []).map((o) => o.uid).filter(Boolean),
  [UID_INDEX]: (obj) => (obj.metadata.uid ? [obj.metadata.uid] : []),
};
