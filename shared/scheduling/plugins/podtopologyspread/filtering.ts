/**
 * PodTopologySpread Filter (DoNotSchedule constraints): placing the pod in the node's domain
 * must keep `matching pods in that domain + (1 if the pod matches) − the global minimum`
 * within maxSkew. Domains come from nodes that satisfy the pod's required node affinity and
 * have every topology key (upstream's default node inclusion policies); the global minimum is
 * 0 when fewer domains exist than minDomains.
 */
import type { KubeObject } from '../../../api/types';
import { selectorMatches } from '../../../api/validation/labels';
import type { NodeInfo } from '../../framework/node-info';
import { success, unresolvable, unschedulable, type Status } from '../../framework/status';
import { requiredNodeAffinityMatches } from '../../framework/node-selector';
import { countOnNode, hasAllTopologyKeys, podConstraints, type Constraint } from './constraints';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export interface FilterState {
  constraints: Constraint[];
  /** Per constraint: topology value → matching pods in that domain. */
  counts: Map<string, number>[];
}

export function filterState(pod: KubeObject, nodes: readonly NodeInfo[]): FilterState {
  const constraints = podConstraints(pod, 'DoNotSchedule');
  const counts = constraints.map(() => new Map<string, number>());
  if (constraints.length === 0) return { constraints, counts };
  for (const info of nodes) {
    if (!requiredNodeAffinityMatches(pod, info.node) || !hasAllTopologyKeys(info.node, constraints)) continue;
    constraints.forEach((c, i) => {
      const value = info.node.metadata.labels![c.topologyKey];
      counts[i].set(value, (counts[i].get(value) ?? 0) + countOnNode(info, c.selector, pod.metadata.namespace));
    });
  }
  return { constraints, counts };
}

function minMatch(counts: Map<string, number>, minDomains: number | undefined): number {
  if (minDomains !== undefined && counts.size < minDomains) return 0;
  return counts.size ? Math.min(...counts.values()) : 0;
}

export function filterNode(s: FilterState, pod: KubeObject, node: KubeObject): Status {
  const labels = node.metadata.labels ?? {};
  for (const [i, c] of s.constraints.entries()) {
    if (!(c.topologyKey in labels)) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    const self = selectorMatches(c.selector, pod.metadata.labels ?? {}) ? 1 : 0;
    const skew = (s.counts[i].get(labels[c.topologyKey]) ?? 0) + self - minMatch(s.counts[i], c.minDomains);
    if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
  }
  return success();
}
