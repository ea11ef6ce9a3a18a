import { rateAt, rateErrors } from './shape';

test.each([
  ['Constant', { rps: 20 }, [0, 60_000], [20, 20]],
  ['Ramp', { shape: 'Ramp', from: 10, to: 110, over: '100s' }, [0, 50_000, 100_000, 500_000], [10, 60, 110, 110]],
  ['Step', { shape: 'Step', from: 5, rps: 50, at: '1m' }, [0, 59_999, 60_000], [5, 5, 50]],
  ['Sine', { shape: 'Sine', base: 10, amplitude: 20, period: 40 }, [0, 10_000, 30_000], [10, 30, 0]],
  ['Points', { shape: 'Points', points: [[10, 0], ['20s', 100], ['1m', 100], [80, 20]] }, [0, 15_000, 30_000, 70_000, 90_000], [0, 50, 100, 60, 20]],
] as const)('%s', (_name, rate, at, want) => {
  expect(rateErrors(rate)).toEqual([]);
  expect(at.map((t) => Math.round(rateAt(rate as any, t) * 1000) / 1000)).toEqual(want);
});

test('errors name the field and say what is wanted', () => {
  expect(rateErrors(undefined)).toEqual([['', undefined, 'required']]);
  expect(rateErrors({ shape: 'Wave' })[0][0]).toBe('.shape');
  expect(rateErrors({ shape: 'Ramp', to: 5, over: '0s' }).map((e) => e[0])).toEqual(['.over']);
  expect(rateErrors({ shape: 'Points', points: [[10, 1], [5, 2]] }).map((e) => e[2])).toEqual(['times must not go back']);
  expect(rateErrors({ shape: 'Points', points: [['soon', 1]] }).map((e) => e[0])).toEqual(['.points[0]']);
});
