/**
 * What Deployments and ReplicaSets share (pkg/apis/apps/validation): the selector, the pod
 * template checked against it, template defaults, and the selector's immutability.
 */
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { child, forbidden, goJSON, invalid, notSupported, required, sortedMap } from '../validation/field';
import { goLabelSelector, selectorIsEmpty, selectorMatches, selectorString, validateAnnotations, validateLabelSelector, validateLabels, type LabelSelector } from '../validation/labels';
import { validateImmutableField } from '../validation/objectmeta';
import { isObject } from './common';
import { defaultPodSpec } from './podspec-defaults';
import { validatePodSpec } from './podspec-validation';

/** Pod-template defaults (SetDefaults_PodSpec and per-field defaults; not the Pod-only ones). */
export function defaultTemplate(obj: KubeObject): void {
  const template = obj.spec?.template;
  if (isObject(template)) {
    if (!isObject(template.spec)) template.spec = {};
    defaultPodSpec(template.spec);
  }
}

/** ValidatePodTemplateSpec at `path` (labels reported at `<path>.labels`, as upstream does). */
function validatePodTemplateSpec(template: Record<string, any>, path: string): FieldError[] {
  const meta = isObject(template.metadata) ? template.metadata : {};
  return [
    ...validateLabels(meta.labels, child(path, 'labels')),
    ...validateAnnotations(meta.annotations, child(path, 'annotations')),
    ...validatePodSpec(template.spec, child(path, 'spec'), { isPod: false }),
  ];
}

/** ValidatePodTemplateSpecForReplicaSet: labels must match the selector; restartPolicy Always; no activeDeadlineSeconds. */
function validateTemplateForSelector(template: Record<string, any>, selector: LabelSelector | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const labels = isObject(template.metadata) ? template.metadata.labels : undefined;
  if (!selectorIsEmpty(selector) && !selectorMatches(selector, labels)) {
    errs.push(invalid(child(path, 'metadata', 'labels'), goJSON(sortedMap(labels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const spec = isObject(template.spec) ? template.spec : {};
  if (spec.restartPolicy !== 'Always') errs.push(notSupported(child(path, 'spec', 'restartPolicy'), spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds != null) {
    errs.push(forbidden(child(path, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** spec.selector (required, non-empty, valid) and spec.template checked against it. */
export function validateSelectorAndTemplate(spec: Record<string, any>): FieldError[] {
  const errs: FieldError[] = [];
  const selector: LabelSelector | undefined = isObject(spec.selector) ? spec.selector : undefined;
  if (!selector) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      errs.push(invalid('spec.selector', goLabelSelector(selector), 'empty selector is invalid for deployment'));
    }
  }
  if (selectorString(selector) === undefined) errs.push(invalid('spec.selector', goLabelSelector(selector), 'invalid label selector'));
  else errs.push(...validateTemplateForSelector(isObject(spec.template) ? spec.template : {}, selector, 'spec.template'));
  return errs;
}

/** In apps/v1 the selector never changes after creation. */
export function validateSelectorImmutable(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutableField(obj.spec?.selector, old.spec?.selector, 'spec.selector', goLabelSelector(obj.spec?.selector));
}
