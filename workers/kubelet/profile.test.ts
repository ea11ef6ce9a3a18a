import type { KubeObject } from '../../shared/api/types';
import { DEFAULT_PROFILE, parseDuration, planFor } from './profile';

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

const plans: [string, Record<string, string> | undefined, object, boolean][] = [
  ['defaults', undefined, { exitAfterMs: undefined, exitCode: 0, stopMs: 500 }, true],
  ['start-delay', { 'sim.kubeq.io/start-delay': '2s' }, { startMs: 2000 }, false],
  ['exit-after and code', { 'sim.kubeq.io/exit-after': '30s', 'sim.kubeq.io/exit-code': '1' }, { exitAfterMs: 30_000, exitCode: 1 }, true],
  ['a malformed start-delay keeps the profile', { 'sim.kubeq.io/start-delay': 'soon' }, { exitCode: 0 }, true],
  ['a malformed exit code is 0', { 'sim.kubeq.io/exit-code': 'x' }, { exitCode: 0 }, true],
];

/** The default start is pull (1 s ± 0.5 s) plus start (0.5 s). */
test.each(plans)('planFor: %s', (_name, annotations, want, defaultStart) => {
  const plan = planFor(pod(annotations), DEFAULT_PROFILE, 1);
  expect(plan).toMatchObject(want);
  if (defaultStart) {
    expect(plan.startMs).toBeGreaterThanOrEqual(1000);
    expect(plan.startMs).toBeLessThanOrEqual(2000);
  }
});
