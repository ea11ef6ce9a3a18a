import { itemBackoffMs } from './backoff';

test.each([
  [1, {}, 5],
  [2, {}, 10],
  [3, {}, 20],
  [10, {}, 2560],
  [18, {}, 655_360],
  [19, {}, 1_000_000],
  [5000, {}, 1_000_000],
  [0, {}, 5],
  [3, { baseMs: 100 }, 400],
  [4, { baseMs: 100, maxMs: 500 }, 500],
])('failure %d with %j waits %d ms', (failures, opts, ms) => {
  expect(itemBackoffMs(failures, opts)).toBe(ms);
});
