/**
 * The flannel overlay as data (the seed "Kubernetes with Flannel"; flannel's backends): every
 * node has an underlay address (172.20.32.0/19, its InternalIP), a pod range (its
 * spec.podCIDR out of 10.244.0.0/16) on the `cni0` bridge, and a flannel device that carries
 * pod traffic to other nodes inside UDP:
 *
 * - `vxlan` (the default): `flannel.1`, VNI 1, UDP 8472, in the kernel; 50 bytes of outer
 *   headers (Ethernet 14 + IP 20 + UDP 8 + VXLAN 8), so MTU 1450; one route per remote node
 *   `via <its 10.244.x.0> dev flannel.1 onlink`;
 * - `udp`: the `flannel0` TUN device and the flanneld daemon, UDP 8285; 28 bytes (IP 20 + UDP
 *   8), MTU 1472; one route for the whole cluster range `dev flannel0`; every packet is copied
 *   kernel → flanneld → kernel on each side (the seed's "three copies"), which costs latency.
 *
 * Pure: nodes in, devices, route tables (as `ip route` prints them) and next hops out. No real
 * interface, route or socket is ever touched.
 */
import ipaddr from 'ipaddr.js';
import { intToIpv4, ipv4ToInt } from '../../shared/net/ipv4';

export type Backend = 'vxlan' | 'udp';

export interface BackendSpec {
  device: string;
  /** UDP port of the encapsulation. */
  port: number;
  /** Bytes of outer headers added to each packet. */
  overheadBytes: number;
  mtu: number;
  vni?: number;
  /** Copies between kernel and user space per encapsulation or decapsulation (flanneld). */
  userspaceCopies: number;
}

export const BACKENDS: Record<Backend, BackendSpec> = {
  vxlan: { device: 'flannel.1', port: 8472, overheadBytes: 50, mtu: 1450, vni: 1, userspaceCopies: 0 },
  udp: { device: 'flannel0', port: 8285, overheadBytes: 28, mtu: 1472, userspaceCopies: 2 },
};

export const CLUSTER_CIDR = '10.244.0.0/16';
export const UNDERLAY_CIDR = '172.20.32.0/19';
/** The underlay's gateway (the VPC router of the seed's example). */
export const UNDERLAY_GATEWAY = '172.20.32.1';

/** What the overlay knows of one node. */
export interface NodeNet {
  name: string;
  /** Its InternalIP on the underlay. */
  underlayIP: string;
  /** Its pod range, e.g. 10.244.1.0/24. */
  podCIDR: string;
  /** The bridge's address: the range's first host (10.244.1.1). */
  bridgeIP: string;
  /** flannel.1's address: the range's network address (10.244.1.0), the next hop other nodes route to. */
  flannelIP: string;
}


/** Whether `ip` is inside `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  if (!ipaddr.IPv4.isValid(ip)) return false;
  return ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parseCIDR(cidr));
}

/** A Node object as the overlay sees it; undefined until it has an InternalIP and an IPv4 podCIDR. */
export function nodeNet(node: { metadata: { name?: string }; spec?: any; status?: any }): NodeNet | undefined {
  const underlayIP = (node.status?.addresses ?? []).find((a: { type: string }) => a.type === 'InternalIP')?.address;
  const podCIDR: string | undefined = node.spec?.podCIDR;
  if (!underlayIP || !podCIDR || !ipaddr.isValidCIDR(podCIDR) || podCIDR.includes(':')) return undefined;
  const [network] = ipaddr.IPv4.parseCIDR(podCIDR);
  const base = ipv4ToInt(network.toString());
  return { name: node.metadata.name ?? '', underlayIP, podCIDR, bridgeIP: intToIpv4(base + 1), flannelIP: intToIpv4(base) };
}

/** The node's routing table as `ip route` prints it. */
export function routeTable(self: NodeNet, nodes: readonly NodeNet[], backend: Backend): string[] {
  const spec = BACKENDS[backend];
  const lines = [`default via ${UNDERLAY_GATEWAY} dev eth0 proto dhcp src ${self.underlayIP} metric 100`];
  if (backend === 'udp') lines.push(`${CLUSTER_CIDR} dev ${spec.device}`);
  const byRange = [...nodes].sort((a, b) => ipv4ToInt(a.flannelIP) - ipv4ToInt(b.flannelIP));
  for (const n of byRange) {
    if (n.name === self.name) lines.push(`${n.podCIDR} dev cni0 proto kernel scope link src ${n.bridgeIP}`);
    else if (backend === 'vxlan') lines.push(`${n.podCIDR} via ${n.flannelIP} dev ${spec.device} onlink`);
  }
  lines.push(`${UNDERLAY_CIDR} dev eth0 proto kernel scope link src ${self.underlayIP}`);
  return lines;
}

export type NextHop =
  /** On this node's bridge. */
  | { kind: 'local'; device: 'cni0' }
  /** Through the overlay to `node`: encapsulated from this node's underlay address to the other's. */
  | { kind: 'overlay'; device: string; node: NodeNet; outer: { src: string; dst: string; protocol: 'UDP'; port: number; vni?: number }; overheadBytes: number }
  /** Straight on the underlay (a node address). */
  | { kind: 'underlay'; device: 'eth0' }
  | { kind: 'unreachable'; reason: string };

/** Where a packet for `dstIP` leaves this node (after kube-proxy's DNAT). */
export function nextHop(self: NodeNet, nodes: readonly NodeNet[], dstIP: string, backend: Backend): NextHop {
  if (inCidr(dstIP, self.podCIDR)) return { kind: 'local', device: 'cni0' };
  if (inCidr(dstIP, UNDERLAY_CIDR)) return { kind: 'underlay', device: 'eth0' };
  const owner = nodes.find((n) => n.name !== self.name && inCidr(dstIP, n.podCIDR));
  if (!owner) return { kind: 'unreachable', reason: inCidr(dstIP, CLUSTER_CIDR) ? `no node has a pod range holding ${dstIP}` : `${dstIP} is outside the cluster` };
  const spec = BACKENDS[backend];
  return {
    kind: 'overlay',
    device: spec.device,
    node: owner,
    outer: { src: self.underlayIP, dst: owner.underlayIP, protocol: 'UDP', port: spec.port, ...(spec.vni !== undefined ? { vni: spec.vni } : {}) },
    overheadBytes: spec.overheadBytes,
  };
}

/**
 * Simulated time one encapsulation or decapsulation costs, in microseconds: a kernel pass,
 * plus a copy across the kernel/user boundary per flanneld copy. A model, not a measurement:
 * the constants only keep the seed's ordering (udp slower than vxlan) visible in traces.
 */
export function encapsulationMicros(backend: Backend, bytes: number): number {
  const KERNEL_PASS_US = 5;
  const COPY_US_PER_KB = 8;
  return KERNEL_PASS_US + BACKENDS[backend].userspaceCopies * Math.ceil((bytes * COPY_US_PER_KB) / 1024);
}
