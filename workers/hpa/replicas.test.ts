/** Upstream's replica_calculator_test.go cases (the same pods, samples, targets and answers). */
import type { KubeObject } from '../../shared/api/types';
import { averageValueReplicas, MetricsError, objectAverageReplicas, objectValueReplicas, resourceReplicas, type PodSample } from './replicas';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface PodCase {
  ready?: 'True' | 'False';
  phase?: string;
  deleted?: boolean;
  /** ms before NOW the pod started (default 10 min: past its cpu initialization). */
  startedAgo?: number;
  /** ms before NOW its Ready condition last changed (default 10 min). */
  transitionAgo?: number;
  request?: string;
}

function pods(cases: PodCase[]): KubeObject[] {
  return cases.map((c, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `test-pod-${i}`, namespace: 'default', ...(c.deleted ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu: c.request ?? '1' } } }] },
    status: {
      phase: c.phase ?? 'Running',
      startTime: iso(NOW - (c.startedAgo ?? 600_000)),
      conditions: [{ type: 'Ready', status: c.ready ?? 'True', lastTransitionTime: iso(NOW - (c.transitionAgo ?? 600_000)) }],
    },
  }));
}

/** Samples in millicores, taken a minute before NOW over a 1-minute window; undefined: no sample. */
const samples = (values: (number | undefined)[]) => new Map(values.flatMap((v, i): [string, PodSample][] => (v === undefined ? [] : [[`test-pod-${i}`, { value: v, timestamp: NOW - 60_000, windowMs: 60_000 }]])));

const calc = (current: number, target: number, podCases: PodCase[], values: (number | undefined)[]) =>
  resourceReplicas({ currentReplicas: current, targetUtilization: target, pods: pods(podCases), samples: samples(values), resource: 'cpu', now: NOW });

test.each([
  ['scale up', 3, 30, [{}, {}, {}], [300, 500, 700], 5, 50],
  ['scale down', 5, 50, [{}, {}, {}, {}, {}], [100, 300, 500, 250, 250], 3, 28],
  ['scale up with an unready pod: it counts as 0 %', 3, 30, [{ ready: 'False' as const }, {}, {}], [300, 500, 700], 4, 60],
  ['scale up with a pending pod', 3, 30, [{ phase: 'Pending' }, {}, {}], [300, 500, 700], 4, 60],
  ['scale up ignores deleted and failed pods', 3, 30, [{ deleted: true }, { phase: 'Failed' }, {}, {}], [300, 500, 500, 700], 4, 60],
  ['within tolerance: no change', 3, 100, [{}, {}, {}], [1050, 950, 1000], 3, 100],
  ['scale up with a missing sample: it counts as 0 %', 3, 30, [{}, {}, {}], [undefined, 500, 700], 4, 60],
  ['scale down with a missing sample: it counts as 100 % (10 % → 32 % with it: ceil(0.64 × 4) = 3)', 4, 50, [{}, {}, {}, {}], [100, 100, undefined, 100], 3, 10],
  ['a missing sample holding a scale-down back (19 % → 39 %: ceil(0.78 × 4) = 4)', 4, 50, [{}, {}, {}, {}], [400, 95, undefined, 100], 4, 19],
  ['a missing sample that would flip the direction: no change', 3, 50, [{}, {}, {}], [undefined, 600, 600], 3, 60],
  ['a pod still initializing whose sample predates its readiness counts as unready', 3, 30, [{ startedAgo: 60_000, transitionAgo: 30_000 }, {}, {}], [300, 500, 700], 4, 60],
] as [string, number, number, PodCase[], (number | undefined)[], number, number][])('%s', (_name, current, target, podCases, values, replicas, utilization) => {
  const got = calc(current, target, podCases, values);
  expect([got.replicas, got.current]).toEqual([replicas, utilization]);
});

test('the proposal carries its groups and decision for the span', () => {
  expect(calc(3, 30, [{ ready: 'False' }, {}, {}], [300, 500, 700])).toMatchObject({ ratio: 40 / 30, decision: 'scale', groups: { ready: 2, unready: ['test-pod-0'], missing: [], ignored: [] } });
});

test('samples of pods the target does not select take no part, in the recount either', () => {
  // The 'scale down with a missing sample' case plus a sample for a fifth pod the selector missed: still 3, not ceil(0.64 × 5).
  const withStranger = new Map([...samples([100, 100, undefined, 100]), ['stranger', { value: 100, timestamp: NOW - 60_000, windowMs: 60_000 }]]);
  expect(resourceReplicas({ currentReplicas: 4, targetUtilization: 50, pods: pods([{}, {}, {}, {}]), samples: withStranger, resource: 'cpu', now: NOW })).toMatchObject({ replicas: 3, current: 10 });
});

