import type { ObjectKey } from '../api/types';

/**
 * Every Redis key the store uses, built in one place. All keys share `prefix`, which should
 * be a hash tag (`{kubeq}`) so a Redis Cluster keeps them in one slot: the write scripts touch
 * an object, its indexes, the revision counter and the change log atomically.
 */
export class StoreKeys {
  constructor(readonly prefix: string) {}

  /** The global revision (INCR): every write takes the next one as its resourceVersion. */
  get revision(): string {
    return `${this.prefix}:rev`;
  }

  /** The change log stream; entry id `<revision>-0`. */
  get log(): string {
    return `${this.prefix}:log`;
  }

  /** Hash of one object: `rv` (its resourceVersion) and `o` (its JSON). */
  object(key: ObjectKey): string {
    return `${this.prefix}:o:${key}`;
  }

  /** Sorted set (all scores 0, ordered by key) of every object key of a resource. */
  all(resource: string): string {
    return `${this.prefix}:i:${resource}`;
  }

  /** Sorted set of the object keys of a resource in one namespace. */
  namespace(resource: string, namespace: string): string {
    return `${this.prefix}:i:${resource}:ns:${namespace}`;
  }

  /** Sorted set of the keys of pods bound to a node (`spec.nodeName`). */
  podsOnNode(nodeName: string): string {
    return `${this.prefix}:i:pods:node:${nodeName}`;
  }

  /** Sorted set of the keys of objects with an owner reference to `uid`. */
  owner(uid: string): string {
    return `${this.prefix}:i:owner:${uid}`;
  }

  /** Hash of a claim pool: allocated value → the object key holding it (see claims.ts). */
  claimPool(pool: string): string {
    return `${this.prefix}:claim:${pool}`;
  }

  /** Where next-fit allocation in a pool resumes (an offset; advisory). */
  claimCursor(pool: string): string {
    return `${this.prefix}:claim:${pool}:cursor`;
  }
}
