/**
 * Whole pod lives, driven the way the reconciler drives them: take the step, write the status
 * or jump to the time the step asks to come back at, until a given moment.
 */
import type { KubeObject } from '../../shared/api/types';
import { BACKOFF_LADDER_MS, goDuration, type KubeletEvent } from './containers';
import { podStep, type NodeView } from './lifecycle';
import type { Profile } from './profile';

const NODE: NodeView = { name: 'sim-0', hostIP: '172.20.32.10', fallbackCIDR: '10.244.0.0/24' };
const T0 = Date.parse('2026-01-01T00:00:00Z');
/** Start 1.5 s after acceptance, init containers run 1 s. */
const PROFILE: Profile = { imagePull: { delayMs: 1_000, jitterMs: 0 }, containerStart: { delayMs: 500, jitterMs: 0 }, stop: { delayMs: 500, jitterMs: 0 }, initRun: { delayMs: 1_000, jitterMs: 0 } };

interface Write {
  /** Seconds since acceptance. */
  t: number;
  status: any;
  events: KubeletEvent[];
}

function drive(spec: any, annotations: Record<string, string>, untilS: number, timeScale = 1): { pod: KubeObject; writes: Write[] } {
  let pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1', annotations }, spec: { nodeName: 'sim-0', ...spec } };
  let now = T0;
  const writes: Write[] = [];
  for (let i = 0; i < 1000 && now <= T0 + (untilS * 1000) / timeScale; i++) {
    const step = podStep({ pod, node: NODE, now: new Date(now), timeScale, profile: PROFILE, seed: 1, reservedIP: '10.244.0.2' });
    if (step.action === 'write') {
      pod = { ...pod, status: step.status };
      writes.push({ t: ((now - T0) * timeScale) / 1000, status: step.status, events: step.events ?? [] });
    } else if (step.action === 'wait') now += Math.ceil(step.afterMs / timeScale);
    else break;
  }
  return { pod, writes };
}

const web = (extra: object = {}) => ({ name: 'web', image: 'nginx:1.27', ...extra });
const httpProbe = (extra: object = {}) => ({ httpGet: { path: '/healthz', port: 8080 }, ...extra });
const condition = (status: any, type: string) => status.conditions.find((c: any) => c.type === type);
const seconds = (text: string) => (Date.parse(text) - T0) / 1000;

