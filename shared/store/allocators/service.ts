/**
 * The Service allocator (pkg/registry/core/service/storage/alloc.go): ClusterIPs from the
 * service CIDR, NodePorts (and healthCheckNodePort) from the NodePort range, and the
 * load-balancer address a simulated cloud would publish in status.loadBalancer.ingress.
 */
import { allocatesNodePorts, hasNodePorts, isHeadless, needsHealthCheck } from '../../api/kinds/service-spec';
import { internalError, invalid as invalidObject, type FieldError } from '../../api/status';
import type { KubeObject } from '../../api/types';
import { goJSON, index, invalid } from '../../api/validation/field';
import type { Range, ServiceNetwork } from '../../net/service-network';
import type { Allocator, Claim, FreeValues } from '../claims';

export const SERVICE_IPS = 'serviceips';
export const NODE_PORTS = 'nodeports';
export const LOAD_BALANCER_IPS = 'loadbalancerips';

type Spec = Record<string, any>;
const fail = (obj: KubeObject, err: FieldError) => invalidObject('Service', '', obj.metadata.name ?? '', [err]);

function clusterIPOf(spec: Spec): string | undefined {
  if (spec.type === 'ExternalName' || isHeadless(spec)) return undefined;
  const ips: unknown[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  return typeof ips[0] === 'string' && ips[0] !== '' ? ips[0] : undefined;
}

function nodePortsOf(spec: Spec): number[] {
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  const out: number[] = ports.map((p: any) => p?.nodePort).filter((n: unknown) => typeof n === 'number' && n > 0);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) out.push(spec.healthCheckNodePort);
  return out;
}

function ingressIPsOf(obj: KubeObject): string[] {
  const ingress = obj.status?.loadBalancer?.ingress;
  return Array.isArray(ingress) ? ingress.map((i: any) => i?.ip).filter((ip: unknown): ip is string => typeof ip === 'string' && ip !== '') : [];
}

/**
 * What a Service holds, whatever the configured ranges: a store started with other ranges (a
 * worker's) still releases exactly what the apiserver took. Values are checked against the
 * ranges when they are first claimed, never afterwards.
 */
function held(obj: KubeObject): Claim[] {
  const spec: Spec = obj.spec ?? {};
  const claims: Claim[] = [];
  const ip = clusterIPOf(spec);
  if (ip !== undefined) claims.push({ pool: SERVICE_IPS, value: ip });
  for (const port of new Set(nodePortsOf(spec))) claims.push({ pool: NODE_PORTS, value: String(port) });
  if (obj.spec?.type === 'LoadBalancer') for (const lb of new Set(ingressIPsOf(obj))) claims.push({ pool: LOAD_BALANCER_IPS, value: lb });
  return claims;
}

export function serviceAllocator(net: ServiceNetwork): Allocator {
  const inRange = (range: Range, value: unknown) => range.offsetOf(String(value)) !== undefined;

  async function next(free: FreeValues, pool: string, range: Range, exclude: Set<string>, what: string): Promise<string> {
    const value = await free.next(pool, range, exclude);
    if (value === undefined) throw internalError(new Error(`failed to allocate a ${what}: range is full`));
    exclude.add(value);
    return value;
  }

  async function assignClusterIP(obj: KubeObject, kept: Set<string>, free: FreeValues, claims: Claim[]): Promise<void> {
    const spec: Spec = obj.spec;
    if (spec.type === 'ExternalName' || isHeadless(spec)) return;
    const requested = clusterIPOf(spec);
    if (requested === undefined) {
      const ip = await next(free, SERVICE_IPS, net.clusterIPs, new Set(), 'serviceIP');
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return;
    }
    if (kept.has(`${SERVICE_IPS}/${requested}`)) return;
    const shown = goJSON(spec.clusterIPs);
    const detail = (why: string) => `failed to allocate IP ${requested}: ${why}`;
    if (!inRange(net.clusterIPs, requested)) {
      throw fail(obj, invalid('spec.clusterIPs', shown, detail(`provided IP is not in the valid range. The range of valid IPs is ${net.clusterIPs.text}`)));
    }
    claims.push({ pool: SERVICE_IPS, value: requested, takenError: invalid('spec.clusterIPs', shown, detail('provided IP is already allocated')) });
  }

  /** initNodePorts / updateNodePorts: requested ports are honoured, ports sharing a `port` share a NodePort, the rest are allocated. */
  async function assignNodePorts(obj: KubeObject, kept: Set<string>, free: FreeValues, claims: Claim[]): Promise<void> {
    const spec: Spec = obj.spec;
    if (!hasNodePorts(spec)) return;
    const ports: Record<string, any>[] = Array.isArray(spec.ports) ? spec.ports : [];
    const byPort = new Map<number, number>();
    const exclude = new Set(nodePortsOf(spec).map(String));
    for (const [i, p] of ports.entries()) {
      const path = `${index('spec.ports', i)}.nodePort`;
      if (typeof p.nodePort === 'number' && p.nodePort > 0) {
        requestPort(obj, kept, p.nodePort, path, claims);
        if (!byPort.has(p.port)) byPort.set(p.port, p.nodePort);
      } else if (allocatesNodePorts(spec)) {
        const shared = byPort.get(p.port) ?? ports.find((q) => q.port === p.port && q.nodePort > 0)?.nodePort;
        p.nodePort = shared ?? Number(await next(free, NODE_PORTS, net.nodePorts, exclude, 'nodePort'));
        byPort.set(p.port, p.nodePort);
      }
    }
    if (needsHealthCheck(spec)) {
      if (spec.healthCheckNodePort > 0) requestPort(obj, kept, spec.healthCheckNodePort, 'spec.healthCheckNodePort', claims);
      else spec.healthCheckNodePort = Number(await next(free, NODE_PORTS, net.nodePorts, exclude, 'HealthCheck NodePort'));
    }
  }

  function requestPort(obj: KubeObject, kept: Set<string>, port: number, path: string, claims: Claim[]): void {
    if (kept.has(`${NODE_PORTS}/${port}`)) return;
    if (!inRange(net.nodePorts, port)) throw fail(obj, invalid(path, port, `provided port is not in the valid range. The range of valid ports is ${net.nodePorts.text}`));
    claims.push({ pool: NODE_PORTS, value: String(port), takenError: invalid(path, port, 'provided port is already allocated') });
  }

  /** The simulated cloud: a LoadBalancer Service gets one address of the pool as its ingress, and loses it when it stops being one. */
  async function assignLoadBalancer(obj: KubeObject, free: FreeValues): Promise<void> {
    const isLB = obj.spec.type === 'LoadBalancer';
    const pooled = ingressIPsOf(obj).filter((ip) => inRange(net.loadBalancerIPs, ip));
    if (isLB && pooled.length === 0) {
      const ip = await next(free, LOAD_BALANCER_IPS, net.loadBalancerIPs, new Set(), 'load-balancer IP');
      obj.status = { ...obj.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
    } else if (!isLB && obj.status?.loadBalancer?.ingress) {
      obj.status = { ...obj.status, loadBalancer: {} };
    }
  }

  return {
    async assign(obj, old, free) {
      const claims: Claim[] = [];
      if (!obj.spec || typeof obj.spec !== 'object') return claims;
      const kept = new Set(old ? held(old).map((c) => `${c.pool}/${c.value}`) : []);
      await assignClusterIP(obj, kept, free, claims);
      await assignNodePorts(obj, kept, free, claims);
      await assignLoadBalancer(obj, free);
      return claims;
    },
    held,
  };
}
