import { Registry } from 'prom-client';
import type { Controller } from '../../shared/queue/controller';
import type { Store } from '../../shared/store/store';
import { startGarbageCollector } from '../../workers/controller-manager/garbagecollector-controller';
import { startReplicaSetController } from '../../workers/controller-manager/replicaset-controller';
import { replicaSetKeys } from '../../workers/controller-manager/replicaset-handler';
import { startRedis, type TestRedis } from '../helpers/redis';
import { waitFor } from '../queue/util';
import { newStore, pod, podsOf, replicaSet, snapshot, testClock } from './util';

/**
 * The ReplicaSet controller and the garbage collector run in-process, started as run.ts would
 * start them: events drive them, nothing calls a reconcile by hand.
 */
let redis: TestRedis;
let store: Store;
const controllers: Controller[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  store = newStore(redis, testClock());
});
afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop()));
});

async function startBoth(): Promise<void> {
  const tuning = { informer: { blockMs: 50 } };
  controllers.push(await startReplicaSetController({ store, clock: testClock(), concurrency: 4, registry: new Registry(), ...tuning }));
  controllers.push(await startGarbageCollector({ store, concurrency: 4, registry: new Registry(), ...tuning }));
}

const livePods = async () => (await podsOf(store)).filter((p) => !p.metadata.deletionTimestamp);

test('a ReplicaSet gets its pods, follows scale changes, adopts a late orphan, and its deletion takes the pods', async () => {
  await startBoth();
  const rs = await store.create('replicasets', replicaSet('web', 3));
  await waitFor(async () => (await livePods()).length === 3, '3 pods');
  await waitFor(async () => (await store.getOrThrow('replicasets', 'default', 'web')).status?.replicas === 3, 'status.replicas 3');

  await store.guaranteedUpdate('replicasets', 'default', 'web', (o) => ({ ...o, spec: { ...o.spec, replicas: 1 } }));
  await waitFor(async () => (await livePods()).length === 1, 'scale down to 1');

  await store.guaranteedUpdate('replicasets', 'default', 'web', (o) => ({ ...o, spec: { ...o.spec, replicas: 2 } }));
  await store.create('pods', pod('late-orphan', { app: 'web' }));
  await waitFor(async () => (await store.getOrThrow('pods', 'default', 'late-orphan')).metadata.ownerReferences?.[0]?.uid === rs.metadata.uid, 'the orphan adopted');
  await waitFor(async () => (await livePods()).length === 2, '2 pods');
  await new Promise((r) => setTimeout(r, 300));
  expect(await livePods()).toHaveLength(2); // and no more: the orphan counted

  await store.delete('replicasets', 'default', 'web');
  await waitFor(async () => (await podsOf(store)).length === 0, 'the pods collected');
}, 20_000);

test('foreground deletion through both controllers: pods first, then the ReplicaSet', async () => {
  await startBoth();
  await store.create('replicasets', replicaSet('web', 2));
  await waitFor(async () => (await livePods()).length === 2, '2 pods');
  await store.delete('replicasets', 'default', 'web', { propagationPolicy: 'Foreground' });
  await waitFor(async () => (await store.get('replicasets', 'default', 'web')) === undefined, 'the ReplicaSet to go');
  expect(await podsOf(store)).toEqual([]);
}, 20_000);

test('background deletion of a Deployment takes its ReplicaSet, which takes its pods', async () => {
  await startBoth();
  const base = replicaSet('web', 2);
  const deploy = await store.create('deployments', { ...base, kind: 'Deployment', spec: { replicas: 2, selector: base.spec.selector, template: base.spec.template } });
  const ownerRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.metadata.uid!, controller: true, blockOwnerDeletion: true };
  await store.create('replicasets', { ...replicaSet('web-1', 2, { labels: { app: 'web' } }), metadata: { name: 'web-1', namespace: 'default', ownerReferences: [ownerRef] } });
  await waitFor(async () => (await livePods()).length === 2, '2 pods');
  await store.delete('deployments', 'default', 'web');
  await waitFor(async () => (await store.get('replicasets', 'default', 'web-1')) === undefined, 'the ReplicaSet collected');
  await waitFor(async () => (await podsOf(store)).length === 0, 'the pods collected');
}, 20_000);

test('replicaSetKeys: a pod maps to its controller (old and new); an orphan to the ReplicaSets that select it', async () => {
  await store.create('replicasets', replicaSet('web', 0));
  await store.create('replicasets', replicaSet('api', 0, { labels: { app: 'api' } }));
  const cache = await snapshot(store, ['replicasets', 'pods']);
  const handler = replicaSetKeys(() => cache);
  const ev = (object: ReturnType<typeof pod>, oldObject?: ReturnType<typeof pod>) => ({ type: 'MODIFIED' as const, resource: 'pods', key: 'pods/default/p', object, oldObject, revision: 1, traceparent: '', origin: 'watch' as const });
  const owned = pod('p', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u', controller: true }] });
  expect(handler(ev(owned))).toEqual(['replicasets/default/web']);
  expect(handler(ev(pod('p', { app: 'api' }), owned))).toEqual(['replicasets/default/api', 'replicasets/default/web']);
  expect(handler(ev(pod('p', { app: 'none' })))).toEqual([]);
  expect(replicaSetKeys()(ev(pod('p', { app: 'api' })))).toEqual([]);
  expect(handler({ ...ev(owned), resource: 'replicasets', key: 'replicasets/default/x' })).toEqual(['replicasets/default/x']);
});
