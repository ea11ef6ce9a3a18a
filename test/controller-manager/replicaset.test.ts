import type { KubeObject } from '../../shared/api/types';
import type { Store } from '../../shared/store/store';
import { storeEventRecorder } from '../../shared/events/recorder';
import { reconcileReplicaSet } from '../../workers/controller-manager/replicaset';
import { replicaSetIndexers } from '../../workers/controller-manager/replicaset-pods';
import { startRedis, type TestRedis } from '../helpers/redis';
import { newStore, pod, podsOf, replicaSet, setPodStatus, snapshot, testClock, type TestClock } from './util';

/** The ReplicaSet reconcile against a real store: a cache snapshot stands in for the informer. */
let redis: TestRedis;
let store: Store;
let clock: TestClock;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  clock = testClock();
  store = newStore(redis, clock);
});

async function reconcile(name = 'web'): Promise<{ requeueAfter?: number } | void> {
  return reconcileReplicaSet(`replicasets/default/${name}`, await snapshot(store, ['replicasets', 'pods'], replicaSetIndexers), store, clock);
}

const getRs = (name = 'web'): Promise<KubeObject> => store.getOrThrow('replicasets', 'default', name);
const active = (pods: KubeObject[]) => pods.filter((p) => !p.metadata.deletionTimestamp);

test('scale up: pods from the template, named <rs>-xxxxx, controlled by the ReplicaSet; status from what exists', async () => {
  const rs = await store.create('replicasets', replicaSet('web', 3));
  await reconcile();
  const pods = await podsOf(store);
  expect(pods).toHaveLength(3);
  for (const p of pods) {
    expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(p.spec.containers[0].image).toBe('nginx');
  }
  expect((await getRs()).status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
});

test('reconciling again changes nothing: no pod, no status write', async () => {
  await store.create('replicasets', replicaSet('web', 2));
  await reconcile();
  const rv = (await getRs()).metadata.resourceVersion;
  const revision = await store.revision();
  await reconcile();
  await reconcile();
  expect(await podsOf(store)).toHaveLength(2);
  expect((await getRs()).metadata.resourceVersion).toBe(rv);
  expect(await store.revision()).toBe(revision);
});

test('a stale cache does not make it create twice: owned pods are read from the store', async () => {
  await store.create('replicasets', replicaSet('web', 2));
  const stale = await snapshot(store, ['replicasets', 'pods'], replicaSetIndexers);
  await reconcileReplicaSet('replicasets/default/web', stale, store, clock);
  await reconcileReplicaSet('replicasets/default/web', stale, store, clock);
  expect(await podsOf(store)).toHaveLength(2);
});

test('scale down deletes surplus pods; terminating and finished pods do not count and are replaced', async () => {
  await store.create('replicasets', replicaSet('web', 3));
  await reconcile();
  await store.guaranteedUpdate('replicasets', 'default', 'web', (rs) => ({ ...rs, spec: { ...rs.spec, replicas: 1 } }));
  await reconcile();
  expect(await podsOf(store)).toHaveLength(1);
  expect((await getRs()).status).toMatchObject({ replicas: 1, observedGeneration: 2 });

  const [survivor] = await podsOf(store);
  await setPodStatus(store, survivor.metadata.name!, { phase: 'Failed' });
  await reconcile();
  const pods = await podsOf(store);
  expect(pods).toHaveLength(2);
  expect(pods.filter((p) => p.status?.phase === 'Failed')).toHaveLength(1);
  expect((await getRs()).status.replicas).toBe(1);
});

test.each([
  // name: [nodeName, phase, readySince, restarts, deletion cost]; the expected order of deletion for 1, 2, … surplus pods
  { replicas: 5, expectGone: ['unscheduled'] },
  { replicas: 4, expectGone: ['unscheduled', 'pending'] },
  { replicas: 3, expectGone: ['unscheduled', 'pending', 'unknown'] },
  { replicas: 2, expectGone: ['unscheduled', 'pending', 'unknown', 'notready'] },
  { replicas: 1, expectGone: ['unscheduled', 'pending', 'unknown', 'notready', 'ready-new'] },
])('scale down to $replicas deletes $expectGone', async ({ replicas, expectGone }) => {
  const states: Record<string, { node?: string; phase: string; readySince?: string }> = {
    'ready-old': { node: 'n1', phase: 'Running', readySince: '2025-01-01T00:00:00Z' },
    'ready-new': { node: 'n2', phase: 'Running', readySince: '2025-12-31T23:00:00Z' },
    notready: { node: 'n3', phase: 'Running' },
    unknown: { node: 'n4', phase: 'Unknown' },
    pending: { node: 'n5', phase: 'Pending' },
    unscheduled: { phase: 'Pending' },
  };
  for (const [name, s] of Object.entries(states)) {
    await store.create('pods', { ...pod(name, { app: 'web' }), spec: { nodeName: s.node, containers: [{ name: 'c', image: 'nginx' }] } });
    await setPodStatus(store, name, { phase: s.phase, readySince: s.readySince });
  }
  await store.create('replicasets', replicaSet('web', replicas));
  await reconcile();
  const remaining = active(await podsOf(store)).map((p) => p.metadata.name).sort();
  const expected = Object.keys(states).filter((n) => !expectGone.includes(n)).sort();
  expect(remaining).toEqual(expected);
});

test('adopts matching orphans, leaves pods of other controllers, releases pods that stop matching', async () => {
  await store.create('pods', pod('orphan', { app: 'web' }));
  await store.create('pods', pod('stranger', { app: 'other' }));
  await store.create('pods', pod('taken', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u-x', controller: true }] }));
  const rs = await store.create('replicasets', replicaSet('web', 2));
  await reconcile();
  const byName = new Map((await podsOf(store)).map((p) => [p.metadata.name, p]));
  expect(byName.get('orphan')!.metadata.ownerReferences).toEqual([expect.objectContaining({ uid: rs.metadata.uid, controller: true })]);
  expect(byName.get('stranger')!.metadata.ownerReferences).toBeUndefined();
  expect(byName.get('taken')!.metadata.ownerReferences![0].uid).toBe('u-x');
  expect(byName.size).toBe(4); // the orphan counts: one new pod

  // relabelled: released (reference removed) and replaced
  await store.guaranteedUpdate('pods', 'default', 'orphan', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'gone' } } }));
  await reconcile();
  const released = await store.getOrThrow('pods', 'default', 'orphan');
  expect(released.metadata.ownerReferences).toBeUndefined();
  expect((await podsOf(store)).filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)).toHaveLength(2);
});

