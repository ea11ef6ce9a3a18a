/** Pods of a node the controller cannot hear from (upstream's MarkPodsNotReady). */
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import type { EventRecorder } from '../../shared/events/recorder';
import type { Store } from '../../shared/store/store';
import { timestamp } from './deployment-status';

/** The pod's status with its Ready condition False (transition time `now`); undefined when it has none or it is False already. */
export function notReadyStatus(pod: KubeObject, now: string): any {
  const conditions: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  if (!conditions.some((c) => c.type === 'Ready' && c.status !== 'False')) return undefined;
  return { ...pod.status, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c)) };
}

/**
 * Sets the Ready condition of every pod bound to the node False, as its kubelet no longer can:
 * endpoints stop sending them traffic. Pods are read from the store's spec.nodeName index. Each
 * pod changed gets a Warning `NodeNotReady` Event ("Node is not ready"). Gone pods are skipped.
 */
export async function markPodsNotReady(store: Store, recorder: EventRecorder, nodeName: string, now: Date): Promise<void> {
  const { items } = await store.list('pods', { fieldSelector: `spec.nodeName=${nodeName}` });
  for (const pod of items) {
    if (!notReadyStatus(pod, timestamp(now))) continue;
    let changed = false;
    const written = await store
      .guaranteedUpdate('pods', pod.metadata.namespace, pod.metadata.name!, (current) => {
        const status = current.metadata.uid === pod.metadata.uid && current.spec?.nodeName === nodeName ? notReadyStatus(current, timestamp(now)) : undefined;
        changed = status !== undefined;
        return status && { ...current, status };
      }, 'status')
      .catch((err: unknown) => {
        if (!isStatusError(err, 404)) throw err;
      });
    if (written && changed) await recorder.event(written, 'Warning', 'NodeNotReady', 'Node is not ready');
  }
}
