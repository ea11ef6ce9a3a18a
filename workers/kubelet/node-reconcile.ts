/**
 * reconcile(`nodes/<name>`) for a node this process simulates: register the Node when it is
 * missing (also after someone deleted it, as a kubelet re-registers), post its status when it
 * differs, renew its Lease, and come back in 10 s (scaled) to renew again.
 */
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { LEASE_NAMESPACE, LEASE_RENEW_MS, nodeLease, renewLease } from './lease';
import { mergeNodeStatus, nodeObject, nodeStatus, type SimNode } from './nodes';
import { rfc3339 } from '../../shared/api/time';
import type { KubeletSettings } from './settings';

const isConflict = (err: unknown) => (err as { code?: number }).code === 409;

export async function reconcileNode(node: SimNode, settings: KubeletSettings, store: Store, clock: Clock): Promise<ReconcileResult> {
  const now = clock.now();
  let current = await store.get('nodes', undefined, node.name);
  if (!current) {
    // A 409 means another run registered it first: the thrown error retries with the stored node.
    current = await store.create('nodes', nodeObject(node, settings, rfc3339(now)));
  } else {
    const wanted = nodeStatus(node, settings, rfc3339(now));
    current = await store.guaranteedUpdate('nodes', undefined, node.name, (n) => ({ ...n, status: mergeNodeStatus(n.status, wanted) }), 'status');
  }
  const lease = await store.get('leases', LEASE_NAMESPACE, node.name);
  if (!lease) {
    try {
      await store.create('leases', nodeLease(current, now));
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  } else {
    await store.guaranteedUpdate('leases', LEASE_NAMESPACE, node.name, (l) => renewLease(l, now));
  }
  return { requeueAfter: clock.scaled(LEASE_RENEW_MS) };
}
