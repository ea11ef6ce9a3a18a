import type { KubeObject } from '../../shared/api/types';
import type { Store } from '../../shared/store/store';
import { reconcileDeployment } from '../../workers/controller-manager/deployment';
import { computeHash, fnv32a, POD_TEMPLATE_HASH_LABEL, safeEncodeString } from '../../workers/controller-manager/deployment-util';
import { storeEventRecorder, type EventRecorder } from '../../shared/events/recorder';
import { startRedis, type TestRedis } from '../helpers/redis';
import { newStore, pod, snapshot, testClock, type TestClock } from './util';

/** The Deployment reconcile against a real store; ReplicaSet status is written by hand, as the ReplicaSet controller would. */
let redis: TestRedis;
let store: Store;
let clock: TestClock;
let recorder: EventRecorder;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  clock = testClock();
  store = newStore(redis, clock);
  recorder = storeEventRecorder(store, clock, 'deployment-controller');
});

function deployment(replicas: number, extra: Record<string, any> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...extra,
    },
  };
}

const reconcile = async () => reconcileDeployment('deployments/default/web', await snapshot(store, ['deployments', 'replicasets', 'pods']), store, clock, recorder);
const getDeploy = () => store.getOrThrow('deployments', 'default', 'web');
const replicaSets = async () => (await store.list('replicasets', { namespace: 'default' })).items.sort((a, b) => revision(a) - revision(b));
const revision = (o: KubeObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
const sizes = async () => Object.fromEntries((await replicaSets()).map((rs) => [rs.spec.template.spec.containers[0].image, rs.spec.replicas]));

/** As the ReplicaSet controller reports: `available` of spec.replicas available (default all). */
async function setRsStatus(rs: KubeObject, available?: (rs: KubeObject) => number): Promise<void> {
  await store.guaranteedUpdate('replicasets', 'default', rs.metadata.name!, (cur) => {
    const n = cur.spec.replicas;
    const a = Math.min(n, available ? available(cur) : n);
    const status: Record<string, number> = { replicas: n, fullyLabeledReplicas: n, readyReplicas: a, availableReplicas: a, observedGeneration: cur.metadata.generation ?? 0 };
    return { ...cur, status: Object.fromEntries(Object.entries(status).filter(([, v]) => v !== 0)) };
  }, 'status');
}
const settleAll = async () => {
  for (const rs of await replicaSets()) await setRsStatus(rs);
};
const setImage = (image: string) => store.guaranteedUpdate('deployments', 'default', 'web', (d) => {
  d.spec.template.spec.containers[0].image = image;
  return d;
});
const conditions = async () => Object.fromEntries(((await getDeploy()).status?.conditions ?? []).map((c: any) => [c.type, `${c.status}/${c.reason}`]));

test('create: one ReplicaSet named <deployment>-<pod-template-hash>, with its label, annotations and the full size', async () => {
  const d = await store.create('deployments', deployment(3));
  await reconcile();
  const [rs] = await replicaSets();
  const hash = computeHash(d.spec.template);
  expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  expect(rs.metadata.name).toBe(`web-${hash}`);
  expect(rs.metadata.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
  expect(rs.spec.selector).toEqual({ matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } });
  expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
  expect(rs.spec.replicas).toBe(3);
  expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  const stored = await getDeploy();
  expect(stored.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
  expect(await conditions()).toEqual({ Progressing: 'True/NewReplicaSetCreated', Available: 'False/MinimumReplicasUnavailable' });
  const events = (await store.list('events', { namespace: 'default' })).items;
  expect(events.map((e) => e.message)).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
  expect(events[0]).toMatchObject({ reason: 'ScalingReplicaSet', type: 'Normal', involvedObject: { kind: 'Deployment', name: 'web' } });

  await settleAll();
  await reconcile();
  const done = await getDeploy();
  expect(done.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
  expect(done.status.unavailableReplicas).toBeUndefined();
  expect(await conditions()).toEqual({ Progressing: 'True/NewReplicaSetAvailable', Available: 'True/MinimumReplicasAvailable' });
  expect(done.status.conditions.find((c: any) => c.type === 'Progressing').message).toBe(`ReplicaSet "web-${hash}" has successfully progressed.`);

  // Nothing changed: no write at all.
  const rev = await store.revision();
  await reconcile();
  await reconcile();
  expect(await store.revision()).toBe(rev);
});

test('the hash depends on the template and the collision count', () => {
  // FNV-1a reference values; SafeEncodeString maps '1'..'4' onto '5'..'8' as upstream's does.
  expect(fnv32a(Buffer.from(''))).toBe(0x811c9dc5);
  expect(fnv32a(Buffer.from('a'))).toBe(0xe40c292c);
  expect(fnv32a(Buffer.from('foobar'))).toBe(0xbf9cf968);
  expect(safeEncodeString('1234')).toBe('5678');
  const t = deployment(1).spec.template;
  expect(computeHash(t)).toBe(computeHash(structuredClone(t)));
  expect(computeHash(t, 1)).not.toBe(computeHash(t));
  expect(computeHash(t, 1)).not.toBe(computeHash(t, 2));
  expect(computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).not.toBe(computeHash(t));
});

test.each([
  { replicas: 4, maxSurge: 1, maxUnavailable: 1 },
  { replicas: 10, maxSurge: '25%', maxUnavailable: '25%' },
  { replicas: 3, maxSurge: 0, maxUnavailable: 1 },
  { replicas: 5, maxSurge: '30%', maxUnavailable: 0 },
])('rolling update $replicas replicas, surge $maxSurge, unavailable $maxUnavailable: bounds hold at every step', async ({ replicas, maxSurge, maxUnavailable }) => {
  const pct = (v: number | string, up: boolean) => (typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((Number(v.slice(0, -1)) * replicas) / 100));
  const surge = pct(maxSurge, true);
  const unavailable = pct(maxUnavailable, false);
  await store.create('deployments', deployment(replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } }));
  await reconcile();
  await settleAll();
  await reconcile();
  await setImage('nginx:2');
  let steps = 0;
  for (; steps < 50; steps++) {
    await reconcile();
    const rss = await replicaSets();
    const total = rss.reduce((s, rs) => s + rs.spec.replicas, 0);
    expect(total).toBeLessThanOrEqual(replicas + surge);
    // pods still available right after the controller's step: an RS keeps min(spec, available)
    const available = rss.reduce((s, rs) => s + Math.min(rs.spec.replicas, rs.status?.availableReplicas ?? 0), 0);
    expect(available).toBeGreaterThanOrEqual(replicas - unavailable);
    if ((await sizes())['nginx:1'] === 0 && (await sizes())['nginx:2'] === replicas) break;
    await settleAll();
  }
  expect(steps).toBeGreaterThan(0);
  expect(await sizes()).toEqual({ 'nginx:1': 0, 'nginx:2': replicas });
  const rss = await replicaSets();
  expect(rss.map(revision)).toEqual([1, 2]);
  expect(rss[1].metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe(String(replicas + surge));
  await settleAll();
  await reconcile();
  expect((await getDeploy()).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  expect(await conditions()).toEqual({ Progressing: 'True/NewReplicaSetAvailable', Available: 'True/MinimumReplicasAvailable' });
  expect((await getDeploy()).status).toMatchObject({ observedGeneration: 2, replicas, updatedReplicas: replicas, availableReplicas: replicas });
});

test('rolling update: first steps as upstream takes them, with ScalingReplicaSet events', async () => {
  await store.create('deployments', deployment(4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
  await reconcile();
  await settleAll();
  await reconcile();
  const [oldRs] = await replicaSets();
  await setImage('nginx:2');
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 3, 'nginx:2': 1 });
  const newRs = (await replicaSets())[1];
  // the new pod is not available yet: the old ReplicaSet may not go lower
  await setRsStatus(newRs, () => 0);
  await setRsStatus(await store.getOrThrow('replicasets', 'default', oldRs.metadata.name!));
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 3, 'nginx:2': 2 });
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 3, 'nginx:2': 2 });
  expect(await conditions()).toMatchObject({ Progressing: 'True/ReplicaSetUpdated' });
  const messages = (await store.list('events', { namespace: 'default' })).items.map((e) => e.message).sort();
  expect(messages).toEqual([
    `Scaled down replica set ${oldRs.metadata.name} from 4 to 3`,
    `Scaled up replica set ${newRs.metadata.name} from 0 to 1`,
    `Scaled up replica set ${newRs.metadata.name} from 1 to 2`,
    `Scaled up replica set ${oldRs.metadata.name} from 0 to 4`,
  ].sort());
});

