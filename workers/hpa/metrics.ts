/**
 * One metric of an HPA to a replica proposal and its `currentMetrics` entry, as upstream's
 * computeReplicasForMetric does per source type:
 *
 * - Resource (Utilization or AverageValue) from the kubelets' samples (metrics.k8s.io);
 * - Pods and Object metrics from the simulated loads (shared/load/state), kubeq's custom
 *   metrics: `requests_per_second` per pod (what the loads' requests reach it), and per Service
 *   (what the loads send it).
 *
 * Errors carry upstream's condition reason (FailedGetResourceMetric, FailedGetPodsMetric,
 * FailedGetObjectMetric) and a message in its words.
 */
import { canonicalQuantity, quantityOr, toMillis, toNumber } from '../../shared/api/quantity';
import type { KubeObject } from '../../shared/api/types';
import { REQUESTS_PER_SECOND, type LoadState } from '../../shared/load/state';
import type { PodSample as ResourceSample } from '../../shared/resourcemetrics/samples';
import { metricName } from './messages';
import { averageValueReplicas, objectAverageReplicas, objectValueReplicas, resourceReplicas, type PodSample, type Scaled } from './replicas';


export interface MetricContext {
  namespace: string;
  currentReplicas: number;
  /** The target's pods (its selector). */
  pods: KubeObject[];
  /** The namespace's resource samples (read once per reconcile). */
  resourceSamples(): Promise<ResourceSample[]>;
  loads: LoadState;
  /** Wall clock ms; `scaled` turns cluster-time periods (cpu initialization, sample windows) into wall time. */
  now: number;
  scaled: Scaled;
}

export interface MetricResult {
  metric: any;
  replicas?: number;
  /** The metric's entry in status.currentMetrics. */
  status?: any;
  /** Everything that went into it, for the reconcile span. */
  detail?: Record<string, unknown>;
  error?: string;
  reason?: string;
}

/** A computed value as a quantity, to the thousandth (`10500m`), as upstream's milli-quantities print. */
export function quantityString(v: number): string {
  return canonicalQuantity(Math.round(v * 1000) / 1000);
}

const parseTarget = (q: unknown): number | undefined => (typeof q === 'string' || typeof q === 'number' ? quantityOr(String(q), toNumber) : undefined);

async function resourceMetric(metric: any, ctx: MetricContext): Promise<MetricResult> {
  const targetType = metric.resource?.target?.type;
  const resourceName: string = metric.resource?.name;
  if (!['Utilization', 'AverageValue'].includes(targetType)) return { metric, reason: 'FailedGetResourceMetric', error: `${metricName(metric)}: a Resource metric needs a Utilization or AverageValue target` };
  const cpu = resourceName === 'cpu';
  const samples = new Map<string, PodSample>((await ctx.resourceSamples()).map((s) => [s.name, { value: s.containers.reduce((sum, c) => sum + (cpu ? c.cpuMillis : c.memoryBytes), 0), timestamp: s.timestamp, windowMs: s.windowMs }]));
  const quantity = (v: number) => (cpu ? `${Math.round(v)}m` : String(Math.round(v)));
  try {
    if (targetType === 'AverageValue') {
      const target = metric.resource.target.averageValue;
      const p = averageValueReplicas({ currentReplicas: ctx.currentReplicas, targetAverage: cpu ? toMillis(target) : toNumber(target), pods: ctx.pods, samples, cpu, now: ctx.now, scaled: ctx.scaled });
      return { metric, replicas: p.replicas, status: { type: 'Resource', resource: { name: resourceName, current: { averageValue: quantity(p.rawAverage) } } }, detail: { value: p.current, ratio: p.ratio, decision: p.decision, pods: JSON.stringify(p.groups) } };
    }
    const p = resourceReplicas({ currentReplicas: ctx.currentReplicas, targetUtilization: metric.resource.target.averageUtilization, pods: ctx.pods, samples, resource: resourceName, now: ctx.now, scaled: ctx.scaled });
    return { metric, replicas: p.replicas, status: { type: 'Resource', resource: { name: resourceName, current: { averageUtilization: p.current, averageValue: quantity(p.rawAverage) } } }, detail: { utilization: p.current, ratio: p.ratio, decision: p.decision, pods: JSON.stringify(p.groups) } };
  } catch (err) {
    return { metric, reason: 'FailedGetResourceMetric', error: `failed to get ${resourceName} ${targetType === 'AverageValue' ? 'usage' : 'utilization'}: ${(err as Error).message}` };
  }
}

