import { dhHashKey, schedule, shHashKey, type DestLoad } from './ipvs-schedulers';
import type { Scheduler } from './ipvs';

/** Runs `n` new connections, each adding one active connection to the server it got. */
function run(s: Scheduler, weights: number[], n: number, opts: { active?: number[]; inactive?: number[]; srcs?: string[]; dst?: string } = {}): (number | null)[] {
  const dests: DestLoad[] = weights.map((w, i) => ({ weight: w, activeConns: opts.active?.[i] ?? 0, inactConns: opts.inactive?.[i] ?? 0 }));
  const mem = { rrLast: -1 };
  return Array.from({ length: n }, (_, k) => {
    const src = opts.srcs?.[k % opts.srcs.length] ?? '10.244.9.1';
    const i = schedule(s, dests, { src, dst: opts.dst ?? '10.96.0.20' }, mem);
    if (i !== null) dests[i].activeConns++;
    return i;
  });
}

describe('IPVS schedulers over a sequence of connections', () => {
  it.each<[string, Scheduler, number[], Parameters<typeof run>[3], number, (number | null)[]]>([
    ['rr cycles in list order', 'rr', [1, 1, 1], {}, 7, [0, 1, 2, 0, 1, 2, 0]],
    ['rr skips a weight-0 server', 'rr', [1, 0, 1], {}, 4, [0, 2, 0, 2]],
    ['rr with no available server', 'rr', [0, 0], {}, 2, [null, null]],
    ['lc fills the least loaded first, ties to the first', 'lc', [1, 1, 1], { active: [2, 0, 1] }, 4, [1, 1, 2, 0]],
    ['lc counts inactive connections at 1/256', 'lc', [1, 1], { active: [1, 1], inactive: [5, 0] }, 1, [1]],
    ['sed weighs (active+1)/weight', 'sed', [1, 2], {}, 5, [1, 0, 1, 1, 0]],
    ['nq takes an idle server at once, then behaves as sed', 'nq', [1, 2], {}, 5, [0, 1, 1, 1, 0]],
    // dh hashes the destination, the cluster IP: every client lands on one server.
    ['dh sends every connection to one VIP to one server', 'dh', [1, 1, 1], { srcs: ['10.244.9.1', '10.244.9.2', '192.0.2.7'] }, 6, [2, 2, 2, 2, 2, 2]],
    // sh hashes the client: the same client always gets the same server.
    ['sh keeps each client on its server', 'sh', [1, 1, 1], { srcs: ['10.244.9.1', '10.244.9.2', '10.244.9.3', '192.0.2.7'] }, 8, [0, 1, 0, 2, 0, 1, 0, 2]],
  ])('%s', (_name, s, weights, opts, n, expected) => {
    expect(run(s, weights, n, opts)).toEqual(expected);
  });

  // Bucket keys worked out independently (in Python) from the kernel's formulas.
  it.each([
    ['10.244.9.1', 48],
    ['10.244.9.2', 145],
    ['10.244.9.3', 243],
    ['192.0.2.7', 125],
  ])('sh bucket of %s is %i', (addr, key) => {
    expect(shHashKey(addr)).toBe(key);
  });

  it('dh bucket of 10.96.0.20 is 212', () => {
    expect(dhHashKey('10.96.0.20')).toBe(212);
  });

  it('dh and sh do not fall back from an unavailable server', () => {
    expect(run('dh', [1, 1, 0], 1)).toEqual([null]);
  });
});
