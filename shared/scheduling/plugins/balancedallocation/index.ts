/**
 * NodeResourcesBalancedAllocation: favors nodes whose cpu and memory would be used in equal
 * shares with the pod placed there. score = (1 − std) × 100 over the resources' requested/allocatable
 * fractions (each capped at 1); for two resources std = |f1 − f2| / 2. Requests count as written
 * (no 100m/200Mi defaults); a pod that requests none of the resources scores 0 everywhere
 * (upstream skips the plugin for BestEffort pods, which ranks the same).
 */
import type { KubeObject } from '../../../api/types';
import { allocation, DEFAULT_RESOURCES, requestsNothing, type ResourceSpec } from '../../framework/allocation';
import type { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, type Plugin } from '../../framework/plugin';

export const NAME = 'NodeResourcesBalancedAllocation';

/** Upstream's balancedResourceScorer; resources with allocatable 0 are left out. */
export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  requested.forEach((req, i) => {
    if (allocatable[i] === 0) return;
    fractions.push(Math.min(1, req / allocatable[i]));
  });
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((sum, f) => sum + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function balancedAllocationScore(pod: KubeObject, node: NodeInfo, resources: readonly ResourceSpec[] = DEFAULT_RESOURCES): number {
  if (requestsNothing(pod, resources)) return 0;
  const { allocatable, requested } = allocation(pod, node, resources, true);
  return balancedResourceScore(requested, allocatable);
}

export const balancedAllocation: Plugin = {
  name: NAME,
  score: (_state, pod, node) => balancedAllocationScore(pod, node),
};
