/**
 * Claims: values an object holds exclusively (a Service's ClusterIP, its NodePorts, its
 * load-balancer address). Each pool is a Redis hash, value → owner object key, written by the
 * same script that writes the object: a claim is taken, kept or released atomically with the
 * write, so allocations survive restarts, never leak on a failed write and never collide.
 */
import type { Redis } from 'ioredis';
import type { Range } from '../net/service-network';
import type { FieldError } from '../api/status';
import type { KubeObject, ObjectKey } from '../api/types';
import type { StoreKeys } from './keys';

export interface Claim {
  /** Pool name (`serviceips`, `nodeports`, `loadbalancerips`). */
  pool: string;
  value: string;
  /** Set when the client asked for this value: the error to answer when another object holds it. Unset values were picked by the allocator, which retries. */
  takenError?: FieldError;
}

/** Assigns allocated fields of one kind and names the claims an object holds. */
export interface Allocator {
  /**
   * Fills what `next` needs (ClusterIP, NodePorts, status), given the stored object on update
   * (undefined on create), and returns the values the client asked for, with the error to answer
   * when one is taken. Throws a StatusError for values out of range or a full range.
   */
  assign(next: KubeObject, old: KubeObject | undefined, free: FreeValues): Promise<Claim[]>;
  /** Every claim a stored object holds: what its write takes and its deletion releases. */
  held(obj: KubeObject): Claim[];
}

/** Finds free values of a pool for one object. */
export interface FreeValues {
  /** A free value of `range` (never one of `exclude`), next-fit from the pool's cursor; undefined when the range is full. */
  next(pool: string, range: Range, exclude: Set<string>): Promise<string | undefined>;
}

const BATCH = 128;

/**
 * Next-fit over a range: scans from a cursor kept in Redis (advisory; the write script is what
 * makes a claim exclusive), dynamic band first, then the lower band. Deterministic, so a fresh
 * cluster hands out the same addresses every run. Values held by `owner` count as free.
 */
export function freeValues(redis: Redis, keys: StoreKeys, owner: ObjectKey): FreeValues {
  return {
    async next(pool, range, exclude) {
      const cursorKey = keys.claimCursor(pool);
      const start = Number((await redis.get(cursorKey)) ?? range.dynamicFrom);
      const order = scanOrder(range, Number.isInteger(start) && start >= 0 && start < range.size ? start : range.dynamicFrom);
      for (let offsets = take(order, BATCH); offsets.length; offsets = take(order, BATCH)) {
        const values = offsets.map((o) => range.valueAt(o));
        const owners = await redis.hmget(keys.claimPool(pool), ...values);
        const j = owners.findIndex((o, k) => (o === null || o === owner) && !exclude.has(values[k]));
        if (j >= 0) {
          await redis.set(cursorKey, String((offsets[j] + 1) % range.size));
          return values[j];
        }
      }
      return undefined;
    },
  };
}

/** Offsets from `start` to the end of the range, then the dynamic band's start, then the lower band; reserved ones skipped. */
function* scanOrder(range: Range, start: number): Generator<number> {
  const from = Math.max(start, range.dynamicFrom);
  const spans: [number, number][] = [[from, range.size], [range.dynamicFrom, from], [0, range.dynamicFrom]];
  for (const [lo, hi] of spans) {
    for (let o = lo; o < hi; o++) if (!range.reserved.has(o)) yield o;
  }
}

function take(it: Generator<number>, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}
