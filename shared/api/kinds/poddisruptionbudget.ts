/**
 * PodDisruptionBudget (policy/v1): `minAvailable` or `maxUnavailable` (an integer or a
 * percentage) over the pods its selector matches. Its status (currentHealthy, desiredHealthy,
 * disruptionsAllowed, expectedPods, disruptedPods) is computed where evictions are decided
 * (shared/policy/disruption.ts) and written back then. `kubectl get pdb` shows upstream's columns.
 */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { dedupe, invalid } from '../validation/field';
import { validateLabelSelector } from '../validation/labels';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, metaOf, nameColumn } from './common';

/** An IntOrString that is a non-negative integer or `N%` with 0 ≤ N ≤ 100; the error detail otherwise. */
function intOrPercentError(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? undefined : 'must be greater than or equal to 0';
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (!m) return 'a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')';
    return Number(m[1]) > 100 ? 'must not be greater than 100%' : undefined;
  }
  return 'must be an integer or a percentage';
}

function validateSpec(obj: KubeObject): FieldError[] {
  const spec = obj.spec && typeof obj.spec === 'object' ? obj.spec : {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const field of ['minAvailable', 'maxUnavailable']) {
    if (spec[field] === undefined) continue;
    const why = intOrPercentError(spec[field]);
    if (why) errs.push(invalid(`spec.${field}`, spec[field], why));
  }
  if (spec.selector !== undefined) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateSpec(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validate(obj)]);
}

const shown = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

export const poddisruptionbudgets: ResourceInfo = {
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  kind: 'PodDisruptionBudget',
  listKind: 'PodDisruptionBudgetList',
  group: 'policy',
  version: 'v1',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  hasStatusSubresource: true,
  hasGeneration: true,
  defaults: () => undefined,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Min Available', 'string', 'An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction, i.e. even in the absence of the evicted pod.'),
    column('Max Unavailable', 'string', 'An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction, i.e. even in absence of the evicted pod.'),
    column('Allowed Disruptions', 'integer', 'Number of pod disruptions that are currently allowed.'),
    ageColumn(),
  ],
  row: (obj, now) => [metaOf(obj).name ?? '', shown(obj.spec?.minAvailable), shown(obj.spec?.maxUnavailable), obj.status?.disruptionsAllowed ?? 0, ageCell(obj, now)],
};
