/**
 * PodTopologySpread Score (ScheduleAnyway constraints, or the system defaults): a node scores
 * Σ (matching pods in its domain × log(domains + 2) + maxSkew − 1) over the constraints, rounded;
 * NormalizeScore turns fewer into better: 100 × (max + min − score) / max. Nodes missing a
 * topology key (only checked for the pod's own constraints) score 0.
 */
import type { KubeObject } from '../../../api/types';
import type { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, type Lister, type NodeScore } from '../../framework/plugin';
import { requiredNodeAffinityMatches } from '../../framework/node-selector';
import { countOnNode, defaultConstraints, hasAllTopologyKeys, LABEL_HOSTNAME, podConstraints, type Constraint } from './constraints';

export interface ScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  /** Per constraint: topology value → matching pods (hostname constraints count per node at Score). */
  counts: Map<string, number>[];
  weights: number[];
}

export function scoreState(pod: KubeObject, feasible: readonly NodeInfo[], all: readonly NodeInfo[], lister: Lister | undefined): ScoreState {
  const own = podConstraints(pod, 'ScheduleAnyway');
  const constraints = (pod.spec?.topologySpreadConstraints ?? []).length > 0 ? own : defaultConstraints(pod, lister);
  // Only the pod's own constraints demand every topology key (nodes without a zone still spread by hostname).
  const requireAll = (pod.spec?.topologySpreadConstraints ?? []).length > 0;
  const s: ScoreState = { constraints, ignored: new Set(), counts: constraints.map(() => new Map()), weights: [] };
  if (constraints.length === 0) return s;
  const sizes = constraints.map(() => 0);
  for (const info of feasible) {
    if (requireAll && !hasAllTopologyKeys(info.node, constraints)) {
      s.ignored.add(info.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const value = info.node.metadata.labels?.[c.topologyKey] ?? '';
      if (!s.counts[i].has(value)) {
        s.counts[i].set(value, 0);
        sizes[i]++;
      }
    });
  }
  s.weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? feasible.length - s.ignored.size : sizes[i]) + 2));
  for (const info of all) {
    if (!requiredNodeAffinityMatches(pod, info.node)) continue;
    if (requireAll && !hasAllTopologyKeys(info.node, constraints)) continue;
    constraints.forEach((c, i) => {
      const value = info.node.metadata.labels?.[c.topologyKey] ?? '';
      if (c.topologyKey === LABEL_HOSTNAME || !s.counts[i].has(value)) return;
      s.counts[i].set(value, s.counts[i].get(value)! + countOnNode(info, c.selector, pod.metadata.namespace));
    });
  }
  return s;
}

export function scoreNode(s: ScoreState, pod: KubeObject, node: NodeInfo): number {
  if (s.ignored.has(node.name)) return 0;
  let score = 0;
  const labels = node.node.metadata.labels ?? {};
  s.constraints.forEach((c, i) => {
    if (!(c.topologyKey in labels)) return;
    const count = c.topologyKey === LABEL_HOSTNAME ? countOnNode(node, c.selector, pod.metadata.namespace) : s.counts[i].get(labels[c.topologyKey]) ?? 0;
    score += count * s.weights[i] + (c.maxSkew - 1);
  });
  return Math.round(score);
}

export function normalize(s: ScoreState, scores: NodeScore[]): void {
  let min = Infinity;
  let max = 0;
  for (const x of scores) {
    if (s.ignored.has(x.name)) continue;
    min = Math.min(min, x.score);
    max = Math.max(max, x.score);
  }
  for (const x of scores) {
    if (s.ignored.has(x.name)) x.score = 0;
    else if (max === 0) x.score = MAX_NODE_SCORE;
    else x.score = Math.trunc((MAX_NODE_SCORE * (max + min - x.score)) / max);
  }
}
