import { objectKey, type KubeObject, type OwnerReference } from '../../shared/api/types';
import type { Store } from '../../shared/store/store';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, reconcileGarbageCollector } from '../../workers/controller-manager/garbagecollector';
import { garbageCollectorIndexers, garbageCollectorKeys } from '../../workers/controller-manager/garbagecollector-refs';
import { startRedis, type TestRedis } from '../helpers/redis';
import { newStore, pod, podsOf, replicaSet, snapshot, testClock } from './util';

/** The garbage collector reconcile against a real store; a cache snapshot (with its owner-key index) stands in for the informer. */
let redis: TestRedis;
let store: Store;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  store = newStore(redis, testClock());
});

const RESOURCES = ['deployments', 'replicasets', 'pods'];

async function gc(key: string): Promise<void> {
  await reconcileGarbageCollector(key, await snapshot(store, RESOURCES, garbageCollectorIndexers), store);
}

/** Runs the garbage collector over `keys` plus every stored object until nothing changes, as events would. */
async function settle(keys: string[]): Promise<number> {
  for (let round = 1; round <= 10; round++) {
    const before = await store.revision();
    const all = new Set(keys);
    for (const r of RESOURCES) for (const o of (await store.list(r)).items) all.add(objectKey(r, o.metadata.namespace, o.metadata.name!));
    for (const k of all) await gc(k);
    if ((await store.revision()) === before) return round;
  }
  throw new Error('the garbage collector did not settle');
}

const ref = (owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
  ...extra,
});

function deployment(name: string): KubeObject {
  const rs = replicaSet(name, 1);
  return { ...rs, kind: 'Deployment', spec: { replicas: 1, selector: rs.spec.selector, template: rs.spec.template } };
}

async function ownedPods(owner: KubeObject, names: string[]): Promise<void> {
  for (const n of names) await store.create('pods', pod(n, { app: 'web' }, { ownerReferences: [ref(owner)] }));
}

const names = async () => (await podsOf(store)).map((p) => p.metadata.name).sort();

test('background: dependents of a deleted owner go; a dependent with another live owner only loses the reference', async () => {
  const rs = await store.create('replicasets', replicaSet('web', 2));
  const keeper = await store.create('replicasets', replicaSet('keeper', 0));
  await ownedPods(rs, ['a', 'b']);
  await store.create('pods', pod('shared', { app: 'web' }, { ownerReferences: [ref(rs, { controller: false }), ref(keeper)] }));
  await store.create('pods', pod('bystander', { app: 'web' }));
  expect((await store.delete('replicasets', 'default', 'web')).deleted).toBe(true);

  await gc('replicasets/default/web');
  expect(await names()).toEqual(['bystander', 'shared']);
  const shared = await store.getOrThrow('pods', 'default', 'shared');
  expect(shared.metadata.ownerReferences).toEqual([ref(keeper)]);
});

test('an owner recreated under the same name does not keep the old one`s dependents', async () => {
  const old = await store.create('replicasets', replicaSet('web', 1));
  await ownedPods(old, ['old-pod']);
  await store.delete('replicasets', 'default', 'web');
  const fresh = await store.create('replicasets', replicaSet('web', 1));
  await ownedPods(fresh, ['new-pod']);
  await gc('replicasets/default/web');
  expect(await names()).toEqual(['new-pod']);
});

test('a dependent whose owner never existed goes when its own key is reconciled', async () => {
  await store.create('pods', pod('stray', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'u-ghost', controller: true }] }));
  await store.create('pods', pod('foreign', { app: 'web' }, { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'u-w' }] }));
  await gc('pods/default/stray');
  await gc('pods/default/foreign');
  expect(await names()).toEqual(['foreign']); // kinds kubeq does not serve are never collected
});

