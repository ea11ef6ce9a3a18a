/**
 * Renders IPVS state as `ipvsadm -Ln` prints it (ipvsadm's print_title / print_service_entry),
 * the kube-ipvs0 dummy interface as `ip addr show kube-ipvs0`, and ipset entries as `ipset save`
 * add lines.
 */
import { ipv4ToInt, type IpvsState, type VirtualServer } from './ipvs';

/** Connection counters per real server, keyed by `vip:port/proto -> ip:port` (see connKey). */
export type ConnectionCounts = Map<string, { active: number; inactive: number }>;

export const connKey = (vs: VirtualServer, rs: { address: string; port: number }): string =>
  `${vs.address}:${vs.port}/${vs.protocol} -> ${rs.address}:${rs.port}`;

const PROTO_NUMBER: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/** libipvs compares addresses as `int r = ntohl(a) - ntohl(b)`: a wrapping 32-bit difference. */
const addrDiff = (a: string, b: string): number => (ipv4ToInt(a) - ipv4ToInt(b)) | 0;

function cmpServices(a: VirtualServer, b: VirtualServer): number {
  return PROTO_NUMBER[a.protocol] - PROTO_NUMBER[b.protocol] || addrDiff(a.address, b.address) || a.port - b.port;
}

/**
 * glibc's qsort: a stable top-down merge sort. With libipvs's wrapping comparator the order is
 * not a total order (10.96.0.1 sorts after 172.20.64.10), so the algorithm decides the output.
 */
export function msort<T>(items: T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return items.slice();
  const n1 = items.length >> 1;
  const left = msort(items.slice(0, n1), cmp);
  const right = msort(items.slice(n1), cmp);
  const out: T[] = [];
  while (left.length > 0 && right.length > 0) out.push((cmp(left[0], right[0]) <= 0 ? left : right).shift() as T);
  return out.concat(left, right);
}

const pad = (s: string | number, n: number): string => String(s).padEnd(n);

export function ipvsadmList(state: IpvsState, conns: ConnectionCounts = new Map()): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of msort(state.virtualServers, cmpServices)) {
    const flags = vs.persistentTimeout !== undefined ? ` persistent ${vs.persistentTimeout}` : '';
    lines.push(`${vs.protocol}  ${vs.address}:${vs.port} ${vs.scheduler}${flags}`);
    const dests = msort(vs.realServers, (a, b) => addrDiff(a.address, b.address) || a.port - b.port);
    for (const rs of dests) {
      const c = conns.get(connKey(vs, rs)) ?? { active: 0, inactive: 0 };
      lines.push(`  -> ${pad(`${rs.address}:${rs.port}`, 28)} ${pad('Masq', 7)} ${pad(rs.weight, 6)} ${pad(c.active, 10)} ${pad(c.inactive, 10)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface DummyInterfaceOptions {
  /** Interface index; default 5. */
  index?: number;
  /** Link-layer address; default 02:00:00:00:00:05 (locally administered). */
  mac?: string;
}

/** `ip addr show kube-ipvs0`: every bound address as a /32, the device DOWN as upstream leaves it. */
export function kubeIpvs0(state: IpvsState, o: DummyInterfaceOptions = {}): string {
  const lines = [
    `${o.index ?? 5}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default`,
    `    link/ether ${o.mac ?? '02:00:00:00:00:05'} brd ff:ff:ff:ff:ff:ff`,
  ];
  for (const a of state.dummyAddresses) {
    lines.push(`    inet ${a}/32 scope global kube-ipvs0`, '       valid_lft forever preferred_lft forever');
  }
  return `${lines.join('\n')}\n`;
}

/** `ipset save`-style `add` lines, sets in upstream's order, entries sorted. */
export function ipsetEntries(state: IpvsState): string {
  const lines: string[] = [];
  for (const [set, entries] of state.ipsets) for (const e of entries) lines.push(`add ${set} ${e}`);
  return `${lines.join('\n')}\n`;
}
