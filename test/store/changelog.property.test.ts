import fc from 'fast-check';
import { Store } from '../../shared/store/store';
import type { KubeObject } from '../../shared/api/types';
import { startRedis, type TestRedis } from '../helpers/redis';
import { fakeResources } from '../helpers/fake-resources';

/**
 * Property: whatever mix of creates, updates (some with stale resourceVersions), status writes,
 * deletes and invalid writes runs, concurrently, every write that succeeded has exactly one
 * change-log entry, the log's revisions are 1..N with no gap, and failed writes left none.
 */
let redis: TestRedis;
let run = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

type Op =
  | { op: 'create'; name: string; valid: boolean }
  | { op: 'update'; name: string; value: number; stale: boolean }
  | { op: 'status'; name: string; value: number }
  | { op: 'delete'; name: string; finalizer: boolean };

const names = fc.constantFrom('a', 'b', 'c', 'd');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name: names, valid: fc.boolean() }),
  fc.record({ op: fc.constant('update' as const), name: names, value: fc.integer({ min: 0, max: 5 }), stale: fc.boolean() }),
  fc.record({ op: fc.constant('status' as const), name: names, value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('delete' as const), name: names, finalizer: fc.boolean() }),
);

async function apply(store: Store, op: Op): Promise<KubeObject> {
  switch (op.op) {
    case 'create':
      return store.create('widgets', {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: op.valid ? op.name : '', namespace: 'default', finalizers: ['example.com/hold'] },
        spec: { value: 0 },
      });
    case 'update': {
      const cur = await store.getOrThrow('widgets', 'default', op.name);
      const rv = op.stale ? String(Number(cur.metadata.resourceVersion) - 1) : cur.metadata.resourceVersion;
      return store.update('widgets', { ...cur, metadata: { ...cur.metadata, resourceVersion: rv }, spec: { value: op.value } });
    }
    case 'status':
      return store.guaranteedUpdate('widgets', 'default', op.name, (o) => ({ ...o, status: { value: op.value } }), 'status');
    case 'delete':
      if (op.finalizer) return store.guaranteedUpdate('widgets', 'default', op.name, (o) => ({ ...o, metadata: { ...o.metadata, finalizers: [] } }));
      return (await store.delete('widgets', 'default', op.name)).object;
  }
}

test('every successful write has exactly one change-log entry, in revision order; failed writes have none', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), async (rounds) => {
      const store = new Store(redis.client(), { prefix: `{prop${++run}}`, resources: fakeResources });
      const written: KubeObject[] = [];
      const seen = new Set<string>();
      for (const round of rounds) {
        const results = await Promise.allSettled(round.map((op) => apply(store, op)));
        for (const r of results) {
          if (r.status === 'rejected') {
            expect([404, 409, 422]).toContain(r.reason.code);
            continue;
          }
          // a no-op write returns the stored object and must not count twice
          const rv = r.value.metadata.resourceVersion!;
          if (!seen.has(rv)) {
            seen.add(rv);
            written.push(r.value);
          }
        }
      }
      const log = await store.changesSince(0, 100_000);
      const revisions = log.map((e) => e.revision);
      expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => i + 1));
      expect(await store.revision()).toBe(log.length);
      const byRv = new Map(log.map((e) => [String(e.revision), e.object]));
      for (const obj of written) expect(byRv.get(obj.metadata.resourceVersion!)).toEqual(obj);
      expect(written.length).toBe(log.length);
    }),
    { numRuns: 40 },
  );
});