async function podsMetric(metric: any, ctx: MetricContext): Promise<MetricResult> {
  const name: string = metric.pods?.metric?.name ?? '';
  const target = parseTarget(metric.pods?.target?.averageValue);
  if (name !== REQUESTS_PER_SECOND) return { metric, reason: 'FailedGetPodsMetric', error: `failed to get pods metric value: unable to get metric ${name}: kubeq serves the pods metric ${REQUESTS_PER_SECOND} only` };
  if (target === undefined || target <= 0) return { metric, reason: 'FailedGetPodsMetric', error: `invalid pods metric target: averageValue must be a quantity greater than 0` };
  const loads = await ctx.loads.pods(ctx.pods.map((p) => `${ctx.namespace}/${p.metadata.name}`));
  const samples = new Map<string, PodSample>([...loads].map(([key, l]) => [key.slice(ctx.namespace.length + 1), { value: l.rps, timestamp: ctx.now, windowMs: 0 }]));
  try {
    const p = averageValueReplicas({ currentReplicas: ctx.currentReplicas, targetAverage: target, pods: ctx.pods, samples, cpu: false, now: ctx.now });
    return { metric, replicas: p.replicas, status: { type: 'Pods', pods: { metric: { name }, current: { averageValue: quantityString(p.rawAverage) } } }, detail: { average: p.rawAverage, ratio: p.ratio, decision: p.decision, pods: JSON.stringify(Object.fromEntries([...samples].map(([k, v]) => [k, Math.round(v.value * 100) / 100]))), groups: JSON.stringify(p.groups) } };
  } catch (err) {
    return { metric, reason: 'FailedGetPodsMetric', error: `failed to get pods metric value: unable to get metric ${name}: ${(err as Error).message}` };
  }
}

async function objectMetric(metric: any, ctx: MetricContext): Promise<MetricResult> {
  const name: string = metric.object?.metric?.name ?? '';
  const described = metric.object?.describedObject ?? {};
  const t = metric.object?.target ?? {};
  const fail = (why: string): MetricResult => ({ metric, reason: 'FailedGetObjectMetric', error: `failed to get object metric value: unable to get metric ${name}: ${described.kind ?? ''} on ${ctx.namespace} ${described.name ?? ''}/${why}` });
  if (name !== REQUESTS_PER_SECOND || described.kind !== 'Service') return fail(`kubeq serves the object metric ${REQUESTS_PER_SECOND} of Services only`);
  const target = parseTarget(t.type === 'AverageValue' ? t.averageValue : t.value);
  if (target === undefined || target <= 0) return { metric, reason: 'FailedGetObjectMetric', error: `invalid object metric target: ${t.type === 'AverageValue' ? 'averageValue' : 'value'} must be a quantity greater than 0` };
  const seen = await ctx.loads.service(ctx.namespace, described.name);
  // No load sends to the Service: it receives nothing (a series at 0, as a request counter would be).
  const value = seen?.offered ?? 0;
  const current = { metric: { name }, describedObject: described };
  if (t.type === 'AverageValue') {
    const p = objectAverageReplicas({ currentReplicas: ctx.currentReplicas, value, targetAverage: target });
    return { metric, replicas: p.replicas, status: { type: 'Object', object: { ...current, current: { averageValue: quantityString(value / Math.max(1, ctx.currentReplicas)) } } }, detail: { value, ratio: p.ratio, decision: p.decision } };
  }
  const p = objectValueReplicas({ currentReplicas: ctx.currentReplicas, value, target, pods: ctx.pods });
  return { metric, replicas: p.replicas, status: { type: 'Object', object: { ...current, current: { value: quantityString(value) } } }, detail: { value, ratio: p.ratio, decision: p.decision } };
}

/** computeReplicasForMetric for one metric spec. */
export function computeMetric(metric: any, ctx: MetricContext): Promise<MetricResult> {
  switch (metric?.type) {
    case 'Resource':
      return resourceMetric(metric, ctx);
    case 'Pods':
      return podsMetric(metric, ctx);
    case 'Object':
      return objectMetric(metric, ctx);
    default:
      return Promise.resolve({ metric, reason: 'InvalidMetricSourceType', error: `${metricName(metric)}: kubeq computes Resource, Pods and Object metrics` });
  }
}