test('unhealthy old replicas are cleaned up first', async () => {
  await store.create('deployments', deployment(4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }));
  await reconcile();
  const [oldRs] = await replicaSets();
  await setRsStatus(oldRs, () => 2); // two old pods broken
  await reconcile();
  await setImage('nginx:2');
  await reconcile();
  // no surge room for the new RS; the old one loses an unavailable replica (no availability lost), as many as maxUnavailable allows
  expect(await sizes()).toEqual({ 'nginx:1': 3, 'nginx:2': 0 });
  expect((await store.list('events', { namespace: 'default' })).items.map((e) => e.message)).toContain(`Scaled down replica set ${oldRs.metadata.name} from 4 to 3`);
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 3, 'nginx:2': 1 });
});

test('Recreate: old ReplicaSets to 0, the new one only once their pods are gone', async () => {
  await store.create('deployments', deployment(3, { strategy: { type: 'Recreate' } }));
  await reconcile();
  await settleAll();
  await reconcile();
  const [oldRs] = await replicaSets();
  await store.create('pods', pod('old-pod', { app: 'web' }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: oldRs.metadata.name!, uid: oldRs.metadata.uid!, controller: true }] }));
  await setImage('nginx:2');
  await reconcile();
  expect(await replicaSets()).toHaveLength(1);
  expect(await sizes()).toEqual({ 'nginx:1': 0 });
  await setRsStatus(await store.getOrThrow('replicasets', 'default', oldRs.metadata.name!), () => 0);
  // status.replicas 0 but the old pod is still running
  await reconcile();
  expect(await replicaSets()).toHaveLength(1);
  await store.delete('pods', 'default', 'old-pod');
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 0, 'nginx:2': 3 });
  expect((await replicaSets()).map(revision)).toEqual([1, 2]);
});

