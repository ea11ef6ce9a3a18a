import { Registry } from 'prom-client';
import type { KubeObject } from '../../shared/api/types';
import { byResource, ownKey } from '../../shared/informer/events';
import { groupName } from '../../shared/informer/informer';
import { startController, startControllers, type Controller } from '../../shared/queue/controller';
import { Store } from '../../shared/store/store';
import { fakeResources } from '../helpers/fake-resources';
import { startRedis, type TestRedis } from '../helpers/redis';
import { sleep, uniquePrefix, waitFor } from './util';

let redis: TestRedis;
let store: Store;
let ctl: Controller | undefined;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  store = new Store(redis.client(), { prefix: uniquePrefix('ctl'), resources: fakeResources });
});
afterEach(async () => {
  await ctl?.stop();
  ctl = undefined;
});

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'a' } });
const pod = (name: string, uses: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a', labels: { uses } }, spec: { containers: [] } });

test('startControllers: controllers share one consumer group and one cache, each gets the keys of its own resources', async () => {
  await store.create('configmaps', cm('listed'));
  const seen: Record<string, string[]> = { configs: [], pods: [] };
  const controllers = await startControllers({
    role: 'shared',
    store,
    registry: new Registry(),
    informer: { blockMs: 100 },
    controllers: [
      { queueName: 'configs', resources: ['configmaps'], reconcile: async (key) => void seen.configs.push(key) },
      {
        queueName: 'pods',
        resources: ['pods'],
        // Also sees the other controller's resource in the shared cache.
        reconcile: async (key, { cache }) => void seen.pods.push(`${key} configmaps=${cache.list('configmaps').length}`),
      },
    ],
  });
  ctl = controllers[0];
  expect(controllers[1].informer).toBe(controllers[0].informer);
  expect(controllers.map((c) => c.queue)).not.toContain(undefined);
  await store.create('pods', pod('p', 'listed'));
  await store.create('configmaps', cm('new'));
  await waitFor(() => seen.configs.length === 2 && seen.pods.length === 1, 'each controller its keys');
  expect(seen.configs.sort()).toEqual(['configmaps/a/listed', 'configmaps/a/new']);
  expect(seen.pods[0]).toMatch(/^pods\/a\/p configmaps=[12]$/);
  const groups = (await store.redis.xinfo('GROUPS', store.keys.log)) as unknown[][];
  expect(groups.map((g) => g[g.indexOf('name') + 1])).toEqual(['shared']);
});

test('startController: listed objects reconcile first, events map to keys, the reconcile reads the synced cache', async () => {
  await store.create('configmaps', cm('existing'));
  const seen: string[] = [];
  ctl = await startController({
    role: 'ctl',
    instance: 'one',
    store,
    resources: ['configmaps', 'pods'],
    registry: new Registry(),
    informer: { blockMs: 100 },
    handler: byResource({ configmaps: ownKey, pods: (e) => [`configmaps/${e.object.metadata.namespace}/${e.object.metadata.labels?.uses}`] }),
    reconcile: async (key, { cache, span }) => {
      seen.push(`${key} cached=${cache.get(key) !== undefined} pods=${cache.list('pods').length}`);
      expect(span.isRecording()).toBe(false); // no SDK registered here: spans are no-ops
    },
  });
  expect(ctl.informer.hasSynced()).toBe(true);
  await waitFor(() => seen.length === 1, 'the listed object');
  expect(seen).toEqual(['configmaps/a/existing cached=true pods=0']);

  await store.create('pods', pod('p', 'existing'));
  await waitFor(() => seen.length === 2, 'the pod event to reconcile its configmap');
  expect(seen[1]).toBe('configmaps/a/existing cached=true pods=1');

  const groups = (await store.redis.xinfo('GROUPS', store.keys.log)) as unknown[][];
  expect(groups.map((g) => g[g.indexOf('name') + 1])).toEqual([groupName('ctl', 'one')]);
  expect(groupName('ctl', 'one')).toBe('ctl:one');
  expect(groupName('ctl', 'ctl')).toBe('ctl');
  expect(groupName('ctl')).toBe('ctl');
});

test('stop waits for the reconcile in flight, then stops the informer', async () => {
  const events: string[] = [];
  ctl = await startController({
    role: 'ctl',
    store,
    resources: ['configmaps'],
    registry: new Registry(),
    informer: { blockMs: 100 },
    reconcile: async (key) => {
      events.push(`start ${key}`);
      await sleep(300);
      events.push(`end ${key}`);
    },
  });
  await store.create('configmaps', cm('slow'));
  await waitFor(() => events.length === 1, 'the run to start');
  await ctl.stop();
  events.push('stopped');
  expect(events).toEqual(['start configmaps/a/slow', 'end configmaps/a/slow', 'stopped']);
  ctl = undefined;
});
