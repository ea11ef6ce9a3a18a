import type { KubeObject, ObjectKey } from '../api/types';
import { defaultIndexers, type IndexFunc } from './indexers';

/**
 * Read access to an informer's cache (client-go's Indexer). Objects are shared with the cache:
 * never mutate them; clone before changing and write through the store.
 */
export interface Indexer {
  /** The cached object, or undefined when the cache does not hold the key. */
  get(key: ObjectKey): KubeObject | undefined;
  /** Every cached object of `resource`, or of every informed resource when omitted. */
  list(resource?: string): KubeObject[];
  listKeys(resource?: string): ObjectKey[];
  /** Objects whose index `name` holds `value`, optionally only of `resource`; unknown index names throw. */
  byIndex(name: string, value: string, resource?: string): KubeObject[];
  indexKeys(name: string, value: string, resource?: string): ObjectKey[];
  /** Objects cached, all resources together. */
  readonly size: number;
}

/** A change the cache saw: what a relist synthesizes, and what an applied event did. */
export interface CacheChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: ObjectKey;
  object: KubeObject;
  oldObject?: KubeObject;
}

export function resourceOfKey(key: ObjectKey): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}

/** The informer's cache: objects per resource plus the indexes over them. Only the informer writes. */
export class Cache implements Indexer {
  /** resource → key → object. */
  private readonly items = new Map<string, Map<ObjectKey, KubeObject>>();
  private readonly indexers = new Map<string, IndexFunc>();
  /** index name → value → keys; kept equal to the index functions over `items` at all times. */
  private readonly indices = new Map<string, Map<string, Set<ObjectKey>>>();

  constructor(indexers: Record<string, IndexFunc> = {}) {
    this.addIndexers({ ...defaultIndexers, ...indexers });
  }

  /** Adds indexes (and indexes what is cached already). A name in use throws. */
  addIndexers(indexers: Record<string, IndexFunc>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer ${JSON.stringify(name)} already exists`);
      this.indexers.set(name, fn);
      this.indices.set(name, new Map());
      for (const objects of this.items.values()) for (const [key, obj] of objects) this.indexOne(name, fn, key, obj, true);
    }
  }

  get(key: ObjectKey): KubeObject | undefined {
    return this.items.get(resourceOfKey(key))?.get(key);
  }

  list(resource?: string): KubeObject[] {
    if (resource !== undefined) return [...(this.items.get(resource)?.values() ?? [])];
    return [...this.items.values()].flatMap((m) => [...m.values()]);
  }

  listKeys(resource?: string): ObjectKey[] {
    if (resource !== undefined) return [...(this.items.get(resource)?.keys() ?? [])];
    return [...this.items.values()].flatMap((m) => [...m.keys()]);
  }

  byIndex(name: string, value: string, resource?: string): KubeObject[] {
    return this.indexKeys(name, value, resource).map((k) => this.get(k)!);
  }

  indexKeys(name: string, value: string, resource?: string): ObjectKey[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index ${JSON.stringify(name)} does not exist`);
    const keys = [...(index.get(value) ?? [])];
    return resource === undefined ? keys : keys.filter((k) => resourceOfKey(k) === resource);
  }

  get size(): number {
    let n = 0;
    for (const m of this.items.values()) n += m.size;
    return n;
  }

  /** Stores `obj` under `key`; returns the object it replaced. */
  set(key: ObjectKey, obj: KubeObject): KubeObject | undefined {
    const resource = resourceOfKey(key);
    let objects = this.items.get(resource);
    if (!objects) this.items.set(resource, (objects = new Map()));
    const old = objects.get(key);
    if (old) this.reindex(key, old, false);
    objects.set(key, obj);
    this.reindex(key, obj, true);
    return old;
  }

  /** Drops `key`; returns the object it held. */
  delete(key: ObjectKey): KubeObject | undefined {
    const objects = this.items.get(resourceOfKey(key));
    const old = objects?.get(key);
    if (!old) return undefined;
    this.reindex(key, old, false);
    objects!.delete(key);
    return old;
  }

  /**
   * Makes the cache of `resource` equal `objects` (a fresh list) and returns what that means
   * as changes: ADDED for new keys, MODIFIED for every key still present (a resync, even when
   * unchanged), DELETED (with the last cached state) for keys that vanished.
   */
  replace(resource: string, objects: Map<ObjectKey, KubeObject>): CacheChange[] {
    const changes: CacheChange[] = [];
    for (const key of this.listKeys(resource)) {
      if (!objects.has(key)) changes.push({ type: 'DELETED', key, object: this.delete(key)! });
    }
    for (const [key, obj] of objects) {
      const old = this.set(key, obj);
      changes.push(old ? { type: 'MODIFIED', key, object: obj, oldObject: old } : { type: 'ADDED', key, object: obj });
    }
    return changes;
  }

  private reindex(key: ObjectKey, obj: KubeObject, add: boolean): void {
    for (const [name, fn] of this.indexers) this.indexOne(name, fn, key, obj, add);
  }

  private indexOne(name: string, fn: IndexFunc, key: ObjectKey, obj: KubeObject, add: boolean): void {
    const index = this.indices.get(name)!;
    for (const value of fn(obj, key)) {
      let keys = index.get(value);
      if (add) {
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
