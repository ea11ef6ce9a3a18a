/**
 * The autoscaler's pass (Autoscaler.runOnce) over a real Redis and store, on a clock the test
 * moves: groups kept at their minimum, a machine that never registers given up after
 * max-node-provision-time, and an idle node removed exactly when the unneeded time has passed.
 */
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import { Machines } from '../../shared/cloudprovider/machines';
import { storeEventRecorder } from '../../shared/events/recorder';
import { Cache } from '../../shared/informer/indexer';
import { lookupResourceByName } from '../../shared/api/registry';
import { seededRandom } from '../../shared/scheduling/framework/random';
import { DEFAULT_PROFILE } from '../../shared/scheduling/profile';
import { Store } from '../../shared/store/store';
import { ensureSystemNamespaces } from '../../services/apiserver/handlers/admission';
import { Autoscaler } from '../../workers/cluster-autoscaler/autoscaler';
import { loadAutoscalerSettings } from '../../workers/cluster-autoscaler/settings';
import { templateNode } from '../../workers/cluster-autoscaler/simulator';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const MIN = 60_000;
let counter = 0;

async function setup(groups: unknown[]) {
  const prefix = `{ca-${++counter}}`;
  const conn = redis.client();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock: Clock = { now: () => new Date(now), scaled: (ms) => ms, sleep: async () => undefined };
  const store = new Store(conn, { prefix, resources: lookupResourceByName, now: clock.now });
  await ensureSystemNamespaces(store);
  const machines = new Machines(conn, prefix);
  const settings = loadAutoscalerSettings({ KUBEQ_NODE_GROUPS: JSON.stringify(groups) });
  const autoscaler = new Autoscaler({ settings, store, clock, machines, recorder: storeEventRecorder(store, clock, 'cluster-autoscaler'), random: seededRandom(1), profile: DEFAULT_PROFILE });
  /** One pass over what the store holds now (a synced informer cache). */
  const pass = async () => {
    const cache = new Cache();
    for (const resource of ['nodes', 'pods', 'configmaps', 'poddisruptionbudgets', 'replicasets']) {
      for (const obj of (await store.list(resource)).items) cache.set(`${resource}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`, obj);
    }
    return autoscaler.runOnce(cache);
  };
  const events = async (reason: string) => (await store.list('events')).items.filter((e) => e.reason === reason).map((e) => `${e.involvedObject.name}: ${e.message}`);
  return { store, machines, settings, pass, events, advance: (ms: number) => (now += ms), at: () => now };
}

/** The Node a kubelet would register for a machine of the group. */
async function register(store: Store, settings: ReturnType<typeof loadAutoscalerSettings>, name: string): Promise<KubeObject> {
  const node = templateNode(settings.nodeGroups[0], name);
  return store.create('nodes', node);
}

test('a group is kept at its minimum; a machine that never registers is given up after max-node-provision-time', async () => {
  const ca = await setup([{ name: 'pool', min: 1, max: 3, cpu: '2', memory: '4Gi' }]);
  expect(await ca.pass()).toEqual({ requeueAfter: 10_000 });
  expect((await ca.machines.list()).map((m) => [m.name, m.readyAt - m.requestedAt])).toEqual([['pool-0', 60_000]]);
  const status = await ca.store.get('configmaps', 'kube-system', 'cluster-autoscaler-status');
  expect(status?.data?.status).toContain('cloudProviderTarget: 1');

  ca.advance(15 * MIN - 1);
  await ca.pass();
  expect((await ca.machines.list()).map((m) => m.name)).toEqual(['pool-0']);
  ca.advance(2);
  await ca.pass();
  expect(await ca.events('DeleteUnregistered')).toEqual(['cluster-autoscaler-status: Removed unregistered node pool-0']);
  await ca.pass();
  expect((await ca.machines.list()).map((m) => m.name)).toEqual(['pool-1']);
});

