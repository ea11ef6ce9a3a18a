import type { KubeObject } from '../../shared/api/types';
import { podStep, type NodeView, type Step, type StepInput } from './lifecycle';
import { DEFAULT_PROFILE, drawDelay, type Profile } from './profile';

const NODE: NodeView = { name: 'sim-0', hostIP: '172.20.32.10', fallbackCIDR: '10.244.0.0/24' };
const T0 = '2026-01-01T00:00:00Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000);
/** Fixed delays so the table reads plainly: start 1.5 s, stop 0.5 s. */
const PROFILE: Profile = { imagePull: { delayMs: 1_000, jitterMs: 0 }, containerStart: { delayMs: 500, jitterMs: 0 }, stop: { delayMs: 500, jitterMs: 0 }, initRun: { delayMs: 1_000, jitterMs: 0 } };

function pod(status?: any, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...meta },
    spec: { nodeName: 'sim-0', containers: [{ name: 'web', image: 'nginx:1.27' }] },
    ...(status ? { status } : {}),
  };
}

const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: T0 };
const pending = { phase: 'Pending', hostIP: NODE.hostIP, startTime: T0, conditions: [scheduled], containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ContainerCreating' } } }] };
const running = (startedAt = T0) => ({ phase: 'Running', hostIP: NODE.hostIP, startTime: T0, podIP: '10.244.0.2', containerStatuses: [{ name: 'web', state: { running: { startedAt } } }] });
const stopped = { phase: 'Running', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 0, finishedAt: T0 } } }] };
const deleting = { deletionTimestamp: T0, deletionGracePeriodSeconds: 30 };

/** The pod as the kubelet left it at 1.5 s: started, Running, ready. */
function started(meta: Partial<KubeObject['metadata']> = {}, restartPolicy?: string): KubeObject {
  const p = pod(pending, meta);
  if (restartPolicy) p.spec!.restartPolicy = restartPolicy;
  const first = step(p, at(1.5)) as Extract<Step, { action: 'write' }>;
  return { ...p, status: first.status };
}

function step(p: KubeObject, now: Date, extra: Partial<StepInput> = {}): Step {
  return podStep({ pod: p, node: NODE, now, timeScale: 1, profile: PROFILE, seed: 1, reservedIP: '10.244.0.2', ...extra });
}

/** pod + time → the next step: a stage's name and action, or how long to wait. */
describe('podStep', () => {
  const table: [string, KubeObject, Date, Partial<StepInput>, { action: string; stage?: string; afterMs?: number; phase?: string }][] = [
    ['a bound pod without status is accepted', pod(), at(0), {}, { action: 'write', stage: 'pod-accept', phase: 'Pending' }],
    ['a pod the scheduler marked scheduled is accepted', pod({ phase: 'Pending', conditions: [scheduled] }), at(0), {}, { action: 'write', stage: 'pod-accept', phase: 'Pending' }],
    ['an accepted pod waits for pull + start', pod(pending), at(1), {}, { action: 'wait', stage: 'pod-start', afterMs: 500 }],
    ['then runs', pod(pending), at(1.5), {}, { action: 'write', stage: 'pod-start', phase: 'Running' }],
    ['a running pod whose status is current waits for nothing', started(), at(1000), {}, { action: 'none' }],
    ['exit-after waits from the start', started({ annotations: { 'sim.kubeq.io/exit-after': '10s' } }), at(4), {}, { action: 'wait', stage: 'pod-run', afterMs: 7500 }],
    ['exit code 0 under Never succeeds', started({ annotations: { 'sim.kubeq.io/exit-after': '10s' } }, 'Never'), at(12), {}, { action: 'write', stage: 'pod-run', phase: 'Succeeded' }],
    ['another exit code fails', started({ annotations: { 'sim.kubeq.io/exit-after': '1s', 'sim.kubeq.io/exit-code': '3' } }, 'Never'), at(3), {}, { action: 'write', stage: 'pod-run', phase: 'Failed' }],
    ['time scale 10 makes 0.15 s enough', pod(pending), at(0.15), { timeScale: 10 }, { action: 'write', stage: 'pod-start', phase: 'Running' }],
    ['the start-delay annotation replaces the profile', pod(pending, { annotations: { 'sim.kubeq.io/start-delay': '5s' } }), at(2), {}, { action: 'wait', stage: 'pod-start', afterMs: 3000 }],
    ['a finished pod needs nothing', pod({ ...stopped, phase: 'Succeeded' }), at(100), {}, { action: 'none' }],
    ['a deleted running pod is stopped', pod(running(), deleting), at(1), {}, { action: 'write', stage: 'pod-stop', phase: 'Running' }],
    ['a stopped pod goes after the stop delay', pod(stopped, deleting), at(0.2), {}, { action: 'wait', stage: 'pod-remove', afterMs: 300 }],
    ['then is removed', pod(stopped, deleting), at(0.5), {}, { action: 'delete', stage: 'pod-remove' }],
    ['grace period 0 removes at once', pod(stopped, { deletionTimestamp: T0, deletionGracePeriodSeconds: 0 }), at(0), {}, { action: 'delete', stage: 'pod-remove' }],
    ['a deleted pod that never started is removed at once', pod(pending, deleting), at(0), {}, { action: 'delete', stage: 'pod-remove' }],
    ['a deleted finished pod is removed', pod({ ...stopped, phase: 'Failed' }, deleting), at(1), {}, { action: 'delete', stage: 'pod-remove' }],
  ];
  test.each(table)('%s', (_name, p, now, extra, want) => {
    const got = step(p, now, extra);
    expect(got.action).toBe(want.action);
    if ('stage' in got) expect(got.stage).toBe(want.stage);
    if (got.action === 'wait') expect(got.afterMs).toBe(want.afterMs);
    if (got.action === 'write') expect(got.status.phase).toBe(want.phase);
  });
});

