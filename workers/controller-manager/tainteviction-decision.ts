/**
 * When a pod on a node with NoExecute taints must go (upstream's taint-eviction controller:
 * GetMatchingTolerations and getMinTolerationTime). Pure.
 */
import { toleratesTaint, type Taint, type Toleration } from '../../shared/api/taints';
import type { KubeObject } from '../../shared/api/types';
import { latestInstant } from './nodelifecycle-health';

/** The node's NoExecute taints. */
export function noExecuteTaintsOf(taints: Taint[]): Taint[] {
  return taints.filter((t) => t.effect === 'NoExecute');
}

/** When the pod was bound to its node: its PodScheduled condition's transition, else its creation; NaN when unknown. */
export function boundAt(pod: KubeObject): number {
  const scheduled = (Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).find((c: any) => c.type === 'PodScheduled' && c.status === 'True');
  const at = latestInstant(scheduled?.lastTransitionTime);
  return Number.isNaN(at) ? latestInstant(pod.metadata.creationTimestamp) : at;
}

/**
 * When the pod must be deleted, in epoch ms (at or before now: at once), or undefined when it may
 * stay. No NoExecute taint: it stays. A taint no toleration tolerates: at once. Each tolerated
 * taint counts from when it applied to this pod (the later of its `timeAdded` and the pod's
 * binding; the binding when it has no timeAdded) for the `tolerationSeconds` of the first
 * toleration that tolerates it (unset: for ever; 0 or less: at once); the earliest deadline wins.
 * Upstream counts from when its controller saw the taint, which this reads from the taint itself.
 *
 * `durationMs` turns seconds into the clock's milliseconds (`clock.scaled`).
 */
export function evictionDue(taints: Taint[], tolerations: Toleration[], podBoundAt: number, durationMs: (ms: number) => number): number | undefined {
  let due: number | undefined;
  for (const taint of noExecuteTaintsOf(taints)) {
    const used = tolerations.find((t) => toleratesTaint(t, taint));
    if (!used) return Number.NEGATIVE_INFINITY;
    if (used.tolerationSeconds === undefined || used.tolerationSeconds === null) continue;
    if (used.tolerationSeconds <= 0) return Number.NEGATIVE_INFINITY;
    const since = Math.max(...[latestInstant(taint.timeAdded), podBoundAt].filter((t) => !Number.isNaN(t)));
    const at = since + durationMs(used.tolerationSeconds * 1000);
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}
