/**
 * The HPA's replica arithmetic, as upstream's ReplicaCalculator does it
 * (pkg/controller/podautoscaler/replica_calculator.go), for Resource metrics with a target
 * utilization or average value, plain per-pod metrics (Pods metrics), and Object metrics:
 *
 * - pods are grouped: deleted and Failed ones ignored; Pending ones unready; ones without a
 *   sample missing; for cpu, pods unready or still in their initialization (5 min) without a
 *   clean sample count as unready;
 * - ratio = current / target over the ready pods with samples; within the tolerance (0.1) of 1
 *   nothing changes, else desired = ceil(ratio × ready pods);
 * - with missing or unready pods the sum is done again: on scale-up missing and unready pods count
 *   as 0 %, on scale-down missing ones as 100 % (of target); when that flips the direction or
 *   lands within the tolerance, nothing changes.
 *
 * Pure: pods, samples and time in; the proposal with every intermediate value out (they go on
 * the reconcile span).
 */
import { toMillis, toNumber } from '../../shared/api/quantity';
import type { KubeObject } from '../../shared/api/types';

/** Upstream defaults: --horizontal-pod-autoscaler-tolerance, -cpu-initialization-period, -initial-readiness-delay. */
export const TOLERANCE = 0.1;
export const CPU_INITIALIZATION_PERIOD_MS = 300_000;
export const INITIAL_READINESS_DELAY_MS = 30_000;

/** One pod's sample: its usage (millicores for cpu, bytes for memory, the metric's units otherwise), when and over what window. */
export interface PodSample {
  value: number;
  timestamp: number;
  windowMs: number;
}

export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

const readyCondition = (pod: KubeObject) => (pod.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready') as { status?: string; lastTransitionTime?: string } | undefined;

/** Cluster time to wall time (KUBEQ_TIME_SCALE): pod times and `now` are wall clock, the periods and sample windows cluster time. */
export type Scaled = (clusterMs: number) => number;
const unscaled: Scaled = (ms) => ms;

/** groupPods. `cpu`: apply the readiness rules only the cpu resource has. */
export function groupPods(pods: KubeObject[], samples: ReadonlyMap<string, PodSample>, cpu: boolean, now: number, scaled: Scaled = unscaled): PodGroups {
  const g: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const sample = samples.get(name);
    if (!sample) {
      g.missing.add(name);
      continue;
    }
    if (cpu) {
      const condition = readyCondition(pod);
      const start = Date.parse(pod.status?.startTime ?? '');
      let unready: boolean;
      if (!condition || Number.isNaN(start)) unready = true;
      else {
        const transition = Date.parse(condition.lastTransitionTime ?? '') || 0;
        unready =
          start + scaled(CPU_INITIALIZATION_PERIOD_MS) > now
            ? // Still initializing: unready, or no full sample window since its last transition.
              condition.status === 'False' || sample.timestamp < transition + scaled(sample.windowMs)
            : // Unready and never ready since the initial readiness delay.
              condition.status === 'False' && start + scaled(INITIAL_READINESS_DELAY_MS) > transition;
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyCount++;
  }
  return g;
}

export interface Proposal {
  replicas: number;
  /** The utilization (percent of request) or average value the ready pods showed. */
  current: number;
  /** The same raw, as an average per pod (the AverageValue reading). */
  rawAverage: number;
  ratio: number;
  /** Why the count is what it is. */
  decision: 'within tolerance' | 'scale' | 'direction would flip' | 'no change after recount';
  groups: { ready: number; unready: string[]; missing: string[]; ignored: string[] };
}

export class MetricsError extends Error {}

/** GetResourceUtilizationRatio: ratio, utilization (integer percent) and raw average over pods with both a sample and a request. */
export function utilizationRatio(samples: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, targetUtilization: number): { ratio: number; utilization: number; rawAverage: number } {
  let used = 0;
  let requested = 0;
  let n = 0;
  for (const [pod, value] of samples) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    used += value;
    requested += request;
    n++;
  }
  if (requested === 0) throw new MetricsError('no metrics returned matched known pods');
  const utilization = Math.trunc((used * 100) / requested);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: used / n };
}

const groupsOut = (g: PodGroups) => ({ ready: g.readyCount, unready: [...g.unready].sort(), missing: [...g.missing].sort(), ignored: [...g.ignored].sort() });

/**
 * calculatePodRequests: each pod's request of `resource` summed over its containers (or the one
 * named `container`), millicores for cpu. A container without the request fails the whole
 * calculation, with upstream's message.
 */
export function podRequests(pods: KubeObject[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new MetricsError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += resource === 'cpu' ? toMillis(request) : toNumber(request);
    }
    out.set(pod.metadata.name!, sum);
  }
  return out;
}

interface Reading {
  ratio: number;
  current: number;
  rawAverage: number;
}

/**
 * What GetResourceReplicas and calcPlainMetricReplicas share: group the pods, read the ratio over
 * the ready ones with samples, and with missing or unready pods read it again with missing pods at
 * `missingOnTheWayDown(pod)` (scale-down) or 0 (scale-up) and unready ones at 0 (scale-up), keeping
 * the count when that lands within the tolerance, flips the direction, or moves against it.
 */
