/**
 * reconcile(`pods/<ns>/<name>`) for a pod bound to one of this process's nodes: take the
 * lifecycle's next step (lifecycle.ts) and carry it out — write the status, remove the pod, or
 * come back when the stage's delay has passed. Pods of other nodes, and gone pods, are done.
 */
import type { KubeObject, ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { podStep, type NodeView } from './lifecycle';
import type { Profile } from './profile';

export interface PodReconcileDeps {
  store: Store;
  clock: Clock;
  timeScale: number;
  seed: number;
  profile: Profile;
  /** This process's nodes by name (with the stored spec.podCIDR when the node has one). */
  node: (name: string) => NodeView | undefined;
}

/**
 * IPs held by the node's other unfinished pods, read from the store's spec.nodeName index rather
 * than the cache (which can lag this process's own last write). Safe because the kubelet runs
 * one reconcile at a time.
 */
async function usedIPs(store: Store, nodeName: string, self: string | undefined): Promise<Set<string>> {
  const { items } = await store.list('pods', { fieldSelector: `spec.nodeName=${nodeName}` });
  const live = items.filter((p: KubeObject) => p.metadata.uid !== self && !['Succeeded', 'Failed'].includes(p.status?.phase));
  return new Set(live.map((p) => p.status?.podIP).filter((ip): ip is string => !!ip));
}

export async function reconcilePod(key: ObjectKey, deps: PodReconcileDeps): Promise<ReconcileResult | void> {
  const [, namespace, name] = key.split('/');
  const pod = await deps.store.get('pods', namespace, name);
  const node = pod?.spec?.nodeName ? deps.node(pod.spec.nodeName) : undefined;
  if (!pod || !node) return;
  // Only a pending pod can be about to take an address.
  const used = pod.status?.phase === 'Pending' ? await usedIPs(deps.store, node.name, pod.metadata.uid) : new Set<string>();
  const step = podStep({ pod, node, now: deps.clock.now(), timeScale: deps.timeScale, profile: deps.profile, seed: deps.seed, usedIPs: used });
  switch (step.action) {
    case 'none':
      return;
    case 'wait':
      return { requeueAfter: deps.clock.scaled(step.afterMs) };
    case 'delete':
      await deps.store.delete('pods', namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }).catch(ignoreNotFound);
      return;
    case 'write': {
      const uid = pod.metadata.uid;
      const rv = pod.metadata.resourceVersion;
      // Only over the pod the step was computed from: any change in between runs the key again.
      await deps.store
        .guaranteedUpdate('pods', namespace, name, (current) => (current.metadata.uid === uid && current.metadata.resourceVersion === rv ? { ...current, status: step.status } : undefined), 'status')
        .catch(ignoreNotFound);
      // The write's own change event runs the key again for the next stage.
      return;
    }
  }
}

function ignoreNotFound(err: unknown): undefined {
  if ((err as { code?: number }).code === 404) return undefined;
  throw err;
}
