/**
 * The iptables rules the IPVS proxier keeps beside IPVS (upstream's writeIptablesRules in
 * pkg/proxy/ipvs/proxier.go): a fixed set of rules that match the ipsets, so their number does
 * not grow with services (seeds/002: "the number of iptables rules is static").
 */
import type { IptablesRules, TableRules } from './iptables';
import { resolveIptablesOptions, type IptablesOptions } from './iptables-options';
import type { BuiltinJumps } from './iptables-save';
import type { IpvsState } from './ipvs';

/** Upstream's ipset comments (pkg/proxy/ipvs/ipset.go), as written: quoted. */
const COMMENT: Record<string, string> = {
  'KUBE-LOOP-BACK': 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  'KUBE-CLUSTER-IP': 'Kubernetes service cluster ip + port for masquerade purpose',
  'KUBE-EXTERNAL-IP': 'Kubernetes service external ip + port for masquerade and filter purpose',
  'KUBE-EXTERNAL-IP-LOCAL': 'Kubernetes service external ip + port with externalTrafficPolicy=local',
  'KUBE-LOAD-BALANCER': 'Kubernetes service lb portal',
  'KUBE-LOAD-BALANCER-LOCAL': 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  'KUBE-LOAD-BALANCER-FW': 'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  'KUBE-LOAD-BALANCER-SOURCE-IP': 'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  'KUBE-NODE-PORT-TCP': 'Kubernetes nodeport TCP port for masquerade purpose',
  'KUBE-NODE-PORT-LOCAL-TCP': 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  'KUBE-NODE-PORT-UDP': 'Kubernetes nodeport UDP port for masquerade purpose',
  'KUBE-NODE-PORT-LOCAL-UDP': 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  'KUBE-NODE-PORT-SCTP-HASH': "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  'KUBE-NODE-PORT-LOCAL-SCTP-HASH': "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  'KUBE-HEALTH-CHECK-NODE-PORT': 'Kubernetes health check node port',
};

/** Upstream's ipsetWithIptablesChain: set, table, from, to, match type, protocol match. */
const SET_JUMPS: [string, 'nat' | 'filter', string, string, string, string][] = [
  ['KUBE-LOOP-BACK', 'nat', 'KUBE-POSTROUTING', 'MASQUERADE', 'dst,dst,src', ''],
  ['KUBE-LOAD-BALANCER', 'nat', 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst', ''],
  ['KUBE-LOAD-BALANCER-LOCAL', 'nat', 'KUBE-LOAD-BALANCER', 'RETURN', 'dst,dst', ''],
  ['KUBE-NODE-PORT-LOCAL-TCP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-TCP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'tcp'],
  ['KUBE-NODE-PORT-LOCAL-UDP', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst', 'udp'],
  ['KUBE-NODE-PORT-UDP', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst', 'udp'],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'RETURN', 'dst,dst', 'sctp'],
  ['KUBE-NODE-PORT-SCTP-HASH', 'nat', 'KUBE-NODE-PORT', 'KUBE-MARK-MASQ', 'dst,dst', 'sctp'],
  ['KUBE-LOAD-BALANCER-FW', 'filter', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'dst,dst', ''],
  ['KUBE-LOAD-BALANCER-SOURCE-CIDR', 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src', ''],
  ['KUBE-LOAD-BALANCER-SOURCE-IP', 'filter', 'KUBE-SOURCE-RANGES-FIREWALL', 'RETURN', 'dst,dst,src', ''],
];

/** The IPVS proxier's iptablesJumpChain, prepended (so reversed per built-in chain). */
export const IPVS_MODE_JUMPS: BuiltinJumps = {
  filter: [
    {
      chain: 'INPUT',
      jumps: [
        '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER',
        '-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
        '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT',
      ],
    },
    {
      chain: 'FORWARD',
      jumps: [
        '-A FORWARD -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
        '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      ],
    },
    { chain: 'OUTPUT', jumps: ['-A OUTPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER'] },
  ],
  nat: [
    { chain: 'PREROUTING', jumps: ['-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'] },
    { chain: 'INPUT', jumps: [] },
    { chain: 'OUTPUT', jumps: ['-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'] },
    { chain: 'POSTROUTING', jumps: ['-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'] },
  ],
};

const set = (name: string): string => `-m comment --comment "${COMMENT[name]}" -m set --match-set ${name}`;

export function buildIpvsIptablesRules(state: IpvsState, options?: IptablesOptions): IptablesRules {
  const o = resolveIptablesOptions(options);
  const nat: TableRules = { chains: ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'], rules: [] };
  const filter: TableRules = {
    chains: ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER'],
    rules: [],
  };
  const has = (name: string): boolean => (state.ipsets.get(name) ?? []).length > 0;
  const mark = o.masqueradeMark;
  nat.rules.push('-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN');
  for (const [name, table, from, to, match, proto] of SET_JUMPS) {
    if (!has(name)) continue;
    (table === 'nat' ? nat : filter).rules.push(`-A ${from}${proto ? ` -p ${proto}` : ''} ${set(name)} ${match} -j ${to}`);
  }
  if (has('KUBE-CLUSTER-IP')) {
    const head = `-A KUBE-SERVICES ${set('KUBE-CLUSTER-IP')}`;
    if (o.masqueradeAll) nat.rules.push(`${head} dst,dst -j KUBE-MARK-MASQ`);
    else if (o.clusterCIDR) nat.rules.push(`${head} dst,dst ! -s ${o.clusterCIDR} -j KUBE-MARK-MASQ`);
    else nat.rules.push(`${head} src,dst -j KUBE-MARK-MASQ`);
  }
  const externalIPRules = (head: string): void => {
    nat.rules.push(`${head} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.rules.push(`${head} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (has('KUBE-EXTERNAL-IP')) {
    nat.rules.push(`-A KUBE-SERVICES ${set('KUBE-EXTERNAL-IP')} dst,dst -j KUBE-MARK-MASQ`);
    externalIPRules(`-A KUBE-SERVICES ${set('KUBE-EXTERNAL-IP')} dst,dst`);
  }
  if (has('KUBE-EXTERNAL-IP-LOCAL')) externalIPRules(`-A KUBE-SERVICES ${set('KUBE-EXTERNAL-IP-LOCAL')} dst,dst`);
  nat.rules.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.rules.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.rules.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  for (const name of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
    if (has(name)) nat.rules.push(`-A KUBE-SERVICES -m set --match-set ${name} dst,dst -j ACCEPT`);
  }
  filter.rules.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.rules.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.rules.push(`-A KUBE-NODE-PORT ${set('KUBE-HEALTH-CHECK-NODE-PORT')} dst -j ACCEPT`);
  for (const [name, match] of [['KUBE-LOAD-BALANCER', 'dst,dst'], ['KUBE-CLUSTER-IP', 'dst,dst'], ['KUBE-EXTERNAL-IP', 'dst,dst'], ['KUBE-EXTERNAL-IP-LOCAL', 'dst,dst'], ['KUBE-HEALTH-CHECK-NODE-PORT', 'dst']]) {
    filter.rules.push(`-A KUBE-IPVS-FILTER -m set --match-set ${name} ${match} -j RETURN`);
  }
  filter.rules.push('-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT');
  nat.rules.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.rules.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.rules.push(`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${o.randomFully ? ' --random-fully' : ''}`);
  nat.rules.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);
  return { filter, nat };
}
