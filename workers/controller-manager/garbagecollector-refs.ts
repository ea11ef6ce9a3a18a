/** Owner references as the garbage collector reads them: owner keys, dependents, and the event → keys mapping. */
import { lookupKind } from '../../shared/api/registry';
import { objectKey, type KubeObject, type ObjectKey, type OwnerReference } from '../../shared/api/types';
import type { KeyMapper } from '../../shared/informer/events';
import type { IndexFunc } from '../../shared/informer/indexers';
import type { Store } from '../../shared/store/store';

/** Cache index: objects by the key (`replicasets/ns/web`) of each owner they reference. */
export const OWNER_KEY_INDEX = 'gc.ownerKey';

/**
 * The owner's key for a reference on `dependent`; undefined for kinds kubeq does not serve.
 * A namespaced owner lives in the dependent's namespace (owners never cross namespaces).
 */
export function ownerKeyOf(dependent: KubeObject, ref: OwnerReference): ObjectKey | undefined {
  const info = lookupKind(ref.apiVersion, ref.kind);
  if (!info || !ref.name) return undefined;
  return objectKey(info.resource, info.namespaced ? dependent.metadata.namespace : undefined, ref.name);
}

export const garbageCollectorIndexers: Record<string, IndexFunc> = {
  [OWNER_KEY_INDEX]: (obj) => (obj.metadata.ownerReferences ?? []).map((r) => ownerKeyOf(obj, r)).filter((k): k is ObjectKey => !!k),
};

/**
 * The garbage collector's handler: an object's own key (it may be an owner being deleted, or
 * gone) and its owners' keys (a dependent that appears, changes or goes is news to its owner).
 */
export const garbageCollectorKeys: KeyMapper = (event) => {
  const owners = (event.object.metadata.ownerReferences ?? []).map((r) => ownerKeyOf(event.object, r));
  const old = (event.oldObject?.metadata.ownerReferences ?? []).map((r) => ownerKeyOf(event.oldObject!, r));
  return [...new Set([event.key, ...owners, ...old].filter((k): k is ObjectKey => !!k))];
};

/**
 * Every stored object with an owner reference to `uid`, read from the store's owner index (not a
 * cache: what it returns exists now). Objects that go between the two reads are left out.
 */
export async function dependentsOf(store: Store, uid: string): Promise<{ resource: string; object: KubeObject }[]> {
  const keys = await store.redis.zrangebylex(store.keys.owner(uid), '-', '+');
  if (keys.length === 0) return [];
  const pipeline = store.redis.pipeline();
  for (const k of keys) pipeline.hget(store.keys.object(k), 'o');
  const replies = (await pipeline.exec()) ?? [];
  const out: { resource: string; object: KubeObject }[] = [];
  keys.forEach((key, i) => {
    const [err, json] = replies[i] ?? [];
    if (err) throw err;
    if (typeof json === 'string') out.push({ resource: key.slice(0, key.indexOf('/')), object: JSON.parse(json) as KubeObject });
  });
  return out;
}
