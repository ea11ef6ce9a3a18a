/**
 * NodeResourcesFit: the pod's requests must fit in what the node has left (allocatable minus
 * the requests of the pods already there), and the node must allow one more pod. Scores with
 * upstream's default LeastAllocated strategy: the more left free, the higher.
 */
import type { KubeObject } from '../../../api/types';
import { allocation, DEFAULT_RESOURCES, type ResourceSpec } from '../../framework/allocation';
import type { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, type CycleState, type Plugin } from '../../framework/plugin';
import { CPU, EPHEMERAL_STORAGE, MEMORY, podRequests, type ResourceList } from '../../framework/resources';
import { success, unresolvable, unschedulable, type Status } from '../../framework/status';

export const NAME = 'NodeResourcesFit';
const STATE_KEY = `PreFilter${NAME}`;

export interface InsufficientResource {
  resourceName: string;
  /** `Insufficient cpu`, `Too many pods`. */
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The pod asks for more than the node has at all: no eviction could make room. */
  unresolvable: boolean;
}

/** Extended, hugepages and attachable-volume resources: checked like cpu; other names are ignored. */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** Upstream's fitsRequest: every resource the node lacks for `podRequest`, pods first. */
export function fitsRequest(podRequest: ResourceList, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  if (node.pods.length + 1 > node.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.pods.length, capacity: node.allowedPodNumber, unresolvable: false });
  }
  const names = [CPU, MEMORY, EPHEMERAL_STORAGE, ...Object.keys(podRequest).filter(isScalarResourceName).sort()];
  for (const name of names) {
    const want = podRequest[name] ?? 0;
    if (want <= 0) continue;
    const capacity = node.allocatable[name] ?? 0;
    const used = node.requested[name] ?? 0;
    if (want > capacity - used) {
      out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: want, used, capacity, unresolvable: want > capacity });
    }
  }
  return out;
}

function requestOf(state: CycleState, pod: KubeObject): ResourceList {
  let req = state.get(STATE_KEY) as ResourceList | undefined;
  if (!req) state.set(STATE_KEY, (req = podRequests(pod)));
  return req;
}

/** Upstream's leastRequestedScore: the free share of one resource, 0..100 (integer division). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Weighted mean of leastRequestedScore over the resources the node has (allocatable > 0). */
export function leastAllocatedScore(pod: KubeObject, node: NodeInfo, resources: readonly ResourceSpec[] = DEFAULT_RESOURCES): number {
  const { allocatable, requested } = allocation(pod, node, resources, false);
  let nodeScore = 0;
  let weightSum = 0;
  resources.forEach((r, i) => {
    if (allocatable[i] === 0) return;
    nodeScore += leastRequestedScore(requested[i], allocatable[i]) * r.weight;
    weightSum += r.weight;
  });
  return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
}

/** A NodeResourcesFit scoring `resources` (default cpu and memory, weight 1 each). */
export function newNodeResourcesFit(resources: readonly ResourceSpec[] = DEFAULT_RESOURCES): Plugin {
  return {
    name: NAME,
    preFilter(state, pod): Status {
      state.set(STATE_KEY, podRequests(pod));
      return success();
    },
    filter(state, pod, node): Status {
      const insufficient = fitsRequest(requestOf(state, pod), node);
      if (insufficient.length === 0) return success();
      const reasons = insufficient.map((r) => r.reason);
      return insufficient.some((r) => r.unresolvable) ? unresolvable(...reasons) : unschedulable(...reasons);
    },
    score: (_state, pod, node) => leastAllocatedScore(pod, node, resources),
  };
}

export const nodeResourcesFit: Plugin = newNodeResourcesFit();
