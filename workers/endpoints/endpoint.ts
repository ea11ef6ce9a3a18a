/**
 * One pod as a Service endpoint, as upstream builds it (k8s.io/endpointslice utils.go and
 * pkg/api/v1/endpoints): which pods count, which port a service port lands on in a pod, and
 * the endpoint's conditions, addresses, node, zone, hostname and target reference. Pure.
 */
import type { KubeObject } from '../../shared/api/types';

export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** Succeeded or Failed: a finished pod is never an endpoint. */
const isTerminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The pod's Ready condition is True (podutil.IsPodReady). */
export const isPodReady = (pod: KubeObject) => (pod.status?.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'Ready' && c.status === 'True');

/** ShouldPodBeInEndpoints: not finished, has an address, and (unless `includeTerminating`) not being deleted. */
export function shouldBeEndpoint(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
}

/**
 * podutil.FindPort: the container port a service port reaches in `pod` — a number as is, a name
 * looked up among the pod's container ports of the same protocol; undefined when none has it.
 */
export function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** The endpoint ports of `pod` for the service's ports (those a named target port cannot be found for are left out). */
export function endpointPorts(service: KubeObject, pod: KubeObject): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of (service.spec?.ports ?? []) as ServicePort[]) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** ShouldSetHostname: the pod names a hostname and its subdomain is this service. */
export const shouldSetHostname = (pod: KubeObject, service: KubeObject) =>
  !!pod.spec?.hostname && pod.spec?.subdomain === service.metadata.name && pod.metadata.namespace === service.metadata.namespace;

export const targetRef = (pod: KubeObject) => ({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid });

/** A discovery.k8s.io/v1 endpoint for `pod` (podToEndpoint). */
export function sliceEndpoint(pod: KubeObject, node: KubeObject | undefined, service: KubeObject): any {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // Never ready while terminating, unless publishNotReadyAddresses.
  const ready = !!service.spec?.publishNotReadyAddresses || (serving && !terminating);
  const zone = node?.metadata.labels?.[LABEL_ZONE];
  return {
    addresses: [pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip],
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, service) ? { hostname: pod.spec.hostname } : {}),
    targetRef: targetRef(pod),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
  };
}
