/** Lease (coordination.k8s.io/v1): validation and `kubectl get leases` columns. Leases have no defaults. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { dedupe, invalid } from '../validation/field';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, metaOf, nameColumn } from './common';

/** leaseDurationSeconds must be positive and leaseTransitions non-negative when set. */
function validateSpec(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {};
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain, kubeFinalizers: false }), ...validateSpec(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old), 'metadata', false), ...validate(obj)]);
}

export const leases: ResourceInfo = {
  resource: 'leases',
  singular: 'lease',
  kind: 'Lease',
  listKind: 'LeaseList',
  group: 'coordination.k8s.io',
  version: 'v1',
  namespaced: true,
  subresources: [],
  hasStatusSubresource: false,
  hasGeneration: false,
  defaults: () => {},
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column(
      'Holder',
      'string',
      'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
    ),
    ageColumn(),
  ],
  row: (obj, now) => [metaOf(obj).name ?? '', obj.spec?.holderIdentity ?? '', ageCell(obj, now)],
};
