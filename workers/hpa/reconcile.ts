/**
 * reconcile(`horizontalpodautoscalers/<ns>/<name>`) as upstream's HorizontalController
 * (horizontal.go: reconcileAutoscaler), every 15 s (--horizontal-pod-autoscaler-sync-period,
 * time-scaled): read the target's scale, clamp to min/max or compute a proposal per metric
 * (replicas.ts) from the kubelets' samples, normalize it with `behavior` (behavior.ts), scale
 * the target, record `SuccessfulRescale`, and write status and conditions as upstream words them.
 * The span carries every input and intermediate value.
 *
 * Metrics (metrics.ts): Resource (Utilization or AverageValue) from the kubelets' samples, Pods
 * and Object (`requests_per_second`) from the simulated loads; a metric that cannot be read is
 * reported as upstream reports it, with ScalingActive=False when none can.
 */
import type { Span } from '@opentelemetry/api';
import { selectorMatches } from '../../shared/api/validation/labels';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { EventRecorder } from '../../shared/events/recorder';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { LoadState } from '../../shared/load/state';
import type { PodSample as ResourceSample, ResourceSamples } from '../../shared/resourcemetrics/samples';
import type { Store } from '../../shared/store/store';
import { normalize, recordScale, type History } from './behavior';
import { metricName, rescaleMessage, rescaleReason } from './messages';
import { computeMetric, type MetricContext, type MetricResult } from './metrics';
import { rfc3339 } from '../../shared/api/time';

/** --horizontal-pod-autoscaler-sync-period. */
export const SYNC_PERIOD_MS = 15_000;
const TARGETS: Record<string, string> = { Deployment: 'deployments', ReplicaSet: 'replicasets' };

export interface HpaDeps {
  store: Store;
  samples: ResourceSamples;
  /** What the simulated loads send pods and Services: the Pods and Object metrics. */
  loads: LoadState;
  clock: Clock;
  recorder: EventRecorder;
  /** The recommendations and scale events of each HPA (upstream keeps them in memory too), on the cluster timeline. */
  history: Map<ObjectKey, History>;
  /** KUBEQ_TIME_SCALE: behavior's windows and periods are cluster time, so its history is kept in wall ms × this. Default 1. */
  timeScale?: number;
}

type Condition = { type: string; status: 'True' | 'False'; reason: string; message: string };


function withConditions(old: any[], wanted: Condition[], now: Date): any[] {
  return wanted.map((c) => {
    const prev = (old ?? []).find((o: any) => o.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : rfc3339(now) };
  });
}

async function writeStatus(store: Store, hpa: KubeObject, status: any): Promise<void> {
  await store.guaranteedUpdate('horizontalpodautoscalers', hpa.metadata.namespace, hpa.metadata.name!, (cur) => ({ ...cur, status }), 'status');
}

