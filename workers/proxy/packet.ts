/**
 * A simulated packet, hop by hop (pure): from a pod's `eth0` through its veth to the node's
 * `cni0` bridge; through the node's kube-proxy rules (which endpoint and why: the statistic or
 * recent rule that matched, or the IPVS scheduler's pick — or REJECT with upstream's reason);
 * the route; for another node, flannel's encapsulation, the underlay and decapsulation; then the
 * destination node's bridge and veth to the pod. Each hop names its device and node, its
 * addresses before and after NAT, the outer addresses while encapsulated, its bytes and a
 * simulated latency. Nothing is sent anywhere: every address here is data.
 */
import { walkIptables, type CompiledRules, type RecentLists } from './iptables-walk';
import type { IpvsState } from './ipvs';
import { findVirtualServer, pickRealServer, type IpvsRuntime } from './ipvs-select';
import { BACKENDS, encapsulationMicros, nextHop, type Backend, type NodeNet } from './overlay';
import type { RandomSource } from './random';

export interface Hop {
  node: string;
  /** eth0 (pod), veth, cni0, kube-proxy, route, flannel.1 / flannel0, eth0 (node), … */
  device: string;
  kind: 'send' | 'veth' | 'bridge' | 'kube-proxy' | 'route' | 'encap' | 'underlay' | 'decap' | 'deliver' | 'drop';
  src: string;
  dst: string;
  /** After this hop's NAT, when it changed anything. */
  natSrc?: string;
  natDst?: string;
  outer?: { src: string; dst: string; protocol: 'UDP'; port: number; vni?: number };
  bytes: number;
  latencyUs: number;
  note: string;
}

export interface PodRef {
  namespace: string;
  name: string;
  ip: string;
  node: string;
  /** A client outside the cluster, arriving at `node` (a NodePort, or a LoadBalancer address it answers for). */
  external?: boolean;
}

/** What the simulation reads of the cluster. */
export interface PacketWorld {
  nodes: NodeNet[];
  podByIp(ip: string): PodRef | undefined;
  /** The node's kube-proxy state: compiled iptables rules, or the IPVS table. */
  proxy(node: string): { mode: 'iptables'; rules: CompiledRules } | { mode: 'ipvs'; ipvs: IpvsState } | undefined;
  backend: Backend;
}

/** Per-node kernel state a run of packets shares (xt_recent lists, IPVS connections). */
export interface KernelState {
  recent: Map<string, RecentLists>;
  ipvs: Map<string, IpvsRuntime>;
}

export interface PacketResult {
  hops: Hop[];
  /** The pod that got it, and the address:port it was sent to after DNAT. */
  served?: { pod: PodRef; endpoint: string };
  dropped?: string;
}

/** Simulated per-hop costs in µs: a model (kernel path lengths), kept only so traces show where time goes. */
const LATENCY_US = { veth: 2, bridge: 3, rules: 4, route: 1, underlay: 100, deliver: 2 } as const;

