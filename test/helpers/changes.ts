import { Redis } from 'ioredis';
import { lookupResourceByName } from '../../shared/api/registry';
import type { ChangeEvent } from '../../shared/store/changelog';
import { Store } from '../../shared/store/store';

/**
 * A reader of the store's change log, as a watch sees it: every write, in order, from the
 * revision the follower was made at. For tests that check an invariant at every change, not
 * only at the end.
 */
export interface ChangeFollower {
  /** The store's revision when the follower was made: the first change handed on comes after it. */
  readonly from: number;
  /** A store on the follower's own connection (lists at `from`, say); closed by stop(). */
  readonly store: Store;
  /** Throws what `onChange` threw, if it did (the follower stopped there): for polls that should fail fast. */
  check(): void;
  /** Stops once the log is read up to the store's revision now; rethrows the first error of `onChange`. */
  stop(): Promise<void>;
}

/** Follows the log, polling every 5 ms; an `onChange` that throws stops the follower, and stop() rethrows it. */
export async function followChanges(redisUrl: string, prefix: string, onChange: (change: ChangeEvent) => void): Promise<ChangeFollower> {
  const store = new Store(new Redis(redisUrl, { maxRetriesPerRequest: null }), { prefix, resources: lookupResourceByName });
  const from = await store.revision();
  let seen = from;
  let until = Infinity;
  let failure: unknown;
  const read = async () => {
    for (;;) {
      const batch = await store.changesSince(seen, 500);
      for (const change of batch) {
        seen = change.revision;
        onChange(change);
      }
      if (seen >= until) return;
      if (batch.length === 0) await new Promise((r) => setTimeout(r, 5));
    }
  };
  const loop = read().catch((err: unknown) => {
    failure = err;
  });
  return {
    from,
    store,
    check() {
      if (failure) throw failure;
    },
    async stop() {
      until = await store.revision();
      await loop;
      store.redis.disconnect();
      if (failure) throw failure;
    },
  };
}
