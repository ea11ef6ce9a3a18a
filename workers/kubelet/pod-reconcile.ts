/**
 * reconcile(`pods/<ns>/<name>`) for a pod bound to one of this process's nodes: take the
 * lifecycle's next step (lifecycle.ts) and carry it out — write the status, remove the pod, or
 * come back when the stage's delay has passed. Pods of other nodes, and gone pods, are done.
 */
import type { ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { EventRecorder } from '../../shared/events/recorder';
import type { Store } from '../../shared/store/store';
import type { PodAddresses } from './ipam';
import { podStep, type NodeView } from './lifecycle';
import type { Profile } from './profile';

export interface PodReconcileDeps {
  store: Store;
  clock: Clock;
  timeScale: number;
  seed: number;
  profile: Profile;
  /** Probe failures, kills and back-offs, as the kubelet reports them. */
  recorder: EventRecorder;
  /** Pod addresses of this process's nodes. */
  addresses: PodAddresses;
  /** This process's nodes by name (with the stored spec.podCIDR when the node has one). */
  node: (name: string) => NodeView | undefined;
  /** Containers over their memory limit with their loads, by pod (`<ns>/<name>`), from the metrics sampler. */
  overLimit?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export async function reconcilePod(key: ObjectKey, deps: PodReconcileDeps): Promise<ReconcileResult | void> {
  const [, namespace, name] = key.split('/');
  const pod = await deps.store.get('pods', namespace, name);
  const node = pod?.spec?.nodeName ? deps.node(pod.spec.nodeName) : undefined;
  if (!pod || !node) return;
  const uid = pod.metadata.uid ?? '';
  // Only a pending pod without one can be about to take an address.
  const reservedIP = pod.status?.phase === 'Pending' && pod.status?.hostIP && !pod.status?.podIP ? await deps.addresses.reserve(node.name, node.podCIDR ?? node.fallbackCIDR, uid) : undefined;
  const overLimit = deps.overLimit?.get(`${namespace}/${name}`);
  const step = podStep({ pod, node, now: deps.clock.now(), timeScale: deps.timeScale, profile: deps.profile, seed: deps.seed, ...(reservedIP ? { reservedIP } : {}), ...(overLimit ? { overLimit } : {}) });
  switch (step.action) {
    case 'none':
      return;
    case 'wait':
      return { requeueAfter: deps.clock.scaled(step.afterMs) };
    case 'delete':
      deps.addresses.release(node.name, uid);
      await deps.store.delete('pods', namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }).catch(ignoreNotFound);
      return;
    case 'write': {
      const rv = pod.metadata.resourceVersion;
      // Only over the pod the step was computed from: any change in between runs the key again.
      let applied = false;
      const written = await deps.store
        .guaranteedUpdate('pods', namespace, name, (current) => {
          applied = current.metadata.uid === uid && current.metadata.resourceVersion === rv;
          return applied ? { ...current, status: step.status } : undefined;
        }, 'status')
        .catch(ignoreNotFound);
      if (!written || !applied) return;
      if (['Succeeded', 'Failed'].includes(step.status.phase)) deps.addresses.release(node.name, uid);
      for (const e of step.events ?? []) await deps.recorder.event(written, e.type, e.reason, e.message);
      // The write's own change event runs the key again for the next stage.
      return;
    }
  }
}

function ignoreNotFound(err: unknown): undefined {
  if ((err as { code?: number }).code === 404) return undefined;
  throw err;
}
