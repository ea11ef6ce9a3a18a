/**
 * The ranges Services draw from: the service CIDR (ClusterIPs), the NodePort range and the
 * simulated load-balancer pool. Address parsing and CIDR math are ipaddr.js's; an address is
 * turned into an integer only to count offsets inside a range.
 */
import ipaddr from 'ipaddr.js';
import { intToIpv4, ipv4ToInt } from './ipv4';

/** What the caller passes; every field has a default. */
export interface ServiceNetworkOptions {
  /** `KUBEQ_SERVICE_CIDR`, kube-apiserver's --service-cluster-ip-range. Default `10.96.0.0/12`. */
  serviceCIDR?: string;
  /** `KUBEQ_SERVICE_NODE_PORT_RANGE`, kube-apiserver's --service-node-port-range. Default `30000-32767`. */
  nodePortRange?: string;
  /** `KUBEQ_LB_POOL`, the simulated cloud's load-balancer addresses. Default `172.20.64.0/24`. */
  loadBalancerPool?: string;
}

/** A range of allocatable values, `size` of them from offset 0; dynamic allocation starts at `dynamicFrom`. */
export interface Range {
  /** As messages print it: `10.96.0.0/12`, `30000-32767`. */
  readonly text: string;
  readonly size: number;
  /** First offset of the upper band that dynamic allocation prefers (upstream keeps the lower band for requested values). */
  readonly dynamicFrom: number;
  /** Offsets dynamic allocation never hands out (the cluster DNS address). */
  readonly reserved: ReadonlySet<number>;
  /** The value at `offset`. */
  valueAt(offset: number): string;
  /** The offset of a value, or undefined when it is outside the range (or unparsable). */
  offsetOf(value: string): number | undefined;
}

export interface ServiceNetwork {
  clusterIPs: Range;
  nodePorts: Range;
  loadBalancerIPs: Range;
  /** 10.96.0.1: the `kubernetes` Service's ClusterIP (the first address of the range). */
  apiServerIP: string;
  /** 10.96.0.10: kept for the cluster DNS Service, never allocated dynamically. */
  dnsIP: string;
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';
export const DEFAULT_LB_POOL = '172.20.64.0/24';

const toInt = (ip: ipaddr.IPv4): number => ipv4ToInt(ip.toString());

/** upstream calculateRangeOffset: min(max(16, size/divisor), max) values are kept for requested ones; none in ranges under 16. */
function staticBand(size: number, divisor: number, max: number): number {
  return size < 16 ? 0 : Math.min(Math.max(16, Math.floor(size / divisor)), max);
}

/** The usable hosts of an IPv4 CIDR: network and broadcast addresses excluded, as upstream's bitmap does. */
function cidrRange(cidr: string, setting: string, band: boolean): Range {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) throw new Error(`${setting}=${JSON.stringify(cidr)} is not an IPv4 CIDR`);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
  const broadcast = ipaddr.IPv4.broadcastAddressFromCIDR(cidr);
  const parsed = ipaddr.IPv4.parseCIDR(cidr);
  const base = toInt(network) + 1;
  const size = Math.max(0, toInt(broadcast) - base);
  const text = `${network.toString()}/${parsed[1]}`;
  return {
    text,
    size,
    dynamicFrom: band ? staticBand(size, 16, 256) : 0,
    reserved: new Set(),
    valueAt: (offset) => intToIpv4(base + offset),
    offsetOf: (value) => {
      if (!ipaddr.IPv4.isValidFourPartDecimal(value)) return undefined;
      const ip = ipaddr.IPv4.parse(value);
      const offset = toInt(ip) - base;
      return ip.match(parsed) && offset >= 0 && offset < size ? offset : undefined;
    },
  };
}

function portRange(text: string): Range {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const [lo, hi] = m ? [Number(m[1]), Number(m[2])] : [0, -1];
  if (!m || lo < 1 || hi > 65535 || lo > hi) throw new Error(`KUBEQ_SERVICE_NODE_PORT_RANGE=${JSON.stringify(text)} is not a port range like 30000-32767`);
  const size = hi - lo + 1;
  return {
    text,
    size,
    dynamicFrom: staticBand(size, 32, 128),
    reserved: new Set(),
    valueAt: (offset) => String(lo + offset),
    offsetOf: (value) => {
      const port = Number(value);
      return Number.isInteger(port) && port >= lo && port <= hi ? port - lo : undefined;
    },
  };
}

/** Resolves the options, throwing on malformed settings. */
export function serviceNetwork(opts: ServiceNetworkOptions = {}): ServiceNetwork {
  const clusterIPs = cidrRange(opts.serviceCIDR || DEFAULT_SERVICE_CIDR, 'KUBEQ_SERVICE_CIDR', true);
  if (clusterIPs.size < 10) throw new Error(`KUBEQ_SERVICE_CIDR=${clusterIPs.text} is too small: the kubernetes and DNS Services need the 1st and 10th addresses`);
  (clusterIPs.reserved as Set<number>).add(9);
  return {
    clusterIPs,
    nodePorts: portRange(opts.nodePortRange || DEFAULT_NODE_PORT_RANGE),
    loadBalancerIPs: cidrRange(opts.loadBalancerPool || DEFAULT_LB_POOL, 'KUBEQ_LB_POOL', false),
    apiServerIP: clusterIPs.valueAt(0),
    dnsIP: clusterIPs.valueAt(9),
  };
}
