/**
 * InterPodAffinity: required pod affinity and anti-affinity (Filter), both the incoming pod's
 * terms and existing pods' anti-affinity towards it; preferred terms score (see scoring.ts).
 * Domains are topology pairs: a node's value for a term's topologyKey; nodes without the
 * label are in no domain.
 */
import type { KubeObject } from '../../../api/types';
import type { NodeInfo } from '../../framework/node-info';
import { allNodes, type CycleState, type Plugin } from '../../framework/plugin';
import { success, unresolvable, unschedulable, type Status } from '../../framework/status';
import { interPodAffinityScoring } from './scoring';
import { pairKey, requiredAffinityTerms, requiredAntiAffinityTerms, termMatches, type AffinityTerm } from './terms';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
const STATE_KEY = `PreFilter${NAME}`;

interface PreFilterState {
  affinityTerms: AffinityTerm[];
  antiAffinityTerms: AffinityTerm[];
  /** Domains holding pods that match the incoming pod's affinity terms (count per pair). */
  affinityCounts: Map<string, number>;
  /** Domains holding pods that the incoming pod's anti-affinity terms select. */
  antiAffinityCounts: Map<string, number>;
  /** Domains holding pods whose own anti-affinity terms select the incoming pod. */
  existingAntiAffinityCounts: Map<string, number>;
  /** Whether the incoming pod matches all its own affinity terms (lets the first pod of a group in). */
  matchesOwnAffinity: boolean;
}

function bump(counts: Map<string, number>, node: KubeObject, key: string): void {
  const value = node.metadata.labels?.[key];
  if (value !== undefined) counts.set(pairKey(key, value), (counts.get(pairKey(key, value)) ?? 0) + 1);
}

function preFilterState(state: CycleState, pod: KubeObject, nodes: readonly NodeInfo[]): PreFilterState {
  const s: PreFilterState = {
    affinityTerms: requiredAffinityTerms(pod),
    antiAffinityTerms: requiredAntiAffinityTerms(pod),
    affinityCounts: new Map(),
    antiAffinityCounts: new Map(),
    existingAntiAffinityCounts: new Map(),
    matchesOwnAffinity: false,
  };
  s.matchesOwnAffinity = s.affinityTerms.every((t) => termMatches(t, pod, state));
  // Without terms of its own, only existing pods' required anti-affinity can matter (upstream's shortcut).
  const ownTerms = s.affinityTerms.length + s.antiAffinityTerms.length > 0;
  for (const node of nodes) {
    for (const existing of ownTerms ? node.pods : node.podsWithRequiredAntiAffinity) {
      if (s.affinityTerms.length && s.affinityTerms.every((t) => termMatches(t, existing, state))) {
        for (const t of s.affinityTerms) bump(s.affinityCounts, node.node, t.topologyKey);
      }
      for (const t of s.antiAffinityTerms) if (termMatches(t, existing, state)) bump(s.antiAffinityCounts, node.node, t.topologyKey);
      for (const t of requiredAntiAffinityTerms(existing)) if (termMatches(t, pod, state)) bump(s.existingAntiAffinityCounts, node.node, t.topologyKey);
    }
  }
  return s;
}

function has(counts: Map<string, number>, node: KubeObject, key: string): boolean {
  const value = node.metadata.labels?.[key];
  return value !== undefined && (counts.get(pairKey(key, value)) ?? 0) > 0;
}

function satisfiesAffinity(s: PreFilterState, node: KubeObject): boolean {
  if (s.affinityTerms.every((t) => has(s.affinityCounts, node, t.topologyKey))) return true;
  // No pod anywhere matches yet: the pod may start its group if it matches its own terms.
  const labels = node.metadata.labels ?? {};
  return s.affinityCounts.size === 0 && s.matchesOwnAffinity && s.affinityTerms.every((t) => t.topologyKey in labels);
}

function satisfiesExistingAntiAffinity(s: PreFilterState, node: KubeObject): boolean {
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if ((s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0) return false;
  }
  return true;
}

export const interPodAffinity: Plugin = {
  name: NAME,
  preFilter(state, pod): Status {
    state.set(STATE_KEY, preFilterState(state, pod, allNodes(state)));
    return success();
  },
  filter(state, pod, node): Status {
    let s = state.get(STATE_KEY) as PreFilterState | undefined;
    if (!s) state.set(STATE_KEY, (s = preFilterState(state, pod, allNodes(state))));
    if (!satisfiesAffinity(s, node.node)) return unresolvable(ERR_REASON_AFFINITY);
    if (s.antiAffinityTerms.some((t) => has(s.antiAffinityCounts, node.node, t.topologyKey))) return unschedulable(ERR_REASON_ANTI_AFFINITY);
    if (!satisfiesExistingAntiAffinity(s, node.node)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return success();
  },
  ...interPodAffinityScoring,
};