describe('the statuses written', () => {
  const conditions = (s: any) => Object.fromEntries(s.conditions.map((c: any) => [c.type, c.status]));

  test('accepting: Pending, ContainerCreating, hostIP, startTime, not ready', () => {
    const got = step(pod({ phase: 'Pending', conditions: [scheduled] }), at(3)) as Extract<Step, { action: 'write' }>;
    expect(got.status).toMatchObject({ phase: 'Pending', hostIP: '172.20.32.10', hostIPs: [{ ip: '172.20.32.10' }], startTime: '2026-01-01T00:00:03.000Z' });
    expect(got.status.containerStatuses).toEqual([{ name: 'web', image: 'nginx:1.27', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } } }]);
    expect(conditions(got.status)).toEqual({ PodReadyToStartContainers: 'False', Initialized: 'True', Ready: 'False', ContainersReady: 'False', PodScheduled: 'True' });
    expect(got.status.conditions.map((c: any) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    expect(got.status.conditions.find((c: any) => c.type === 'PodScheduled')).toEqual(scheduled);
  });

  test('starting: Running, ready, the reserved podIP', () => {
    const got = step(pod(pending), at(2), { reservedIP: '10.244.0.3' }) as Extract<Step, { action: 'write' }>;
    expect(got.status).toMatchObject({ phase: 'Running', podIP: '10.244.0.3', podIPs: [{ ip: '10.244.0.3' }], startTime: T0 });
    const [cs] = got.status.containerStatuses;
    // Started when the sandbox was due (1.5 s), not when the reconcile ran.
    expect(cs).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:01.500Z' } } });
    expect(cs.containerID).toMatch(/^kubeq:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^nginx@sha256:[0-9a-f]{64}$/);
    expect(conditions(got.status)).toEqual({ PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
  });

  test('stopping: containers terminated from their running state, phase kept', () => {
    const got = step(pod(running('2026-01-01T00:00:01Z'), deleting), at(9)) as Extract<Step, { action: 'write' }>;
    expect(got.status.containerStatuses[0]).toMatchObject({ ready: false, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:09.000Z' } } });
    expect(conditions(got.status).Ready).toBe('False');
  });

  test('a failed exit: reason Error and the exit code', () => {
    const p = started({ annotations: { 'sim.kubeq.io/exit-after': '1s', 'sim.kubeq.io/exit-code': '3' } }, 'Never');
    const got = step(p, at(3)) as Extract<Step, { action: 'write' }>;
    expect(got.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });
});

describe('delays', () => {
  test('jitter stays in range and depends only on seed, uid and stage', () => {
    const draws = Array.from({ length: 50 }, (_, i) => drawDelay(DEFAULT_PROFILE.imagePull, 1, `uid-${i}`, 'pull'));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1500);
    expect(new Set(draws).size).toBeGreaterThan(10);
    expect(drawDelay(DEFAULT_PROFILE.imagePull, 1, 'uid-1', 'pull')).toBe(drawDelay(DEFAULT_PROFILE.imagePull, 1, 'uid-1', 'pull'));
    expect(drawDelay(DEFAULT_PROFILE.imagePull, 2, 'uid-1', 'pull')).not.toBe(drawDelay(DEFAULT_PROFILE.imagePull, 1, 'uid-1', 'pull'));
  });
});
