import type { Window } from './profile';
import { nextChange, probeOf, readyAt, runTimeline, type RunProbes, type RunScript } from './probes';

const probe = (kind: 'startup' | 'liveness' | 'readiness', spec: object = {}) => probeOf({ [`${kind}Probe`]: { httpGet: { path: '/', port: 8080 }, ...spec } }, kind)!;
const script = (fail: Partial<Record<keyof RunScript, Window[]>>): RunScript => ({ startup: [], liveness: [], readiness: [], ...fail });
const from = (s: number, to = Infinity): Window => ({ fromMs: s * 1000, toMs: to === Infinity ? Infinity : to * 1000 });

test("Kubernetes' probe defaults: no initial delay, period 10 s, success 1, failure 3", () => {
  expect(probe('readiness')).toEqual({ kind: 'readiness', initialDelayMs: 0, periodMs: 10_000, successThreshold: 1, failureThreshold: 3, failure: 'HTTP probe failed with statuscode: 500' });
  expect(probe('liveness', { successThreshold: 4 }).successThreshold).toBe(1);
  expect(probeOf({}, 'liveness')).toBeUndefined();
});

test.each([
  [{ tcpSocket: { port: 5432 } }, 'dial tcp 10.244.1.2:5432: connect: connection refused'],
  [{ grpc: { port: 9000 } }, 'service unhealthy (responded with "NOT_SERVING")'],
  [{ exec: { command: ['cat', '/tmp/healthy'] } }, ''],
])("each handler fails with upstream's prober output: %j", (handler, failure) => {
  expect(probeOf({ livenessProbe: handler }, 'liveness', '10.244.1.2')!.failure).toBe(failure);
});

/** Offsets in seconds from the container's start. */
const table: [string, RunProbes, RunScript, { started: number; ready: [number, boolean][]; kill?: number }][] = [
  ['no probes: started and ready at once', {}, script({}), { started: 0, ready: [[0, true]] }],
  ['readiness passing: ready at its first probe', { readiness: probe('readiness', { initialDelaySeconds: 5 }) }, script({}), { started: 0, ready: [[5, true]] }],
  ['successThreshold 3 needs three successes', { readiness: probe('readiness', { successThreshold: 3, periodSeconds: 2 }) }, script({}), { started: 0, ready: [[4, true]] }],
  [
    'readiness failing 20–60 s: unready after 3 failures (20, 30, 40), ready at the next success',
    { readiness: probe('readiness') },
    script({ readiness: [from(20, 60)] }),
    { started: 0, ready: [[0, true], [40, false], [60, true]] },
  ],
  ['two failures are not enough', { readiness: probe('readiness') }, script({ readiness: [from(20, 40)] }), { started: 0, ready: [[0, true]] }],
  ['liveness failing from 30 s: killed at the third failure', { liveness: probe('liveness') }, script({ liveness: [from(30)] }), { started: 0, ready: [[0, true]], kill: 50 }],
  ['failureThreshold 1 kills at the first failure', { liveness: probe('liveness', { failureThreshold: 1, periodSeconds: 3 }) }, script({ liveness: [from(7)] }), { started: 0, ready: [[0, true]], kill: 9 }],
  ['startup failing always: killed at the threshold', { startup: probe('startup', { failureThreshold: 2 }) }, script({ startup: [from(0)] }), { started: Infinity, ready: [], kill: 10 }],
  [
    'startup passing from 25 s: started at 30 s; liveness and readiness wait for it',
    { startup: probe('startup', { failureThreshold: 5 }), readiness: probe('readiness'), liveness: probe('liveness') },
    script({ startup: [from(0, 25)], liveness: [from(0, 30)] }),
    { started: 30, ready: [[30, true]] },
  ],
  [
    "a huge window is walked by stretch, not by probe",
    { liveness: probe('liveness', { periodSeconds: 1 }) },
    script({ liveness: [from(1_000_000)] }),
    { started: 0, ready: [[0, true]], kill: 1_000_002 },
  ],
];

test.each(table)('runTimeline: %s', (_name, probes, fail, want) => {
  const got = runTimeline(probes, fail);
  expect(got.startedMs).toBe(want.started * 1000);
  expect(got.ready.map((r) => [r.atMs / 1000, r.ready])).toEqual(want.ready);
  expect(got.kill && got.kill.atMs / 1000).toBe(want.kill);
});

test('readyAt and nextChange read the timeline', () => {
  const timeline = runTimeline({ readiness: probe('readiness') }, script({ readiness: [from(20, 60)] }));
  expect([readyAt(timeline, 39_999), readyAt(timeline, 40_000), readyAt(timeline, 60_000)]).toEqual([true, false, true]);
  expect(nextChange(timeline, 0)).toBe(40_000);
  expect(nextChange(timeline, 60_000)).toBe(Infinity);
});