test('errors as upstream words them', () => {
  expect(() => calc(3, 50, [], [])).toThrow(new MetricsError('no pods returned by selector while calculating replica count'));
  expect(() => calc(3, 50, [{ phase: 'Pending' }], [100])).toThrow('did not receive metrics for targeted pods (pods might be unready)');
  const noRequest = pods([{}]);
  noRequest[0].spec!.containers[0].resources = {};
  expect(() => resourceReplicas({ currentReplicas: 1, targetUtilization: 50, pods: noRequest, samples: samples([100]), resource: 'cpu', now: NOW })).toThrow('missing request for cpu in container c of Pod test-pod-0');
});

describe('an AverageValue target (calcPlainMetricReplicas)', () => {
  const avg = (current: number, target: number, podCases: PodCase[], values: (number | undefined)[]) =>
    averageValueReplicas({ currentReplicas: current, targetAverage: target, pods: pods(podCases), samples: samples(values), cpu: true, now: NOW });

  test.each([
    ['scale up: 500m average against 200m', 3, 200, [{}, {}, {}], [400, 500, 600], 8],
    ['scale down: 100m average against 200m', 4, 200, [{}, {}, {}, {}], [100, 100, 100, 100], 2],
    ['within tolerance', 3, 200, [{}, {}, {}], [210, 200, 190], 3],
    ['an unready pod counts as 0 on the way up', 3, 200, [{ ready: 'False' as const }, {}, {}], [900, 600, 600], 6],
    ['a missing pod counts as the target on the way down (2, not ceil(0.25 × 2) = 1)', 3, 200, [{}, {}, {}], [undefined, 50, 50], 2],
  ] as [string, number, number, PodCase[], (number | undefined)[], number][])('%s', (_name, current, target, podCases, values, replicas) => {
    expect(avg(current, target, podCases, values).replicas).toBe(replicas);
  });
});

// Pods (custom) metrics: calcPlainMetricReplicas, readiness does not matter (qps in milli-units as upstream's levels).
test.each([
  ['TestReplicaCalcScaleUpCM', [{}, {}, {}], [20_000, 10_000, 30_000], 4, 20_000],
  ['TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', [{}, {}, { ready: 'False' as const }], [50_000, 10_000, 30_000], 6, 30_000],
  ['TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', [{ ready: 'False' as const }, {}, { ready: 'False' as const }], [50_000, 15_000, 30_000], 7, 31_667],
])('%s', (_name, podCases, values, replicas, usage) => {
  const p = averageValueReplicas({ currentReplicas: 3, targetAverage: 15_000, pods: pods(podCases), samples: samples(values), cpu: false, now: NOW });
  expect([p.replicas, p.current]).toEqual([replicas, usage]);
});

test('TestReplicaCalcScaleUpCMObject: 20 qps against a Value target of 15 over 3 ready pods → 4', () => {
  expect(objectValueReplicas({ currentReplicas: 3, value: 20, target: 15, pods: pods([{}, {}, {}]) })).toMatchObject({ replicas: 4, decision: 'scale' });
});

test('TestReplicaCalcScaleUpCMPerPodObject: 20 qps against an AverageValue of 5 a pod → 4', () => {
  expect(objectAverageReplicas({ currentReplicas: 3, value: 20, targetAverage: 5 })).toMatchObject({ replicas: 4, decision: 'scale' });
});

test('Object metrics: within the tolerance nothing changes; unready pods do not count; from zero, ceil(ratio)', () => {
  expect(objectValueReplicas({ currentReplicas: 3, value: 15.9, target: 15, pods: pods([{}, {}, {}]) })).toMatchObject({ replicas: 3, decision: 'within tolerance' });
  expect(objectValueReplicas({ currentReplicas: 3, value: 30, target: 15, pods: pods([{}, { ready: 'False' }, { phase: 'Pending' }]) }).replicas).toBe(2);
  expect(objectValueReplicas({ currentReplicas: 0, value: 31, target: 15, pods: [] }).replicas).toBe(3);
  expect(objectAverageReplicas({ currentReplicas: 4, value: 21, targetAverage: 5 })).toMatchObject({ replicas: 4, decision: 'within tolerance' });
});
