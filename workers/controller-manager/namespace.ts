import { resources } from '../../shared/api/registry';
import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';

/** The finalizer the namespace controller owns in `spec.finalizers`. */
export const NAMESPACE_FINALIZER = 'kubernetes';
/** How long to wait before looking again while content is still going (pods in their grace period). */
const CONTENT_REMAINING_RECHECK_MS = 5_000;

/**
 * The namespace controller (upstream's namespace deleter): a namespace marked for deletion has
 * everything in it deleted; once nothing is left it removes its `kubernetes` finalizer, and the
 * store deletes the namespace. A live namespace needs nothing.
 */
export async function reconcileNamespace(key: ObjectKey, store: Store, clock: Clock): Promise<ReconcileResult | void> {
  const { name } = parseObjectKey(key);
  const ns = await store.get('namespaces', undefined, name);
  if (!ns || !ns.metadata.deletionTimestamp) return;
  let remaining = 0;
  for (const info of resources.filter((r) => r.namespaced)) {
    const { items } = await store.list(info.resource, { namespace: name });
    for (const obj of items) {
      if (obj.metadata.deletionTimestamp) {
        remaining++;
        continue;
      }
      try {
        if (!(await store.delete(info.resource, name, obj.metadata.name!)).deleted) remaining++;
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
    }
  }
  // Admission refuses new content in a terminating namespace, so what was listed is all there is.
  if (remaining > 0) return { requeueAfter: clock.scaled(CONTENT_REMAINING_RECHECK_MS) };
  await store.guaranteedUpdate('namespaces', undefined, name, (current) => {
    const finalizers: string[] = current.spec?.finalizers ?? [];
    if (!finalizers.includes(NAMESPACE_FINALIZER)) return undefined;
    current.spec = { ...current.spec, finalizers: finalizers.filter((f) => f !== NAMESPACE_FINALIZER) };
    return current;
  }, 'all').catch((err: unknown) => {
    if (!isStatusError(err, 404)) throw err;
  });
}
