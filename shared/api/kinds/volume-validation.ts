/** Pod volumes (ValidateVolumes): names, exactly one source, and the common sources' required fields. */
import type { FieldError } from '../status';
import { asString, child, duplicate, forbidden, index, invalid, required } from '../validation/field';
import { isDNS1123Label } from '../validation/names';
import { isObject, objectsOf } from './common';

/** Sources in the order upstream checks them; `downwarAPI` is upstream's own spelling in that message. */
const SOURCE_ORDER: [key: string, forbiddenPath: string][] = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'],
  ['cinder', 'cinder'], ['cephfs', 'cephFS'], ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'],
  ['flexVolume', 'flexVolume'], ['configMap', 'configMap'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'], ['projected', 'projected'], ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'],
  ['image', 'image'],
]; // prettier-ignore

const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? [invalid(path, mode, FILE_MODE_ERROR)] : [];
}

/** Required fields of the sources kubeq's workloads use; others are accepted as given. */
function validateSource(kind: string, s: Record<string, any>, path: string): FieldError[] {
  switch (kind) {
    case 'secret':
      return [...(s.secretName ? [] : [required(child(path, 'secretName'))]), ...validateMode(s.defaultMode, child(path, 'defaultMode'))];
    case 'configMap':
      return [...(s.name ? [] : [required(child(path, 'name'))]), ...validateMode(s.defaultMode, child(path, 'defaultMode'))];
    case 'persistentVolumeClaim':
      return s.claimName ? [] : [required(child(path, 'claimName'))];
    case 'hostPath':
      return s.path ? [] : [required(child(path, 'path'))];
    case 'emptyDir':
      if (!(typeof s.sizeLimit === 'string' && s.sizeLimit.trim().startsWith('-'))) return [];
      return [forbidden(child(path, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity')];
    case 'downwardAPI':
    case 'projected':
      return validateMode(s.defaultMode, child(path, 'defaultMode'));
    default:
      return [];
  }
}

/** Errors of spec.volumes and the names that validated (mounts may only reference those). */
export function validateVolumes(volumes: unknown, path: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  objectsOf(volumes).forEach((v, i) => {
    const p = index(path, i);
    const el: FieldError[] = [];
    let count = 0;
    for (const [kind, forbiddenName] of SOURCE_ORDER) {
      if (!isObject(v[kind])) continue;
      if (count++ > 0) el.push(forbidden(child(p, forbiddenName), 'may not specify more than 1 volume type'));
      else el.push(...validateSource(kind, v[kind], child(p, kind)));
    }
    if (count === 0) el.push(required(p, 'must specify a volume type'));
    if (!v.name) el.push(required(child(p, 'name')));
    else el.push(...isDNS1123Label(asString(v.name)).map((m) => invalid(child(p, 'name'), v.name, m)));
    if (v.name && names.has(v.name)) el.push(duplicate(child(p, 'name'), v.name));
    if (el.length === 0) names.add(v.name);
    else errors.push(...el);
  });
  return { errors, names };
}
