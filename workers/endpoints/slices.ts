/**
 * The EndpointSlices of one Service (upstream's endpointslice reconciler, reduced): the pods it
 * selects become endpoints (endpoint.ts), grouped by the ports they resolve to, at most
 * `maxPerSlice` (100) to a slice. Churn is kept low as upstream keeps it: an endpoint stays in
 * the slice that has it; endpoints gone are removed; new ones fill slices with room before new
 * slices are made; a slice left empty goes. Pure: existing slices in, slices to create, update
 * and delete out.
 */
import type { KubeObject } from '../../shared/api/types';
import { endpointPorts, shouldBeEndpoint, sliceEndpoint, type EndpointPort } from './endpoint';

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  remove: KubeObject[];
}

const portsKey = (ports: EndpointPort[] | undefined) => JSON.stringify([...(ports ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port)));
const uidOf = (endpoint: any): string => endpoint.targetRef?.uid ?? endpoint.addresses?.[0] ?? '';

/** The labels upstream puts on a managed slice: the Service's own (minus reserved ones), the service name, the manager, headless. */
export function sliceLabels(service: KubeObject): Record<string, string> {
  const own = Object.fromEntries(Object.entries(service.metadata.labels ?? {}).filter(([k]) => k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY));
  return { ...own, [LABEL_SERVICE_NAME]: service.metadata.name!, [LABEL_MANAGED_BY]: CONTROLLER_NAME, ...(service.spec?.clusterIP === 'None' ? { [LABEL_HEADLESS]: '' } : {}) };
}

function newSlice(service: KubeObject, ports: EndpointPort[], endpoints: any[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      // Upstream's prefix: the service name and a dash (generateName adds five characters).
      generateName: `${service.metadata.name!.slice(0, 57)}-`,
      namespace: service.metadata.namespace,
      labels: sliceLabels(service),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.metadata.name!, uid: service.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

/** `pods`: the pods the Service selects; `node(name)`: a node, for its zone; `existing`: the slices this controller manages for it. */
export function planSlices(service: KubeObject, pods: KubeObject[], node: (name: string) => KubeObject | undefined, existing: KubeObject[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  // Desired endpoints by port set, then by pod uid, in pod name order.
  const desired = new Map<string, { ports: EndpointPort[]; endpoints: Map<string, any> }>();
  const sorted = [...pods].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const pod of sorted) {
    if (!shouldBeEndpoint(pod, true)) continue;
    const ports = endpointPorts(service, pod);
    const key = portsKey(ports);
    if (!desired.has(key)) desired.set(key, { ports, endpoints: new Map() });
    const endpoint = sliceEndpoint(pod, pod.spec?.nodeName ? node(pod.spec.nodeName) : undefined, service);
    desired.get(key)!.endpoints.set(uidOf(endpoint), endpoint);
  }

  const plan: SlicePlan = { create: [], update: [], remove: [] };
  const labels = sliceLabels(service);
  const withRoom: { key: string; slice: KubeObject }[] = [];
  const placed = new Set<string>();
  for (const slice of existing) {
    const key = portsKey(slice.ports);
    const group = desired.get(key);
    const kept = ((slice.endpoints ?? []) as any[]).map((e) => group?.endpoints.get(uidOf(e))).filter((e) => e && !placed.has(uidOf(e)));
    if (!kept.length) {
      plan.remove.push(slice);
      continue;
    }
    for (const e of kept) placed.add(uidOf(e));
    const next = { ...slice, metadata: { ...slice.metadata, labels }, endpoints: kept, ports: group!.ports };
    if (JSON.stringify([slice.metadata.labels, slice.endpoints, slice.ports]) !== JSON.stringify([labels, kept, group!.ports])) plan.update.push(next);
    if (kept.length < maxPerSlice) withRoom.push({ key, slice: next });
  }

  for (const [key, group] of desired) {
    const remaining = [...group.endpoints.values()].filter((e) => !placed.has(uidOf(e)));
    // Fill the fullest slices with room first, as upstream does, then make new ones.
    for (const { slice } of withRoom.filter((w) => w.key === key).sort((a, b) => b.slice.endpoints.length - a.slice.endpoints.length)) {
      if (!remaining.length) break;
      const take = remaining.splice(0, maxPerSlice - slice.endpoints.length);
      if (!take.length) continue;
      slice.endpoints = [...slice.endpoints, ...take];
      if (!plan.update.includes(slice)) plan.update.push(slice);
    }
    for (let i = 0; i < remaining.length; i += maxPerSlice) plan.create.push(newSlice(service, group.ports, remaining.slice(i, i + maxPerSlice)));
  }
  return plan;
}
