import type { KubeObject } from '../../shared/api/types';
import { containerPlanFor, DEFAULT_PROFILE, oomAfter, parseDuration, parseGrowth, parseWindows, planFor } from './profile';

test.each([
  ['2s', 2000],
  ['500ms', 500],
  ['1m30s', 90_000],
  ['2.5s', 2500],
  ['1h', 3_600_000],
  ['', undefined],
  ['2', undefined],
  ['2x', undefined],
  ['s2', undefined],
])('parseDuration(%j) = %j', (text, want) => {
  expect(parseDuration(text)).toBe(want);
});

const pod = (annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', annotations } });

test.each([
  ['defaults', undefined, { stopMs: 500 }, true],
  ['start-delay', { 'sim.kubeq.io/start-delay': '2s' }, { startMs: 2000 }, false],
  ['a malformed start-delay keeps the profile', { 'sim.kubeq.io/start-delay': 'soon' }, {}, true],
] as [string, Record<string, string> | undefined, object, boolean][])('planFor: %s', (_name, annotations, want, defaultStart) => {
  // The default start is pull (1 s ± 0.5 s) plus start (0.5 s).
  const plan = planFor(pod(annotations), DEFAULT_PROFILE, 1);
  expect(plan).toMatchObject(want);
  if (defaultStart) {
    expect(plan.startMs).toBeGreaterThanOrEqual(1000);
    expect(plan.startMs).toBeLessThanOrEqual(2000);
  }
});

test.each([
  ['always', [{ fromMs: 0, toMs: Infinity }]],
  ['30s-', [{ fromMs: 30_000, toMs: Infinity }]],
  ['-10s', [{ fromMs: 0, toMs: 10_000 }]],
  ['10s-20s, 1m-1m30s', [{ fromMs: 10_000, toMs: 20_000 }, { fromMs: 60_000, toMs: 90_000 }]],
  ['20s-10s', undefined],
  ['10s', undefined],
  ['soon-later', undefined],
  ['1s-2s-3s', undefined],
])('parseWindows(%j)', (text, want) => {
  expect(parseWindows(text)).toEqual(want);
});

const none = { startup: [], liveness: [], readiness: [] };

test.each([
  ['an app container runs until stopped', {}, 'web', 'app', { exitAfterMs: undefined, exitCode: 0, fail: none }],
  ['exit-after and exit-code apply to app containers', { 'sim.kubeq.io/exit-after': '30s', 'sim.kubeq.io/exit-code': '1' }, 'web', 'app', { exitAfterMs: 30_000, exitCode: 1 }],
  ['but not to init containers, which exit 0 after initRun', { 'sim.kubeq.io/exit-after': '30s', 'sim.kubeq.io/exit-code': '1' }, 'setup', 'init', { exitAfterMs: 1000, exitCode: 0 }],
  ['.<container> sets one container, init or not', { 'sim.kubeq.io/exit-code.setup': '2', 'sim.kubeq.io/exit-after.setup': '5s' }, 'setup', 'init', { exitAfterMs: 5000, exitCode: 2 }],
  ['and wins over the plain annotation', { 'sim.kubeq.io/exit-code': '1', 'sim.kubeq.io/exit-code.web': '3' }, 'web', 'app', { exitCode: 3 }],
  ['a malformed exit code is 0', { 'sim.kubeq.io/exit-code': 'x' }, 'web', 'app', { exitCode: 0 }],
  ['failure windows per probe', { 'sim.kubeq.io/fail-liveness': '30s-', 'sim.kubeq.io/fail-readiness.web': '1s-2s' }, 'web', 'app', { fail: { startup: [], liveness: [{ fromMs: 30_000, toMs: Infinity }], readiness: [{ fromMs: 1000, toMs: 2000 }] } }],
  ['a malformed window fails nothing', { 'sim.kubeq.io/fail-liveness': 'sometimes' }, 'web', 'app', { fail: none }],
] as [string, Record<string, string>, string, 'init' | 'app', object][])('containerPlanFor: %s', (_name, annotations, name, kind, want) => {
  expect(containerPlanFor(pod(annotations), name, kind, DEFAULT_PROFILE, 1)).toMatchObject(want);
});

test.each([
  ['5Mi/s', 5 * 1024 * 1024],
  ['60Mi/m', 1024 * 1024],
  ['1Gi/h', 1024 ** 3 / 3600],
  ['5Mi', undefined],
  ['fast/s', undefined],
])('parseGrowth(%j)', (text, want) => {
  expect(parseGrowth(text)).toBe(want);
});

test('OOM: when start + growth passes the limit', () => {
  expect(oomAfter(undefined, 0, 100)).toBeUndefined();
  expect(oomAfter(1000, 2000, 0)).toBe(0);
  expect(oomAfter(1000, 0, 0)).toBeUndefined();
  expect(oomAfter(1000, 400, 100)).toBe(6000);
  const p: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', uid: 'u', annotations: { 'sim.kubeq.io/memory-usage': '100Mi', 'sim.kubeq.io/memory-growth': '10Mi/s' } },
    spec: { containers: [{ name: 'web', resources: { limits: { memory: '200Mi' } } }] },
  };
  expect(containerPlanFor(p, 'web', 'app', DEFAULT_PROFILE, 1).oomAfterMs).toBe(10_000);
});
