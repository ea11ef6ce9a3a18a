import { Registry } from 'prom-client';
import type { Toleration } from '../../shared/api/taints';
import type { KubeObject } from '../../shared/api/types';
import { realClock, type Clock } from '../../shared/clock';
import { storeEventRecorder } from '../../shared/events/recorder';
import type { Store } from '../../shared/store/store';
import { nodeLifecycle, reconcileNodeLifecycle } from '../../workers/controller-manager/nodelifecycle';
import { NODE_CONTROLLER_COMPONENT, nodeLifecycleKeys, startNodeLifecycleController } from '../../workers/controller-manager/nodelifecycle-controller';
import { reconcileTaintEviction } from '../../workers/controller-manager/tainteviction';
import { startTaintEvictionController, TAINT_EVICTION_CONTROLLER, taintEvictionKeys } from '../../workers/controller-manager/tainteviction-controller';
import { waitFor } from '../queue/util';
import { newStore, pod, setPodStatus, snapshot, useStore } from './util';

/**
 * The node lifecycle and taint-eviction controllers against a real store: reconciles called by
 * hand on a clock the test moves, then both controllers in-process on a clock 100× faster.
 */
const fx = useStore();

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const seconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = (d: Date) => d.toISOString().replace(/Z$/, '000Z');

function readyNode(name: string, at: Date): KubeObject {
  const c = (type: string, status: string) => ({ type, status, reason: 'Kubelet', message: 'ok', lastHeartbeatTime: seconds(at), lastTransitionTime: seconds(at) });
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { conditions: [c('MemoryPressure', 'False'), c('DiskPressure', 'False'), c('PIDPressure', 'False'), c('Ready', 'True')] } };
}

