import { defaultNormalizeScore } from './normalize';
import { intn, seededRandom } from './random';

describe('defaultNormalizeScore', () => {
  const cases = [
    { name: 'scales to the max, integer division', scores: [1, 2, 3], reverse: false, want: [33, 66, 100] },
    { name: 'reverse: the lowest wins', scores: [1, 2, 3], reverse: true, want: [67, 34, 0] },
    { name: 'all zero stays zero', scores: [0, 0], reverse: false, want: [0, 0] },
    { name: 'all zero reversed is all max', scores: [0, 0], reverse: true, want: [100, 100] },
  ];
  it.each(cases)('$name', ({ scores, reverse, want }) => {
    const list = scores.map((score, i) => ({ name: `n${i}`, score }));
    defaultNormalizeScore(list, reverse);
    expect(list.map((s) => s.score)).toEqual(want);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and stays in range', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = seededRandom(7);
    expect(Array.from({ length: 100 }, () => intn(r, 3)).every((n) => n >= 0 && n < 3)).toBe(true);
  });
});
