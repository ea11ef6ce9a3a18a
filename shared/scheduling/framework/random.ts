/**
 * The random source the cycle breaks score ties with: a number in [0, 1), like Math.random.
 * The role passes one derived from KUBEQ_SEED so runs repeat.
 */
export type Random = () => number;

/** A small seeded generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n), as Go's rand.Intn. */
export function intn(random: Random, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}