/** A registered node and its Lease, as the kubelet leaves them. */
async function addNode(s: Store, name: string, at: Date): Promise<void> {
  await s.create('nodes', readyNode(name, at));
  await s.create('leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(at) } });
}

async function renew(s: Store, name: string, at: Date): Promise<void> {
  await s.guaranteedUpdate('leases', 'kube-node-lease', name, (l) => ({ ...l, spec: { ...l.spec, renewTime: micro(at) } }));
}

/** The kubelet is back: it posts its healthy conditions (they differ from the stored Unknown ones, so it writes). */
async function kubeletPostsReady(s: Store, name: string, at: Date): Promise<void> {
  await s.guaranteedUpdate('nodes', undefined, name, (n) => ({ ...n, status: { ...n.status, conditions: readyNode(name, at).status.conditions } }), 'status');
}

/** A pod bound to `nodeName`, Running and Ready. */
async function boundPod(s: Store, name: string, nodeName: string, tolerations?: Toleration[]): Promise<void> {
  const p = pod(name, { app: 'web' });
  await s.create('pods', { ...p, spec: { ...p.spec, nodeName, ...(tolerations ? { tolerations } : {}) } });
  await setPodStatus(s, name, { readySince: '2026-01-01T00:00:00Z' });
}

const nodeOf = (name: string) => fx.store.getOrThrow('nodes', undefined, name);
const readyOf = (obj: KubeObject) => obj.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;
const podReady = async (name: string) => readyOf(await fx.store.getOrThrow('pods', 'default', name));
const events = async () => (await fx.store.list('events', { namespace: 'default' })).items.map((e) => [e.involvedObject.name, e.type, e.reason, e.message, e.source.component]);

async function reconcile(name: string) {
  const nl = nodeLifecycle({ store: fx.store, clock: fx.clock, recorder: storeEventRecorder(fx.store, fx.clock, NODE_CONTROLLER_COMPONENT) });
  return reconcileNodeLifecycle(`nodes/${name}`, nl, await snapshot(fx.store, ['nodes', 'leases']));
}

/** Nodes a and b with pods; b's lease is renewed, a's is not, until a has been silent past the 50 s grace. */
async function silenceA(): Promise<void> {
  await addNode(fx.store, 'a', fx.clock.now());
  await addNode(fx.store, 'b', fx.clock.now());
  await boundPod(fx.store, 'a1', 'a');
  await boundPod(fx.store, 'a2', 'a');
  await boundPod(fx.store, 'b1', 'b');
  fx.clock.advance(40_000);
  await renew(fx.store, 'b', fx.clock.now());
  fx.clock.advance(11_000); // a last heard from within second 0 of creation: silent from 50.999 s
}

test('a node whose lease is renewed is left alone with its pods; its reconcile comes back when the lease would run out', async () => {
  await addNode(fx.store, 'a', fx.clock.now());
  await addNode(fx.store, 'b', fx.clock.now());
  await boundPod(fx.store, 'a1', 'a');
  fx.clock.advance(45_000);
  await renew(fx.store, 'a', fx.clock.now());
  fx.clock.advance(30_000); // 75 s after registration, 30 s after the last renewal
  const revision = await fx.store.revision();
  expect(await reconcile('a')).toEqual({ requeueAfter: 20_001 });
  expect(await fx.store.revision()).toBe(revision);
  expect(await podReady('a1')).toBe('True');
});

test('a node silent past the grace period: conditions Unknown, unreachable taints, its pods not Ready, upstream Events', async () => {
  await silenceA();
  expect(await reconcile('a')).toEqual({ requeueAfter: 5_000 });
  const a = await nodeOf('a');
  for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
    expect(a.status.conditions).toContainEqual({
      type,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2026-01-01T00:00:00Z',
      lastTransitionTime: '2026-01-01T00:00:51Z',
    });
  }
  expect(a.spec.taints).toEqual([
    { key: UNREACHABLE, effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:51Z' },
    { key: UNREACHABLE, effect: 'NoExecute', timeAdded: '2026-01-01T00:00:51Z' },
  ]);
  expect([await podReady('a1'), await podReady('a2'), await podReady('b1')]).toEqual(['False', 'False', 'True']);
  expect((await events()).sort()).toEqual([
    ['a', 'Normal', 'NodeNotReady', 'Node a status is now: NodeNotReady', NODE_CONTROLLER_COMPONENT],
    ['a1', 'Warning', 'NodeNotReady', 'Node is not ready', NODE_CONTROLLER_COMPONENT],
    ['a2', 'Warning', 'NodeNotReady', 'Node is not ready', NODE_CONTROLLER_COMPONENT],
  ]);

  // b is fresh; a again: nothing more to write
  expect(await reconcile('b')).toEqual({ requeueAfter: 39_001 });
  const revision = await fx.store.revision();
  expect(await reconcile('a')).toEqual({ requeueAfter: 5_000 });
  expect(await fx.store.revision()).toBe(revision);
  expect((await nodeOf('b')).spec.taints).toBeUndefined();
});

test('once the lease is renewed and the kubelet posts Ready=True, the taints come off', async () => {
  await silenceA();
  await reconcile('a');
  fx.clock.advance(30_000);
  await kubeletPostsReady(fx.store, 'a', fx.clock.now());
  await renew(fx.store, 'a', fx.clock.now());
  await renew(fx.store, 'b', fx.clock.now());
  expect(await reconcile('a')).toEqual({ requeueAfter: 51_000 }); // the heartbeat, to the second, counts from the end of it
  const a = await nodeOf('a');
  expect(readyOf(a)).toBe('True');
  expect(a.spec.taints).toBeUndefined();
});

test('a lease renewal alone does not make an Unknown node Ready: the kubelet must post status', async () => {
  await silenceA();
  await reconcile('a');
  await renew(fx.store, 'a', fx.clock.now());
  await reconcile('a');
  expect(readyOf(await nodeOf('a'))).toBe('Unknown');
  expect((await nodeOf('a')).spec.taints).toHaveLength(2);
});

test('every node silent (the control plane is likely cut off): NoSchedule taints only, and NoExecute ones come off', async () => {
  await silenceA();
  await reconcile('a');
  expect((await nodeOf('a')).spec.taints.map((t: any) => t.effect)).toEqual(['NoSchedule', 'NoExecute']);
  fx.clock.advance(50_000); // b silent too
  await reconcile('b');
  await reconcile('a');
  expect(readyOf(await nodeOf('b'))).toBe('Unknown');
  for (const name of ['a', 'b']) expect((await nodeOf(name)).spec.taints).toEqual([{ key: UNREACHABLE, effect: 'NoSchedule', timeAdded: expect.any(String) }]);
});

test('taint eviction: untolerated at once, tolerated after tolerationSeconds from the taint, tolerated for ever never', async () => {
  const at = seconds(fx.clock.now());
  await fx.store.create('nodes', { ...readyNode('a', fx.clock.now()), spec: { taints: [{ key: UNREACHABLE, effect: 'NoExecute', timeAdded: at }] } });
  await fx.store.create('nodes', { ...readyNode('b', fx.clock.now()), spec: { taints: [{ key: 'example.com/maintenance', effect: 'NoExecute' }] } });
  await boundPod(fx.store, 'default-300', 'a');
  await boundPod(fx.store, 'short', 'a', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
  await boundPod(fx.store, 'forever', 'a', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }]);
  await boundPod(fx.store, 'untolerated', 'b');
  const te = { store: fx.store, clock: fx.clock, recorder: storeEventRecorder(fx.store, fx.clock, TAINT_EVICTION_CONTROLLER) };
  const evict = (name: string) => reconcileTaintEviction(`pods/default/${name}`, te);
  const evicted = async (name: string) => (await fx.store.get('pods', 'default', name))?.metadata.deletionTimestamp !== undefined;

  // times written to the second count from the end of it
  expect(await evict('default-300')).toEqual({ requeueAfter: 300_999 });
  expect(await evict('short')).toEqual({ requeueAfter: 60_999 });
  expect(await evict('forever')).toBeUndefined();
  expect(await evict('untolerated')).toBeUndefined();
  expect(await evicted('untolerated')).toBe(true);

  fx.clock.advance(61_000);
  expect(await evict('short')).toBeUndefined();
  expect(await evict('default-300')).toEqual({ requeueAfter: 239_999 });
  expect([await evicted('short'), await evicted('default-300')]).toEqual([true, false]);
  const short = await fx.store.getOrThrow('pods', 'default', 'short');
  expect(short.status.conditions).toContainEqual({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: '2026-01-01T00:01:01Z' });
  expect(short.metadata.deletionGracePeriodSeconds).toBe(30); // its own grace period: its kubelet stops it if it comes back

  fx.clock.advance(240_000);
  await evict('default-300');
  await evict('forever');
  expect([await evicted('default-300'), await evicted('forever')]).toEqual([true, false]);
  expect((await events()).filter((e) => e[2] === 'TaintManagerEviction').sort()).toEqual([
    ['default-300', 'Normal', 'TaintManagerEviction', 'Marking for deletion Pod default/default-300', TAINT_EVICTION_CONTROLLER],
    ['short', 'Normal', 'TaintManagerEviction', 'Marking for deletion Pod default/short', TAINT_EVICTION_CONTROLLER],
    ['untolerated', 'Normal', 'TaintManagerEviction', 'Marking for deletion Pod default/untolerated', TAINT_EVICTION_CONTROLLER],
  ]);
});

