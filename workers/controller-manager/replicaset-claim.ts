/**
 * Which pods a ReplicaSet controls (upstream's PodControllerRefManager.ClaimPods): the pods it
 * owns that still match its selector, plus matching orphans it adopts; owned pods that no longer
 * match are released. Every adoption and release re-checks the stored pod inside the update, so a
 * stale cache can make it skip a pod but never take one that another controller owns.
 */
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import { selectorMatches } from '../../shared/api/validation/labels';
import type { Store } from '../../shared/store/store';
import { controllerOf, replicaSetControllerRef } from './replicaset-pods';

/**
 * `owned`: active pods with a controller reference to `rs` (stored, current); `orphans`: active
 * pods in its namespace without a controller reference (may be stale). Returns the pods `rs`
 * controls now. A ReplicaSet being deleted neither adopts nor releases.
 */
export async function claimPods(store: Store, rs: KubeObject, owned: KubeObject[], orphans: KubeObject[]): Promise<KubeObject[]> {
  const matches = (pod: KubeObject) => selectorMatches(rs.spec?.selector, pod.metadata.labels);
  const claimed = owned.filter(matches);
  if (rs.metadata.deletionTimestamp) return claimed;
  for (const pod of owned.filter((p) => !matches(p))) await releasePod(store, rs, pod, matches);
  for (const pod of orphans.filter((p) => matches(p) && !p.metadata.deletionTimestamp)) {
    const adopted = await adoptPod(store, rs, pod, matches);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** Adds `rs` as the controller of an orphan that still matches; undefined when the pod is gone or taken. */
async function adoptPod(store: Store, rs: KubeObject, pod: KubeObject, matches: (p: KubeObject) => boolean): Promise<KubeObject | undefined> {
  let adopted = false;
  try {
    const stored = await store.guaranteedUpdate('pods', pod.metadata.namespace, pod.metadata.name!, (current) => {
      adopted = false;
      if (current.metadata.uid !== pod.metadata.uid || controllerOf(current) || current.metadata.deletionTimestamp || !matches(current)) return undefined;
      adopted = true;
      current.metadata.ownerReferences = [...(current.metadata.ownerReferences ?? []), replicaSetControllerRef(rs)];
      return current;
    });
    return adopted ? stored : undefined;
  } catch (err) {
    if (isStatusError(err, 404)) return undefined;
    throw err;
  }
}

/** Removes the reference to `rs` from a pod it owns that no longer matches; a pod already gone is fine. */
async function releasePod(store: Store, rs: KubeObject, pod: KubeObject, matches: (p: KubeObject) => boolean): Promise<void> {
  try {
    await store.guaranteedUpdate('pods', pod.metadata.namespace, pod.metadata.name!, (current) => {
      const refs = current.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === rs.metadata.uid) || matches(current)) return undefined;
      current.metadata.ownerReferences = refs.filter((r) => r.uid !== rs.metadata.uid);
      if (current.metadata.ownerReferences.length === 0) delete current.metadata.ownerReferences;
      return current;
    });
  } catch (err) {
    if (!isStatusError(err, 404)) throw err;
  }
}
