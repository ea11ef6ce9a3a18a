/**
 * The iptables proxier's rules for one node: a port of upstream's syncProxyRules
 * (pkg/proxy/iptables/proxier.go) that writes the same chains and rules in the same order, one
 * service port at a time, into the filter and nat tables' iptables-restore input.
 */
import ipaddr from 'ipaddr.js';
import { clusterPolicyChain, endpointChain, externalChain, firewallChain, localPolicyChain } from './chainnames';
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD, probability, resolveIptablesOptions, type IptablesOptions, type ResolvedIptablesOptions } from './iptables-options';
import { categorizeEndpoints, externallyAccessible, usesClusterEndpoints, usesLocalEndpoints } from './policy';
import type { Endpoint, ServicePort } from './serviceports';
import type { ProxyNode } from './types';

/** One table as kube-proxy writes it: chain declarations and `-A` rules in write order. */
export interface TableRules {
  chains: string[];
  rules: string[];
}

export interface IptablesRules {
  filter: TableRules;
  nat: TableRules;
}

const q = (s: string): string => `"${s}"`;

export function buildIptablesRules(ports: ServicePort[], node: ProxyNode, options?: IptablesOptions): IptablesRules {
  const o = resolveIptablesOptions(options);
  const filter: TableRules = { chains: ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'], rules: [] };
  const nat: TableRules = { chains: ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'], rules: [] };
  const mark = o.masqueradeMark;
  nat.rules.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.rules.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.rules.push(`-A KUBE-POSTROUTING -m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE${o.randomFully ? ' --random-fully' : ''}`);
  nat.rules.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);
  if (o.localhostNodePorts) {
    filter.chains.push('KUBE-FIREWALL');
    filter.rules.push(`-A KUBE-FIREWALL -m comment --comment ${q('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`);
  }
  const totalEndpoints = ports.reduce((n, sp) => n + sp.endpoints.length, 0);
  const large = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  for (const sp of ports) writeServicePort(sp, node, o, large, filter, nat);
  const dst = o.localhostNodePorts ? '' : ' ! -d 127.0.0.0/8';
  nat.rules.push(`-A KUBE-SERVICES -m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL${dst} -j KUBE-NODEPORTS`);
  if (!o.conntrackTCPLiberal) {
    filter.rules.push(`-A KUBE-FORWARD -m conntrack --ctstate INVALID${o.nfacct ? ' -m nfacct --nfacct-name ct_state_invalid_dropped_pkts' : ''} -j DROP`);
  }
  filter.rules.push(`-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.rules.push(`-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  return { filter, nat };
}

function writeServicePort(sp: ServicePort, node: ProxyNode, o: ResolvedIptablesOptions, large: boolean, filter: TableRules, nat: TableRules): void {
  const proto = sp.protocol.toLowerCase();
  const spn = sp.nameString;
  const { cluster, local, reachable, hasAny } = categorizeEndpoints(sp);
  const svcChain = clusterPolicyChain(spn, sp.protocol);
  const svlChain = localPolicyChain(spn, sp.protocol);
  const extChain = externalChain(spn, sp.protocol);
  const fwChain = firewallChain(spn, sp.protocol);
  const internalChain = sp.internalPolicyLocal ? svlChain : svcChain;
  const hasInternal = hasAny && !(sp.internalPolicyLocal && local.length === 0);
  const externalPolicy = sp.externalPolicyLocal ? svlChain : svcChain;
  const hasExternal = hasAny && !(sp.externalPolicyLocal && local.length === 0);
  const usesExt = hasAny && externallyAccessible(sp);
  const usesFW = hasAny && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const lbChain = usesFW ? fwChain : extChain;
  const noEp = q(`${spn} has no endpoints`);
  const noLocal = q(`${spn} has no local endpoints`);
  const intTarget = !hasAny ? ['REJECT', noEp] : ['DROP', noLocal];
  const extTarget = intTarget;
  const match = `-m ${proto} -p ${proto}`;
  const at = (ip: string, port: number): string => `${match} -d ${ip} --dport ${port}`;

  if (hasInternal) nat.rules.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} cluster IP`)} ${at(sp.clusterIP, sp.port)} -j ${internalChain}`);
  else filter.rules.push(`-A KUBE-SERVICES -m comment --comment ${intTarget[1]} ${at(sp.clusterIP, sp.port)} -j ${intTarget[0]}`);
  for (const ip of sp.externalIPs) {
    if (hasAny) nat.rules.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} external IP`)} ${at(ip, sp.port)} -j ${extChain}`);
    if (!hasExternal) filter.rules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extTarget[1]} ${at(ip, sp.port)} -j ${extTarget[0]}`);
  }
  for (const ip of sp.loadBalancerVIPs) {
    if (hasAny) nat.rules.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} loadbalancer IP`)} ${at(ip, sp.port)} -j ${lbChain}`);
    if (usesFW) filter.rules.push(`-A KUBE-PROXY-FIREWALL -m comment --comment ${q(`${spn} traffic not accepted by ${fwChain}`)} ${at(ip, sp.port)} -j DROP`);
  }
  if (!hasExternal) {
    for (const ip of sp.loadBalancerVIPs) filter.rules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extTarget[1]} ${at(ip, sp.port)} -j ${extTarget[0]}`);
  }
  if (sp.nodePort !== 0) {
    if (hasAny) {
      if (o.localhostNodePorts && o.nfacct) {
        nat.rules.push(`-A KUBE-NODEPORTS -m comment --comment ${spn} ${match} -d 127.0.0.0/8 --dport ${sp.nodePort} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ${extChain}`);
      }
      nat.rules.push(`-A KUBE-NODEPORTS -m comment --comment ${spn} ${match} --dport ${sp.nodePort} -j ${extChain}`);
    }
    if (!hasExternal) filter.rules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extTarget[1]} -m addrtype --dst-type LOCAL ${match} --dport ${sp.nodePort} -j ${extTarget[0]}`);
  }
  if (sp.healthCheckNodePort !== 0) {
    filter.rules.push(`-A KUBE-NODEPORTS -m comment --comment ${q(`${spn} health check node port`)} -m tcp -p tcp --dport ${sp.healthCheckNodePort} -j ACCEPT`);
  }

  if (hasInternal) {
    const args = `-m comment --comment ${q(`${spn} cluster IP`)} ${at(sp.clusterIP, sp.port)}`;
    if (o.masqueradeAll) nat.rules.push(`-A ${internalChain} ${args} -j KUBE-MARK-MASQ`);
    else if (o.clusterCIDR) nat.rules.push(`-A ${internalChain} ${args} ! -s ${o.clusterCIDR} -j KUBE-MARK-MASQ`);
  }
  if (usesExt) {
    nat.chains.push(extChain);
    if (!sp.externalPolicyLocal) {
      nat.rules.push(`-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      if (o.clusterCIDR) nat.rules.push(`-A ${extChain} -m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${o.clusterCIDR} -j ${svcChain}`);
      nat.rules.push(`-A ${extChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
      nat.rules.push(`-A ${extChain} -m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svcChain}`);
    }
    if (hasExternal) nat.rules.push(`-A ${extChain} -j ${externalPolicy}`);
  }
  if (usesFW) writeFirewallChain(sp, node, fwChain, extChain, nat);
  if (cluster.length > 0 && usesClusterEndpoints(sp)) writeServiceToEndpoints(sp, svcChain, cluster, large, nat);
  if (local.length > 0 && usesLocalEndpoints(sp)) writeServiceToEndpoints(sp, svlChain, local, large, nat);

  for (const ep of reachable) {
    const sep = endpointChain(spn, sp.protocol, ep.key);
    nat.chains.push(sep);
    const head = `-A ${sep}${large ? '' : ` -m comment --comment ${spn}`}`;
    nat.rules.push(`${head} -s ${ep.ip} -j KUBE-MARK-MASQ`);
    const recent = sp.clientIPAffinity ? ` -m recent --name ${sep} --set` : '';
    nat.rules.push(`${head}${recent} ${match} -j DNAT --to-destination ${ep.key}`);
  }
}

function writeFirewallChain(sp: ServicePort, node: ProxyNode, fwChain: string, extChain: string, nat: TableRules): void {
  nat.chains.push(fwChain);
  const head = `-A ${fwChain} -m comment --comment ${q(`${sp.nameString} loadbalancer IP`)}`;
  for (const cidr of sp.loadBalancerSourceRanges) nat.rules.push(`${head} -s ${cidr} -j ${extChain}`);
  if (sp.loadBalancerSourceRanges.some((cidr) => cidrContains(cidr, node.ip))) {
    for (const ip of sp.loadBalancerVIPs) nat.rules.push(`${head} -s ${ip} -j ${extChain}`);
  }
  nat.rules.push(`-A ${fwChain} -m comment --comment ${q(`other traffic to ${sp.nameString} will be dropped by KUBE-PROXY-FIREWALL`)}`);
}

/** ClientIP `recent` checks first, then endpoint i of n with probability 1/(n−i), the last always. */
function writeServiceToEndpoints(sp: ServicePort, chain: string, eps: Endpoint[], large: boolean, nat: TableRules): void {
  nat.chains.push(chain);
  const comment = (ep: Endpoint): string => (large ? '' : ` -m comment --comment ${q(`${sp.nameString} -> ${ep.key}`)}`);
  if (sp.clientIPAffinity) {
    for (const ep of eps) {
      const sep = endpointChain(sp.nameString, sp.protocol, ep.key);
      nat.rules.push(`-A ${chain}${comment(ep)} -m recent --name ${sep} --rcheck --seconds ${sp.stickyMaxAgeSeconds} --reap -j ${sep}`);
    }
  }
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length - i)}` : '';
    nat.rules.push(`-A ${chain}${comment(ep)}${stat} -j ${endpointChain(sp.nameString, sp.protocol, ep.key)}`);
  });
}

function cidrContains(cidr: string, ip: string): boolean {
  try {
    return ipaddr.parse(ip).match(ipaddr.parseCIDR(cidr));
  } catch {
    return false; // an unparsable range matches nothing, as upstream skips it
  }
}