describe('liveness', () => {
  const { pod, writes } = drive({ containers: [web({ livenessProbe: httpProbe() })] }, { 'sim.kubeq.io/fail-liveness': '30s-' }, 1500);
  const restarts = writes.filter((w, i) => i > 0 && w.status.containerStatuses[0].restartCount > writes[i - 1].status.containerStatuses[0].restartCount);

  test('a container failing liveness from 30 s is killed at the third failure (50 s) of every run', () => {
    const lastStates = restarts.map((w) => w.status.containerStatuses[0].lastState.terminated);
    for (const last of lastStates) expect(seconds(last.finishedAt) - seconds(last.startedAt)).toBe(50);
    expect(lastStates[0]).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  test('restarts at once, then after 10 s doubling to 5 min (CrashLoopBackOff)', () => {
    const gaps = restarts.map((w) => {
      const cs = w.status.containerStatuses[0];
      return seconds(cs.state.running.startedAt) - seconds(cs.lastState.terminated.finishedAt);
    });
    expect(gaps).toEqual([0, 10, 20, 40, 80, 160, 300, 300].map((s) => s).slice(0, gaps.length));
    expect(gaps.length).toBeGreaterThanOrEqual(7);
    expect(restarts.map((w) => w.status.containerStatuses[0].restartCount)).toEqual(restarts.map((_w, i) => i + 1));
  });

  test('between restarts the container waits in CrashLoopBackOff with upstream message, the pod stays Running and unready', () => {
    const waiting = writes.filter((w) => w.status.containerStatuses[0].state.waiting?.reason === 'CrashLoopBackOff');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0].status.containerStatuses[0].state.waiting).toEqual({ reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=web pod=web-1_default(uid-1)' });
    expect(waiting[0].status.phase).toBe('Running');
    expect(condition(waiting[0].status, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    expect(waiting.map((w) => w.status.containerStatuses[0].state.waiting.message.split(' ')[1])).toContain('5m0s');
    expect(pod.status.phase).toBe('Running');
  });

  test('records Unhealthy and Killing at each kill, BackOff on each back-off', () => {
    const kill = writes.find((w) => w.events.some((e) => e.reason === 'Killing'))!;
    expect(kill.events).toEqual([
      { type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: HTTP probe failed with statuscode: 500' },
      { type: 'Normal', reason: 'Killing', message: 'Container web failed liveness probe, will be restarted' },
    ]);
    expect(writes.flatMap((w) => w.events).filter((e) => e.reason === 'BackOff')[0]).toEqual({ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container web in pod web-1_default(uid-1)' });
  });

  test('a run longer than 10 minutes resets the back-off', () => {
    const long = drive({ containers: [web({ livenessProbe: httpProbe() })] }, { 'sim.kubeq.io/fail-liveness': '11m-' }, 3000);
    const gaps = long.writes
      .map((w) => w.status.containerStatuses[0])
      .filter((cs) => cs.state.running && cs.lastState)
      .map((cs) => seconds(cs.state.running.startedAt) - seconds(cs.lastState.terminated.finishedAt));
    expect(new Set(gaps)).toEqual(new Set([0]));
  });

  test('time scale changes wall time only', () => {
    const fast = drive({ containers: [web({ livenessProbe: httpProbe() })] }, { 'sim.kubeq.io/fail-liveness': '30s-' }, 400, 100);
    const cs = fast.writes.map((w) => w.status.containerStatuses[0]).filter((c) => c.lastState);
    expect(cs.at(-1).restartCount).toBeGreaterThanOrEqual(4);
  });
});

describe('readiness', () => {
  const { writes } = drive({ containers: [web({ readinessProbe: httpProbe() })] }, { 'sim.kubeq.io/fail-readiness': '20s-60s' }, 200);
  const ready = writes.map((w) => [w.t, condition(w.status, 'Ready').status]);

  test('failing 20–60 s flips Ready off at the third failure and on at the next success, with no restart', () => {
    expect(ready.filter(([, s], i) => i === 0 || s !== ready[i - 1][1])).toEqual([
      [0, 'False'],
      [1.5, 'True'],
      [41.5, 'False'],
      [61.5, 'True'],
    ]);
    expect(writes.slice(1).every((w) => w.status.containerStatuses[0].restartCount === 0 && w.status.phase === 'Running')).toBe(true);
    expect(writes.flatMap((w) => w.events)).toEqual([{ type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 500' }]);
  });

  test('not ready until the first success after initialDelaySeconds', () => {
    const late = drive({ containers: [web({ readinessProbe: httpProbe({ initialDelaySeconds: 15 }) })] }, {}, 60);
    expect(late.writes.map((w) => [w.t, w.status.containerStatuses[0].ready])).toEqual([
      [0, false],
      [1.5, false],
      [16.5, true],
    ]);
  });
});

test('a startup probe holds started, liveness and readiness until it passes', () => {
  const spec = { containers: [web({ startupProbe: httpProbe({ failureThreshold: 30 }), livenessProbe: httpProbe() })] };
  const { writes } = drive(spec, { 'sim.kubeq.io/fail-startup': '-45s', 'sim.kubeq.io/fail-liveness': '-40s' }, 120);
  expect(writes.map((w) => [w.t, w.status.containerStatuses[0].started, w.status.containerStatuses[0].ready])).toEqual([
    [0, false, false],
    [1.5, false, false],
    [51.5, true, true],
  ]);
});

test('a startup probe that never passes kills at failureThreshold', () => {
  const { writes } = drive({ containers: [web({ startupProbe: httpProbe({ failureThreshold: 3, periodSeconds: 5 }) })] }, { 'sim.kubeq.io/fail-startup': 'always' }, 12);
  const kill = writes.find((w) => w.events.length)!;
  expect(kill.events.map((e) => e.message)).toEqual(['Startup probe failed: HTTP probe failed with statuscode: 500', 'Container web failed startup probe, will be restarted']);
  expect(kill.status.containerStatuses[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137 } } });
});

describe('restartPolicy', () => {
  const exiting = (code: number) => ({ 'sim.kubeq.io/exit-after': '5s', 'sim.kubeq.io/exit-code': String(code) });
  const final = (policy: string, code: number) => drive({ restartPolicy: policy, containers: [web()] }, exiting(code), 30).pod.status;

  test.each([
    ['Always', 0, 'Running', 2],
    ['Always', 1, 'Running', 2],
    ['OnFailure', 0, 'Succeeded', 0],
    ['OnFailure', 1, 'Running', 2],
    ['Never', 0, 'Succeeded', 0],
    ['Never', 1, 'Failed', 0],
  ])('%s, exit %d: phase %s, restarts %d by 30 s', (policy, code, phase, restarts) => {
    const status = final(policy, code);
    expect(status.phase).toBe(phase);
    expect(status.containerStatuses[0].restartCount).toBe(restarts);
  });

  test('a finished pod is not ready with reason PodCompleted', () => {
    expect(condition(final('Never', 1), 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(final('Never', 1).containerStatuses[0].state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });
});

describe('init containers', () => {
  const spec = { containers: [web()], initContainers: [{ name: 'migrate', image: 'busybox' }, { name: 'warm', image: 'busybox' }] };

  test('run one after another, then the app containers start; Pending with Initialized=False until then', () => {
    const { writes } = drive(spec, {}, 10);
    const accepted = writes[0].status;
    expect(accepted.initContainerStatuses.map((s: any) => s.state.waiting.reason)).toEqual(['PodInitializing', 'PodInitializing']);
    expect(accepted.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
    expect(condition(accepted, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [migrate warm]' });
    const last = writes.at(-1)!.status;
    expect(last.phase).toBe('Running');
    expect(last.initContainerStatuses.map((s: any) => [s.state.terminated.reason, seconds(s.state.terminated.startedAt), seconds(s.state.terminated.finishedAt)])).toEqual([
      ['Completed', 1.5, 2.5],
      ['Completed', 2.5, 3.5],
    ]);
    expect(seconds(last.containerStatuses[0].state.running.startedAt)).toBe(3.5);
    expect(condition(last, 'Initialized').status).toBe('True');
  });

  test('a failing init container restarts with back-off and holds the app containers', () => {
    const { pod } = drive(spec, { 'sim.kubeq.io/exit-code.warm': '1' }, 30);
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.initContainerStatuses[1].restartCount).toBeGreaterThanOrEqual(2);
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
  });

  test('under restartPolicy Never a failing init container fails the pod', () => {
    const { pod } = drive({ ...spec, restartPolicy: 'Never' }, { 'sim.kubeq.io/exit-code.migrate': '2' }, 30);
    expect(pod.status.phase).toBe('Failed');
    expect(pod.status.initContainerStatuses[1].state.waiting).toBeDefined();
  });

  test('a sidecar (restartPolicy Always) starts, stays running beside the app containers and counts in readiness', () => {
    const { pod } = drive({ containers: [web()], initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: httpProbe() }] }, { 'sim.kubeq.io/fail-readiness.proxy': '30s-' }, 60);
    expect(pod.status.initContainerStatuses[0].state.running).toBeDefined();
    expect(pod.status.containerStatuses[0].state.running).toBeDefined();
    expect(condition(pod.status, 'Ready')).toMatchObject({ status: 'False', message: 'containers with unready status: [proxy]' });
  });
});

test('goDuration prints back-offs as Go does', () => {
  expect(BACKOFF_LADDER_MS.slice(1).map(goDuration)).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s']);
});

test('memory growing past the limit: OOMKilled (137), restarted with back-off', () => {
  const spec = { containers: [web({ resources: { limits: { memory: '256Mi' } } })] };
  const { pod, writes } = drive(spec, { 'sim.kubeq.io/memory-usage': '128Mi', 'sim.kubeq.io/memory-growth': '8Mi/s' }, 100);
  // 128 Mi of headroom at 8 Mi/s: killed 16 s after each start.
  const cs = pod.status.containerStatuses[0];
  expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  expect(seconds(cs.lastState.terminated.finishedAt) - seconds(cs.lastState.terminated.startedAt)).toBe(16);
  expect(cs.restartCount).toBeGreaterThanOrEqual(3);
  expect(writes.flatMap((w) => w.events)).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'BackOff' })]));
});

test('found over its memory limit by the sampler (requests in flight): OOMKilled at that moment, once per run', () => {
  const spec = { containers: [web({ resources: { limits: { memory: '64Mi' } } })] };
  let pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1' }, spec: { nodeName: 'sim-0', ...spec } };
  const step = (at: number, overLimit?: Map<string, number>) => {
    const s = podStep({ pod, node: NODE, now: new Date(T0 + at * 1000), timeScale: 1, profile: PROFILE, seed: 1, reservedIP: '10.244.0.2', ...(overLimit ? { overLimit } : {}) });
    if (s.action === 'write') pod = { ...pod, status: s.status };
    return s;
  };
  for (const t of [0, 1, 2, 3]) step(t);
  const started = seconds(pod.status.containerStatuses[0].state.running.startedAt);
  // A mark from before this run started does nothing.
  expect(step(10, new Map([['web', T0 + (started - 1) * 1000]])).action).not.toBe('write');
  // Seen over the limit at 8 s: the run ends there, OOMKilled, and restarts at once (the first restart has no back-off).
  step(10, new Map([['web', T0 + 8_000]]));
  step(10, new Map([['web', T0 + 8_000]]));
  const cs = pod.status.containerStatuses[0];
  expect(cs.restartCount).toBe(1);
  expect(cs.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  expect(seconds(cs.lastState.terminated.finishedAt)).toBe(8);
  expect(cs.state.running).toBeDefined();
});
