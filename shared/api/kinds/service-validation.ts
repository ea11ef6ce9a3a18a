/**
 * ValidateService and ValidateServiceUpdate (pkg/apis/core/validation) with upstream wording.
 * Range and conflict checks of ClusterIPs and NodePorts belong to the allocator, not here.
 */
import ipaddr from 'ipaddr.js';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, child, dedupe, duplicate, forbidden, goJSON, index, invalid, notSupported, required } from '../validation/field';
import { validateLabels } from '../validation/labels';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum, nameIsDNS1035Label } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { isObject, metaOf, objectsOf } from './common';
import { validatePortNumOrName } from './probe-validation';
import { externallyAccessible, needsHealthCheck } from './service-spec';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** netutils.ParseIPSloppy's domain without the sloppiness kubeq does not need: dotted-quad IPv4 or IPv6. */
export function isValidIP(value: unknown): boolean {
  return typeof value === 'string' && (ipaddr.IPv4.isValidFourPartDecimal(value) || (value.includes(':') && ipaddr.IPv6.isValid(value)));
}

/** isHeadlessService: exactly one clusterIP, `None`. */
function headless(spec: Record<string, any>): boolean {
  return Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 1 && spec.clusterIPs[0] === 'None';
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.map(asString) : []);

function validatePort(port: Record<string, any>, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(port.name);
  if (requireName && !name) errs.push(required(child(path, 'name')));
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => invalid(child(path, 'name'), name, m)));
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
    names.add(name);
  }
  errs.push(...isValidPortNum(port.port).map((m) => invalid(child(path, 'port'), port.port ?? 0, m)));
  if (!port.protocol) errs.push(required(child(path, 'protocol')));
  else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(child(path, 'protocol'), port.protocol, PROTOCOLS));
  errs.push(...validatePortNumOrName(port.targetPort, child(path, 'targetPort')));
  if (port.appProtocol != null) errs.push(...isQualifiedName(asString(port.appProtocol)).map((m) => invalid(child(path, 'appProtocol'), port.appProtocol, m)));
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPs(spec: Record<string, any>): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = stringList(spec.clusterIPs);
  const shown = goJSON(ips);
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(invalid('spec.clusterIPs', shown, 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(invalid('spec.clusterIPs', shown, 'must be empty when `clusterIP` is not specified'));
  const families = stringList(spec.ipFamilies);
  families.forEach((f, i) => {
    if (!IP_FAMILIES.includes(f)) errs.push(notSupported(index('spec.ipFamilies', i), f, IP_FAMILIES));
    if (families.indexOf(f) < i) errs.push(duplicate(index('spec.ipFamilies', i), f));
  });
  if (spec.ipFamilyPolicy != null && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  let bad = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        bad = true;
        errs.push(invalid('spec.clusterIPs', shown, "'None' must be the first and only value"));
      }
    } else if (!isValidIP(ip)) {
      bad = true;
      errs.push(invalid(index('spec.clusterIPs', i), ip, INVALID_IP));
    }
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', shown, 'may only hold up to 2 values'));
  if (bad) return errs;
  if (ips.length > 1 && ips[0].includes(':') === ips[1].includes(':')) errs.push(invalid('spec.clusterIPs', shown, 'may specify no more than one IP for each IP family'));
  if (!headless(spec)) {
    ips.forEach((ip, i) => {
      if (families[i] === 'IPv4' && ip.includes(':')) errs.push(invalid(index('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !ip.includes(':')) errs.push(invalid(index('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

/** initIPFamilyFields' checks on kubeq's single-stack IPv4 service network. */
function validateFamiliesConfigured(spec: Record<string, any>): FieldError[] {
  if (spec.type === 'ExternalName' || headless(spec)) return [];
  const errs: FieldError[] = [];
  if (spec.ipFamilyPolicy === 'SingleStack' && stringList(spec.ipFamilies).length === 2) {
    errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  stringList(spec.ipFamilies).forEach((f, i) => {
    if (f === 'IPv6') errs.push(invalid(index('spec.ipFamilies', i), f, 'not configured on this cluster'));
  });
  return errs;
}

function validateTypeSpecific(spec: Record<string, any>): FieldError[] {
  const errs: FieldError[] = [];
  if ((spec.type === 'LoadBalancer' || spec.type === 'NodePort') && headless(spec)) {
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  if (spec.type === 'ExternalName') {
    if (stringList(spec.clusterIPs).length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (stringList(spec.ipFamilies).length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy != null) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = asString(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid('spec.externalName', cname, m)));
    else errs.push(required('spec.externalName'));
  }
  return errs;
}

function validateAffinity(spec: Record<string, any>): FieldError[] {
  if (!spec.sessionAffinity) return [required('spec.sessionAffinity')];
  if (!['ClientIP', 'None'].includes(spec.sessionAffinity)) return [notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None'])];
  if (spec.sessionAffinity === 'None') return spec.sessionAffinityConfig != null ? [forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None')] : [];
  const path = 'spec.sessionAffinityConfig';
  if (!isObject(spec.sessionAffinityConfig)) return [required(path, 'when session affinity type is ClientIP')];
  if (!isObject(spec.sessionAffinityConfig.clientIP)) return [required(child(path, 'clientIP'), 'when session affinity type is ClientIP')];
  const timeout = spec.sessionAffinityConfig.clientIP.timeoutSeconds;
  if (typeof timeout !== 'number' || timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [invalid(child(path, 'clientIP', 'timeoutSeconds'), timeout ?? 0, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

function validatePorts(spec: Record<string, any>): FieldError[] {
  const errs: FieldError[] = [];
  const ports = objectsOf(spec.ports);
  if (ports.length === 0 && !headless(spec) && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, index('spec.ports', i))));
  const nodePorts = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const path = index('spec.ports', i);
    if (spec.type === 'ClusterIP' && p.nodePort) errs.push(forbidden(child(path, 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
    if (p.nodePort) {
      if (nodePorts.has(`${p.protocol}/${p.nodePort}`)) errs.push(duplicate(child(path, 'nodePort'), p.nodePort));
      nodePorts.add(`${p.protocol}/${p.nodePort}`);
    }
    const key = `${p.protocol}/${p.port}`;
    if (keys.has(key)) errs.push(duplicate(path, goJSON({ name: '', protocol: p.protocol, port: p.port, targetPort: 0, nodePort: 0 })));
    keys.add(key);
  });
  return errs;
}

function validateTrafficPolicies(spec: Record<string, any>): FieldError[] {
  const errs: FieldError[] = [];
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) errs.push(required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy)) errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  if (!needsHealthCheck(spec)) {
    if (spec.healthCheckNodePort) errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (spec.healthCheckNodePort) {
    errs.push(...isValidPortNum(spec.healthCheckNodePort).map((m) => invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, m)));
  }
  if (spec.internalTrafficPolicy == null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) errs.push(required('spec.internalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy)) errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  return errs;
}

function validateLoadBalancerFields(spec: Record<string, any>): FieldError[] {
  const errs: FieldError[] = [];
  const lb = spec.type === 'LoadBalancer';
  if (spec.allocateLoadBalancerNodePorts != null && !lb) errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  if (lb && spec.allocateLoadBalancerNodePorts == null) errs.push(required('allocateLoadBalancerNodePorts'));
  if (spec.loadBalancerClass != null) {
    if (lb) errs.push(...isQualifiedName(asString(spec.loadBalancerClass)).map((m) => invalid('spec.loadBalancerClass', spec.loadBalancerClass, m)));
    else errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  stringList(spec.externalIPs).forEach((ip, i) => {
    if (!isValidIP(ip)) errs.push(invalid(index('spec.externalIPs', i), ip, INVALID_IP));
  });
  return errs;
}

function validateSpec(obj: KubeObject): FieldError[] {
  const spec: Record<string, any> = isObject(obj.spec) ? obj.spec : {};
  const errs = [...validatePorts(spec), ...validateTypeSpecific(spec)];
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateAffinity(spec), ...validateClusterIPs(spec), ...validateFamiliesConfigured(spec));
  if (!spec.type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  errs.push(...validateLoadBalancerFields(spec), ...validateTrafficPolicies(spec));
  return errs;
}

export function validateService(obj: KubeObject): FieldError[] {
  return [...validateObjectMeta(metaOf(obj), { namespaced: true, nameFn: nameIsDNS1035Label }), ...validateSpec(obj)];
}

/** validateUpgradeDowngradeClusterIPs for kubeq's single-stack network: the primary ClusterIP never changes (unless to or from ExternalName). */
function validateClusterIPsUpdate(spec: Record<string, any>, old: Record<string, any>): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName' || (headless(spec) && headless(old))) return [];
  const ips = stringList(spec.clusterIPs);
  const oldIps = stringList(old.clusterIPs);
  if (oldIps.length > 0 && ips.length === 0) return [invalid('spec.clusterIPs[0]', goJSON(ips), 'primary clusterIP can not be unset')];
  if (oldIps.length > 0 && ips[0] !== oldIps[0]) return [invalid('spec.clusterIPs[0]', goJSON(ips), 'may not change once set')];
  return [];
}

export function validateServiceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec: Record<string, any> = isObject(obj.spec) ? obj.spec : {};
  const oldSpec: Record<string, any> = isObject(old.spec) ? old.spec : {};
  const errs = [...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateClusterIPsUpdate(spec, oldSpec)];
  if (needsHealthCheck(spec) && needsHealthCheck(oldSpec) && spec.healthCheckNodePort !== oldSpec.healthCheckNodePort) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  if (spec.type === 'LoadBalancer' && oldSpec.type === 'LoadBalancer' && (spec.loadBalancerClass ?? null) !== (oldSpec.loadBalancerClass ?? null)) {
    errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  return dedupe([...errs, ...validateSpec(obj)]);
}