test('both controllers in-process, 100× faster: a node that stops renewing is tainted, its pods evicted on time, and untainted when it is back', async () => {
  const fast: Clock = realClock(100);
  const s = newStore(fx.redis, fast);
  const tuning = { informer: { blockMs: 20 }, registry: new Registry() };
  fx.controllers.push(await startNodeLifecycleController({ store: s, clock: fast, ...tuning, recorder: storeEventRecorder(s, fast, NODE_CONTROLLER_COMPONENT) }));
  fx.controllers.push(await startTaintEvictionController({ store: s, clock: fast, ...tuning, registry: new Registry() }));
  for (const name of ['a', 'b']) await addNode(s, name, fast.now());
  await boundPod(s, 'a-default', 'a'); // 300 s: 3 s here
  await boundPod(s, 'a-short', 'a', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
  await boundPod(s, 'b-pod', 'b');
  const alive = new Set(['a', 'b']);
  // The kubelets: a renewal every 10 s (100 ms here).
  const kubelets = setInterval(() => void Promise.all([...alive].map((n) => renew(s, n, fast.now()))).catch(() => undefined), fast.scaled(10_000));
  try {
    const start = Date.now();
    await new Promise((r) => setTimeout(r, fast.scaled(60_000))); // past the grace: both renew, nothing happens
    expect((await s.getOrThrow('nodes', undefined, 'a')).spec.taints).toBeUndefined();

    alive.delete('a');
    const tainted = async () => ((await s.getOrThrow('nodes', undefined, 'a')).spec.taints ?? []).some((t: any) => t.effect === 'NoExecute');
    await waitFor(tainted, 'a tainted NoExecute', 5_000);
    const live = async (name: string) => !(await s.get('pods', 'default', name))?.metadata.deletionTimestamp;
    await waitFor(async () => !(await live('a-short')), 'a-short evicted', 5_000);
    expect(await live('a-default')).toBe(true);
    await waitFor(async () => !(await live('a-default')), 'a-default evicted', 10_000);
    // a's last renewal came up to one renewal period (10 s) before it stopped: grace and toleration count from there.
    expect(Date.now() - start).toBeGreaterThanOrEqual(fast.scaled(60_000 - 10_000 + 50_000 + 300_000));
    expect(await live('b-pod')).toBe(true);
    expect(readyOf(await s.getOrThrow('pods', 'default', 'b-pod'))).toBe('True');

    await kubeletPostsReady(s, 'a', fast.now());
    alive.add('a');
    await waitFor(async () => (await s.getOrThrow('nodes', undefined, 'a')).spec.taints === undefined, 'a untainted', 5_000);
  } finally {
    clearInterval(kubelets);
  }
}, 30_000);

describe('event → key mappers', () => {
  const ev = (resource: string, key: string, object: KubeObject, oldObject?: KubeObject, type: 'ADDED' | 'MODIFIED' | 'DELETED' = oldObject ? 'MODIFIED' : 'ADDED') => ({ type, resource, key, object, oldObject, revision: 1, traceparent: '', origin: 'watch' as const });
  const lease = (namespace: string, renewTime: string): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'a', namespace }, spec: { renewTime } });

  test('node lifecycle: nodes enqueue themselves; a lease renewal enqueues nothing, a new or gone node lease its node', () => {
    const n = readyNode('a', fx.clock.now());
    expect(nodeLifecycleKeys(ev('nodes', 'nodes/a', n, n))).toEqual(['nodes/a']);
    expect(nodeLifecycleKeys(ev('nodes', 'nodes/a', n, undefined, 'DELETED'))).toEqual([]);
    const l1 = lease('kube-node-lease', 't1');
    expect(nodeLifecycleKeys(ev('leases', 'leases/kube-node-lease/a', lease('kube-node-lease', 't2'), l1))).toEqual([]);
    expect(nodeLifecycleKeys(ev('leases', 'leases/kube-node-lease/a', l1))).toEqual(['nodes/a']);
    expect(nodeLifecycleKeys(ev('leases', 'leases/kube-node-lease/a', l1, undefined, 'DELETED'))).toEqual(['nodes/a']);
    expect(nodeLifecycleKeys(ev('leases', 'leases/kube-system/a', lease('kube-system', 't1')))).toEqual([]);
  });

  test('taint eviction: pods of NoExecute-tainted nodes when new or their tolerations change; all pods of a node whose NoExecute taints change', async () => {
    const clean = readyNode('clean', fx.clock.now());
    const tainted = { ...readyNode('tainted', fx.clock.now()), spec: { taints: [{ key: UNREACHABLE, effect: 'NoExecute' }] } };
    await fx.store.create('nodes', clean);
    await fx.store.create('nodes', tainted);
    await boundPod(fx.store, 'on-tainted', 'tainted');
    await boundPod(fx.store, 'on-clean', 'clean');
    const cache = await snapshot(fx.store, ['nodes', 'pods']);
    const keys = taintEvictionKeys(() => cache);
    const p = await fx.store.getOrThrow('pods', 'default', 'on-tainted');
    const onClean = await fx.store.getOrThrow('pods', 'default', 'on-clean');
    expect(keys(ev('pods', 'pods/default/on-tainted', p))).toEqual(['pods/default/on-tainted']);
    expect(keys(ev('pods', 'pods/default/on-clean', onClean))).toEqual([]);
    expect(keys(ev('pods', 'pods/default/on-tainted', { ...p, status: { phase: 'Running' } }, p))).toEqual([]); // status only
    const tolerating = { ...p, spec: { ...p.spec, tolerations: [...p.spec.tolerations, { key: 'x', operator: 'Exists', effect: 'NoExecute' }] } };
    expect(keys(ev('pods', 'pods/default/on-tainted', tolerating, p))).toEqual(['pods/default/on-tainted']);
    expect(keys(ev('nodes', 'nodes/tainted', tainted, clean))).toEqual(['pods/default/on-tainted']);
    expect(keys(ev('nodes', 'nodes/tainted', tainted, { ...tainted, status: {} }))).toEqual([]); // taints unchanged
    expect(keys(ev('nodes', 'nodes/clean', clean, tainted))).toEqual([]); // taints gone: waiting pods find none when they wake
    expect(taintEvictionKeys(() => undefined)(ev('pods', 'pods/default/on-clean', onClean))).toEqual(['pods/default/on-clean']); // no cache yet: every bound pod
  });
});
