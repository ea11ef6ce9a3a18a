/** Pieces every kind file shares: standard table columns, age cells and metadata access. */
import { translateTimestampSince } from '../age';
import type { TableColumn } from '../resource';
import type { KubeObject, ObjectMeta } from '../types';

/** ObjectMeta's `name` description, as the server puts it on NAME columns. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** ObjectMeta's `creationTimestamp` description, as the server puts it on AGE columns. */
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

/** A column as the server-side printers define it; `priority` 1 shows only with `-o wide`. */
export function column(name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

export function nameColumn(priority = 0): TableColumn {
  return column('Name', 'string', NAME_DESCRIPTION, priority, 'name');
}

export function ageColumn(): TableColumn {
  return column('Age', 'string', AGE_DESCRIPTION);
}

export function metaOf(obj: KubeObject): ObjectMeta {
  return obj.metadata ?? {};
}

/** The AGE cell: time since creationTimestamp, `<unknown>` without one. */
export function ageCell(obj: KubeObject, now: Date): string {
  return translateTimestampSince(metaOf(obj).creationTimestamp, now);
}

/** CONTAINERS and IMAGES cells: names and images joined with commas. */
export function layoutContainerCells(containers: { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Ensures `obj[key]` is an object and returns it (for defaulting nested structs in place). */
export function ensureObject(obj: Record<string, any>, key: string): Record<string, any> {
  if (obj[key] === undefined || obj[key] === null || typeof obj[key] !== 'object') obj[key] = {};
  return obj[key];
}

/** Sets `obj[key] = value` when the field is absent (undefined or null), as Go's defaulting of nil pointers does. */
export function setDefault(obj: Record<string, any>, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Sets a string field when it is absent or empty, as defaulting of Go's `""` does. */
export function setDefaultString(obj: Record<string, any>, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

/** Sets a number field when absent or zero, as defaulting of Go's non-pointer `0` does. */
export function setDefaultNumber(obj: Record<string, any>, key: string, value: number): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === 0) obj[key] = value;
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of a list field, skipping anything that is not an object. */
export function objectsOf(list: unknown): Record<string, any>[] {
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** Clears metadata.namespace of a cluster-scoped object, as the apiserver does before validating. */
export function clearNamespace(obj: KubeObject): void {
  if (obj.metadata && obj.metadata.namespace !== undefined) delete obj.metadata.namespace;
}
