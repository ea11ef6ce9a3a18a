import type { FieldError } from './status';
import type { KubeObject } from './types';

/** Column of a `meta.k8s.io/v1` Table, as kubectl receives it. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 shows by default; 1 only with `-o wide`. */
  priority: number;
}

/**
 * Everything kubeq knows about one resource: its names, scope and the strategy the store
 * applies on every write (from the API or from a controller). One file per kind defines one.
 */
export interface ResourceInfo {
  /** Plural, lower-case: `pods`, `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  /** `''` for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served besides the object itself, e.g. `status`, `scale`, `binding`. */
  subresources: string[];
  /** When true, a write to the main resource keeps the stored status and a status write keeps everything else. */
  hasStatusSubresource: boolean;
  /** When true, `metadata.generation` starts at 1 and bumps whenever anything but metadata and status changes. */
  hasGeneration: boolean;
  /** When true, a create keeps the status it was given (Nodes: the kubelet registers with its capacity); otherwise status starts empty. */
  keepStatusOnCreate?: boolean;
  /**
   * The grace period a delete without `gracePeriodSeconds` gets. Default 0 (deleted at once unless finalizers hold it).
   * Pods bound to a node answer `spec.terminationGracePeriodSeconds`, so their kubelet can stop them.
   */
  defaultGracePeriodSeconds?(obj: KubeObject): number;
  /** Finalizers kept outside metadata that also hold a deletion (Namespaces: `spec.finalizers`). */
  extraFinalizers?(obj: KubeObject): string[];
  /** Carries server-owned values over from the stored object before defaults (PrepareForUpdate: a Service keeps its allocated ClusterIP and NodePorts, and drops those its new type does not use). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Fills Kubernetes' defaults in place. Runs on create and on every update. */
  defaults(obj: KubeObject): void;
  /** Field errors of a new object; empty when valid. */
  validate(obj: KubeObject): FieldError[];
  /** Field errors of an update (immutable fields and the like); empty when valid. Defaults to `validate(obj)`. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Set on a version served from another version's stored objects (autoscaling/v1 HPAs from
   * autoscaling/v2): how a stored object looks in this version, and how an object written in
   * this version is stored. Everything else in the info (strategy, columns) works on the stored form.
   */
  conversion?: VersionConversion;
  /** Table columns kubectl shows for this kind, and the cells of one row. */
  columns: TableColumn[];
  row(obj: KubeObject, now: Date): unknown[];
}

export interface VersionConversion {
  toServed(stored: KubeObject): KubeObject;
  toStorage(served: KubeObject): KubeObject;
}

/** The object as the info's version shows it (unchanged for a storage version). */
export function asServed(info: Pick<ResourceInfo, 'conversion'>, obj: KubeObject): KubeObject {
  return info.conversion ? info.conversion.toServed(obj) : obj;
}

/** The object written in the info's version as it is stored (unchanged for a storage version). */
export function asStored(info: Pick<ResourceInfo, 'conversion'>, obj: KubeObject): KubeObject {
  return info.conversion ? info.conversion.toStorage(obj) : obj;
}

export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