test('paused: no new ReplicaSet, a resize still applies; resuming rolls out', async () => {
  await store.create('deployments', deployment(2));
  await reconcile();
  await settleAll();
  await reconcile();
  await store.guaranteedUpdate('deployments', 'default', 'web', (d) => ({ ...d, spec: { ...d.spec, paused: true, replicas: 4 } }));
  await setImage('nginx:2');
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 4 });
  expect(await conditions()).toMatchObject({ Progressing: 'Unknown/DeploymentPaused' });
  await store.guaranteedUpdate('deployments', 'default', 'web', (d) => ({ ...d, spec: { ...d.spec, paused: false } }));
  await reconcile();
  expect(Object.keys(await sizes()).sort()).toEqual(['nginx:1', 'nginx:2']);
  expect((await getDeploy()).status.conditions.find((c: any) => c.type === 'Progressing').reason).toMatch(/NewReplicaSetCreated|ReplicaSetUpdated/);
});

async function rollTo(image: string): Promise<void> {
  await setImage(image);
  for (let i = 0; i < 20; i++) {
    await reconcile();
    await settleAll();
  }
}

test('revisionHistoryLimit: the oldest ReplicaSets at 0 go', async () => {
  await store.create('deployments', deployment(2, { revisionHistoryLimit: 1 }));
  await rollTo('nginx:1');
  await rollTo('nginx:2');
  await rollTo('nginx:3');
  await rollTo('nginx:4');
  const rss = await replicaSets();
  expect(rss.map((rs) => [rs.spec.template.spec.containers[0].image, revision(rs), rs.spec.replicas])).toEqual([
    ['nginx:3', 3, 0],
    ['nginx:4', 4, 2],
  ]);
});

