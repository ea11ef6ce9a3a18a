/**
 * kube-proxy's rule computation for one node, as pure functions: Services and EndpointSlices
 * in, the iptables tables (iptables-save text) or the IPVS state (ipvsadm -Ln, kube-ipvs0,
 * ipsets) out, plus endpoint selection for simulated packets and a sync cost model. No Redis,
 * no processes: the proxy worker wires these to informers, the clock and KUBEQ_SEED.
 */
import { buildIptablesRules, type IptablesRules } from './iptables';
import type { IptablesOptions } from './iptables-options';
import { iptablesSave } from './iptables-save';
import { buildIpvs, type IpvsOptions, type IpvsState } from './ipvs';
import { buildIpvsIptablesRules, IPVS_MODE_JUMPS } from './ipvs-iptables';
import { ipsetEntries, ipvsadmList, kubeIpvs0 } from './ipvsadm';
import { buildServicePorts, type ServicePort } from './serviceports';
import type { EndpointSlice, ProxyNode, Service } from './types';

export type ProxyMode = 'iptables' | 'ipvs';

export interface ProxyInput {
  services: Service[];
  endpointSlices: EndpointSlice[];
  node: ProxyNode;
}

export interface ProxyOptions {
  /** KUBEQ_PROXY_MODE; default iptables. */
  mode?: ProxyMode;
  iptables?: IptablesOptions;
  ipvs?: IpvsOptions;
}

export type ProxyRules =
  | { mode: 'iptables'; ports: ServicePort[]; iptables: IptablesRules; text: string }
  | { mode: 'ipvs'; ports: ServicePort[]; ipvs: IpvsState; iptables: IptablesRules; text: string };

/**
 * The rules kube-proxy would program on `input.node`; `text` is what a debug endpoint prints:
 * iptables-save in iptables mode; ipvsadm -Ln, kube-ipvs0, the ipsets and the IPVS proxier's
 * own iptables-save in ipvs mode.
 */
export function computeProxyRules(input: ProxyInput, options: ProxyOptions = {}): ProxyRules {
  const ports = buildServicePorts(input.services, input.endpointSlices, input.node);
  if (options.mode === 'ipvs') {
    const ipvs = buildIpvs(ports, input.node, options.ipvs);
    const iptables = buildIpvsIptablesRules(ipvs, options.iptables);
    const text = [ipvsadmList(ipvs), kubeIpvs0(ipvs), ipsetEntries(ipvs), iptablesSave(iptables, IPVS_MODE_JUMPS)].join('\n');
    return { mode: 'ipvs', ports, ipvs, iptables, text };
  }
  const iptables = buildIptablesRules(ports, input.node, options.iptables);
  return { mode: 'iptables', ports, iptables, text: iptablesSave(iptables) };
}

export type { EndpointSlice, ProxyNode, Service } from './types';
export type { IptablesOptions } from './iptables-options';
export type { IpvsOptions, IpvsState, Scheduler, VirtualServer } from './ipvs';
export type { ServicePort, Endpoint } from './serviceports';
export { iptablesSave, restoreInput } from './iptables-save';
export { compileRules, walkIptables, type Packet, type RecentLists, type WalkResult } from './iptables-walk';
export { ipvsadmList, kubeIpvs0, ipsetEntries } from './ipvsadm';
export { findVirtualServer, newIpvsRuntime, pickRealServer, closeConnection, type IpvsRuntime } from './ipvs-select';
export { iptablesSyncCost, ipvsSyncCost, type SyncCostModel, type SyncReport } from './synccost';
export { seededRandom, type RandomSource } from './random';