test('status: ready and available replicas; minReadySeconds brings the key back until they count', async () => {
  await store.create('replicasets', replicaSet('web', 2, { minReadySeconds: 30 }));
  await reconcile();
  const [a, b] = await podsOf(store);
  await setPodStatus(store, a.metadata.name!, { readySince: clock.now().toISOString() });
  await setPodStatus(store, b.metadata.name!, { phase: 'Running' });
  expect(await reconcile()).toEqual({ requeueAfter: 30_000 });
  expect((await getRs()).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, observedGeneration: 1 });
  clock.advance(30_000);
  expect(await reconcile()).toBeUndefined();
  expect((await getRs()).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 });
});

test('a ReplicaSet being deleted creates and adopts nothing; a missing one is done', async () => {
  await store.create('replicasets', { ...replicaSet('web', 2), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/hold'] } });
  await store.create('pods', pod('orphan', { app: 'web' }));
  await store.delete('replicasets', 'default', 'web');
  await reconcile();
  const pods = await podsOf(store);
  expect(pods.map((p) => p.metadata.name)).toEqual(['orphan']);
  expect(pods[0].metadata.ownerReferences).toBeUndefined();
  await expect(reconcile('absent')).resolves.toBeUndefined();
});

test('a failed create: created pods count, the ReplicaFailure condition is written, the error retries; success clears it', async () => {
  await store.create('replicasets', replicaSet('web', 4));
  const create = store.create.bind(store);
  let made = 0;
  const spy = jest.spyOn(store, 'create').mockImplementation(async (resource, obj) => {
    if (resource === 'pods' && ++made > 2) throw new Error('exceeded quota');
    return create(resource, obj);
  });
  await expect(reconcile()).rejects.toThrow(/exceeded quota/);
  expect(await podsOf(store)).toHaveLength(2); // batches of 1, then 2: the second batch had one failure
  expect((await getRs()).status).toMatchObject({ replicas: 2, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' }] });
  spy.mockRestore();
  await reconcile();
  expect(await podsOf(store)).toHaveLength(4);
  expect((await getRs()).status.conditions).toBeUndefined();
});

test('Events: SuccessfulCreate and SuccessfulDelete on the ReplicaSet, as kubectl describe shows them', async () => {
  const recorder = storeEventRecorder(store, clock, 'replicaset-controller');
  const rs = await store.create('replicasets', replicaSet('web', 2));
  await reconcileReplicaSet('replicasets/default/web', await snapshot(store, ['replicasets', 'pods'], replicaSetIndexers), store, clock, recorder);
  await store.guaranteedUpdate('replicasets', 'default', 'web', (o) => ({ ...o, spec: { ...o.spec, replicas: 1 } }));
  await reconcileReplicaSet('replicasets/default/web', await snapshot(store, ['replicasets', 'pods'], replicaSetIndexers), store, clock, recorder);
  const events = (await store.list('events', { namespace: 'default' })).items;
  expect(events.map((e) => e.reason).sort()).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulDelete']);
  for (const e of events) {
    expect(e.involvedObject).toMatchObject({ kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, namespace: 'default' });
    expect(e.message).toMatch(/^(Created|Deleted) pod: web-\w{5}$/);
    expect(e).toMatchObject({ type: 'Normal', source: { component: 'replicaset-controller' }, count: 1 });
  }
});
