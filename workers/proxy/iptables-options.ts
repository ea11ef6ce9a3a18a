/** Settings of the iptables proxier (kube-proxy flags), as given and resolved. */
export interface IptablesOptions {
  /**
   * `--cluster-cidr` for the ClusterCIDR local-traffic detector: pod traffic is `-s <cidr>`,
   * off-cluster traffic to a cluster IP is masqueraded. Default `10.244.0.0/16` (flannel's).
   * `null` turns the detector off (no such rules), as kube-proxy without a cluster CIDR.
   */
  clusterCIDR?: string | null;
  /** `--masquerade-all`; default false. */
  masqueradeAll?: boolean;
  /**
   * The masquerade mark as iptables-save prints it; default `0x4000` (bit 14). kube-proxy itself
   * writes `0x00004000` (Go's `%#08x`); the kernel round trip prints `0x4000`.
   */
  masqueradeMark?: string;
  /** `--iptables-localhost-nodeports`; default true (adds KUBE-FIREWALL's localnet rule). */
  localhostNodePorts?: boolean;
  /** iptables supports `MASQUERADE --random-fully` (1.6.2+); default true. */
  randomFully?: boolean;
  /** The kernel has nfacct, so upstream adds its accounting matches; default false. */
  nfacct?: boolean;
  /** nf_conntrack_tcp_be_liberal is set (no INVALID drop rule); default false. */
  conntrackTCPLiberal?: boolean;
}

export type ResolvedIptablesOptions = Required<IptablesOptions>;

export function resolveIptablesOptions(o: IptablesOptions = {}): ResolvedIptablesOptions {
  return {
    clusterCIDR: o.clusterCIDR === undefined ? '10.244.0.0/16' : o.clusterCIDR,
    masqueradeAll: o.masqueradeAll ?? false,
    masqueradeMark: o.masqueradeMark ?? '0x4000',
    localhostNodePorts: o.localhostNodePorts ?? true,
    randomFully: o.randomFully ?? true,
    nfacct: o.nfacct ?? false,
    conntrackTCPLiberal: o.conntrackTCPLiberal ?? false,
  };
}

/** Above this many endpoints upstream drops per-endpoint comments (largeClusterMode). */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

/** Upstream's computeProbability: `%0.10f` of 1/n. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}
