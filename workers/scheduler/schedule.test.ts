import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { StatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { EventRecorder, EventType } from '../../shared/events/recorder';
import { Cache } from '../../shared/informer/indexer';
import type { Mutation, Store } from '../../shared/store/store';
import { startTelemetry, type Telemetry } from '../../shared/tracing/sdk';
import { podScheduledCondition } from './binding';
import { SchedulerCache } from '../../shared/scheduling/framework/cache';
import { seededRandom } from '../../shared/scheduling/framework/random';
import { scheduleOne, truncateMessage } from './schedule';
import { makeNode, makePod } from '../../shared/scheduling/testing';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'scheduler-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
});
afterAll(() => telemetry.shutdown());
beforeEach(() => exporter.reset());

const NOW = new Date('2026-01-01T00:00:00Z');
const clock = (now = NOW): Clock => ({ now: () => now, scaled: (ms) => ms, sleep: async () => undefined });

/** A store holding objects in memory; guaranteedUpdate applies the mutation as the real one does (404 when absent). */
function fakeStore(objects: Map<string, KubeObject>): Store & { writes: number } {
  const fake = {
    writes: 0,
    async guaranteedUpdate(_resource: string, namespace: string | undefined, name: string, mutate: Mutation) {
      const key = `pods/${namespace}/${name}`;
      const current = objects.get(key);
      if (!current) throw new StatusError(404, 'NotFound', `pods "${name}" not found`);
      const next = mutate(structuredClone(current));
      if (!next) return current;
      fake.writes++;
      objects.set(key, next);
      return next;
    },
  };
  return fake as unknown as Store & { writes: number };
}

function setup(objects: KubeObject[]) {
  const cache = new Cache();
  const stored = new Map<string, KubeObject>();
  for (const o of objects) {
    const key = o.kind === 'Node' ? `nodes/${o.metadata.name}` : `pods/${o.metadata.namespace}/${o.metadata.name}`;
    cache.set(key, o);
    if (o.kind === 'Pod') stored.set(key, structuredClone(o));
  }
  return { cache, stored, store: fakeStore(stored) };
}

const node = (name: string, cpu = '2') => makeNode(name, { allocatable: { cpu, memory: '4Gi', pods: '110' } });

/** Keeps what was recorded: `[type, reason, object name, message]`. */
function recording(): EventRecorder & { events: [EventType, string, string, string][] } {
  const events: [EventType, string, string, string][] = [];
  return { events, event: async (obj, type, reason, message) => void events.push([type, reason, obj.metadata.name!, message]) };
}

