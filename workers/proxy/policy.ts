/**
 * Traffic policy: which endpoints a node uses for a service port. A port of upstream's
 * ServicePort methods (ExternallyAccessible, UsesClusterEndpoints, UsesLocalEndpoints) and of
 * proxy.CategorizeEndpoints, without topology hints (every endpoint counts as in topology).
 */
import type { Endpoint, ServicePort } from './serviceports';

/** NodePort, LoadBalancer or external IPs: reachable from outside the cluster. */
export function externallyAccessible(sp: ServicePort): boolean {
  return sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;
}

export function usesClusterEndpoints(sp: ServicePort): boolean {
  return !sp.internalPolicyLocal || (externallyAccessible(sp) && !sp.externalPolicyLocal);
}

export function usesLocalEndpoints(sp: ServicePort): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && externallyAccessible(sp));
}

export interface CategorizedEndpoints {
  /** Endpoints for Cluster policy: ready ones, else serving-and-terminating ones. */
  cluster: Endpoint[];
  /** Endpoints for Local policy: this node's ready ones, else its serving-and-terminating ones. */
  local: Endpoint[];
  /** Union of the two (the endpoints that get a KUBE-SEP chain), in `ip:port` order. */
  reachable: Endpoint[];
  /** True when any usable endpoint exists anywhere in the cluster. */
  hasAny: boolean;
}

export function categorizeEndpoints(sp: ServicePort): CategorizedEndpoints {
  const eps = sp.endpoints;
  let cluster: Endpoint[] = [];
  let local: Endpoint[] = [];
  let hasAny = false;
  if (usesClusterEndpoints(sp)) {
    cluster = eps.filter((e) => e.ready);
    if (cluster.length === 0) cluster = eps.filter((e) => e.serving && e.terminating);
    hasAny = cluster.length > 0;
  }
  if (!usesLocalEndpoints(sp)) return { cluster, local, reachable: cluster, hasAny };
  if (eps.some((e) => e.ready || (e.serving && e.terminating))) hasAny = true;
  local = eps.filter((e) => e.isLocal && e.ready);
  if (local.length === 0) local = eps.filter((e) => e.isLocal && e.serving && e.terminating);
  if (!usesClusterEndpoints(sp)) return { cluster, local, reachable: local, hasAny };
  const union = new Map<string, Endpoint>();
  for (const e of [...cluster, ...local]) union.set(e.key, e);
  const reachable = [...union.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { cluster, local, reachable, hasAny };
}
