import { isStatusError } from '../../shared/api/status';
import { nodeTaints, podTolerations } from '../../shared/api/taints';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { EventRecorder } from '../../shared/events/recorder';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { timestamp } from './deployment-status';
import { boundAt, evictionDue } from './tainteviction-decision';

export interface TaintEviction {
  store: Store;
  clock: Clock;
  /** Where TaintManagerEviction Events go. */
  recorder: EventRecorder;
}

/**
 * The taint-eviction controller for one pod: a pod bound to a node with NoExecute taints it does
 * not tolerate is deleted; one that tolerates them for `tolerationSeconds` is deleted once that
 * time has passed (the key comes back then), unless the taints are gone by then. Before the
 * delete the pod gets a `TaintManagerEviction` Event ("Marking for deletion Pod <ns>/<name>") and
 * a DisruptionTarget condition, as upstream's. The delete uses the pod's grace period, so a pod
 * on a dead node stays Terminating until its kubelet comes back or the node goes.
 */
export async function reconcileTaintEviction(key: ObjectKey, te: TaintEviction): Promise<ReconcileResult | void> {
  const { namespace, name } = parseObjectKey(key);
  const pod = await te.store.get('pods', namespace, name);
  if (!pod?.spec?.nodeName || pod.metadata.deletionTimestamp) return;
  const node = await te.store.get('nodes', undefined, pod.spec.nodeName);
  if (!node) return;
  const due = evictionDue(nodeTaints(node), podTolerations(pod), boundAt(pod), te.clock.scaled);
  if (due === undefined) return;
  const wait = due - te.clock.now().getTime();
  if (wait > 0) return { requeueAfter: Math.ceil(wait) };
  await te.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
  await evict(te, pod);
}

/** Adds the DisruptionTarget condition, then deletes exactly this pod; gone or replaced is fine. */
async function evict(te: TaintEviction, pod: KubeObject): Promise<void> {
  const { namespace, name, uid } = pod.metadata;
  try {
    await te.store.guaranteedUpdate('pods', namespace, name!, (current) => {
      if (current.metadata.uid !== uid) return undefined;
      const status = withDisruptionTarget(current.status, timestamp(te.clock.now()));
      return status && { ...current, status };
    }, 'status');
    await te.store.delete('pods', namespace, name!, { preconditions: { uid } });
  } catch (err) {
    const replaced = isStatusError(err, 409) && err.message.includes('Precondition failed');
    if (!isStatusError(err, 404) && !replaced) throw err;
  }
}

/** The status with upstream's DisruptionTarget condition; undefined when it has it already. */
export function withDisruptionTarget(status: any, now: string): any {
  const conditions: any[] = Array.isArray(status?.conditions) ? status.conditions : [];
  const wanted = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
  const old = conditions.find((c) => c.type === wanted.type);
  if (old && old.status === wanted.status && old.reason === wanted.reason && old.message === wanted.message) return undefined;
  const condition = { ...wanted, lastTransitionTime: old?.status === wanted.status ? old.lastTransitionTime : now };
  return { ...status, conditions: [...conditions.filter((c) => c !== old), condition] };
}