test('rollback: the template of an old revision brings its ReplicaSet back with a new revision', async () => {
  await store.create('deployments', deployment(2));
  await rollTo('nginx:1');
  const [first] = await replicaSets();
  await rollTo('nginx:2');
  await rollTo('nginx:1');
  const rss = await replicaSets();
  expect(rss).toHaveLength(2);
  const back = rss.find((rs) => rs.metadata.uid === first.metadata.uid)!;
  expect(back.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  expect(back.spec.replicas).toBe(2);
  expect((await getDeploy()).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
});

test('progress deadline: a rollout that stalls gets ProgressDeadlineExceeded; before that the key comes back', async () => {
  await store.create('deployments', deployment(2, { progressDeadlineSeconds: 60 }));
  await reconcile();
  const result = await reconcile();
  expect(result).toEqual({ requeueAfter: 61_000 });
  clock.advance(61_000);
  await reconcile();
  expect(await conditions()).toMatchObject({ Progressing: 'False/ProgressDeadlineExceeded' });
  const c = (await getDeploy()).status.conditions.find((x: any) => x.type === 'Progressing');
  expect(c.message).toMatch(/^ReplicaSet "web-\w+" has timed out progressing\.$/);
});

test('adopts a matching orphan ReplicaSet with the same template instead of creating one', async () => {
  const d = await store.create('deployments', deployment(2));
  const hash = computeHash(d.spec.template);
  await store.create('replicasets', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'orphan', namespace: 'default', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: structuredClone(d.spec.template) },
  });
  await reconcile();
  const rss = await replicaSets();
  expect(rss.map((rs) => rs.metadata.name)).toEqual(['orphan']);
  expect(rss[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', uid: d.metadata.uid, controller: true });
  expect(rss[0].metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
  expect(hash).toBeTruthy();
});

test('a missing Deployment is done', async () => {
  await expect(reconcile()).resolves.toBeUndefined();
});

test('a resize mid-rollout is spread over the ReplicaSets in proportion (leftover to the largest)', async () => {
  await store.create('deployments', deployment(10));
  await reconcile();
  await settleAll();
  await reconcile();
  await setImage('nginx:2');
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 8, 'nginx:2': 3 });
  await store.guaranteedUpdate('deployments', 'default', 'web', (d) => ({ ...d, spec: { ...d.spec, replicas: 20 } }));
  await reconcile();
  expect(await sizes()).toEqual({ 'nginx:1': 19, 'nginx:2': 6 });
  for (const rs of await replicaSets()) {
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '20', 'deployment.kubernetes.io/max-replicas': '25' });
  }
});

test('a Deployment being deleted gets status only: no ReplicaSet is created', async () => {
  await store.create('deployments', { ...deployment(2), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/hold'] } });
  await store.delete('deployments', 'default', 'web');
  await reconcile();
  expect(await replicaSets()).toEqual([]);
  expect((await getDeploy()).status).toMatchObject({ observedGeneration: 1 });
});

test('a name taken by another ReplicaSet: the collision count goes up and the next try uses another name', async () => {
  const d = await store.create('deployments', deployment(1));
  const hash = computeHash(d.spec.template);
  await store.create('replicasets', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `web-${hash}`, namespace: 'default', labels: { app: 'other' } },
    spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  await expect(reconcile()).rejects.toThrow(/collision count now 1/);
  expect((await getDeploy()).status.collisionCount).toBe(1);
  await reconcile();
  const mine = (await replicaSets()).filter((rs) => rs.metadata.ownerReferences?.[0]?.uid === d.metadata.uid);
  expect(mine.map((rs) => rs.metadata.name)).toEqual([`web-${computeHash(d.spec.template, 1)}`]);
});
