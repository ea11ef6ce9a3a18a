/**
 * The v1 Endpoints of one Service (upstream's endpoints controller): ready pods under
 * `addresses`, others under `notReadyAddresses` (all count as ready with
 * publishNotReadyAddresses), one subset per set of resolved ports, addresses sorted by IP, at
 * most 1000 addresses with the `over-capacity: truncated` annotation beyond. Pure.
 */
import type { KubeObject } from '../../shared/api/types';
import { endpointPorts, isPodReady, shouldBeEndpoint, shouldSetHostname, targetRef, type EndpointPort } from './endpoint';
import { LABEL_HEADLESS } from './slices';

/** Upstream's maxCapacity and its annotation. */
export const MAX_ENDPOINTS_ADDRESSES = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** Endpoints the controller writes are not mirrored into slices (it writes the slices itself). */
export const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';

const ipOrder = (ip: string) => ip.split('.').map((o) => o.padStart(3, '0')).join('.');
const byIp = (a: { ip: string }, b: { ip: string }) => (ipOrder(a.ip) < ipOrder(b.ip) ? -1 : ipOrder(a.ip) > ipOrder(b.ip) ? 1 : 0);

/** The Endpoints object the Service should have (labels, subsets, annotations), without resourceVersion. */
export function desiredEndpoints(service: KubeObject, pods: KubeObject[]): KubeObject {
  const tolerateUnready = !!service.spec?.publishNotReadyAddresses;
  const subsets = new Map<string, { ports: Partial<EndpointPort>[]; addresses: any[]; notReadyAddresses: any[] }>();
  let total = 0;
  for (const pod of pods) {
    if (!shouldBeEndpoint(pod, tolerateUnready)) continue;
    const ports = endpointPorts(service, pod).map(({ name, port, protocol, appProtocol }) => ({ ...(name ? { name } : {}), port, protocol, ...(appProtocol ? { appProtocol } : {}) }));
    // A service with ports whose targets this pod lacks gets no address from it.
    if ((service.spec?.ports ?? []).length > 0 && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    if (!subsets.has(key)) subsets.set(key, { ports, addresses: [], notReadyAddresses: [] });
    const address = { ip: pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip, ...(shouldSetHostname(pod, service) ? { hostname: pod.spec.hostname } : {}), ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: targetRef(pod) };
    const s = subsets.get(key)!;
    (tolerateUnready || isPodReady(pod) ? s.addresses : s.notReadyAddresses).push(address);
    total++;
  }
  let budget = MAX_ENDPOINTS_ADDRESSES;
  const out = [...subsets.values()].map((s) => {
    const take = (list: any[]) => list.sort(byIp).splice(0, Math.max(0, budget)).map((a) => (budget--, a));
    const addresses = take(s.addresses);
    const notReadyAddresses = take(s.notReadyAddresses);
    return { ...(addresses.length ? { addresses } : {}), ...(notReadyAddresses.length ? { notReadyAddresses } : {}), ...(s.ports.length ? { ports: s.ports } : {}) };
  });
  const labels = { ...(service.metadata.labels ?? {}), [LABEL_SKIP_MIRROR]: 'true', ...(service.spec?.clusterIP === 'None' ? { [LABEL_HEADLESS]: '' } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: service.metadata.name, namespace: service.metadata.namespace, labels, ...(total > MAX_ENDPOINTS_ADDRESSES ? { annotations: { [OVER_CAPACITY_ANNOTATION]: 'truncated' } } : {}) },
    subsets: out.filter((s) => s.addresses || s.notReadyAddresses),
  };
}
