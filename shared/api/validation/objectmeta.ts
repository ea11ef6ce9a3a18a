/**
 * ObjectMeta validation (k8s.io/apimachinery/pkg/api/validation/objectmeta.go plus core's
 * finalizer-name rule) on create and on update.
 */
import type { FieldError } from '../status';
import type { ObjectMeta, OwnerReference } from '../types';
import { semanticEqual } from './equality';
import { asString, child, forbidden, goJSON, goStringSlice, index, invalid, required, validateNonnegative } from './field';
import { validateAnnotations, validateLabels } from './labels';
import { isQualifiedName, validateNamespaceName, type NameFn } from './names';

export const FIELD_IMMUTABLE = 'field is immutable';

/** The items of a list field; anything else counts as empty (type errors are the decoder's to report). */
function listOf<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaOptions {
  /** Whether the kind lives in a namespace (namespace required) or not (namespace forbidden). */
  namespaced: boolean;
  /** How the kind validates `name` (and `generateName` as a prefix). */
  nameFn: NameFn;
  /** Also require finalizers without a `/` to be a standard one, as core and apps kinds do. Default true. */
  kubeFinalizers?: boolean;
}

/** Metadata errors of a new object, `metadata.name: Required value: name or generateName is required` and the like. */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions, path = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  const [name, generateName, namespace] = [asString(m.name), asString(m.generateName), asString(m.namespace)];
  if (generateName) {
    for (const msg of opts.nameFn(generateName, true)) errs.push(invalid(child(path, 'generateName'), generateName, msg));
  }
  if (!name) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of opts.nameFn(name, false)) errs.push(invalid(child(path, 'name'), name, msg));
  if (opts.namespaced) {
    if (!namespace) errs.push(required(child(path, 'namespace')));
    else for (const msg of validateNamespaceName(namespace, false)) errs.push(invalid(child(path, 'namespace'), namespace, msg));
  } else if (namespace) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateMetaCommon(m, path));
  if (opts.kubeFinalizers !== false) errs.push(...validateKubeFinalizerNames(m.finalizers, child(path, 'finalizers')));
  return errs;
}

function validateMetaCommon(m: ObjectMeta, path: string): FieldError[] {
  return [
    ...validateNonnegative(m.generation, child(path, 'generation')),
    ...validateLabels(m.labels, child(path, 'labels')),
    ...validateAnnotations(m.annotations, child(path, 'annotations')),
    ...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')),
    ...validateFinalizers(m.finalizers, child(path, 'finalizers')),
  ];
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of listOf<OwnerReference>(refs)) {
    if (!ref || typeof ref !== 'object') continue;
    const version = asString(ref.apiVersion ?? '').split('/').pop() ?? '';
    if (!version) errs.push(invalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(child(path, 'kind'), ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(invalid(child(path, 'name'), ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(child(path, 'uid'), ref.uid ?? '', 'must not be empty'));
    if (ref.apiVersion === 'v1' && ref.kind === 'Event') errs.push(invalid(path, goJSON(ref), '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller) {
      const name = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(path, goJSON(refs), `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`),
        );
      } else firstController = name;
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = listOf<unknown>(finalizers).map(asString);
  for (const f of list) errs.push(...isQualifiedName(f).map((msg) => invalid(path, f, msg)));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalid(path, goJSON(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** Core's rule: a finalizer without a `/` must be `kubernetes`, `orphan` or `foregroundDeletion`. */
export function validateKubeFinalizerNames(finalizers: string[] | undefined, path: string): FieldError[] {
  return listOf<unknown>(finalizers).map(asString).flatMap((f, i) =>
    !f.includes('/') && !STANDARD_FINALIZERS.has(f) ? [invalid(index(path, i), f, 'name is neither a standard finalizer name nor is it fully qualified')] : [],
  );
}

/** `field is immutable` when `next` differs from `prev`; `shown` overrides how the new value prints. */
export function validateImmutableField(next: unknown, prev: unknown, path: string, shown: unknown = next): FieldError[] {
  return semanticEqual(next, prev) ? [] : [invalid(path, shown, FIELD_IMMUTABLE)];
}

/**
 * Metadata errors of an update. Like the apiserver, a missing uid, creationTimestamp or
 * deletionTimestamp counts as the old one (the store copies them over); the store owns
 * resourceVersion, so it is not checked here.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata', kubeFinalizers = true): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const before = listOf<string>(o.finalizers);
    const added = listOf<string>(m.finalizers).filter((f) => !before.includes(f));
    if (added.length) {
      const found = goStringSlice([...new Set(added)].sort());
      errs.push(forbidden(child(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${found}`));
    }
  }
  if ((m.generation ?? 0) < (o.generation ?? 0)) errs.push(invalid(child(path, 'generation'), m.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutableField(m.name ?? '', o.name ?? '', child(path, 'name')));
  errs.push(...validateImmutableField(m.namespace ?? '', o.namespace ?? '', child(path, 'namespace')));
  errs.push(...validateImmutableField(m.uid || o.uid || '', o.uid ?? '', child(path, 'uid')));
  errs.push(...validateMetaCommon(m, path));
  if (kubeFinalizers) errs.push(...validateKubeFinalizerNames(m.finalizers, child(path, 'finalizers')));
  return errs;
}
