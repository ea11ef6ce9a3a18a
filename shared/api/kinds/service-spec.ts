/** Predicates on a Service's spec that defaults, validation and the allocator share (pkg/api/service). */

/** NodePort and LoadBalancer Services, and ClusterIP ones with externalIPs (service.ExternallyAccessible). */
export function externallyAccessible(spec: Record<string, any>): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

/** A LoadBalancer Service with externalTrafficPolicy Local needs a healthCheckNodePort (service.NeedsHealthCheck). */
export function needsHealthCheck(spec: Record<string, any>): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** `clusterIP: None` (or clusterIPs[0] None): no virtual IP, DNS answers the endpoints. */
export function isHeadless(spec: Record<string, any>): boolean {
  return spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None');
}

/** Types that get NodePorts: NodePort, and LoadBalancer unless allocateLoadBalancerNodePorts is false (shouldAllocateNodePorts). */
export function allocatesNodePorts(spec: Record<string, any>): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

/** Types whose ports may hold NodePorts at all. */
export function hasNodePorts(spec: Record<string, any>): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}