test('foreground: the owner stays, marked, until its dependents (and theirs) are gone, then goes', async () => {
  const deploy = await store.create('deployments', deployment('web'));
  const rs = await store.create('replicasets', { ...replicaSet('web-1', 2, { labels: { app: 'web' } }), metadata: { name: 'web-1', namespace: 'default', ownerReferences: [ref(deploy)] } });
  await ownedPods(rs, ['a', 'b']);
  const marked = await store.delete('deployments', 'default', 'web', { propagationPolicy: 'Foreground' });
  expect(marked.deleted).toBe(false);
  expect(marked.object.metadata.finalizers).toEqual([FOREGROUND_FINALIZER]);

  // the deployment's key: its ReplicaSet has dependents, so it is deleted in the foreground too
  await gc('deployments/default/web');
  const rsNow = await store.getOrThrow('replicasets', 'default', 'web-1');
  expect(rsNow.metadata.deletionTimestamp).toBeDefined();
  expect(rsNow.metadata.finalizers).toEqual([FOREGROUND_FINALIZER]);
  expect(await store.get('deployments', 'default', 'web')).toBeDefined();
  expect(await names()).toEqual(['a', 'b']);

  // the ReplicaSet's key: pods go, then the ReplicaSet; then the deployment's key lets it go
  await gc('replicasets/default/web-1');
  expect(await names()).toEqual([]);
  expect(await store.get('replicasets', 'default', 'web-1')).toBeUndefined();
  expect(await store.get('deployments', 'default', 'web')).toBeDefined();
  await gc('deployments/default/web');
  expect(await store.get('deployments', 'default', 'web')).toBeUndefined();
});

test('foreground waits for a dependent still terminating (a pod in its grace period)', async () => {
  const rs = await store.create('replicasets', replicaSet('web', 1));
  await store.create('pods', { ...pod('bound', { app: 'web' }, { ownerReferences: [ref(rs)] }), spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } });
  await store.delete('replicasets', 'default', 'web', { propagationPolicy: 'Foreground' });
  await settle(['replicasets/default/web']);
  expect((await store.getOrThrow('pods', 'default', 'bound')).metadata.deletionTimestamp).toBeDefined();
  expect(await store.get('replicasets', 'default', 'web')).toBeDefined();
  await store.delete('pods', 'default', 'bound', { gracePeriodSeconds: 0 }); // the kubelet finishes
  await settle(['replicasets/default/web']);
  expect(await store.get('replicasets', 'default', 'web')).toBeUndefined();
});

test('orphan: dependents lose the reference and stay; the owner goes', async () => {
  const rs = await store.create('replicasets', replicaSet('web', 2));
  const other = await store.create('replicasets', replicaSet('other', 0));
  await ownedPods(rs, ['a', 'b']);
  await store.create('pods', pod('c', { app: 'web' }, { ownerReferences: [ref(rs, { controller: false }), ref(other)] }));
  const marked = await store.delete('replicasets', 'default', 'web', { propagationPolicy: 'Orphan' });
  expect(marked.object.metadata.finalizers).toEqual([ORPHAN_FINALIZER]);
  await gc('replicasets/default/web');
  expect(await store.get('replicasets', 'default', 'web')).toBeUndefined();
  const pods = await podsOf(store);
  expect(pods.map((p) => [p.metadata.name, p.metadata.ownerReferences])).toEqual([
    ['a', undefined],
    ['b', undefined],
    ['c', [ref(other)]],
  ]);
  expect(await settle([])).toBe(1); // nothing left to collect
});

test('reconciling a live owner, or twice, writes nothing', async () => {
  const rs = await store.create('replicasets', replicaSet('web', 1));
  await ownedPods(rs, ['a']);
  const revision = await store.revision();
  expect(await settle(['replicasets/default/web', 'pods/default/a'])).toBe(1);
  expect(await store.revision()).toBe(revision);
});

test('handler: an event enqueues the object and its owners', () => {
  const p = pod('a', {}, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1' }, { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'u2' }] });
  const old = pod('a', {}, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'before', uid: 'u0' }] });
  const event = { type: 'MODIFIED' as const, resource: 'pods', key: 'pods/default/a', object: p, oldObject: old, revision: 1, traceparent: '', origin: 'watch' as const };
  expect(garbageCollectorKeys(event)).toEqual(['pods/default/a', 'replicasets/default/web', 'replicasets/default/before']);
});
