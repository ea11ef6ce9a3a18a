/** LoadState against a real Redis: shares per pod and Service, moved and removed with the load. */
import { startRedis, type TestRedis } from '../../test/helpers/redis';
import { LoadState, type PodLoad } from './state';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const share = (rps: number, until = Date.now() + 60_000): PodLoad => ({ rps, cpuMillis: rps * 10, memoryBytes: 0, port: 8080, until });

test('two loads add up on a pod; a pod a load no longer reaches loses its share at once; a removed load leaves nothing', async () => {
  const s = new LoadState(redis.client(), '{state-test}');
  const until = Date.now() + 60_000;
  await s.write({ namespace: 'ns', name: 'a', service: 'web' }, new Map([['p1', share(10)], ['p2', share(5)]]), { offered: 15, served: 15, until });
  await s.write({ namespace: 'ns', name: 'b', service: 'web' }, new Map([['p1', share(1)]]), { offered: 1, served: 1, until });
  let pods = await s.pods(['ns/p1', 'ns/p2', 'ns/p3']);
  expect(pods.get('ns/p1')!.rps).toBe(11);
  expect(pods.get('ns/p1')!.byPort.get(8080)).toEqual({ cpuMillis: 110, memoryBytes: 0 });
  expect(pods.has('ns/p3')).toBe(false);
  expect(await s.service('ns', 'web')).toEqual({ offered: 16, served: 16 });

  // Load a now reaches p2 only, and targets another Service.
  await s.write({ namespace: 'ns', name: 'a', service: 'api' }, new Map([['p2', share(7)]]), { offered: 7, served: 7, until });
  pods = await s.pods(['ns/p1', 'ns/p2']);
  expect(pods.get('ns/p1')!.rps).toBe(1);
  expect(pods.get('ns/p2')!.rps).toBe(7);
  expect(await s.service('ns', 'web')).toEqual({ offered: 1, served: 1 });

  await s.remove('ns', 'a');
  await s.remove('ns', 'b');
  expect((await s.pods(['ns/p1', 'ns/p2'])).size).toBe(0);
  expect(await s.service('ns', 'web')).toBeUndefined();
  expect(await s.service('ns', 'api')).toBeUndefined();
});

test('an entry past its until no longer counts', async () => {
  const s = new LoadState(redis.client(), '{state-test-2}');
  await s.write({ namespace: 'ns', name: 'a', service: 'web' }, new Map([['p1', share(10, Date.now() - 1)]]), { offered: 10, served: 10, until: Date.now() - 1 });
  expect((await s.pods(['ns/p1'])).size).toBe(0);
  expect(await s.service('ns', 'web')).toBeUndefined();
});
