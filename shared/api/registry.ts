/** Every resource kubeq serves, and lookups by resource, by kind and by group/version for discovery. */
import { configmaps } from './kinds/configmap';
import { deployments } from './kinds/deployment';
import { endpoints } from './kinds/endpoints';
import { endpointslices } from './kinds/endpointslice';
import { events } from './kinds/event';
import { horizontalpodautoscalers } from './kinds/hpa';
import { horizontalpodautoscalersV1 } from './kinds/hpa-v1';
import { leases } from './kinds/lease';
import { loads } from './kinds/load';
import { namespaces } from './kinds/namespace';
import { nodes } from './kinds/node';
import { pods } from './kinds/pod';
import { poddisruptionbudgets } from './kinds/poddisruptionbudget';
import { replicasets } from './kinds/replicaset';
import { secrets } from './kinds/secret';
import { services } from './kinds/service';
import { apiVersionOf, type ResourceInfo } from './resource';

/** The stored resources, one per kind, in discovery order: the core group first, then named groups. */
export const resources: ResourceInfo[] = [
  namespaces,
  nodes,
  pods,
  services,
  endpoints,
  configmaps,
  secrets,
  events,
  deployments,
  replicasets,
  // autoscaling before coordination and discovery, as kube-apiserver lists its groups.
  horizontalpodautoscalers,
  leases,
  endpointslices,
  poddisruptionbudgets,
  loads,
];

/**
 * Every served group/version of every resource, in discovery order: the stored resources and,
 * after each, the other versions served from its objects (autoscaling/v1 after autoscaling/v2,
 * which stays the preferred version, as in kube-apiserver).
 */
export const servedResources: ResourceInfo[] = resources.flatMap((r) => (r === horizontalpodautoscalers ? [r, horizontalpodautoscalersV1] : [r]));

const byResource = new Map(resources.map((r) => [`${r.group}/${r.resource}`, r]));
const byVersionResource = new Map(servedResources.map((r) => [`${apiVersionOf(r)}/${r.resource}`, r]));
const byKind = new Map(servedResources.map((r) => [`${apiVersionOf(r)}/${r.kind}`, r]));

/** The stored resource for a group (`''` for core) and plural name (`pods`); undefined when kubeq does not serve it. */
export function lookupResource(group: string, resource: string): ResourceInfo | undefined {
  return byResource.get(`${group}/${resource}`);
}

/** The resource as one group/version serves it; undefined when that version does not serve it. */
export function lookupServed(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byVersionResource.get(`${apiVersionOf({ group, version })}/${resource}`);
}

/** The resource for a plural name alone (`pods`, `deployments`): plural names are unique across served groups. */
export function lookupResourceByName(resource: string): ResourceInfo | undefined {
  return resources.find((r) => r.resource === resource);
}

/** The resource for an apiVersion (`v1`, `apps/v1`, `autoscaling/v1`) and kind (`Deployment`), as that version serves it; undefined when unknown. */
export function lookupKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

export interface GroupVersionResources {
  /** `''` for the core group. */
  group: string;
  version: string;
  /** `v1` or `apps/v1`. */
  groupVersion: string;
  resources: ResourceInfo[];
}

/** Served group/versions with their resources, core first, then groups in first-seen order. */
export function groupVersions(): GroupVersionResources[] {
  const out = new Map<string, GroupVersionResources>();
  for (const r of servedResources) {
    const gv = apiVersionOf(r);
    if (!out.has(gv)) out.set(gv, { group: r.group, version: r.version, groupVersion: gv, resources: [] });
    out.get(gv)!.resources.push(r);
  }
  return [...out.values()];
}