/** The sending node's half, up to the underlay (or its own bridge): `arrive` says where the packet lands. */
export function simulateDeparture(world: PacketWorld, from: PodRef, dst: string, dport: number, protocol: string, bytes: number, random: RandomSource, nowMs: number, kernel: KernelState): PacketResult & { arrive?: Arrival } {
  const hops: Hop[] = [];
  const hop = (h: Omit<Hop, 'bytes'> & { bytes?: number }) => hops.push({ bytes, ...h });
  const target = `${dst}:${dport}`;
  if (from.external) {
    hop({ node: 'outside', device: 'internet', kind: 'send', src: from.ip, dst: target, latencyUs: 0, note: `an outside client sends ${bytes} bytes of ${protocol.toUpperCase()}` });
    hop({ node: from.node, device: 'eth0', kind: 'underlay', src: from.ip, dst: target, latencyUs: LATENCY_US.underlay, note: `arrives on ${from.node}'s eth0` });
  } else {
    hop({ node: from.node, device: 'eth0', kind: 'send', src: from.ip, dst: target, latencyUs: 0, note: `${from.namespace}/${from.name} sends ${bytes} bytes of ${protocol.toUpperCase()}` });
    hop({ node: from.node, device: `veth-${from.name}`.slice(0, 15), kind: 'veth', src: from.ip, dst: target, latencyUs: LATENCY_US.veth, note: "the pod's veth pair into the host" });
    hop({ node: from.node, device: 'cni0', kind: 'bridge', src: from.ip, dst: target, latencyUs: LATENCY_US.bridge, note: 'the node bridge' });
  }

  // kube-proxy: PREROUTING → KUBE-SERVICES.
  let endpoint = target;
  let src = from.ip;
  let masquerade = false;
  const proxy = world.proxy(from.node);
  if (proxy?.mode === 'iptables') {
    const recent = kernel.recent.get(from.node) ?? new Map();
    kernel.recent.set(from.node, recent);
    const verdict = walkIptables(proxy.rules, { src: from.ip, dst, protocol, dport }, { random, nowMs, recent });
    const why = verdict.matched.join(' | ');
    if (verdict.verdict === 'REJECT' || verdict.verdict === 'DROP') {
      hop({ node: from.node, device: 'kube-proxy', kind: 'drop', src, dst: target, latencyUs: LATENCY_US.rules, note: `${verdict.verdict}: ${why}` });
      return { hops, dropped: `${verdict.verdict} by kube-proxy: ${why}` };
    }
    if (verdict.verdict === 'DNAT' && verdict.endpoint) {
      endpoint = verdict.endpoint;
      masquerade = verdict.masquerade;
      hop({ node: from.node, device: 'kube-proxy', kind: 'kube-proxy', src, dst: target, natDst: endpoint, latencyUs: LATENCY_US.rules, note: `DNAT by iptables: ${why}` });
    }
  } else if (proxy?.mode === 'ipvs') {
    const vs = findVirtualServer(proxy.ipvs, protocol.toUpperCase(), dst, dport);
    if (vs) {
      const rt = kernel.ipvs.get(from.node);
      const pick = rt ? pickRealServer(vs, from.ip, rt, nowMs) : { realServer: null, reason: 'no IPVS state' };
      if (!pick.realServer) {
        hop({ node: from.node, device: 'kube-ipvs0', kind: 'drop', src, dst: target, latencyUs: LATENCY_US.rules, note: `no real server: ${pick.reason}` });
        return { hops, dropped: `IPVS ${vs.address}:${vs.port} has no real server (${pick.reason})` };
      }
      endpoint = `${pick.realServer.address}:${pick.realServer.port}`;
      // Outside traffic is masqueraded (the IPVS proxier's KUBE-MARK-MASQ for node ports and external addresses).
      masquerade = !!from.external;
      hop({ node: from.node, device: 'kube-ipvs0', kind: 'kube-proxy', src, dst: target, natDst: endpoint, latencyUs: LATENCY_US.rules, note: `IPVS ${vs.scheduler}: ${pick.reason}` });
    }
  }

  const dstIp = endpoint.slice(0, endpoint.lastIndexOf(':'));
  const self = world.nodes.find((n) => n.name === from.node);
  if (!self) {
    hop({ node: from.node, device: 'route', kind: 'drop', src, dst: endpoint, latencyUs: 0, note: 'the node has no pod range yet' });
    return { hops, dropped: `node ${from.node} is not on the overlay yet` };
  }
  const next = nextHop(self, world.nodes, dstIp, world.backend);
  if (next.kind === 'unreachable') {
    hop({ node: from.node, device: 'route', kind: 'drop', src, dst: endpoint, latencyUs: LATENCY_US.route, note: next.reason });
    return { hops, dropped: next.reason };
  }
  if (next.kind === 'local') {
    if (masquerade) src = self.bridgeIP;
    hop({ node: from.node, device: 'route', kind: 'route', src, dst: endpoint, latencyUs: LATENCY_US.route, note: `${self.podCIDR} dev cni0 (this node)`, ...(masquerade ? { natSrc: src } : {}) });
    return { hops, arrive: { node: from.node, src, endpoint, bytes, backend: world.backend, encapsulated: false } };
  }
  if (next.kind === 'underlay') {
    hop({ node: from.node, device: 'eth0', kind: 'route', src, dst: endpoint, latencyUs: LATENCY_US.route, note: 'a node address: straight on the underlay' });
    return { hops, dropped: `${dstIp} is a node address: no pod answers there` };
  }
  const spec = BACKENDS[world.backend];
  if (masquerade) src = self.flannelIP;
  hop({ node: from.node, device: 'route', kind: 'route', src, dst: endpoint, latencyUs: LATENCY_US.route, note: `${next.node.podCIDR} via ${next.node.flannelIP} dev ${spec.device}`, ...(masquerade ? { natSrc: src } : {}) });
  hop({ node: from.node, device: spec.device, kind: 'encap', src, dst: endpoint, outer: next.outer, bytes: bytes + spec.overheadBytes, latencyUs: encapsulationMicros(world.backend, bytes), note: `${world.backend} encapsulation, ${spec.overheadBytes} bytes of outer headers${copiesNote(world.backend)}` });
  hop({ node: from.node, device: 'eth0', kind: 'underlay', src: next.outer.src, dst: next.outer.dst, outer: next.outer, bytes: bytes + spec.overheadBytes, latencyUs: LATENCY_US.underlay, note: `underlay ${next.outer.src} → ${next.outer.dst} UDP ${next.outer.port}` });
  return { hops, arrive: { node: next.node.name, src, endpoint, bytes, backend: world.backend, encapsulated: true } };
}

