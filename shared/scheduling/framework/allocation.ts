/**
 * Upstream's resourceAllocationScorer: for each scored resource, the node's allocatable and
 * what would be requested on it with the pod placed there. Shared by NodeResourcesFit's
 * LeastAllocated score and NodeResourcesBalancedAllocation.
 */
import type { KubeObject } from '../../api/types';
import type { NodeInfo } from './node-info';
import { CPU, EPHEMERAL_STORAGE, MEMORY, podRequests } from './resources';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** cpu and memory, weight 1 each: the default for both scorers. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

export interface Allocation {
  /** Per resource in `resources` order; 0/0 means "skip this resource". */
  allocatable: number[];
  requested: number[];
}

/**
 * `useRequested` false (LeastAllocated) counts containers without cpu/memory requests as
 * 100m/200Mi, both on the node and for the pod; true (BalancedAllocation) uses requests as written.
 * A scalar (extended) resource the pod does not request, or the node does not have, is 0/0.
 */
export function allocation(pod: KubeObject, node: NodeInfo, resources: readonly ResourceSpec[], useRequested: boolean): Allocation {
  const podReq = podRequests(pod, { nonMissing: !useRequested });
  const onNode = useRequested ? node.requested : node.nonZeroRequested;
  const out: Allocation = { allocatable: [], requested: [] };
  for (const { name } of resources) {
    const req = podReq[name] ?? 0;
    const alloc = node.allocatable[name] ?? 0;
    const native = name === CPU || name === MEMORY || name === EPHEMERAL_STORAGE;
    if (alloc === 0 || (!native && req === 0)) {
      out.allocatable.push(0);
      out.requested.push(0);
      continue;
    }
    const used = name === EPHEMERAL_STORAGE || !native ? node.requested[name] ?? 0 : onNode[name] ?? 0;
    out.allocatable.push(alloc);
    out.requested.push(used + req);
  }
  return out;
}

/** Whether the pod requests nothing of any scored resource (a BestEffort pod, for scoring). */
export function requestsNothing(pod: KubeObject, resources: readonly ResourceSpec[]): boolean {
  const req = podRequests(pod);
  return resources.every((r) => (req[r.name] ?? 0) === 0);
}