test('a group whose machine never came up is backed off for 5 min before the next scale-up', async () => {
  const ca = await setup([{ name: 'pool', min: 0, max: 3, cpu: '2', memory: '4Gi' }]);
  await ca.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1' } } }] } });
  await ca.store.guaranteedUpdate('pods', 'default', 'web', (p) => ({ ...p, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } }), 'status');
  await ca.pass();
  expect((await ca.machines.list()).map((m) => m.name)).toEqual(['pool-0']);
  ca.advance(15 * MIN + 1);
  await ca.pass();
  expect(await ca.machines.list()).toEqual([]);
  expect(await ca.events('NotTriggerScaleUp')).toEqual(["web: pod didn't trigger scale-up: 1 in backoff after failed scale-up"]);
  expect((await ca.store.get('configmaps', 'kube-system', 'cluster-autoscaler-status'))?.data?.status).toMatch(/scaleUp:\n\s+status: Backoff/);
  ca.advance(5 * MIN);
  await ca.pass();
  expect((await ca.machines.list()).map((m) => m.name)).toEqual(['pool-1']);
});

test('an empty group node goes when it has been unneeded for the unneeded time, not before; its machine once its pods are gone', async () => {
  const ca = await setup([{ name: 'pool', min: 0, max: 3, cpu: '2', memory: '4Gi' }]);
  const machine = await ca.machines.add('pool', ca.settings.nodeGroups[0].shape, ca.at(), ca.at());
  await register(ca.store, ca.settings, machine.name);
  await ca.pass();
  ca.advance(10 * MIN - 1);
  await ca.pass();
  expect((await ca.store.get('nodes', undefined, 'pool-0'))?.spec?.taints).toBeUndefined();
  ca.advance(1);
  await ca.pass();
  const node = await ca.store.get('nodes', undefined, 'pool-0');
  expect(node?.spec?.taints).toEqual([{ key: 'ToBeDeletedByClusterAutoscaler', value: String(Math.floor(ca.at() / 1000)), effect: 'NoSchedule' }]);
  expect(await ca.events('ScaleDownEmpty')).toEqual(['cluster-autoscaler-status: Scale-down: removing empty node "pool-0"']);
  expect(await ca.events('ScaleDown')).toEqual(['pool-0: marked the node as toBeDeleted/unschedulable']);
  expect((await ca.machines.list()).map((m) => m.name)).toEqual(['pool-0']);
  await ca.pass();
  expect(await ca.machines.list()).toEqual([]);
  expect(await ca.events('ScaleDown')).toContain('pool-0: nodes removed by cluster autoscaler');
});

test('no scale-down within scale-down-delay-after-add of a scale-up', async () => {
  const ca = await setup([{ name: 'pool', min: 0, max: 3, cpu: '2', memory: '4Gi' }]);
  const idle = await ca.machines.add('pool', ca.settings.nodeGroups[0].shape, ca.at(), ca.at());
  await register(ca.store, ca.settings, idle.name);
  // Cordoned: empty and unneeded, and no pod can go there, so a pending pod needs a new node.
  await ca.store.guaranteedUpdate('nodes', undefined, 'pool-0', (n) => ({ ...n, spec: { ...n.spec, unschedulable: true } }));
  await ca.pass();
  ca.advance(5 * MIN);
  await ca.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1' } } }] } });
  await ca.store.guaranteedUpdate('pods', 'default', 'web', (p) => ({ ...p, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } }), 'status');
  await ca.pass();
  expect(await ca.events('TriggeredScaleUp')).toEqual(['web: pod triggered scale-up: [{pool 1->2 (max: 3)}]']);
  expect(await ca.events('ScaledUpGroup')).toEqual(['cluster-autoscaler-status: Scale-up: setting group pool size to 2 instead of 1 (max: 3)']);
  // pool-0 has been unneeded for 10 min, but the scale-up was 5 min ago.
  ca.advance(5 * MIN);
  await ca.pass();
  expect((await ca.store.get('nodes', undefined, 'pool-0'))?.spec?.taints).toBeUndefined();
  // The pending pod waits for the machine coming (pool-1): no second scale-up.
  expect((await ca.machines.list()).map((m) => m.name)).toEqual(['pool-0', 'pool-1']);
  ca.advance(5 * MIN);
  await ca.pass();
  expect((await ca.store.get('nodes', undefined, 'pool-0'))?.spec?.taints?.[0]?.key).toBe('ToBeDeletedByClusterAutoscaler');
});
