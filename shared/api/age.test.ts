import { humanDuration, translateTimestampSince } from './age';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [-3 * s, '<invalid>'],
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 10 * s, '5m10s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [731 * d, '2y1d'],
    [8 * 365 * d, '8y'],
    [20 * 365 * d, '20y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('translateTimestampSince', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  it.each([
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['not a time', '<unknown>'],
    ['2024-05-01T11:59:15Z', '45s'],
    ['2024-05-01T11:54:50Z', '5m10s'],
    ['2024-04-29T07:00:00Z', '2d5h'],
    ['2024-05-01T12:00:05Z', '<invalid>'],
  ])('%s → %s', (ts, want) => {
    expect(translateTimestampSince(ts, now)).toBe(want);
  });
});
