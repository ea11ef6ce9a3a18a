/** Namespace (v1, cluster-scoped): defaults, validation and `kubectl get namespaces` columns. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, child, dedupe, invalid } from '../validation/field';
import { isQualifiedName, validateNamespaceName } from '../validation/names';
import { validateKubeFinalizerNames, validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, clearNamespace, column, ensureObject, metaOf, nameColumn } from './common';

/** The label every namespace carries with its own name. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';
export const FINALIZER_KUBERNETES = 'kubernetes';

/**
 * SetDefaults_Namespace plus what the namespace registry does on create and delete: the
 * `kubernetes.io/metadata.name` label, spec.finalizers gaining `kubernetes` (not re-added once
 * deletion started, so the namespace controller can finalize), status.phase Active, and
 * Terminating as soon as deletionTimestamp is set.
 */
function defaults(obj: KubeObject): void {
  clearNamespace(obj);
  const meta = ensureObject(obj, 'metadata');
  if (meta.name) ensureObject(meta, 'labels')[LABEL_METADATA_NAME] = meta.name;
  const spec = ensureObject(obj, 'spec');
  if (!meta.deletionTimestamp) {
    const finalizers: string[] = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes(FINALIZER_KUBERNETES)) spec.finalizers = [...finalizers, FINALIZER_KUBERNETES];
  }
  const status = ensureObject(obj, 'status');
  if (meta.deletionTimestamp) status.phase = 'Terminating';
  else if (!status.phase) status.phase = 'Active';
}

function validateSpecFinalizers(obj: KubeObject): FieldError[] {
  const path = 'spec.finalizers';
  const finalizers: string[] = Array.isArray(obj.spec?.finalizers) ? obj.spec.finalizers.map(asString) : [];
  return [
    ...finalizers.flatMap((f) => isQualifiedName(f).map((msg) => invalid(path, f, msg))),
    ...validateKubeFinalizerNames(finalizers, path).map((e) => ({ ...e, field: path })),
  ];
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: false, nameFn: validateNamespaceName }), ...validateSpecFinalizers(obj)];
}

function validateStatusPhase(obj: KubeObject): FieldError[] {
  const phase = obj.status?.phase ?? '';
  const path = child('status', 'Phase');
  if (!metaOf(obj).deletionTimestamp) return phase === 'Active' ? [] : [invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  return phase === 'Terminating' ? [] : [invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

/** Metadata rules; a changed status.phase must agree with deletionTimestamp (ValidateNamespaceStatusUpdate). */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const phaseChanged = (obj.status?.phase ?? '') !== (old.status?.phase ?? '');
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...(phaseChanged ? validateStatusPhase(obj) : [])]);
}

export const namespaces: ResourceInfo = {
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  group: '',
  version: 'v1',
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status', 'finalize'],
  hasStatusSubresource: true,
  hasGeneration: false,
  extraFinalizers: (obj) => (Array.isArray(obj.spec?.finalizers) ? obj.spec.finalizers : []),
  defaults,
  validate,
  validateUpdate,
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  row: (obj, now) => [metaOf(obj).name ?? '', obj.status?.phase ?? '', ageCell(obj, now)],
};
