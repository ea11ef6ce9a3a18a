/** Pod (v1): defaults, validation, update rules and `kubectl get pods` columns. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { dedupe } from '../validation/field';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { metaOf } from './common';
import { validateContainersOnlyForPod } from './container-validation';
import { validatePodSpecUpdate } from './pod-update';
import { podColumns, podRow } from './pod-table';
import { defaultPod } from './podspec-defaults';
import { validatePodSpec } from './podspec-validation';

/** validatePodMetadataAndSpec: metadata, the spec, and the checks only Pods (not templates) get. */
function validate(obj: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validatePodSpec(obj.spec, 'spec', { isPod: true }),
    ...validateContainersOnlyForPod(obj.spec?.containers, 'spec.containers'),
    ...validateContainersOnlyForPod(obj.spec?.initContainers, 'spec.initContainers'),
  ];
}

/** Pods on a node get their terminationGracePeriodSeconds so the kubelet can stop them; unscheduled or finished pods go at once. */
function defaultGracePeriodSeconds(obj: KubeObject): number {
  const phase = obj.status?.phase;
  if (!obj.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return typeof obj.spec.terminationGracePeriodSeconds === 'number' ? obj.spec.terminationGracePeriodSeconds : 30;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validate(obj), ...validatePodSpecUpdate(obj, old)]);
}

export const pods: ResourceInfo = {
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  listKind: 'PodList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['status', 'binding', 'eviction'],
  hasStatusSubresource: true,
  hasGeneration: false,
  defaultGracePeriodSeconds,
  defaults: (obj) => defaultPod(obj),
  validate,
  validateUpdate,
  columns: podColumns,
  row: podRow,
};
