import { realClock, type Clock } from '../../shared/clock';
import { unschedulableBackoff } from './binding';
import { makePod } from '../../shared/scheduling/testing';

const FAILED_AT = '2026-01-01T00:00:00Z';
const unschedulableSince = makePod({ name: 'p' });
unschedulableSince.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: FAILED_AT }];

/** realClock(scale) read at `waitedMs` after FAILED_AT. */
const clockAt = (scale: number, waitedMs: number): Clock => ({ ...realClock(scale), now: () => new Date(Date.parse(FAILED_AT) + waitedMs) });

describe('unschedulableBackoff (real milliseconds to wait)', () => {
  const cases: { name: string; scale: number; waitedMs: number; want: number; pod?: typeof unschedulableSince }[] = [
    { name: 'first failure: 1 s', scale: 1, waitedMs: 0, want: 1000, pod: makePod({ name: 'p' }) },
    { name: 'waited 6 s: 6 s more', scale: 1, waitedMs: 6000, want: 6000 },
    { name: 'waited a minute: at most 10 s', scale: 1, waitedMs: 60_000, want: 10_000 },
    { name: 'time ×10, first failure: 100 ms', scale: 10, waitedMs: 0, want: 100, pod: makePod({ name: 'p' }) },
    { name: 'time ×10, waited 300 ms (3 cluster seconds): 300 ms more', scale: 10, waitedMs: 300, want: 300 },
    // Read as cluster time, 6 real seconds were "6 s": the pod came back every 0.6 s instead of every 1 s.
    { name: 'time ×10, waited 6 s (a cluster minute): at most 1 s', scale: 10, waitedMs: 6000, want: 1000 },
  ];
  it.each(cases)('$name', ({ scale, waitedMs, want, pod }) => {
    expect(unschedulableBackoff(pod ?? unschedulableSince, clockAt(scale, waitedMs))).toBe(want);
  });
});
