/**
 * autoscaling/v1 HorizontalPodAutoscalers, served from the stored autoscaling/v2 objects as
 * kube-apiserver serves them (pkg/apis/autoscaling/v1/conversion.go): v1 shows the CPU
 * utilization target and reading as `targetCPUUtilizationPercentage` and
 * `currentCPUUtilizationPercentage`, and carries everything v1 has no field for in the
 * round-trip annotations — other metrics and current metrics in v1's (v2beta1-shaped) metric
 * form, behavior and conditions as JSON — so that a v1 client's read-modify-write loses nothing.
 */
import type { ResourceInfo } from '../resource';
import type { KubeObject } from '../types';
import { DEFAULT_CPU_UTILIZATION, horizontalpodautoscalers } from './hpa';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

type Json = Record<string, any>;

/** Drops undefined fields, as Go's `omitempty` leaves them out of the JSON. */
const compact = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const ref = (r: Json | undefined): Json => compact({ kind: r?.kind, name: r?.name, apiVersion: r?.apiVersion });

const isCpuUtilization = (m: Json) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization !== undefined;

function metricSpecToV1(m: Json): Json {
  const t = (src: Json | undefined) => src?.target ?? {};
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: compact({ name: m.resource?.name, targetAverageUtilization: t(m.resource).averageUtilization, targetAverageValue: t(m.resource).averageValue }) };
    case 'ContainerResource':
      return { type: m.type, containerResource: compact({ name: m.containerResource?.name, container: m.containerResource?.container, targetAverageUtilization: t(m.containerResource).averageUtilization, targetAverageValue: t(m.containerResource).averageValue }) };
    case 'Pods':
      return { type: m.type, pods: compact({ metricName: m.pods?.metric?.name, targetAverageValue: t(m.pods).averageValue ?? '0', selector: m.pods?.metric?.selector }) };
    case 'Object':
      return { type: m.type, object: compact({ target: ref(m.object?.describedObject), metricName: m.object?.metric?.name, targetValue: t(m.object).value ?? '0', selector: m.object?.metric?.selector, averageValue: t(m.object).averageValue }) };
    case 'External':
      return { type: m.type, external: compact({ metricName: m.external?.metric?.name, metricSelector: m.external?.metric?.selector, targetValue: t(m.external).value, targetAverageValue: t(m.external).averageValue }) };
    default:
      return { type: m.type };
  }
}

function metricSpecFromV1(m: Json): Json {
  switch (m.type) {
    case 'Resource': {
      const r = m.resource ?? {};
      const utilization = r.targetAverageUtilization;
      return { type: m.type, resource: { name: r.name, target: compact({ type: utilization === undefined ? 'AverageValue' : 'Utilization', averageUtilization: utilization, averageValue: r.targetAverageValue }) } };
    }
    case 'ContainerResource': {
      const r = m.containerResource ?? {};
      const utilization = r.targetAverageUtilization;
      return { type: m.type, containerResource: { name: r.name, container: r.container, target: compact({ type: utilization === undefined ? 'AverageValue' : 'Utilization', averageUtilization: utilization, averageValue: r.targetAverageValue }) } };
    }
    case 'Pods':
      return { type: m.type, pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), target: { type: 'AverageValue', averageValue: m.pods?.targetAverageValue } } };
    case 'Object': {
      const o = m.object ?? {};
      return { type: m.type, object: { describedObject: ref(o.target), metric: compact({ name: o.metricName, selector: o.selector }), target: compact({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: o.targetValue, averageValue: o.averageValue }) } };
    }
    case 'External': {
      const e = m.external ?? {};
      return { type: m.type, external: { metric: compact({ name: e.metricName, selector: e.metricSelector }), target: compact({ type: e.targetValue === undefined ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }) } };
    }
    default:
      return { type: m.type };
  }
}

function metricStatusToV1(m: Json): Json {
  const c = (src: Json | undefined) => src?.current ?? {};
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: compact({ name: m.resource?.name, currentAverageUtilization: c(m.resource).averageUtilization, currentAverageValue: c(m.resource).averageValue ?? '0' }) };
    case 'ContainerResource':
      return { type: m.type, containerResource: compact({ name: m.containerResource?.name, container: m.containerResource?.container, currentAverageUtilization: c(m.containerResource).averageUtilization, currentAverageValue: c(m.containerResource).averageValue ?? '0' }) };
    case 'Pods':
      return { type: m.type, pods: compact({ metricName: m.pods?.metric?.name, currentAverageValue: c(m.pods).averageValue ?? '0', selector: m.pods?.metric?.selector }) };
    case 'Object':
      return { type: m.type, object: compact({ target: ref(m.object?.describedObject), metricName: m.object?.metric?.name, currentValue: c(m.object).value ?? '0', selector: m.object?.metric?.selector, averageValue: c(m.object).averageValue }) };
    case 'External':
      return { type: m.type, external: compact({ metricName: m.external?.metric?.name, metricSelector: m.external?.metric?.selector, currentValue: c(m.external).value ?? '0', currentAverageValue: c(m.external).averageValue }) };
    default:
      return { type: m.type };
  }
}

