/**
 * Pod affinity terms (upstream's framework.AffinityTerm): which pods a term selects, and in
 * which topology domain (the value of `topologyKey` on the pod's node) it applies.
 */
import type { KubeObject } from '../../../api/types';
import { selectorMatches, type LabelSelector } from '../../../api/validation/labels';
import { lister, type CycleState } from '../../framework/plugin';

export interface PodAffinityTerm {
  labelSelector?: LabelSelector | null;
  namespaces?: string[];
  namespaceSelector?: LabelSelector | null;
  topologyKey: string;
}

export interface AffinityTerm {
  namespaces: Set<string>;
  selector: LabelSelector | null | undefined;
  namespaceSelector: LabelSelector | null | undefined;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** Terms without namespaces and namespaceSelector apply to the pod's own namespace. */
export function affinityTerm(pod: KubeObject, t: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(t.namespaces?.length || t.namespaceSelector ? (t.namespaces ?? []) : [pod.metadata.namespace ?? '']);
  return { namespaces, selector: t.labelSelector, namespaceSelector: t.namespaceSelector, topologyKey: t.topologyKey };
}

/**
 * Whether the term selects `pod`: its namespace is listed or matched by namespaceSelector
 * (labels of the Namespace from the cycle's Lister; none without one), and its labels match.
 * An absent labelSelector selects nothing.
 */
export function termMatches(term: AffinityTerm, pod: KubeObject, state: CycleState): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector) return false;
    const nsLabels = lister(state)?.get(`namespaces/${ns}`)?.metadata.labels ?? {};
    if (!selectorMatches(term.namespaceSelector, nsLabels)) return false;
  }
  return selectorMatches(term.selector, pod.metadata.labels ?? {});
}

const aff = (pod: KubeObject) => pod.spec?.affinity ?? {};

export function requiredAffinityTerms(pod: KubeObject): AffinityTerm[] {
  return ((aff(pod).podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as PodAffinityTerm[]).map((t) => affinityTerm(pod, t));
}

export function requiredAntiAffinityTerms(pod: KubeObject): AffinityTerm[] {
  return ((aff(pod).podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as PodAffinityTerm[]).map((t) => affinityTerm(pod, t));
}

type Weighted = { weight: number; podAffinityTerm: PodAffinityTerm };

export function preferredAffinityTerms(pod: KubeObject): WeightedAffinityTerm[] {
  return ((aff(pod).podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Weighted[]).map((w) => ({ ...affinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
}

export function preferredAntiAffinityTerms(pod: KubeObject): WeightedAffinityTerm[] {
  return ((aff(pod).podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Weighted[]).map((w) => ({ ...affinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
}

/** `key=value`: one topology domain. */
export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}