describe('scheduleOne', () => {
  it('assumes a binding before writing it: a cycle run while the write is in flight sees the node taken', async () => {
    const { cache, stored, store } = setup([node('only', '2'), makePod({ name: 'first', requests: [{ cpu: '1500m' }] }), makePod({ name: 'second', requests: [{ cpu: '1500m' }] })]);
    const nodes = SchedulerCache.fromIndexer(cache);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slowStore = { ...store, guaranteedUpdate: async (...args: Parameters<Store['guaranteedUpdate']>) => (await held, store.guaranteedUpdate(...args)) } as unknown as Store;
    const first = scheduleOne('pods/default/first', cache, slowStore, seededRandom(1), { clock: clock(), nodes });
    expect(nodes.counted('pods/default/first')?.spec.nodeName).toBe('only');
    const second = scheduleOne('pods/default/second', cache, slowStore, seededRandom(1), { clock: clock(), nodes });
    release();
    expect(await first).toBeUndefined();
    expect(await second).toEqual({ requeueAfter: 1000 });
    expect(stored.get('pods/default/first')!.spec.nodeName).toBe('only');
    expect(podScheduledCondition(stored.get('pods/default/second')!)).toMatchObject({ status: 'False', reason: 'Unschedulable' });
  });

  it('forgets the assumption when the binding fails', async () => {
    const { cache, store } = setup([node('only'), makePod({ name: 'web', requests: [{ cpu: '1' }] })]);
    const nodes = SchedulerCache.fromIndexer(cache);
    const failing = { ...store, guaranteedUpdate: async () => Promise.reject(new Error('redis went away')) } as unknown as Store;
    await expect(scheduleOne('pods/default/web', cache, failing, seededRandom(1), { clock: clock(), nodes })).rejects.toThrow('redis went away');
    expect(nodes.counted('pods/default/web')).toBeUndefined();
    expect(nodes.nodeInfos()[0].pods).toEqual([]);
  });

  it('binds to the best node, sets PodScheduled=True and traces every plugin', async () => {
    const { cache, stored, store } = setup([node('small', '1'), node('big', '8'), makePod({ name: 'web', requests: [{ cpu: '500m' }] })]);
    expect(await scheduleOne('pods/default/web', cache, store, seededRandom(1), { clock: clock() })).toBeUndefined();
    const pod = stored.get('pods/default/web')!;
    expect(pod.spec.nodeName).toBe('big');
    expect(podScheduledCondition(pod)).toEqual({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' });

    await telemetry.forceFlush();
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'schedule Pod')!;
    expect(root.attributes).toMatchObject({ 'k8s.pod.name': 'web', 'k8s.namespace.name': 'default', 'kubeq.scheduler.selected_node': 'big', 'kubeq.scheduler.outcome': 'scheduled' });
    const fit = spans.find((s) => s.name === 'plugin NodeResourcesFit')!;
    expect(fit.parentSpanContext?.spanId ?? (fit as any).parentSpanId).toBe(root.spanContext().spanId);
    expect(fit.attributes['kubeq.scheduler.filter.passed']).toEqual(['small', 'big']);
    // small: cpu 500m of 1 → 50, memory 200Mi (the default) of 4Gi → 95: 72; big: cpu 93, memory 95: 94.
    expect(fit.attributes['kubeq.scheduler.scores']).toEqual(['small=72/72/72', 'big=94/94/94']);
  });

  it('records the FitError and backs off when nothing fits', async () => {
    const { cache, stored, store } = setup([node('a'), node('b'), makePod({ name: 'huge', requests: [{ cpu: '3' }] })]);
    const result = await scheduleOne('pods/default/huge', cache, store, seededRandom(1), { clock: clock() });
    expect(result).toEqual({ requeueAfter: 1000 });
    const cond = podScheduledCondition(stored.get('pods/default/huge')!);
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.' });

    // Six seconds later, same verdict: no new write, and the wait has grown.
    cache.set('pods/default/huge', stored.get('pods/default/huge')!);
    const writes = store.writes;
    const later = await scheduleOne('pods/default/huge', cache, store, seededRandom(1), { clock: clock(new Date(NOW.getTime() + 6000)) });
    expect(later).toEqual({ requeueAfter: 6000 });
    expect(store.writes).toBe(writes);
    const muchLater = await scheduleOne('pods/default/huge', cache, store, seededRandom(1), { clock: clock(new Date(NOW.getTime() + 60000)) });
    expect(muchLater).toEqual({ requeueAfter: 10000 });
  });

  it('records Scheduled for the binding it wrote, FailedScheduling for every failed attempt', async () => {
    const { cache, stored, store } = setup([node('a', '1'), makePod({ name: 'web', requests: [{ cpu: '500m' }] }), makePod({ name: 'huge', requests: [{ cpu: '3' }] })]);
    const recorder = recording();
    await scheduleOne('pods/default/web', cache, store, seededRandom(1), { clock: clock(), recorder });
    await scheduleOne('pods/default/huge', cache, store, seededRandom(1), { clock: clock(), recorder });
    cache.set('pods/default/huge', stored.get('pods/default/huge')!);
    const writes = store.writes;
    await scheduleOne('pods/default/huge', cache, store, seededRandom(1), { clock: clock(new Date(NOW.getTime() + 2000)), recorder });
    expect(store.writes).toBe(writes); // the condition already says so; the attempt is still an event
    const failed = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    expect(recorder.events).toEqual([
      ['Normal', 'Scheduled', 'web', 'Successfully assigned default/web to a'],
      ['Warning', 'FailedScheduling', 'huge', failed],
      ['Warning', 'FailedScheduling', 'huge', failed],
    ]);
  });

  it('records nothing when someone else bound the pod first', async () => {
    const { cache, stored, store } = setup([node('a'), node('b', '1'), makePod({ name: 'p' }), makePod({ name: 'huge', requests: [{ cpu: '3' }] })]);
    stored.get('pods/default/p')!.spec.nodeName = 'b';
    stored.get('pods/default/huge')!.spec.nodeName = 'b';
    const recorder = recording();
    expect(await scheduleOne('pods/default/p', cache, store, seededRandom(1), { clock: clock(), recorder })).toBeUndefined();
    await scheduleOne('pods/default/huge', cache, store, seededRandom(1), { clock: clock(), recorder });
    expect(store.writes).toBe(0);
    expect(recorder.events).toEqual([]);
  });

  it('truncates an event message to 1024 bytes as upstream does', () => {
    expect(truncateMessage('short')).toBe('short');
    const long = `0/2000 nodes are available: ${'x'.repeat(2000)}`;
    expect(truncateMessage(long)).toHaveLength(1024);
    expect(truncateMessage(long).endsWith('x ...')).toBe(true);
  });

  it.each([
    ['already bound', makePod({ name: 'p', nodeName: 'a' })],
    ['another scheduler', makePod({ name: 'p', spec: { schedulerName: 'other' } })],
    ['gated', makePod({ name: 'p', spec: { schedulingGates: [{ name: 'g' }] } })],
  ])('leaves a pod alone when %s', async (_name, pod) => {
    const { cache, store } = setup([node('a'), pod]);
    expect(await scheduleOne('pods/default/p', cache, store, seededRandom(1), { clock: clock() })).toBeUndefined();
    expect(store.writes).toBe(0);
  });

  it('is done when the pod is not in the cache, or deleted before the write', async () => {
    const { cache, stored, store } = setup([node('a'), makePod({ name: 'p' })]);
    expect(await scheduleOne('pods/default/missing', cache, store, seededRandom(1))).toBeUndefined();
    stored.delete('pods/default/p');
    expect(await scheduleOne('pods/default/p', cache, store, seededRandom(1), { clock: clock() })).toBeUndefined();
  });

  it('does not bind a pod that was recreated under the same name', async () => {
    const { cache, stored, store } = setup([node('a'), makePod({ name: 'p' })]);
    stored.get('pods/default/p')!.metadata.uid = 'another';
    await scheduleOne('pods/default/p', cache, store, seededRandom(1), { clock: clock() });
    expect(stored.get('pods/default/p')!.spec.nodeName).toBeUndefined();
  });

  it('counts assumed pods so back-to-back pods do not overcommit a node', async () => {
    const { cache, stored, store } = setup([node('a', '1'), makePod({ name: 'p1', requests: [{ cpu: '600m' }] }), makePod({ name: 'p2', requests: [{ cpu: '600m' }] })]);
    const nodes = SchedulerCache.fromIndexer(cache);
    await scheduleOne('pods/default/p1', cache, store, seededRandom(1), { clock: clock(), nodes });
    expect(stored.get('pods/default/p1')!.spec.nodeName).toBe('a');
    // The cache has not seen p1's binding yet.
    const result = await scheduleOne('pods/default/p2', cache, store, seededRandom(1), { clock: clock(), nodes });
    expect(result).toEqual({ requeueAfter: 1000 });
    expect(podScheduledCondition(stored.get('pods/default/p2')!)?.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });

  it('throws when a plugin errs, so the runner retries', async () => {
    const { cache, store } = setup([node('a'), node('b'), makePod({ name: 'p' })]);
    const profile = [{ plugin: { name: 'Broken', score: () => 500 }, weight: 1 }];
    await expect(scheduleOne('pods/default/p', cache, store, seededRandom(1), { clock: clock(), profile })).rejects.toThrow('plugin Broken');
  });
});
