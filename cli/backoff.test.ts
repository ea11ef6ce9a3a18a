import { RestartBackoff } from './backoff';

describe('RestartBackoff', () => {
  test('doubles from 1 s to 30 s while the role dies quickly', () => {
    const b = new RestartBackoff();
    expect(Array.from({ length: 8 }, () => b.next(100))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  test('a run of 60 s resets it; a shorter one does not', () => {
    const b = new RestartBackoff();
    b.next(0);
    b.next(0);
    expect(b.next(59_999)).toBe(4000);
    expect(b.next(60_000)).toBe(1000);
    expect(b.next(10)).toBe(2000);
  });

  test('options', () => {
    const b = new RestartBackoff({ initialMs: 10, maxMs: 25, resetAfterMs: 100 });
    expect([b.next(0), b.next(0), b.next(0), b.next(100)]).toEqual([10, 20, 25, 10]);
  });
});