const copiesNote = (backend: Backend) => (BACKENDS[backend].userspaceCopies ? ` (+${BACKENDS[backend].userspaceCopies} copies through flanneld in user space)` : '');

/** Where a packet arrives: the node whose pods it is for, what it carries, and whether it comes encapsulated. */
export interface Arrival {
  node: string;
  src: string;
  /** `<pod ip>:<port>` after DNAT. */
  endpoint: string;
  bytes: number;
  backend: Backend;
  encapsulated: boolean;
}

/** The receiving node's half: decapsulation when it came over the overlay, the bridge, the pod's veth, delivery — or no such pod. */
export function simulateArrival(world: Pick<PacketWorld, 'podByIp'>, a: Arrival): PacketResult {
  const hops: Hop[] = [];
  const hop = (h: Omit<Hop, 'bytes'>) => hops.push({ bytes: a.bytes, ...h });
  if (a.encapsulated) {
    hop({ node: a.node, device: BACKENDS[a.backend].device, kind: 'decap', src: a.src, dst: a.endpoint, latencyUs: encapsulationMicros(a.backend, a.bytes), note: `${a.backend} decapsulation${copiesNote(a.backend)}` });
    hop({ node: a.node, device: 'cni0', kind: 'bridge', src: a.src, dst: a.endpoint, latencyUs: LATENCY_US.bridge, note: 'the destination node bridge' });
  }
  const [ip, port] = [a.endpoint.slice(0, a.endpoint.lastIndexOf(':')), a.endpoint.slice(a.endpoint.lastIndexOf(':') + 1)];
  const pod = world.podByIp(ip);
  if (!pod || pod.node !== a.node) {
    hop({ node: a.node, device: 'cni0', kind: 'drop', src: a.src, dst: a.endpoint, latencyUs: 0, note: `no pod has ${ip} on ${a.node}` });
    return { hops, dropped: `no pod has ${ip} on ${a.node}` };
  }
  hop({ node: a.node, device: `veth-${pod.name}`.slice(0, 15), kind: 'veth', src: a.src, dst: a.endpoint, latencyUs: LATENCY_US.veth, note: "into the destination pod's veth" });
  hop({ node: a.node, device: 'eth0', kind: 'deliver', src: a.src, dst: a.endpoint, latencyUs: LATENCY_US.deliver, note: `delivered to ${pod.namespace}/${pod.name} port ${port}` });
  return { hops, served: { pod, endpoint: a.endpoint } };
}

/** Both halves in one place (one process simulating every node). */
export function simulatePacket(world: PacketWorld, from: PodRef, dst: string, dport: number, protocol: string, bytes: number, random: RandomSource, nowMs: number, kernel: KernelState): PacketResult {
  const out = simulateDeparture(world, from, dst, dport, protocol, bytes, random, nowMs, kernel);
  if (!out.arrive) return out;
  const arrived = simulateArrival(world, out.arrive);
  return { ...arrived, hops: [...out.hops, ...arrived.hops] };
}
