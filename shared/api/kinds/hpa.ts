/**
 * HorizontalPodAutoscaler (autoscaling/v2): upstream's defaults (minReplicas 1, a cpu
 * utilization target of 80 % when no metric is given, behavior's missing fields filled), the
 * main validation rules with their wording, and `kubectl get hpa`'s columns (TARGETS as
 * `cpu: 84%/60%`, `<unknown>` until the controller has a reading).
 */
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { dedupe, invalid, notSupported, required } from '../validation/field';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, column, metaOf, nameColumn } from './common';

/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;

const SCALE_UP = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const SCALE_DOWN = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

function rules(given: any, fallback: any): any {
  return {
    ...(given?.stabilizationWindowSeconds !== undefined || fallback.stabilizationWindowSeconds !== undefined ? { stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? fallback.stabilizationWindowSeconds } : {}),
    selectPolicy: given?.selectPolicy ?? fallback.selectPolicy,
    policies: Array.isArray(given?.policies) && given.policies.length ? given.policies : fallback.policies,
  };
}

/** SetDefaults_HorizontalPodAutoscaler (v2). */
function defaults(obj: KubeObject): void {
  obj.spec ??= {};
  const spec = obj.spec;
  // Not an object: left for validation to refuse.
  if (typeof spec !== 'object' || Array.isArray(spec)) return;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  // Only a behavior that is given gets its missing fields (scale-down's window stays unset: 300 s applies).
  if (spec.behavior && typeof spec.behavior === 'object') spec.behavior = { scaleUp: rules(spec.behavior.scaleUp, SCALE_UP), scaleDown: rules(spec.behavior.scaleDown, SCALE_DOWN) };
}

const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];
const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

function validateSpec(obj: KubeObject): FieldError[] {
  const spec = obj.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return [required('spec')];
  const errs: FieldError[] = [];
  const ref = spec.scaleTargetRef && typeof spec.scaleTargetRef === 'object' ? spec.scaleTargetRef : {};
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name'));
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) errs.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  else if (typeof spec.minReplicas === 'number' && spec.maxReplicas < spec.minReplicas) errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  (Array.isArray(spec.metrics) ? spec.metrics : []).forEach((m: any, i: number) => {
    const path = `spec.metrics[${i}]`;
    if (!METRIC_TYPES.includes(m?.type)) return void errs.push(m?.type ? notSupported(`${path}.type`, m.type, METRIC_TYPES) : required(`${path}.type`, 'must specify a metric source type'));
    if (m.type === 'Resource') {
      const target = m.resource?.target && typeof m.resource.target === 'object' ? m.resource.target : {};
      if (!m.resource?.name) errs.push(required(`${path}.resource.name`, 'must specify a resource name'));
      if (!TARGET_TYPES.includes(target.type)) errs.push(target.type ? notSupported(`${path}.resource.target.type`, target.type, TARGET_TYPES) : required(`${path}.resource.target.type`, 'must specify a metric target type'));
      if (target.type === 'Utilization' && !(target.averageUtilization > 0)) errs.push(invalid(`${path}.resource.target.averageUtilization`, target.averageUtilization ?? 0, 'must be greater than 0'));
    }
  });
  return errs;
}

// Upstream validates HPA metadata with core's ValidateObjectMeta: standard finalizer names are checked, as for core and apps kinds.
function validate(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNSSubdomain }), ...validateSpec(obj)];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return dedupe([...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validate(obj)]);
}

/** One metric's `current/target`, as printHorizontalPodAutoscaler writes it. */
function target(spec: any, current: any): string {
  const unknown = '<unknown>';
  switch (spec?.type) {
    case 'Resource': {
      const t = spec.resource?.target ?? {};
      const c = current?.resource?.current ?? {};
      if (t.type === 'Utilization') return `${spec.resource.name}: ${c.averageUtilization !== undefined ? `${c.averageUtilization}%` : unknown}/${t.averageUtilization}%`;
      return `${spec.resource?.name}: ${c.averageValue ?? unknown}/${t.averageValue ?? t.value}`;
    }
    case 'Pods':
      return `${spec.pods?.metric?.name}: ${current?.pods?.current?.averageValue ?? unknown}/${spec.pods?.target?.averageValue}`;
    case 'Object': {
      const t = spec.object?.target ?? {};
      const c = current?.object?.current ?? {};
      return `${spec.object?.metric?.name}: ${(t.type === 'AverageValue' ? c.averageValue : c.value) ?? unknown}/${t.averageValue ?? t.value}`;
    }
    default:
      return `${spec?.type ?? 'metric'}: ${unknown}`;
  }
}

/** TARGETS: up to two metrics, then "+ N more...". */
export function targetsCell(obj: KubeObject): string {
  const specs: any[] = Array.isArray(obj.spec?.metrics) ? obj.spec.metrics : [];
  const current: any[] = Array.isArray(obj.status?.currentMetrics) ? obj.status.currentMetrics : [];
  if (!specs.length) return '<none>';
  const cells = specs.slice(0, 2).map((s, i) => target(s, current[i]));
  return cells.join(', ') + (specs.length > 2 ? ` + ${specs.length - 2} more...` : '');
}

export const horizontalpodautoscalers: ResourceInfo = {
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  kind: 'HorizontalPodAutoscaler',
  listKind: 'HorizontalPodAutoscalerList',
  group: 'autoscaling',
  version: 'v2',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: ['status'],
  hasStatusSubresource: true,
  hasGeneration: true,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn(),
  ],
  row: (obj, now) => {
    const ref = obj.spec?.scaleTargetRef ?? {};
    return [metaOf(obj).name ?? '', `${ref.kind}/${ref.name}`, targetsCell(obj), String(obj.spec?.minReplicas ?? 1), obj.spec?.maxReplicas ?? 0, obj.status?.currentReplicas ?? 0, ageCell(obj, now)];
  },
};