export async function reconcileHpa(key: ObjectKey, cache: Indexer, deps: HpaDeps, span?: Span): Promise<ReconcileResult | void> {
  const { namespace, name } = parseObjectKey(key);
  const hpa = await deps.store.get('horizontalpodautoscalers', namespace, name);
  if (!hpa) return void deps.history.delete(key);
  const now = deps.clock.now();
  const clusterNow = now.getTime() * (deps.timeScale ?? 1);
  const requeue = { requeueAfter: deps.clock.scaled(SYNC_PERIOD_MS) };
  const spec = hpa.spec ?? {};
  const old = hpa.status ?? {};
  const ref = spec.scaleTargetRef ?? {};
  const resource = TARGETS[ref.kind];
  const target = resource ? await deps.store.get(resource, namespace, ref.name) : undefined;
  const base = { observedGeneration: hpa.metadata.generation, ...(old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}) };
  if (!target) {
    const why = resource ? `${resource}.apps "${ref.name}" not found` : `the server could not find the requested resource (${ref.kind} cannot be scaled)`;
    await writeStatus(deps.store, hpa, {
      ...base,
      currentReplicas: old.currentReplicas ?? 0,
      desiredReplicas: old.desiredReplicas ?? 0,
      conditions: withConditions(old.conditions, [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${why}` }], now),
    });
    return requeue;
  }
  const current: number = target.spec?.replicas ?? 1;
  const min: number = spec.minReplicas ?? 1;
  const max: number = spec.maxReplicas;
  const history = deps.history.get(key) ?? { recommendations: [], scaleUps: [], scaleDowns: [] };
  span?.setAttributes({ 'kubeq.hpa.current_replicas': current, 'kubeq.hpa.min_replicas': min, 'kubeq.hpa.max_replicas': max });

  let desired = current;
  let reason = '';
  let metricStatuses: any[] = old.currentMetrics ?? [];
  // Having read the scale, as upstream says first; the branches below add or refine.
  const conditions: Condition[] = [{ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" }];
  let normalized: ReturnType<typeof normalize> | undefined;
  if (current === 0 && min !== 0) {
    conditions.push({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    desired = 0;
  } else if (current > max) {
    [desired, reason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
  } else if (current < min) {
    [desired, reason] = [min, 'Current number of replicas below Spec.MinReplicas'];
  } else {
    const pods = cache.byIndex(NAMESPACE_INDEX, namespace!, 'pods').filter((p) => selectorMatches(target.spec?.selector, p.metadata.labels));
    let samples: Promise<ResourceSample[]> | undefined;
    const ctx: MetricContext = { namespace: namespace!, currentReplicas: current, pods, loads: deps.loads, now: now.getTime(), scaled: (ms) => deps.clock.scaled(ms), resourceSamples: () => (samples ??= deps.samples.pods().then((all) => all.filter((s) => s.namespace === namespace))) };
    const proposals: MetricResult[] = [];
    for (const metric of spec.metrics ?? []) proposals.push(await computeMetric(metric, ctx));
    const good = proposals.filter((p) => p.replicas !== undefined);
    // The largest proposal wins (upstream's computeReplicasForMetrics); it names the reason.
    proposals.forEach((p, i) => {
      span?.setAttribute(`kubeq.hpa.metric.${i}`, metricName(p.metric));
      if (p.error) span?.setAttribute(`kubeq.hpa.metric.${i}.error`, p.error);
      else span?.setAttributes({ [`kubeq.hpa.metric.${i}.proposal`]: p.replicas!, ...Object.fromEntries(Object.entries(p.detail ?? {}).map(([k, v]) => [`kubeq.hpa.metric.${i}.${k}`, v as string | number])) });
    });
    const best = good.length ? good.reduce((a, b) => (b.replicas! > a.replicas! ? b : a)) : undefined;
    // Upstream (computeReplicasForMetrics): when any metric is invalid, never scale down on the others.
    if (!best || (good.length < proposals.length && best.replicas! < current)) {
      const failed = proposals.find((p) => p.error);
      const first = failed?.error ?? 'no metrics';
      conditions.push({ type: 'ScalingActive', status: 'False', reason: failed?.reason ?? 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${first}` });
      await deps.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${proposals.length - good.length} invalid out of ${proposals.length}), first error is: ${first}`);
    } else {
      // A metric that could not be read keeps its type alone, as upstream leaves an empty status.
      metricStatuses = proposals.map((p) => p.status ?? { type: p.metric.type });
      conditions.push({ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metricName(best.metric)}` });
      normalized = normalize({ current, desired: best.replicas!, minReplicas: min, maxReplicas: max, behavior: spec.behavior, history, now: clusterNow });
      desired = normalized.replicas;
      reason = rescaleReason(current, desired, best.metric);
      conditions[0] = { type: 'AbleToScale', ...normalized.ableToScale };
      conditions.push({ type: 'ScalingLimited', ...normalized.scalingLimited });
      span?.setAttributes({ 'kubeq.hpa.recommendation': best.replicas!, 'kubeq.hpa.stabilized': normalized.stabilized, 'kubeq.hpa.desired_replicas': desired, 'kubeq.hpa.limit': normalized.scalingLimited.reason, 'kubeq.hpa.stabilization': normalized.ableToScale.reason });
    }
  }
  let next = normalized ? normalized.history : history;
  let lastScaleTime = old.lastScaleTime;
  if (desired !== current && !(current === 0 && min !== 0)) {
    await deps.store.guaranteedUpdate(resource!, namespace, ref.name, (t) => ({ ...t, spec: { ...t.spec, replicas: desired } }));
    await deps.recorder.event(hpa, 'Normal', 'SuccessfulRescale', rescaleMessage(desired, reason));
    next = recordScale(next, current, desired, clusterNow, spec.behavior);
    lastScaleTime = rfc3339(now);
  }
  deps.history.set(key, next);
  await writeStatus(deps.store, hpa, { ...base, ...(lastScaleTime ? { lastScaleTime } : {}), currentReplicas: current, desiredReplicas: desired, currentMetrics: metricStatuses, conditions: withConditions(old.conditions, conditions, now) });
  return requeue;
}
