/** Secret (v1): defaults (type, stringData), validation and `kubectl get secrets` columns. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { decodeBase64Strict } from '../validation/base64';
import { semanticEqual } from '../validation/equality';
import { asString, child, dedupe, forbidden, invalid, key, required, tooLong } from '../validation/field';
import { isConfigMapKey, nameIsDNSSubdomain } from '../validation/names';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, isObject, metaOf, nameColumn } from './common';
import { IMMUTABLE_WHEN_SET, MAX_DATA_SIZE } from './configmap';

/**
 * Type defaults to Opaque. `stringData` is write-only, as in Kubernetes: each value is encoded
 * into `data` (overriding the same key there) and the field is removed.
 */
function defaults(obj: KubeObject): void {
  if (!obj.type) obj.type = 'Opaque';
  if (isObject(obj.stringData)) {
    const data: Record<string, string> = isObject(obj.data) ? obj.data : {};
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(asString(v), 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
}

/** Decoded `data`, with an error per value that is not base64. */
function decodeData(obj: KubeObject, errs: FieldError[]): Map<string, Buffer> {
  const decoded = new Map<string, Buffer>();
  for (const [k, v] of Object.entries((obj.data as Record<string, unknown>) ?? {})) {
    const r = decodeBase64Strict(asString(v ?? ''));
    if (r.ok) decoded.set(k, r.bytes);
    else errs.push(invalid(key('data', k), asString(v), r.error));
  }
  return decoded;
}

function isJSON(bytes: Buffer | undefined): string | undefined {
  try {
    JSON.parse(bytes?.toString('utf8') ?? '');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The keys each well-known secret type requires (ValidateSecret). */
function validateType(obj: KubeObject, data: Map<string, Buffer>): FieldError[] {
  const need = (k: string) => (data.has(k) ? [] : [required(key('data', k))]);
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (metaOf(obj).annotations?.['kubernetes.io/service-account.name']) return [];
      return [required(key('metadata.annotations', 'kubernetes.io/service-account.name'))];
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!data.has(k)) return need(k);
      const err = isJSON(data.get(k));
      return err ? [invalid(key('data', k), '<secret contents redacted>', err)] : [];
    }
    case 'kubernetes.io/basic-auth':
      return data.has('username') || data.has('password') ? [] : [required(key('data', 'username')), required(key('data', 'password'))];
    case 'kubernetes.io/ssh-auth':
      return data.get('ssh-privatekey')?.length ? [] : [required(key('data', 'ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return [...need('tls.crt'), ...need('tls.key')];
    default:
      return [];
  }
}

/** Keys are config keys, values base64, at most 1 MiB decoded in total. */
function validate(obj: KubeObject): FieldError[] {
  const errs = validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain });
  for (const k of Object.keys(obj.data ?? {})) for (const msg of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, msg));
  const data = decodeData(obj, errs);
  const total = [...data.values()].reduce((n, b) => n + b.length, 0);
  if (total > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  return [...errs, ...validateType(obj, data)];
}

/** `type` never changes; once `immutable: true`, neither the flag nor the data may change. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = [...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateImmutableField(obj.type ?? '', old.type ?? '', 'type')];
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!semanticEqual(obj.data, old.data)) errs.push(forbidden(child('data'), IMMUTABLE_WHEN_SET));
  }
  return dedupe([...errs, ...validate(obj)]);
}

export const secrets: ResourceInfo = {
  resource: 'secrets',
  singular: 'secret',
  kind: 'Secret',
  listKind: 'SecretList',
  group: '',
  version: 'v1',
  namespaced: true,
  subresources: [],
  hasStatusSubresource: false,
  hasGeneration: false,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    column(
      'Data',
      'string',
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    ),
    ageColumn(),
  ],
  row: (obj, now) => [metaOf(obj).name ?? '', obj.type ?? '', Object.keys(obj.data ?? {}).length, ageCell(obj, now)],
};
