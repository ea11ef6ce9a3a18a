import { objectKey, type KubeObject, type ObjectKey } from '../api/types';
import type { Store } from '../store/store';
import type { Cache, CacheChange } from './indexer';

export interface ListedChange extends CacheChange {
  resource: string;
  /** The revision the resource's list is consistent with. */
  revision: number;
}

/**
 * Lists each resource from the store and makes the cache equal to it (client-go's Replace).
 * Returns what changed in the cache (a fresh cache sees only ADDED) and each resource's list
 * revision: a watch from that revision misses nothing, and objects may be newer than it.
 */
export async function listInto(cache: Cache, store: Store, resources: Iterable<string>): Promise<{ changes: ListedChange[]; revisions: Map<string, number> }> {
  const changes: ListedChange[] = [];
  const revisions = new Map<string, number>();
  for (const resource of resources) {
    const list = await store.list(resource);
    const revision = Number(list.resourceVersion);
    const objects = new Map<ObjectKey, KubeObject>(list.items.map((o) => [objectKey(resource, o.metadata.namespace, o.metadata.name ?? ''), o]));
    for (const change of cache.replace(resource, objects)) changes.push({ ...change, resource, revision });
    revisions.set(resource, revision);
  }
  return { changes, revisions };
}