function metricStatusFromV1(m: Json): Json {
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: { name: m.resource?.name, current: compact({ averageValue: m.resource?.currentAverageValue, averageUtilization: m.resource?.currentAverageUtilization }) } };
    case 'ContainerResource':
      return { type: m.type, containerResource: { name: m.containerResource?.name, container: m.containerResource?.container, current: compact({ averageValue: m.containerResource?.currentAverageValue, averageUtilization: m.containerResource?.currentAverageUtilization }) } };
    case 'Pods':
      return { type: m.type, pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), current: { averageValue: m.pods?.currentAverageValue } } };
    case 'Object':
      return { type: m.type, object: { describedObject: ref(m.object?.target), metric: compact({ name: m.object?.metricName, selector: m.object?.selector }), current: compact({ value: m.object?.currentValue, averageValue: m.object?.averageValue }) } };
    case 'External':
      return { type: m.type, external: { metric: compact({ name: m.external?.metricName, selector: m.external?.metricSelector }), current: compact({ value: m.external?.currentValue, averageValue: m.external?.currentAverageValue }) } };
    default:
      return { type: m.type };
  }
}

/** The annotation's JSON list, or undefined when absent or unreadable (upstream ignores a bad one). */
function readList(annotations: Record<string, string>, key: string): Json[] | undefined {
  if (annotations[key] === undefined) return undefined;
  try {
    const v = JSON.parse(annotations[key]);
    return Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : undefined;
  } catch {
    return undefined;
  }
}

function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !ROUND_TRIP.includes(k)));
}

/** The stored autoscaling/v2 object as autoscaling/v1 shows it. */
export function hpaToV1(obj: KubeObject): KubeObject {
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const metrics: Json[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  const currentMetrics: Json[] = Array.isArray(status.currentMetrics) ? status.currentMetrics : [];
  const conditions: Json[] = Array.isArray(status.conditions) ? status.conditions : [];
  const annotations = withoutRoundTrip(obj.metadata.annotations);
  const others = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (others.length) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others);
  if (currentMetrics.length) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  if (spec.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  if (conditions.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  // The first cpu Resource metric gives the v1 target, when it is a utilization target.
  const cpu = metrics.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu');
  const cpuNow = currentMetrics.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined);
  const { annotations: _dropped, ...meta } = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization,
    }),
    status: compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: cpuNow?.resource?.current?.averageUtilization,
    }),
  };
}

/** An autoscaling/v1 object (from a v1 client) as the autoscaling/v2 object kubeq stores. */
export function hpaFromV1(obj: KubeObject): KubeObject {
  const spec = obj.spec && typeof obj.spec === 'object' && !Array.isArray(obj.spec) ? obj.spec : {};
  const status = obj.status && typeof obj.status === 'object' && !Array.isArray(obj.status) ? obj.status : {};
  const given = obj.metadata.annotations && typeof obj.metadata.annotations === 'object' ? (obj.metadata.annotations as Record<string, string>) : {};
  const metrics: Json[] = (readList(given, METRIC_SPECS_ANNOTATION) ?? []).map(metricSpecFromV1);
  // The v1 cpu target comes after the other metrics, as upstream's conversion places it.
  if (spec.targetCPUUtilizationPercentage !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  if (!metrics.length) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });
  let behavior: Json | undefined;
  try {
    const parsed = given[BEHAVIOR_ANNOTATION] === undefined ? undefined : JSON.parse(given[BEHAVIOR_ANNOTATION]);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length) behavior = parsed;
  } catch {
    behavior = undefined;
  }
  const currentMetrics = readList(given, METRIC_STATUSES_ANNOTATION)?.map(metricStatusFromV1) ??
    (status.currentCPUUtilizationPercentage !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] : undefined);
  const conditions = readList(given, CONDITIONS_ANNOTATION);
  const annotations = withoutRoundTrip(given);
  const { annotations: _dropped, ...meta } = obj.metadata;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior }),
    status: compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas,
      desiredReplicas: status.desiredReplicas,
      currentMetrics,
      conditions,
    }),
  };
}

/** autoscaling/v1 horizontalpodautoscalers: the v2 resource's strategy and columns on the stored form, converted at the API. */
export const horizontalpodautoscalersV1: ResourceInfo = { ...horizontalpodautoscalers, version: 'v1', conversion: { toServed: hpaToV1, toStorage: hpaFromV1 } };
