/**
 * The IPVS schedulers of the seed, as the Linux kernel defines them (net/netfilter/ipvs/
 * ip_vs_{rr,lc,dh,sh,sed,nq}.c). Each picks an index into `dests` (the virtual server's real
 * servers in list order) or null when no real server is available; weight 0 means unavailable.
 */
import { ipv4ToInt, type Scheduler } from './ipvs';

export interface DestLoad {
  weight: number;
  activeConns: number;
  inactConns: number;
}

export interface Connection {
  /** Client address (sh hashes it). */
  src: string;
  /** Virtual address (dh hashes it). */
  dst: string;
}

/** Per-virtual-server scheduler memory: rr's position. */
export interface SchedulerMemory {
  /** Index of the real server rr picked last; -1 before the first pick. */
  rrLast: number;
}

const TAB_BITS = 8;
const TAB_SIZE = 1 << TAB_BITS;

/** include/linux/hash.h hash_32: multiply by GOLDEN_RATIO_32, keep the top `bits` bits. */
export function hash32(value: number, bits: number): number {
  return Math.imul(value >>> 0, 0x61c88647) >>> (32 - bits);
}

const available = (d: DestLoad): boolean => d.weight > 0;

export function schedule(s: Scheduler, dests: DestLoad[], conn: Connection, mem: SchedulerMemory): number | null {
  switch (s) {
    case 'rr': return roundRobin(dests, mem);
    case 'lc': return leastConnection(dests);
    case 'dh': return hashed(dests, dhBuckets(dests.length), dhHashKey(conn.dst));
    case 'sh': return hashed(dests, shBuckets(dests), shHashKey(conn.src));
    case 'sed': return shortestExpectedDelay(dests, false);
    case 'nq': return shortestExpectedDelay(dests, true);
  }
}

/** ip_vs_rr: the next available server after the last one picked, wrapping. */
function roundRobin(dests: DestLoad[], mem: SchedulerMemory): number | null {
  for (let step = 1; step <= dests.length; step++) {
    const i = (mem.rrLast + step) % dests.length;
    if (available(dests[i])) return (mem.rrLast = i);
  }
  return null;
}

/** ip_vs_lc: least overhead (active·256 + inactive); the first wins a tie. */
function leastConnection(dests: DestLoad[]): number | null {
  let least: number | null = null;
  let loh = 0;
  dests.forEach((d, i) => {
    if (!available(d)) return;
    const doh = d.activeConns * 256 + d.inactConns;
    if (least === null || doh < loh) [least, loh] = [i, doh];
  });
  return least;
}

/**
 * ip_vs_sed: least (active + 1) / weight, compared as loh·dw > doh·lw. ip_vs_nq: the same, but
 * an idle server (no active connection) is taken at once.
 */
function shortestExpectedDelay(dests: DestLoad[], neverQueue: boolean): number | null {
  let least: number | null = null;
  let loh = 0;
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i];
    if (!available(d)) continue;
    const doh = d.activeConns + 1;
    if (neverQueue && d.activeConns === 0) return i;
    if (least === null || loh * d.weight > doh * dests[least].weight) [least, loh] = [i, doh];
  }
  return least;
}

/** ip_vs_dh_hashkey: (ntohl(addr) · 2654435761) & mask, the multiply in 32 bits. */
export function dhHashKey(addr: string): number {
  return Math.imul(ipv4ToInt(addr), 0x9e3779b1) & (TAB_SIZE - 1);
}

/** ip_vs_sh_hashkey without sh-port: hash_32(ntohl(addr), 8). */
export function shHashKey(addr: string): number {
  return hash32(ipv4ToInt(addr), TAB_BITS);
}

/** ip_vs_dh_reassign: bucket i holds server i mod n. */
function dhBuckets(n: number): number[] {
  return Array.from({ length: TAB_SIZE }, (_, i) => i % n);
}

/** ip_vs_sh_reassign: servers take `weight` consecutive buckets each, cycling. */
function shBuckets(dests: DestLoad[]): number[] {
  const buckets: number[] = [];
  let p = 0;
  let count = 0;
  for (let i = 0; i < TAB_SIZE; i++) {
    buckets.push(p);
    if (++count >= dests[p].weight) [p, count] = [(p + 1) % dests.length, 0];
  }
  return buckets;
}

/** dh and sh do not fall back: an unavailable server in the bucket means no server. */
function hashed(dests: DestLoad[], buckets: number[], key: number): number | null {
  if (dests.length === 0) return null;
  const i = buckets[key];
  return available(dests[i]) ? i : null;
}