function proposeReplicas(args: { currentReplicas: number; pods: KubeObject[]; samples: ReadonlyMap<string, PodSample>; cpu: boolean; now: number; scaled?: Scaled; tolerance?: number; read: (metrics: ReadonlyMap<string, number>) => Reading; missingOnTheWayDown: (pod: string) => number }): Proposal {
  const { currentReplicas, pods } = args;
  const tolerance = args.tolerance ?? TOLERANCE;
  const g = groupPods(pods, args.samples, args.cpu, args.now, args.scaled);
  const selected = new Set(pods.map((p) => p.metadata.name!));
  const metrics = new Map([...args.samples].filter(([name]) => selected.has(name) && !g.ignored.has(name) && !g.unready.has(name)).map(([name, s]) => [name, s.value]));
  if (metrics.size === 0) throw new MetricsError('did not receive metrics for targeted pods (pods might be unready)');
  const first = args.read(metrics);
  const base = { current: first.current, rawAverage: first.rawAverage, ratio: first.ratio, groups: groupsOut(g) };
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= tolerance) return { ...base, replicas: currentReplicas, decision: 'within tolerance' };
    return { ...base, replicas: Math.ceil(first.ratio * g.readyCount), decision: 'scale' };
  }
  for (const name of g.missing) metrics.set(name, first.ratio < 1 ? args.missingOnTheWayDown(name) : 0);
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, 0);
  const second = args.read(metrics).ratio;
  if (Math.abs(1 - second) <= tolerance || (first.ratio < 1 && second > 1) || (first.ratio > 1 && second < 1)) {
    return { ...base, replicas: currentReplicas, decision: Math.abs(1 - second) <= tolerance ? 'within tolerance' : 'direction would flip' };
  }
  const replicas = Math.ceil(second * metrics.size);
  if ((second < 1 && replicas > currentReplicas) || (second > 1 && replicas < currentReplicas)) return { ...base, replicas: currentReplicas, decision: 'no change after recount' };
  return { ...base, ratio: second, replicas, decision: 'scale' };
}

/**
 * The replica count for a Resource metric (`resource`: cpu or memory) with `targetUtilization`
 * (percent of request): missing pods count as 100 % (or the target, when higher) on the way
 * down. Throws MetricsError as upstream errs (no pods, no samples, no requests).
 */
export function resourceReplicas(args: { currentReplicas: number; targetUtilization: number; pods: KubeObject[]; samples: ReadonlyMap<string, PodSample>; resource: string; container?: string; now: number; scaled?: Scaled; tolerance?: number }): Proposal {
  const { targetUtilization, pods } = args;
  if (pods.length === 0) throw new MetricsError('no pods returned by selector while calculating replica count');
  const requests = podRequests(pods, args.resource, args.container);
  const fallback = Math.max(100, targetUtilization);
  return proposeReplicas({
    ...args,
    cpu: args.resource === 'cpu',
    read: (metrics) => {
      const r = utilizationRatio(metrics, requests, targetUtilization);
      return { ratio: r.ratio, current: r.utilization, rawAverage: r.rawAverage };
    },
    missingOnTheWayDown: (pod) => (requests.get(pod)! * fallback) / 100,
  });
}

/**
 * calcPlainMetricReplicas: the replica count for an average per pod (a Resource metric with an
 * AverageValue target, or a Pods metric), `targetAverage` in the samples' units; missing pods
 * count as the target on the way down.
 */
export function averageValueReplicas(args: { currentReplicas: number; targetAverage: number; pods: KubeObject[]; samples: ReadonlyMap<string, PodSample>; cpu: boolean; now: number; scaled?: Scaled; tolerance?: number }): Proposal {
  if (args.pods.length === 0) throw new MetricsError('no pods returned by selector while calculating replica count');
  return proposeReplicas({
    ...args,
    read: (metrics) => {
      const average = [...metrics.values()].reduce((a, b) => a + b, 0) / metrics.size;
      return { ratio: average / args.targetAverage, current: Math.round(average), rawAverage: average };
    },
    missingOnTheWayDown: () => args.targetAverage,
  });
}

/** getReadyPodsCount: Running pods whose Ready condition is True. */
export function readyPodCount(pods: KubeObject[]): number {
  return pods.filter((p) => p.status?.phase === 'Running' && readyCondition(p)?.status === 'True').length;
}

/** What an Object metric proposes: the count, the usage ratio, and why. */
export interface ObjectProposal {
  replicas: number;
  ratio: number;
  decision: 'within tolerance' | 'scale';
}

/**
 * GetObjectMetricReplicas (a Value target): ratio = value / target; within the tolerance the
 * count stays, else ceil(ratio × ready pods) — ceil(ratio) from zero replicas.
 */
export function objectValueReplicas(args: { currentReplicas: number; value: number; target: number; pods: KubeObject[]; tolerance?: number }): ObjectProposal {
  const ratio = args.value / args.target;
  if (args.currentReplicas === 0) return { replicas: Math.ceil(ratio), ratio, decision: 'scale' };
  if (Math.abs(1 - ratio) <= (args.tolerance ?? TOLERANCE)) return { replicas: args.currentReplicas, ratio, decision: 'within tolerance' };
  return { replicas: Math.ceil(ratio * readyPodCount(args.pods)), ratio, decision: 'scale' };
}

/**
 * GetObjectPerPodMetricReplicas (an AverageValue target): ratio = value / (target × current
 * replicas); within the tolerance the count stays, else ceil(value / target).
 */
export function objectAverageReplicas(args: { currentReplicas: number; value: number; targetAverage: number; tolerance?: number }): ObjectProposal {
  const ratio = args.value / (args.targetAverage * args.currentReplicas);
  if (Math.abs(1 - ratio) <= (args.tolerance ?? TOLERANCE)) return { replicas: args.currentReplicas, ratio, decision: 'within tolerance' };
  return { replicas: Math.ceil(args.value / args.targetAverage), ratio, decision: 'scale' };
}
