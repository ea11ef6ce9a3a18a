/** IPv4 addresses as unsigned 32-bit numbers, for offset arithmetic over ranges (ipaddr.js parses and prints). */
import ipaddr from 'ipaddr.js';

/** `10.244.1.2` → 183763202. Throws on anything but a dotted-quad IPv4 address. */
export function ipv4ToInt(ip: string): number {
  return ipaddr.IPv4.parse(ip)
    .toByteArray()
    .reduce((n, b) => n * 256 + b, 0);
}

/** 183763202 → `10.244.1.2`. */
export function intToIpv4(n: number): string {
  return ipaddr.fromByteArray([24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256)).toString();
}
