/**
 * InterPodAffinity scoring (upstream's scoring.go): every topology domain gets points from
 * - the incoming pod's preferred affinity (+weight) / anti-affinity (−weight) terms, per existing pod they select;
 * - existing pods' required affinity terms selecting the incoming pod (+1, hardPodAffinityWeight);
 * - existing pods' preferred affinity (+weight) / anti-affinity (−weight) terms selecting the incoming pod.
 * A node scores the sum over its domains; NormalizeScore maps min..max onto 0..100.
 */
import type { KubeObject } from '../../../api/types';
import { allNodes, MAX_NODE_SCORE, type CycleState, type Plugin } from '../../framework/plugin';
import { success } from '../../framework/status';
import { preferredAffinityTerms, preferredAntiAffinityTerms, requiredAffinityTerms, termMatches, type AffinityTerm, type WeightedAffinityTerm } from './terms';

/** Upstream's default InterPodAffinityArgs.hardPodAffinityWeight. */
export const HARD_POD_AFFINITY_WEIGHT = 1;
const STATE_KEY = 'PreScoreInterPodAffinity';

/** topologyKey → value → points. */
type TopologyScore = Map<string, Map<string, number>>;

function add(scores: TopologyScore, term: AffinityTerm, weight: number, pod: KubeObject, node: KubeObject, state: CycleState): void {
  const value = node.metadata.labels?.[term.topologyKey];
  if (value === undefined || !termMatches(term, pod, state)) return;
  let byValue = scores.get(term.topologyKey);
  if (!byValue) scores.set(term.topologyKey, (byValue = new Map()));
  byValue.set(value, (byValue.get(value) ?? 0) + weight);
}

function addWeighted(scores: TopologyScore, terms: WeightedAffinityTerm[], sign: 1 | -1, pod: KubeObject, node: KubeObject, state: CycleState): void {
  for (const t of terms) add(scores, t, t.weight * sign, pod, node, state);
}

export function topologyScore(state: CycleState, pod: KubeObject): TopologyScore {
  const scores: TopologyScore = new Map();
  const preferred = preferredAffinityTerms(pod);
  const preferredAnti = preferredAntiAffinityTerms(pod);
  // Without preferred terms of its own, only existing pods with affinity terms can score (upstream's shortcut).
  const ownTerms = preferred.length + preferredAnti.length > 0;
  for (const info of allNodes(state)) {
    const node = info.node;
    if (Object.keys(node.metadata.labels ?? {}).length === 0) continue;
    for (const existing of ownTerms ? info.pods : info.podsWithAffinity) {
      addWeighted(scores, preferred, 1, existing, node, state);
      addWeighted(scores, preferredAnti, -1, existing, node, state);
      for (const t of requiredAffinityTerms(existing)) add(scores, t, HARD_POD_AFFINITY_WEIGHT, pod, node, state);
      addWeighted(scores, preferredAffinityTerms(existing), 1, pod, node, state);
      addWeighted(scores, preferredAntiAffinityTerms(existing), -1, pod, node, state);
    }
  }
  return scores;
}

function scoresOf(state: CycleState, pod: KubeObject): TopologyScore {
  let s = state.get(STATE_KEY) as TopologyScore | undefined;
  if (!s) state.set(STATE_KEY, (s = topologyScore(state, pod)));
  return s;
}

export const interPodAffinityScoring: Pick<Plugin, 'preScore' | 'score' | 'normalizeScore'> = {
  preScore(state, pod) {
    state.set(STATE_KEY, topologyScore(state, pod));
    return success();
  },
  score(state, pod, node) {
    let sum = 0;
    for (const [key, byValue] of scoresOf(state, pod)) {
      const value = node.node.metadata.labels?.[key];
      if (value !== undefined) sum += byValue.get(value) ?? 0;
    }
    return sum;
  },
  /** Min-max onto 0..100 (all equal → 0); untouched when no domain got points. */
  normalizeScore(state, pod, scores) {
    if (scoresOf(state, pod).size === 0) return success();
    const max = Math.max(...scores.map((s) => s.score));
    const min = Math.min(...scores.map((s) => s.score));
    for (const s of scores) s.score = max > min ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / (max - min))) : 0;
    return success();
  },
};
