/** ReplicaSet (apps/v1): defaults, validation and `kubectl get replicasets` columns. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { dedupe, validateNonnegative } from '../validation/field';
import { formatLabelSelector } from '../validation/labels';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageCell, ageColumn, column, ensureObject, layoutContainerCells, metaOf, nameColumn, setDefault } from './common';
import { defaultTemplate, validateSelectorAndTemplate, validateSelectorImmutable } from './workload';

/** SetDefaults_ReplicaSet: replicas 1; the template gets pod-spec defaults. */
function defaults(obj: KubeObject): void {
  setDefault(ensureObject(obj, 'spec'), 'replicas', 1);
  defaultTemplate(obj);
}

/** ValidateReplicaSetSpec (its empty-selector message says "deployment", as upstream's does). */
function validateSpec(obj: KubeObject): FieldError[] {
  const spec: Record<string, any> = obj.spec ?? {};
  return [
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(spec),
  ];
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateSpec(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateSpec(obj), ...validateSelectorImmutable(obj, old)]);
}

function row(obj: KubeObject, now: Date): unknown[] {
  const [containers, images] = layoutContainerCells(obj.spec?.template?.spec?.containers);
  return [
    metaOf(obj).name ?? '',
    obj.spec?.replicas ?? 0,
    obj.status?.replicas ?? 0,
    obj.status?.readyReplicas ?? 0,
    ageCell(obj, now),
    containers,
    images,
    formatLabelSelector(obj.spec?.selector),
  ];
}

export const replicasets: ResourceInfo = {
  resource: 'replicasets',
  singular: 'replicaset',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  hasStatusSubresource: true,
  hasGeneration: true,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
    column('Ready', 'integer', 'readyReplicas is the number of pods targeted by this ReplicaSet controller with a Ready Condition.'),
    ageColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION, 1),
    column('Images', 'string', IMAGES_DESCRIPTION, 1),
    column('Selector', 'string', 'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  row,
};
