/** ConfigMap (v1): validation and `kubectl get configmaps` columns. ConfigMaps have no visible defaults. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { decodeBase64Strict } from '../validation/base64';
import { semanticEqual } from '../validation/equality';
import { asString, dedupe, forbidden, invalid, key, tooLong } from '../validation/field';
import { byteLength, isConfigMapKey, nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, metaOf, nameColumn } from './common';

/** Total bytes a ConfigMap or Secret may hold (core.MaxSecretSize, 1 MiB). */
export const MAX_DATA_SIZE = 1024 * 1024;
export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

/** Keys must be config keys; `binaryData` values must be base64. */
function validate(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain });
  const data: Record<string, unknown> = obj.data ?? {};
  const binary: Record<string, unknown> = obj.binaryData ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, msg));
    if (k in binary) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += byteLength(asString(v ?? ''));
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('binaryData', k), k, msg));
    const decoded = decodeBase64Strict(asString(v ?? ''));
    if (decoded.ok) total += decoded.bytes.length;
    else errs.push(invalid(key('binaryData', k), asString(v), decoded.error));
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('[]', MAX_DATA_SIZE));
  return errs;
}

/** Once `immutable: true`, neither the flag nor the data may change. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(metaOf(obj), metaOf(old));
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!semanticEqual(obj.data, old.data)) errs.push(forbidden('data', IMMUTABLE_WHEN_SET));
    if (!semanticEqual(obj.binaryData, old.binaryData)) errs.push(forbidden('binaryData', IMMUTABLE_WHEN_SET));
  }
  return dedupe([...errs, ...validate(obj)]);
}

export const configmaps: ResourceInfo = {
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['cm'],
  subresources: [],
  hasStatusSubresource: false,
  hasGeneration: false,
  defaults: () => {},
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column(
      'Data',
      'string',
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
    ),
    ageColumn(),
  ],
  row: (obj, now) => [metaOf(obj).name ?? '', Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length, ageCell(obj, now)],
};
