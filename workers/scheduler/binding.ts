/**
 * The scheduler's two writes to a pod, as store mutations: bind (spec.nodeName and
 * PodScheduled=True, as the apiserver's pods/binding does) and mark unschedulable
 * (PodScheduled=False, reason Unschedulable, the FitError as message). Both leave a pod alone
 * when it is no longer the one scheduled (another uid), is being deleted, or is already bound.
 */
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { Mutation } from '../../shared/store/store';
import { rfc3339 } from '../../shared/api/time';

export const POD_SCHEDULED = 'PodScheduled';
export const REASON_UNSCHEDULABLE = 'Unschedulable';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export function podScheduledCondition(pod: KubeObject): Condition | undefined {
  return ((pod.status?.conditions ?? []) as Condition[]).find((c) => c.type === POD_SCHEDULED);
}

/** Whether `current` is still the pod to place (uid `uid`, when given): not deleting, not bound. */
export function stillPending(current: KubeObject, uid: string | undefined): boolean {
  return (!uid || current.metadata.uid === uid) && !current.metadata.deletionTimestamp && !current.spec?.nodeName;
}

/** Replaces the PodScheduled condition, keeping lastTransitionTime while its status stays the same. */
function setCondition(pod: KubeObject, wanted: Omit<Condition, 'lastTransitionTime' | 'lastProbeTime'>, now: Date): void {
  const conditions = (pod.status?.conditions ?? []) as Condition[];
  const old = conditions.find((c) => c.type === POD_SCHEDULED);
  const lastTransitionTime = old && old.status === wanted.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
  const next: Condition = { ...wanted, lastProbeTime: null, lastTransitionTime };
  pod.status = { ...pod.status, conditions: [...conditions.filter((c) => c.type !== POD_SCHEDULED), next] };
}

/** Binds the pod (uid `uid`) to `nodeName`; undefined (no write) when it is no longer pending. */
export function bindMutation(uid: string | undefined, nodeName: string, now: Date): Mutation {
  return (current) => {
    if (!stillPending(current, uid)) return undefined;
    current.spec = { ...current.spec, nodeName };
    setCondition(current, { type: POD_SCHEDULED, status: 'True' }, now);
    return current;
  };
}

/** Records why the pod fits nowhere; writes nothing when the condition already says so. */
export function unschedulableMutation(uid: string | undefined, message: string, now: Date): Mutation {
  return (current) => {
    if (!stillPending(current, uid)) return undefined;
    const old = podScheduledCondition(current);
    if (old && old.status === 'False' && old.reason === REASON_UNSCHEDULABLE && old.message === message) return undefined;
    setCondition(current, { type: POD_SCHEDULED, status: 'False', reason: REASON_UNSCHEDULABLE, message }, now);
    return current;
  };
}

/** Upstream's podInitialBackoffDuration and podMaxBackoffDuration, in cluster milliseconds. */
export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;

/**
 * How long to wait, in real milliseconds (what `requeueAfter` takes), before trying an
 * unschedulable pod again, derived from the pod alone (so a restarted scheduler carries on): the
 * time it has already been unschedulable, at least 1 s and at most 10 s of cluster time. Retries
 * therefore come about 1, 2, 4, 8, 16, 26 … cluster seconds after the first failure: the delay
 * doubles (1, 1, 2, 4, 8 s) up to 10 s. The time waited is a difference of `clock.now()`
 * timestamps, so it is held against the bounds as the clock scales them (KUBEQ_TIME_SCALE), as
 * every timestamp comparison is; lastTransitionTime has whole seconds, so the first delays are
 * rough when seconds are scaled down.
 */
export function unschedulableBackoff(pod: KubeObject, clock: Clock): number {
  const cond = podScheduledCondition(pod);
  const since = cond?.status === 'False' && cond.reason === REASON_UNSCHEDULABLE && cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : NaN;
  const waited = Number.isNaN(since) ? 0 : clock.now().getTime() - since;
  return Math.min(clock.scaled(MAX_BACKOFF_MS), Math.max(clock.scaled(INITIAL_BACKOFF_MS), waited));
}
