/**
 * Service (core v1): defaults (SetDefaults_Service), validation (service-validation.ts) and
 * `kubectl get services` columns (printService). ClusterIPs, NodePorts and load-balancer
 * addresses are not defaults: the store's service allocator assigns them on every write.
 */
import type { ResourceInfo } from '../resource';
import type { KubeObject } from '../types';
import { ageCell, ageColumn, column, ensureObject, isObject, metaOf, nameColumn, objectsOf, setDefaultString } from './common';
import { externallyAccessible, hasNodePorts, isHeadless, needsHealthCheck } from './service-spec';
import { validateService, validateServiceUpdate } from './service-validation';

/** Session affinity timeout a ClientIP Service gets (v1.DefaultClientIPServiceAffinitySeconds, 3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** SetDefaults_Service, then the strategy's NormalizeClusterIPs (clusterIPs from clusterIP). */
function defaults(obj: KubeObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && typeof spec.sessionAffinityConfig?.clientIP?.timeoutSeconds !== 'number') {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  setDefaultString(spec, 'type', 'ClusterIP');
  for (const port of objectsOf(spec.ports)) {
    setDefaultString(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec)) setDefaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && !(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length)) spec.clusterIPs = [spec.clusterIP];
  if (spec.type !== 'ExternalName') defaultFamilies(spec);
  for (const ing of objectsOf(obj.status?.loadBalancer?.ingress)) {
    if (ing.ip && ing.ipMode == null) ing.ipMode = 'VIP';
  }
}

/**
 * initIPFamilyFields on kubeq's single-stack IPv4 service network: ipFamilyPolicy SingleStack,
 * or RequireDualStack for a headless Service without selector (as upstream does on any cluster,
 * which also gives it both families); ipFamilies from the clusterIPs, else IPv4.
 */
function defaultFamilies(spec: Record<string, any>): void {
  const selectorless = !isObject(spec.selector) || Object.keys(spec.selector).length === 0;
  const headlessSelectorless = isHeadless(spec) && selectorless;
  spec.ipFamilyPolicy ??= headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) {
    const first = Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string' && spec.clusterIPs[0].includes(':') ? 'IPv6' : 'IPv4';
    spec.ipFamilies = [first];
  }
  if (headlessSelectorless && spec.ipFamilyPolicy !== 'SingleStack' && spec.ipFamilies.length === 1) spec.ipFamilies.push(spec.ipFamilies[0] === 'IPv6' ? 'IPv4' : 'IPv6');
}

const portKey = (p: Record<string, any>) => `${p.protocol ?? 'TCP'}/${p.port}`;
const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The strategy's PrepareForUpdate for what the allocator owns: patchAllocatedValues (a write
 * without clusterIP or nodePort keeps the allocated ones) then dropTypeDependentFields (a type
 * change drops the values the new type does not use, unless the client changed them itself).
 */
function prepareForUpdate(obj: KubeObject, old: KubeObject): void {
  if (!isObject(obj.spec)) return;
  const spec = obj.spec;
  const oldSpec: Record<string, any> = isObject(old.spec) ? old.spec : {};
  const ports = objectsOf(spec.ports);
  if (oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length) && oldSpec.clusterIPs) spec.clusterIPs = structuredClone(oldSpec.clusterIPs);
  }
  // NormalizeClusterIPs: a changed clusterIP with untouched clusterIPs means the client changed the first one.
  if (spec.clusterIP !== oldSpec.clusterIP && sameJSON(spec.clusterIPs, oldSpec.clusterIPs) && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  if (hasNodePorts(oldSpec) && hasNodePorts(spec)) {
    const oldNodePorts = new Map(objectsOf(oldSpec.ports).filter((p) => p.nodePort > 0).map((p) => [portKey(p), p.nodePort]));
    for (const p of ports) if (!(p.nodePort > 0) && oldNodePorts.has(portKey(p))) p.nodePort = oldNodePorts.get(portKey(p));
  }
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && !(spec.healthCheckNodePort > 0)) spec.healthCheckNodePort = oldSpec.healthCheckNodePort;

  if (spec.type === 'ExternalName' && oldSpec.type !== 'ExternalName') {
    if (sameJSON(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameJSON(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (sameJSON(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (hasNodePorts(oldSpec) && !hasNodePorts(spec) && sameJSON(ports.map((p) => p.nodePort), objectsOf(oldSpec.ports).map((p) => p.nodePort))) {
    for (const p of ports) delete p.nodePort;
  }
  if (needsHealthCheck(oldSpec) && !needsHealthCheck(spec) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (!externallyAccessible(spec)) delete spec.externalTrafficPolicy;
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
}

/** `80/TCP`, `80:30080/TCP`, joined with commas (makePortString). */
export function portString(ports: unknown): string {
  return objectsOf(ports)
    .map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
}

/** EXTERNAL-IP as getServiceExternalIP prints it with wide output (what the server's Table uses). */
export function externalIPCell(obj: KubeObject): string {
  const spec = obj.spec ?? {};
  const externalIPs: string[] = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set(objectsOf(obj.status?.loadBalancer?.ingress).map((i) => i.ip || i.hostname).filter(Boolean))].sort();
      const all = [...lb, ...externalIPs];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** A selector map as labels.FormatLabels prints it: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(selector: unknown): string {
  if (!isObject(selector) || Object.keys(selector).length === 0) return '<none>';
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${String(selector[k])}`)
    .join(',');
}

/** NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, then (wide) SELECTOR. */
function row(obj: KubeObject, now: Date): unknown[] {
  const spec = obj.spec ?? {};
  const clusterIPs: unknown[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  return [metaOf(obj).name ?? '', spec.type ?? '', clusterIPs.length ? clusterIPs[0] : '<none>', externalIPCell(obj), portString(spec.ports) || '<none>', ageCell(obj, now), formatLabels(spec.selector)];
}

export const services: ResourceInfo = {
  resource: 'services',
  singular: 'service',
  kind: 'Service',
  listKind: 'ServiceList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  hasStatusSubresource: true,
  hasGeneration: false,
  prepareForUpdate,
  defaults,
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row,
};
