import { normalize, recordScale, type History } from './behavior';
import { metricName, rescaleMessage, rescaleReason } from './messages';

const NOW = 1_000_000_000;
const empty: History = { recommendations: [], scaleUps: [], scaleDowns: [] };
const ago = (s: number) => NOW - s * 1000;

const run = (current: number, desired: number, history: History = empty, behavior: any = undefined, minReplicas = 1, maxReplicas = 100) =>
  normalize({ current, desired, minReplicas, maxReplicas, behavior, history, now: NOW });

test.each([
  ['up from 1 to 10: max(+4 pods, +100 %) per 15 s', 1, 10, empty, undefined, 100, [5, 'True', 'ScaleUpLimit', 'ReadyForNewScale']],
  ['up from 5 to 8: within the rate', 5, 8, empty, undefined, 100, [8, 'False', 'DesiredWithinRange', 'ReadyForNewScale']],
  ['up past maxReplicas', 10, 20, empty, undefined, 12, [12, 'True', 'TooManyReplicas', 'ReadyForNewScale']],
  ['up after 4 pods were added 5 s ago: no more this period', 5, 20, { ...empty, scaleUps: [{ change: 4, at: ago(5) }] }, undefined, 100, [5, 'True', 'ScaleUpLimit', 'ReadyForNewScale']],
  ['down inside the 300 s window: the highest recent recommendation holds', 10, 4, { ...empty, recommendations: [{ replicas: 10, at: ago(100) }] }, undefined, 100, [10, 'False', 'DesiredWithinRange', 'ScaleDownStabilized']],
  ['down once the window has passed', 10, 4, { ...empty, recommendations: [{ replicas: 10, at: ago(400) }] }, undefined, 100, [4, 'False', 'DesiredWithinRange', 'ReadyForNewScale']],
  ['down with a 1-pod-per-60 s policy', 10, 4, empty, { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }, 100, [9, 'True', 'ScaleDownLimit', 'ReadyForNewScale']],
  ['scale-up disabled', 3, 9, empty, { scaleUp: { selectPolicy: 'Disabled' } }, 100, [3, 'True', 'ScaleUpLimit', 'ReadyForNewScale']],
  ['selectPolicy Min takes the smaller change', 10, 30, empty, { scaleUp: { selectPolicy: 'Min' } }, 100, [14, 'True', 'ScaleUpLimit', 'ReadyForNewScale']],
  ['up with a scale-up window: the lowest recent recommendation', 3, 9, { ...empty, recommendations: [{ replicas: 5, at: ago(30) }] }, { scaleUp: { stabilizationWindowSeconds: 60 } }, 100, [5, 'False', 'DesiredWithinRange', 'ScaleUpStabilized']],
] as [string, number, number, History, any, number, [number, string, string, string]][])('%s', (_name, current, desired, history, behavior, max, want) => {
  const got = run(current, desired, history, behavior, 1, max);
  expect([got.replicas, got.scalingLimited.status, got.scalingLimited.reason, got.ableToScale.reason]).toEqual(want);
});

test('the recommendation is recorded, reusing a slot older than both windows', () => {
  expect(run(3, 4).history.recommendations).toEqual([{ replicas: 4, at: NOW }]);
  const old = { ...empty, recommendations: [{ replicas: 7, at: ago(1000) }, { replicas: 5, at: ago(10) }] };
  expect(run(3, 4, old).history.recommendations).toEqual([{ replicas: 4, at: NOW }, { replicas: 5, at: ago(10) }]);
});

test('scale events are kept for the longest policy period', () => {
  let h = recordScale(empty, 2, 6, ago(20), undefined);
  h = recordScale(h, 6, 8, NOW, undefined);
  expect(h.scaleUps).toEqual([{ change: 2, at: NOW }]);
  expect(recordScale(h, 8, 5, NOW, undefined).scaleDowns).toEqual([{ change: 3, at: NOW }]);
});

test("SuccessfulRescale's wording", () => {
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } };
  expect(rescaleMessage(4, rescaleReason(2, 4, cpu))).toBe('New size: 4; reason: cpu resource utilization (percentage of request) above target');
  expect(rescaleMessage(1, rescaleReason(4, 1, cpu))).toBe('New size: 1; reason: All metrics below target');
  expect(metricName({ type: 'Pods', pods: { metric: { name: 'requests_per_second' } } })).toBe('pods metric requests_per_second');
  expect(metricName({ type: 'Object', object: { describedObject: { kind: 'Service' }, metric: { name: 'rps' } } })).toBe('Service metric rps');
});
