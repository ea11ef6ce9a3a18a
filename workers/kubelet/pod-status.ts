/**
 * The pod statuses the simulated kubelet writes, each built from the stored status and the
 * moment it applies. Pure: no clock, no store.
 */
import type { KubeObject } from '../../shared/api/types';
import { rfc3339 } from '../../shared/api/time';

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
  message?: string;
  lastProbeTime?: null;
  lastTransitionTime?: string;
}

/** A kubelet condition's wanted state; False carries upstream's reason and message. */
export type Wanted = 'True' | { reason: string; message?: string };

/** The order `kubectl describe` shows (the kubelet's); other conditions follow. */
const ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** The kubelet's conditions, in upstream order, keeping lastTransitionTime while a status holds; PodScheduled is kept as stored. */
export function withConditions(status: any, wanted: Record<string, Wanted | 'False'>, at: Date): Condition[] {
  const old: Condition[] = Array.isArray(status?.conditions) ? status.conditions : [];
  const keep = old.filter((c) => !(c.type in wanted));
  const next = Object.entries(wanted).map(([type, want]): Condition => {
    const s = want === 'True' ? 'True' : 'False';
    const prev = old.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === s && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(at);
    const why = typeof want === 'object' ? { reason: want.reason, ...(want.message ? { message: want.message } : {}) } : {};
    return { type, status: s, lastProbeTime: null, lastTransitionTime, ...why };
  });
  if (!keep.some((c) => c.type === 'PodScheduled')) keep.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(at) });
  const rank = (c: Condition) => (ORDER.indexOf(c.type) + ORDER.length + 1) % (ORDER.length + 1);
  return [...next, ...keep].sort((a, b) => rank(a) - rank(b));
}

type Spec = { name: string; image: string };

export function containerSpecs(pod: KubeObject, field: 'containers' | 'initContainers' = 'containers'): Spec[] {
  return Array.isArray(pod.spec?.[field]) ? pod.spec[field] : [];
}

/** Upstream's "containers with unready status: [a b]" and friends. */
export const listed = (what: string, names: string[]) => `containers with ${what} status: [${names.join(' ')}]`;

/** Accepted by the node: Pending, every container waiting (ContainerCreating, or PodInitializing behind init containers). */
export function pendingStatus(pod: KubeObject, hostIP: string, at: Date): any {
  const status = pod.status ?? {};
  const inits = containerSpecs(pod, 'initContainers');
  const waiting = (reason: string) => (c: Spec) => waitingStatus(c, reason);
  const initialized: Wanted = inits.length ? { reason: 'ContainersNotInitialized', message: listed('incomplete', inits.map((c) => c.name)) } : 'True';
  const notReady: Wanted = { reason: 'ContainersNotReady', message: listed('unready', containerSpecs(pod).map((c) => c.name)) };
  return {
    ...status,
    phase: 'Pending',
    conditions: withConditions(status, { PodReadyToStartContainers: 'False', Initialized: initialized, Ready: notReady, ContainersReady: notReady }, at),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: status.startTime ?? preciseTime(at),
    ...(inits.length ? { initContainerStatuses: inits.map(waiting('PodInitializing')) } : {}),
    containerStatuses: containerSpecs(pod).map(waiting(inits.length ? 'PodInitializing' : 'ContainerCreating')),
  };
}

/**
 * The pod is being deleted: every container that ran is terminated with `exitCode` (Completed
 * for 0, else Error); the phase stays as stored.
 */
export function terminatedStatus(pod: KubeObject, exitCode: number, at: Date): any {
  const status = pod.status ?? {};
  const old: any[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  const notReady: Wanted = { reason: 'PodCompleted' };
  return {
    ...status,
    conditions: withConditions(status, { PodReadyToStartContainers: 'False', Initialized: 'True', Ready: notReady, ContainersReady: notReady }, at),
    containerStatuses: containerSpecs(pod).map((c) => {
      const prev = old.find((s) => s.name === c.name) ?? waitingStatus(c, 'ContainerCreating');
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

/** A container not started yet, waiting with `reason` (ContainerCreating, PodInitializing). */
export function waitingStatus(spec: Spec, reason: string): any {
  return { name: spec.name, image: spec.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason } } };
}
