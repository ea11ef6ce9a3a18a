/** Deployment (apps/v1): defaults, validation and `kubectl get deployments` columns. */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, child, dedupe, forbidden, goJSON, invalid, notSupported, required, validateNonnegative } from '../validation/field';
import { isValidPercent, nameIsDNSSubdomain } from '../validation/names';
import { selectorString } from '../validation/labels';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageCell, ageColumn, column, ensureObject, isObject, layoutContainerCells, metaOf, nameColumn, setDefault } from './common';
import { defaultTemplate, validateSelectorAndTemplate, validateSelectorImmutable } from './workload';

/** SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. */
function defaults(obj: KubeObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObject(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(obj);
}

/** An int-or-percent as messages print it: JSON, so `0` or `"25%"`. */
const shown = (v: unknown) => goJSON(v ?? 0);

/** getIntOrPercentValue: the percentage for `N%`, else the integer (0 when unparsable). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = asString(v ?? '');
  if (isValidPercent(s).length === 0) return Number(s.slice(0, -1));
  return /^[-+]?\d+$/.test(s) ? Number(s) : 0;
}

function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'number') return validateNonnegative(v, path);
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(path, shown(v), m));
  return [invalid(path, goJSON(v), "must be an integer or percentage (e.g '5%')")];
}

function validateStrategy(strategy: Record<string, any>, path: string): FieldError[] {
  const ru = strategy.rollingUpdate;
  if (strategy.type === 'Recreate') {
    return ru != null ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (strategy.type !== 'RollingUpdate') {
    const value = goJSON({ Type: asString(strategy.type), RollingUpdate: strategy.rollingUpdate ?? null });
    return [notSupported(path, value, ['Recreate', 'RollingUpdate'])];
  }
  if (!isObject(ru)) return [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
  const p = child(path, 'rollingUpdate');
  const errs = [...validateIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')), ...validateIntOrPercent(ru.maxSurge, child(p, 'maxSurge'))];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(invalid(child(p, 'maxUnavailable'), shown(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof ru.maxUnavailable === 'string' && isValidPercent(ru.maxUnavailable).length === 0 && intOrPercentValue(ru.maxUnavailable) > 100) {
    errs.push(invalid(child(p, 'maxUnavailable'), shown(ru.maxUnavailable), 'must not be greater than 100%'));
  }
  return errs;
}

/** ValidateDeploymentSpec. */
function validateSpec(obj: KubeObject): FieldError[] {
  const spec: Record<string, any> = obj.spec ?? {};
  const errs = [...validateNonnegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec)];
  errs.push(...validateStrategy(isObject(spec.strategy) ? spec.strategy : {}, 'spec.strategy'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateSpec(obj)];
}

/** ValidateDeploymentUpdate plus the strategy's rule that spec.selector is immutable. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateSpec(obj), ...validateSelectorImmutable(obj, old)]);
}

function row(obj: KubeObject, now: Date): unknown[] {
  const status = obj.status ?? {};
  const [containers, images] = layoutContainerCells(obj.spec?.template?.spec?.containers);
  return [
    metaOf(obj).name ?? '',
    `${status.readyReplicas ?? 0}/${obj.spec?.replicas ?? 0}`,
    status.updatedReplicas ?? 0,
    status.availableReplicas ?? 0,
    ageCell(obj, now),
    containers,
    images,
    selectorString(obj.spec?.selector) ?? '<invalid>',
  ];
}

export const deployments: ResourceInfo = {
  resource: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  hasStatusSubresource: true,
  hasGeneration: true,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION, 1),
    column('Images', 'string', IMAGES_DESCRIPTION, 1),
    column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  row,
};
