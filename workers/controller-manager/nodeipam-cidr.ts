/**
 * IPv4 CIDR arithmetic for the node IPAM controller: splitting a /16 into /24s needs only
 * 32-bit integers (shared/net/ipv4 converts addresses).
 */
import { intToIpv4, ipv4ToInt } from '../../shared/net/ipv4';

/** An IPv4 range: `base` (the network address as an unsigned 32-bit number) and its prefix length. */
export interface Ipv4Cidr {
  base: number;
  bits: number;
}

/** Parses `a.b.c.d/n` (IPv4 only), masking host bits; undefined when it is not one. */
export function parseIpv4Cidr(value: string): Ipv4Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return undefined;
  const bits = Number(m[5]);
  if (m.slice(1, 5).some((o) => Number(o) > 255) || bits > 32) return undefined;
  const ip = ipv4ToInt(m.slice(1, 5).map(Number).join('.'));
  return { base: ip - (ip % size(bits)), bits };
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  return `${intToIpv4(c.base)}/${c.bits}`;
}

/** Addresses in a range of this prefix length. */
function size(bits: number): number {
  return 2 ** (32 - bits);
}

/** How many subnets of `subnetBits` the range holds (0 when the subnets are larger than the range). */
export function subnetCount(cluster: Ipv4Cidr, subnetBits: number): number {
  return subnetBits < cluster.bits ? 0 : 2 ** (subnetBits - cluster.bits);
}

/** The `index`-th subnet of `subnetBits` in the range, lowest first. */
export function subnetAt(cluster: Ipv4Cidr, subnetBits: number, index: number): Ipv4Cidr {
  return { base: cluster.base + index * size(subnetBits), bits: subnetBits };
}

/** Indexes of the subnets of `subnetBits` in `cluster` that `c` overlaps (none when it lies outside). */
export function overlappedSubnets(cluster: Ipv4Cidr, subnetBits: number, c: Ipv4Cidr): number[] {
  const start = Math.max(c.base, cluster.base);
  const end = Math.min(c.base + size(c.bits), cluster.base + size(cluster.bits)); // exclusive
  if (start >= end) return [];
  const step = size(subnetBits);
  const first = Math.floor((start - cluster.base) / step);
  const last = Math.floor((end - 1 - cluster.base) / step);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
