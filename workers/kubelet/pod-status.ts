/**
 * The pod statuses the simulated kubelet writes, each built from the stored status and the
 * moment it applies. Pure: no clock, no store.
 */
import type { KubeObject } from '../../shared/api/types';
import { stableHex } from './random';

/** Kubernetes' metav1.Time text: RFC 3339 in seconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * RFC 3339 with milliseconds (as kwok's `Now`), for the times the lifecycle's delays count from
 * (startTime, startedAt, finishedAt): whole seconds would let a stage fire up to a second
 * early, ten simulated seconds at KUBEQ_TIME_SCALE=10. metav1.Time reads either form.
 */
export function preciseTime(date: Date): string {
  return date.toISOString();
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  lastProbeTime?: null;
  lastTransitionTime?: string;
}

/** The order `kubectl describe` shows (the kubelet's); other conditions follow. */
const ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** The kubelet's conditions, in upstream order, keeping lastTransitionTime while a status holds; PodScheduled is kept as stored. */
function withConditions(status: any, wanted: Record<string, 'True' | 'False'>, reason: string | undefined, at: Date): Condition[] {
  const old: Condition[] = Array.isArray(status?.conditions) ? status.conditions : [];
  const keep = old.filter((c) => !(c.type in wanted));
  const next = Object.entries(wanted).map(([type, s]): Condition => {
    const prev = old.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === s && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(at);
    const byReason = s === 'False' && reason && (type === 'Ready' || type === 'ContainersReady') ? { reason } : {};
    return { type, status: s, lastProbeTime: null, lastTransitionTime, ...byReason };
  });
  if (!keep.some((c) => c.type === 'PodScheduled')) keep.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(at) });
  const rank = (c: Condition) => (ORDER.indexOf(c.type) + ORDER.length + 1) % (ORDER.length + 1);
  return [...next, ...keep].sort((a, b) => rank(a) - rank(b));
}

function containers(pod: KubeObject): { name: string; image: string }[] {
  return Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
}

function base(c: { name: string; image: string }) {
  return { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false };
}

/** Accepted by the node: Pending, every container waiting in ContainerCreating. */
export function pendingStatus(pod: KubeObject, hostIP: string, at: Date): any {
  const status = pod.status ?? {};
  return {
    ...status,
    phase: 'Pending',
    conditions: withConditions(status, { PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False', ContainersReady: 'False' }, 'ContainersNotReady', at),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: status.startTime ?? preciseTime(at),
    containerStatuses: containers(pod).map((c) => ({ ...base(c), state: { waiting: { reason: 'ContainerCreating' } } })),
  };
}

/** Containers started and ready (no probes yet): Running with `podIP`. */
export function runningStatus(pod: KubeObject, podIP: string, at: Date): any {
  const status = pod.status ?? {};
  const uid = pod.metadata.uid ?? '';
  return {
    ...status,
    phase: 'Running',
    conditions: withConditions(status, { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True' }, undefined, at),
    podIP,
    podIPs: [{ ip: podIP }],
    containerStatuses: containers(pod).map((c) => ({
      ...base(c),
      imageID: `${c.image.split(':')[0]}@sha256:${stableHex('image', c.image)}`,
      containerID: `kubeq://${stableHex('container', uid, c.name)}`,
      ready: true,
      started: true,
      state: { running: { startedAt: preciseTime(at) } },
    })),
  };
}

/**
 * Every container terminated with `exitCode` (reason Completed for 0, else Error). `phase` is
 * the pod's terminal phase, or undefined to keep the stored one (a pod being deleted).
 */
export function terminatedStatus(pod: KubeObject, exitCode: number, at: Date, phase?: 'Succeeded' | 'Failed'): any {
  const status = pod.status ?? {};
  const old: any[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  return {
    ...status,
    ...(phase ? { phase } : {}),
    conditions: withConditions(status, { PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False', ContainersReady: 'False' }, 'PodCompleted', at),
    containerStatuses: containers(pod).map((c) => {
      const prev = old.find((s) => s.name === c.name) ?? base(c);
      const terminated = prev.state?.terminated ?? {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: prev.state?.running?.startedAt ?? null,
        finishedAt: preciseTime(at),
        ...(prev.containerID ? { containerID: prev.containerID } : {}),
      };
      return { ...prev, ready: false, started: false, state: { terminated } };
    }),
  };
}
