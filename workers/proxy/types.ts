/**
 * The slices of v1 Service and discovery.k8s.io/v1 EndpointSlice that kube-proxy reads, as plain
 * JSON objects (what the API server serves). Only the fields kube-proxy looks at are typed; any
 * other field may be present and is ignored.
 */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortSpec {
  name?: string;
  /** Default TCP. */
  protocol?: Protocol;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service {
  metadata: { name: string; namespace?: string };
  spec: {
    /** Default ClusterIP. ExternalName services have no cluster IP and get no rules. */
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    /** "None" (headless) or empty: no rules, as upstream skips services without a cluster IP. */
    clusterIP?: string;
    ports?: ServicePortSpec[];
    externalIPs?: string[];
    /** Default None. */
    sessionAffinity?: 'None' | 'ClientIP';
    /** timeoutSeconds defaults to 10800 (3 h), as the API defaults it. */
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    /** Default Cluster. */
    internalTrafficPolicy?: 'Cluster' | 'Local';
    /** Default Cluster. Only counts for services that are reachable from outside. */
    externalTrafficPolicy?: 'Cluster' | 'Local';
    healthCheckNodePort?: number;
    loadBalancerSourceRanges?: string[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: 'VIP' | 'Proxy' }[] } };
}

export interface EndpointSliceEndpoint {
  addresses: string[];
  /** Absent conditions read as ready and serving, not terminating (upstream's defaults). */
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  nodeName?: string;
  zone?: string;
}

export interface EndpointSlice {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: EndpointSliceEndpoint[];
  ports?: { name?: string; port?: number; protocol?: Protocol }[];
}

/** The node a rule set is computed for. */
export interface ProxyNode {
  name: string;
  /** The node's underlay address (NodePort virtual servers in IPVS mode; the iptables FW chain). */
  ip: string;
}
