import { isDeepStrictEqual } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ResourceInfo } from '../api/resource';
import { apiVersionOf } from '../api/resource';
import { badRequest, invalid, type FieldError } from '../api/status';
import type { KubeObject } from '../api/types';
import { rfc3339 } from '../api/time';

/**
 * The registry strategy every write goes through (Kubernetes' PrepareForCreate/Update,
 * defaulting and validation), whether it comes from the API or from a controller.
 */

const GENERATE_NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** `web-` → `web-x7k2p`: Kubernetes' 5-character suffix from its consonant-and-digit alphabet. */
export function generateName(base: string): string {
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += GENERATE_NAME_CHARS[b % GENERATE_NAME_CHARS.length];
  return `${base.slice(0, 58)}${suffix}`;
}

function checkTypeMeta(info: ResourceInfo, obj: KubeObject): void {
  const apiVersion = apiVersionOf(info);
  if (obj.kind && obj.kind !== info.kind) throw badRequest(`the kind ${obj.kind} does not match the expected kind ${info.kind}`);
  if (obj.apiVersion && obj.apiVersion !== apiVersion) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`);
  obj.apiVersion = apiVersion;
  obj.kind = info.kind;
}

function failIfInvalid(info: ResourceInfo, obj: KubeObject, errors: FieldError[]): void {
  if (errors.length) throw invalid(info.kind, info.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
}

/** Turns a requested object into the one to store on create. `obj` is a private copy and is changed in place. */
export function prepareCreate(info: ResourceInfo, obj: KubeObject, now: Date): KubeObject {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('Object is not a JSON object');
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  checkTypeMeta(info, obj);
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  if (!info.namespaced) delete meta.namespace;
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
  if (info.hasGeneration) meta.generation = 1;
  else delete meta.generation;
  if (info.hasStatusSubresource && !info.keepStatusOnCreate) delete obj.status;
  info.defaults(obj);
  failIfInvalid(info, obj, info.validate(obj));
  return obj;
}

/** Anything but metadata and status: what makes `metadata.generation` move. */
function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/**
 * Which part of the object a write may change: `main` (everything but status, for kinds with a
 * status subresource), `status` (only status), or `all` (both: server-internal writes such as a
 * pod binding, which sets spec.nodeName and the PodScheduled condition together).
 */
export type UpdateTarget = 'main' | 'status' | 'all';

/**
 * Turns a requested update into the object to store, given the stored one. `next` is a private
 * copy, changed in place. A `status` update keeps everything but status; a main update of a kind
 * with a status subresource keeps the stored status. Fields the server owns are carried over.
 */
export function prepareUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject, target: UpdateTarget): KubeObject {
  if (!next || typeof next !== 'object' || Array.isArray(next)) throw badRequest('Object is not a JSON object');
  if (!next.metadata || typeof next.metadata !== 'object') next.metadata = {};
  checkTypeMeta(info, next);
  let obj: KubeObject;
  if (target === 'status') {
    obj = { ...structuredClone(old), status: next.status };
  } else {
    obj = next;
    if (info.hasStatusSubresource && target === 'main') {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    }
  }
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  meta.name = oldMeta.name;
  if (info.namespaced) meta.namespace = oldMeta.namespace;
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  meta.deletionTimestamp = oldMeta.deletionTimestamp;
  meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
  delete meta.generateName;
  if (oldMeta.generateName) meta.generateName = oldMeta.generateName;
  if (target !== 'status') info.prepareForUpdate?.(obj, old);
  info.defaults(obj);
  if (info.hasGeneration) {
    const oldGen = oldMeta.generation ?? 1;
    meta.generation = sameJson(specOf(obj), specOf(old)) ? oldGen : oldGen + 1;
  } else delete meta.generation;
  const errors = info.validateUpdate ? info.validateUpdate(obj, old) : info.validate(obj);
  failIfInvalid(info, obj, errors);
  return obj;
}

/** Equal as stored: compared through JSON, so an `undefined` property equals an absent one. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** True when the stored object would not change (no write, no event, no new resourceVersion). */
export function unchanged(next: KubeObject, old: KubeObject): boolean {
  const a = { ...next, metadata: { ...next.metadata, resourceVersion: undefined } };
  const b = { ...old, metadata: { ...old.metadata, resourceVersion: undefined } };
  return sameJson(a, b);
}

/** An object whose deletion is due: marked for deletion, no finalizers left, no grace period pending. */
export function deletionDue(info: ResourceInfo, obj: KubeObject): boolean {
  const meta = obj.metadata;
  const finalizers = (meta.finalizers ?? []).length + (info.extraFinalizers?.(obj).length ?? 0);
  return !!meta.deletionTimestamp && finalizers === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0;
}
