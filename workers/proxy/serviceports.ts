/**
 * Services and EndpointSlices as kube-proxy sees them: one ServicePort per (service, port), each
 * with its endpoints, mirroring pkg/proxy's ServicePortName, BaseServicePortInfo and
 * EndpointSliceCache. Pure data; both modes (iptables, IPVS) are computed from this.
 */
import type { EndpointSlice, EndpointSliceEndpoint, Protocol, ProxyNode, Service } from './types';

export interface Endpoint {
  ip: string;
  port: number;
  /** `ip:port`, upstream's Endpoint.String(): the SEP hash input and the sort key. */
  key: string;
  nodeName?: string;
  zone?: string;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface ServicePort {
  namespace: string;
  name: string;
  portName: string;
  protocol: Protocol;
  /** `ns/name:port` (or `ns/name` for an unnamed port): upstream's ServicePortName.String(). */
  nameString: string;
  clusterIP: string;
  port: number;
  /** 0 when the service has no node port. */
  nodePort: number;
  externalIPs: string[];
  loadBalancerVIPs: string[];
  loadBalancerSourceRanges: string[];
  /** 0 unless a LoadBalancer with externalTrafficPolicy Local. */
  healthCheckNodePort: number;
  clientIPAffinity: boolean;
  /** ClientIP affinity timeout; 10800 by default. */
  stickyMaxAgeSeconds: number;
  internalPolicyLocal: boolean;
  externalPolicyLocal: boolean;
  /** All endpoints of this port, sorted by `ip:port` as upstream's byEndpoint sort does. */
  endpoints: Endpoint[];
}

export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

/** Every proxied service port of `services` with its endpoints, sorted by name and protocol. */
export function buildServicePorts(services: Service[], slices: EndpointSlice[], node: ProxyNode): ServicePort[] {
  const endpoints = endpointsByServicePort(slices, node.name);
  const out: ServicePort[] = [];
  for (const svc of services) {
    const ip = svc.spec.clusterIP ?? '';
    if (ip === '' || ip === 'None' || svc.spec.type === 'ExternalName') continue;
    for (const p of svc.spec.ports ?? []) {
      const sp = servicePort(svc, p.name ?? '', p.protocol ?? 'TCP', p.port, p.nodePort ?? 0);
      sp.endpoints = endpoints.get(`${sp.nameString}/${sp.protocol}`) ?? [];
      out.push(sp);
    }
  }
  return out.sort((a, b) => cmp(a.nameString, b.nameString) || cmp(a.protocol, b.protocol));
}

function servicePort(svc: Service, portName: string, protocol: Protocol, port: number, nodePort: number): ServicePort {
  const namespace = svc.metadata.namespace ?? 'default';
  const spec = svc.spec;
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  const clientIP = spec.sessionAffinity === 'ClientIP';
  const externallyAccessibleType =
    spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.externalIPs ?? []).length > 0;
  return {
    namespace,
    name: svc.metadata.name,
    portName,
    protocol,
    nameString: servicePortNameString(namespace, svc.metadata.name, portName),
    clusterIP: spec.clusterIP ?? '',
    port,
    nodePort,
    externalIPs: spec.externalIPs ?? [],
    // Proxy-mode load balancers (ipMode Proxy) are not captured on the node, as upstream.
    loadBalancerVIPs: ingress.filter((i) => i.ip && i.ipMode !== 'Proxy').map((i) => i.ip as string),
    loadBalancerSourceRanges: (spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()),
    // Only a LoadBalancer with externalTrafficPolicy Local needs one (upstream's NeedsHealthCheck).
    healthCheckNodePort: spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' ? spec.healthCheckNodePort ?? 0 : 0,
    clientIPAffinity: clientIP,
    stickyMaxAgeSeconds: clientIP ? spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS : 0,
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    externalPolicyLocal: externallyAccessibleType && spec.externalTrafficPolicy === 'Local',
    endpoints: [],
  };
}

export function servicePortNameString(namespace: string, name: string, portName: string): string {
  return `${namespace}/${name}${portName === '' ? '' : `:${portName}`}`;
}

/**
 * EndpointSliceCache: endpoints grouped by `nameString/protocol`, deduplicated by `ip:port`
 * (a non-terminating copy wins) and sorted by `ip:port` as strings. A slice port without a name
 * counts as the unnamed port (upstream ignores a nil name; the API serializes "" for unnamed).
 */
function endpointsByServicePort(slices: EndpointSlice[], nodeName: string): Map<string, Endpoint[]> {
  const sets = new Map<string, Map<string, Endpoint>>();
  for (const slice of slices) {
    const svcName = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (!svcName || slice.addressType === 'FQDN' || slice.addressType === 'IPv6') continue;
    for (const p of slice.ports ?? []) {
      if (!p.port) continue;
      const key = `${servicePortNameString(slice.metadata.namespace ?? 'default', svcName, p.name ?? '')}/${p.protocol ?? 'TCP'}`;
      const set = sets.get(key) ?? new Map<string, Endpoint>();
      sets.set(key, set);
      for (const ep of slice.endpoints ?? []) {
        if (ep.addresses.length === 0) continue;
        const e = endpoint(ep.addresses[0], p.port, ep, nodeName);
        if (!set.has(e.key) || !e.terminating) set.set(e.key, e);
      }
    }
  }
  const out = new Map<string, Endpoint[]>();
  for (const [key, set] of sets) out.set(key, [...set.values()].sort((a, b) => cmp(a.key, b.key)));
  return out;
}

function endpoint(ip: string, port: number, ep: EndpointSliceEndpoint, nodeName: string): Endpoint {
  const c = ep.conditions ?? {};
  return {
    ip,
    port,
    key: `${ip}:${port}`,
    nodeName: ep.nodeName,
    zone: ep.zone,
    isLocal: ep.nodeName !== undefined && ep.nodeName === nodeName,
    ready: c.ready ?? true,
    serving: c.serving ?? true,
    terminating: c.terminating ?? false,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
