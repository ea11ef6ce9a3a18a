/**
 * The IPVS proxier's state for one node: virtual servers with their real servers, the addresses
 * bound to the kube-ipvs0 dummy interface, and the ipset entries, as upstream's syncProxyRules
 * (pkg/proxy/ipvs/proxier.go) builds them per service port.
 */
import { categorizeEndpoints } from './policy';
import type { Endpoint, ServicePort } from './serviceports';
import type { Protocol, ProxyNode } from './types';

/** The schedulers of the seed (`--ipvs-scheduler`); rr is kube-proxy's default. */
export type Scheduler = 'rr' | 'lc' | 'dh' | 'sh' | 'sed' | 'nq';

export interface RealServer {
  address: string;
  port: number;
  /** kube-proxy always uses weight 1 and NAT (Masq) forwarding. */
  weight: number;
}

export interface VirtualServer {
  protocol: Protocol;
  address: string;
  port: number;
  scheduler: Scheduler;
  /** ClientIP affinity: `persistent <timeout>` in seconds. */
  persistentTimeout?: number;
  kind: 'cluster-ip' | 'external-ip' | 'load-balancer' | 'node-port';
  /** The service port (`ns/name:port`) this virtual server is for. */
  servicePort: string;
  realServers: RealServer[];
}

export interface IpvsState {
  virtualServers: VirtualServer[];
  /** Addresses on kube-ipvs0 (cluster, external and load-balancer IPs), numeric order. */
  dummyAddresses: string[];
  /** ipset name → entries (upstream's Entry.String() forms), in upstream's set order. */
  ipsets: Map<string, string[]>;
}

export interface IpvsOptions {
  /** `--ipvs-scheduler`; default rr. */
  scheduler?: Scheduler;
  /**
   * Addresses NodePort virtual servers are created on; default the node IP alone. (Upstream uses
   * every local address of the node, which on a real node also includes cni0 and flannel.1.)
   */
  nodePortAddresses?: string[];
}

/** Upstream's ipsetInfo, in its order. */
export const IPSETS = [
  'KUBE-LOOP-BACK', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL', 'KUBE-LOAD-BALANCER',
  'KUBE-LOAD-BALANCER-FW', 'KUBE-LOAD-BALANCER-LOCAL', 'KUBE-LOAD-BALANCER-SOURCE-IP', 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
  'KUBE-NODE-PORT-TCP', 'KUBE-NODE-PORT-LOCAL-TCP', 'KUBE-NODE-PORT-UDP', 'KUBE-NODE-PORT-LOCAL-UDP',
  'KUBE-NODE-PORT-SCTP-HASH', 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'KUBE-HEALTH-CHECK-NODE-PORT', 'KUBE-IPVS-IPS',
] as const;

export function buildIpvs(ports: ServicePort[], node: ProxyNode, options: IpvsOptions = {}): IpvsState {
  const scheduler = options.scheduler ?? 'rr';
  const nodeAddrs = options.nodePortAddresses ?? [node.ip];
  const sets = new Map<string, Set<string>>(IPSETS.map((n) => [n, new Set<string>()]));
  const add = (set: string, entry: string): void => void sets.get(set)?.add(entry);
  const bound = new Set<string>();
  const vss: VirtualServer[] = [];
  for (const sp of ports) {
    const proto = sp.protocol.toLowerCase();
    const { cluster, local } = categorizeEndpoints(sp);
    const internal = sp.internalPolicyLocal ? local : cluster;
    const external = sp.externalPolicyLocal ? local : cluster;
    const vs = (kind: VirtualServer['kind'], address: string, port: number, eps: Endpoint[]): void => {
      vss.push({
        protocol: sp.protocol, address, port, scheduler, kind, servicePort: sp.nameString,
        persistentTimeout: sp.clientIPAffinity ? sp.stickyMaxAgeSeconds : undefined,
        realServers: eps.map((e) => ({ address: e.ip, port: e.port, weight: 1 })),
      });
    };
    for (const e of sp.endpoints) if (e.isLocal) add('KUBE-LOOP-BACK', `${e.ip},${proto}:${e.port},${e.ip}`);
    add('KUBE-CLUSTER-IP', `${sp.clusterIP},${proto}:${sp.port}`);
    vs('cluster-ip', sp.clusterIP, sp.port, internal);
    bound.add(sp.clusterIP);
    for (const ip of sp.externalIPs) {
      add('KUBE-EXTERNAL-IP', `${ip},${proto}:${sp.port}`);
      if (sp.externalPolicyLocal) add('KUBE-EXTERNAL-IP-LOCAL', `${ip},${proto}:${sp.port}`);
      vs('external-ip', ip, sp.port, external);
      bound.add(ip);
    }
    for (const ip of sp.loadBalancerVIPs) {
      add('KUBE-LOAD-BALANCER', `${ip},${proto}:${sp.port}`);
      if (sp.externalPolicyLocal) add('KUBE-LOAD-BALANCER-LOCAL', `${ip},${proto}:${sp.port}`);
      if (sp.loadBalancerSourceRanges.length > 0) {
        add('KUBE-LOAD-BALANCER-FW', `${ip},${proto}:${sp.port}`);
        for (const cidr of sp.loadBalancerSourceRanges) add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${ip},${proto}:${sp.port},${cidr}`);
      }
      vs('load-balancer', ip, sp.port, external);
      bound.add(ip);
    }
    if (sp.nodePort !== 0) {
      const suffix = sp.protocol === 'SCTP' ? 'SCTP-HASH' : sp.protocol;
      const entries = sp.protocol === 'SCTP' ? nodeAddrs.map((a) => `${a},${proto}:${sp.nodePort}`) : [String(sp.nodePort)];
      for (const entry of entries) {
        add(`KUBE-NODE-PORT-${suffix}`, entry);
        if (sp.externalPolicyLocal) add(`KUBE-NODE-PORT-LOCAL-${suffix}`, entry);
      }
      for (const a of nodeAddrs) vs('node-port', a, sp.nodePort, external);
    }
    if (sp.healthCheckNodePort !== 0) add('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
  }
  const dummyAddresses = [...bound].sort((a, b) => ipv4ToInt(a) - ipv4ToInt(b));
  for (const a of dummyAddresses) add('KUBE-IPVS-IPS', a);
  const ipsets = new Map([...sets].map(([n, s]) => [n, [...s].sort()]));
  return { virtualServers: vss, dummyAddresses, ipsets };
}

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
