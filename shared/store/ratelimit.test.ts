import { TokenBucket } from './ratelimit';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Which of `promises` have resolved so far. */
async function settled(promises: Promise<void>[]): Promise<boolean[]> {
  const done = promises.map(() => false);
  promises.forEach((p, i) => void p.then(() => (done[i] = true)));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

test('burst requests go at once, then one per 1/qps seconds, in order', async () => {
  const bucket = new TokenBucket(10, 3);
  const requests = Array.from({ length: 5 }, () => bucket.take());
  expect(await settled(requests)).toEqual([true, true, true, false, false]);
  jest.advanceTimersByTime(100);
  expect(await settled(requests)).toEqual([true, true, true, true, false]);
  jest.advanceTimersByTime(100);
  expect(await settled(requests)).toEqual([true, true, true, true, true]);
});

test('the rate is in cluster time: ten times faster at time scale 10', async () => {
  const bucket = new TokenBucket(10, 1, 10);
  const requests = [bucket.take(), bucket.take()];
  jest.advanceTimersByTime(10);
  expect(await settled(requests)).toEqual([true, true]);
});

test('an idle bucket refills up to its burst, not beyond', async () => {
  const bucket = new TokenBucket(10, 2);
  jest.advanceTimersByTime(60_000);
  expect(await settled([bucket.take(), bucket.take(), bucket.take()])).toEqual([true, true, false]);
});

test('a nonsensical limit is refused', () => {
  expect(() => new TokenBucket(0, 1)).toThrow('qps > 0');
});
