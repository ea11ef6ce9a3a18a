/** The shapes every Kubernetes object shares. Kind-specific types live in one file per kind. */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/** Any API object. `spec` and `status` are kind-specific and typed by the kind's own file. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [field: string]: any;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** `resource/namespace/name`, or `resource/name` for cluster-scoped objects: the only thing a job carries. */
export type ObjectKey = string;

export function objectKey(resource: string, namespace: string | undefined, name: string): ObjectKey {
  return namespace ? `${resource}/${namespace}/${name}` : `${resource}/${name}`;
}

export function parseObjectKey(key: ObjectKey): { resource: string; namespace?: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 3) return { resource: parts[0], namespace: parts[1], name: parts[2] };
  if (parts.length === 2) return { resource: parts[0], name: parts[1] };
  throw new Error(`malformed object key ${JSON.stringify(key)}`);
}
