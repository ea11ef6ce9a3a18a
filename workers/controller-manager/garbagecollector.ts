import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey, type OwnerReference } from '../../shared/api/types';
import type { Indexer } from '../../shared/informer/indexer';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { DeleteOptions, Store } from '../../shared/store/store';
import { dependentsOf, OWNER_KEY_INDEX, ownerKeyOf } from './garbagecollector-refs';

/** Set by `propagationPolicy: Orphan`: dependents lose their reference to the owner, then it goes. */
export const ORPHAN_FINALIZER = 'orphan';
/** Set by `propagationPolicy: Foreground`: dependents that block owner deletion go first, then the owner. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/**
 * The garbage collector for one object key (upstream's attemptToDelete, orphanDependents and
 * processDeletingDependentsItem, without the graph: owners and dependents are read from the
 * store, and dependents of an owner that is gone from the cache's owner-key index).
 *
 * - The object's own owners: when none is left alive (each absent, recreated with another uid, or
 *   itself deleting its dependents first), the object is deleted; references to such owners are
 *   removed when another owner is still alive.
 * - Dependents that refer to this key with a uid other than the stored object's (or to a key that
 *   is gone) are handled the same way (background cascading deletion).
 * - An object being deleted with the `orphan` finalizer: its dependents lose their reference to
 *   it, then the finalizer goes. With `foregroundDeletion`: its dependents are deleted (foreground
 *   when they have dependents of their own), and the finalizer goes once no dependent with
 *   `blockOwnerDeletion` remains.
 *
 * Throws (backoff) on store errors other than 404 and 409 precondition failures.
 */
export async function reconcileGarbageCollector(key: ObjectKey, cache: Indexer, store: Store): Promise<ReconcileResult | void> {
  const { resource, namespace, name } = parseObjectKey(key);
  const obj = await store.get(resource, namespace, name);
  if (obj?.metadata.ownerReferences?.length) await attemptToDelete(store, cache, resource, obj);
  for (const dependentKey of cache.indexKeys(OWNER_KEY_INDEX, key)) {
    const cached = cache.get(dependentKey);
    const stale = cached?.metadata.ownerReferences?.some((r) => ownerKeyOf(cached, r) === key && r.uid !== obj?.metadata.uid);
    if (stale) await attemptToDeleteKey(store, cache, dependentKey);
  }
  if (!obj?.metadata.deletionTimestamp) return;
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN_FINALIZER)) await orphanDependents(store, resource, obj);
  else if (finalizers.includes(FOREGROUND_FINALIZER)) await deleteDependentsFirst(store, cache, resource, obj);
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

/**
 * An owner that exists with the reference's uid is solid, unless it is deleting its dependents
 * first (waiting); else dangling. The cache may say solid (as upstream trusts its graph: if the
 * owner has gone meanwhile, its deletion event brings its key here again); anything else is
 * checked against the store before a dependent is deleted.
 */
async function ownerState(store: Store, cache: Indexer, dependent: KubeObject, ref: OwnerReference): Promise<OwnerState> {
  const key = ownerKeyOf(dependent, ref);
  // A kind kubeq does not serve cannot be checked: keep the dependent.
  if (!key) return 'solid';
  const cached = cache.get(key);
  if (cached?.metadata.uid === ref.uid && !cached.metadata.deletionTimestamp) return 'solid';
  const { resource, namespace, name } = parseObjectKey(key);
  const owner = await store.get(resource, namespace, name);
  if (!owner || owner.metadata.uid !== ref.uid) return 'dangling';
  return owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND_FINALIZER) ? 'waiting' : 'solid';
}

async function attemptToDeleteKey(store: Store, cache: Indexer, key: ObjectKey): Promise<void> {
  const { resource, namespace, name } = parseObjectKey(key);
  const obj = await store.get(resource, namespace, name);
  if (obj) await attemptToDelete(store, cache, resource, obj);
}

/** Deletes `obj` when no owner of it is solid, or drops its references to the owners that are not. An object already being deleted is left alone. */
async function attemptToDelete(store: Store, cache: Indexer, resource: string, obj: KubeObject): Promise<void> {
  if (obj.metadata.deletionTimestamp) return;
  const refs = obj.metadata.ownerReferences ?? [];
  const states = await Promise.all(refs.map((r) => ownerState(store, cache, obj, r)));
  if (states.includes('solid')) {
    const goneUids = new Set(refs.filter((_, i) => states[i] !== 'solid').map((r) => r.uid));
    if (goneUids.size) await removeOwnerRefs(store, resource, obj, goneUids);
    return;
  }
  const hasDependents = states.includes('waiting') && (await dependentsOf(store, obj.metadata.uid!)).length > 0;
  await deleteObject(store, resource, obj, { propagationPolicy: hasDependents ? 'Foreground' : 'Background' });
}

async function orphanDependents(store: Store, resource: string, owner: KubeObject): Promise<void> {
  const uid = new Set([owner.metadata.uid!]);
  for (const d of await dependentsOf(store, owner.metadata.uid!)) await removeOwnerRefs(store, d.resource, d.object, uid);
  await removeFinalizer(store, resource, owner, ORPHAN_FINALIZER);
}

async function deleteDependentsFirst(store: Store, cache: Indexer, resource: string, owner: KubeObject): Promise<void> {
  const uid = owner.metadata.uid!;
  for (const d of await dependentsOf(store, uid)) await attemptToDelete(store, cache, d.resource, d.object);
  const blocking = (await dependentsOf(store, uid)).filter((d) => d.object.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
  if (blocking.length === 0) await removeFinalizer(store, resource, owner, FOREGROUND_FINALIZER);
}

/** Removes the references with these uids from the stored object (same uid as `obj`); gone is fine. */
async function removeOwnerRefs(store: Store, resource: string, obj: KubeObject, uids: Set<string>): Promise<void> {
  await ignoreNotFound(store.guaranteedUpdate(resource, obj.metadata.namespace, obj.metadata.name!, (current) => {
    const refs = current.metadata.ownerReferences ?? [];
    if (current.metadata.uid !== obj.metadata.uid || !refs.some((r) => uids.has(r.uid))) return undefined;
    current.metadata.ownerReferences = refs.filter((r) => !uids.has(r.uid));
    if (current.metadata.ownerReferences.length === 0) delete current.metadata.ownerReferences;
    return current;
  }));
}

/** Removes a finalizer from the stored object (same uid as `obj`); the store deletes it when none is left. */
async function removeFinalizer(store: Store, resource: string, obj: KubeObject, finalizer: string): Promise<void> {
  await ignoreNotFound(store.guaranteedUpdate(resource, obj.metadata.namespace, obj.metadata.name!, (current) => {
    if (current.metadata.uid !== obj.metadata.uid || !current.metadata.finalizers?.includes(finalizer)) return undefined;
    current.metadata.finalizers = current.metadata.finalizers.filter((f) => f !== finalizer);
    return current;
  }));
}

/** Deletes exactly this object (uid precondition); gone, or replaced by another object of its name, is fine. */
async function deleteObject(store: Store, resource: string, obj: KubeObject, opts: DeleteOptions): Promise<void> {
  try {
    await store.delete(resource, obj.metadata.namespace, obj.metadata.name!, { ...opts, preconditions: { uid: obj.metadata.uid } });
  } catch (err) {
    const replaced = isStatusError(err, 409) && err.message.includes('Precondition failed');
    if (!isStatusError(err, 404) && !replaced) throw err;
  }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isStatusError(err, 404)) throw err;
  }
}
