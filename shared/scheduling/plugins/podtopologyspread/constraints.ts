/**
 * Topology spread constraints as the plugin uses them: the pod's own (filtered by
 * whenUnsatisfiable), or, when it has none, the cluster defaults (upstream's system defaults:
 * hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway) over a selector built from the
 * Services selecting the pod and its controller's selector (upstream's DefaultSelector).
 */
import type { KubeObject } from '../../../api/types';
import { selectorMatches, selectorIsEmpty, type LabelSelector, type LabelSelectorRequirement } from '../../../api/validation/labels';
import type { NodeInfo } from '../../framework/node-info';
import type { Lister } from '../../framework/plugin';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  /** Present only for DoNotSchedule constraints that set it. */
  minDomains?: number;
  selector: LabelSelector | null | undefined;
}

interface PodConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: LabelSelector | null;
  minDomains?: number;
  matchLabelKeys?: string[];
}

/** Upstream's systemDefaultConstraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, maxSkew: 5 },
] as const;

/** The pod's constraints with `whenUnsatisfiable === action`; matchLabelKeys add `key In (pod's value)`. */
export function podConstraints(pod: KubeObject, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const list: PodConstraint[] = pod.spec?.topologySpreadConstraints ?? [];
  const labels: Record<string, string> = pod.metadata.labels ?? {};
  return list
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => {
      const extra: LabelSelectorRequirement[] = (c.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => ({ key: k, operator: 'In', values: [labels[k]] }));
      const selector = c.labelSelector && extra.length ? { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] } : c.labelSelector;
      return { maxSkew: c.maxSkew, topologyKey: c.topologyKey, minDomains: c.minDomains, selector };
    });
}

function asRequirements(selector: LabelSelector | undefined | null): LabelSelectorRequirement[] {
  return [
    ...Object.entries(selector?.matchLabels ?? {}).map(([key, v]) => ({ key, operator: 'In', values: [v] })),
    ...(selector?.matchExpressions ?? []),
  ];
}

/** Upstream's DefaultSelector: Services that select the pod, plus its controlling RC, ReplicaSet or StatefulSet. */
export function defaultSelector(pod: KubeObject, lister: Lister | undefined): LabelSelector {
  const ns = pod.metadata.namespace;
  const labels = pod.metadata.labels ?? {};
  const matchLabels: Record<string, string> = {};
  for (const svc of lister?.list('services') ?? []) {
    const sel: Record<string, string> | undefined = svc.spec?.selector;
    if (svc.metadata.namespace !== ns || !sel || Object.keys(sel).length === 0) continue;
    if (Object.entries(sel).every(([k, v]) => labels[k] === v)) Object.assign(matchLabels, sel);
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  const resource = owner && { ReplicationController: 'replicationcontrollers', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' }[owner.kind];
  const ctrl = resource ? lister?.get(`${resource}/${ns}/${owner!.name}`) : undefined;
  if (ctrl && resource === 'replicationcontrollers') Object.assign(matchLabels, ctrl.spec?.selector ?? {});
  else if (ctrl) matchExpressions.push(...asRequirements(ctrl.spec?.selector));
  return { matchLabels, matchExpressions };
}

/** The system default constraints, or none when the default selector selects nothing in particular. */
export function defaultConstraints(pod: KubeObject, lister: Lister | undefined): Constraint[] {
  const selector = defaultSelector(pod, lister);
  if (selectorIsEmpty(selector)) return [];
  return SYSTEM_DEFAULT_CONSTRAINTS.map((c) => ({ ...c, selector }));
}

/** Selector → its JSON, made once per selector object: the key of per-node counts. */
const selectorKeys = new WeakMap<object, string>();

/** countMatching over a node's pods, remembered by the node until its pods change. */
export function countOnNode(info: NodeInfo, selector: LabelSelector | null | undefined, namespace: string | undefined): number {
  if (!selector) return countMatching(info.pods, selector, namespace);
  let key = selectorKeys.get(selector);
  if (key === undefined) selectorKeys.set(selector, (key = JSON.stringify(selector)));
  return info.memo(`topologySpread\u0000${namespace ?? ''}\u0000${key}`, () => countMatching(info.pods, selector, namespace));
}

/** Pods in `namespace`, not being deleted, that the selector matches (an absent selector matches none). */
export function countMatching(pods: readonly KubeObject[], selector: LabelSelector | null | undefined, namespace: string | undefined): number {
  return pods.filter((p) => !p.metadata.deletionTimestamp && p.metadata.namespace === namespace && selectorMatches(selector, p.metadata.labels ?? {})).length;
}

/** Whether the node has every constraint's topology key. */
export function hasAllTopologyKeys(node: KubeObject, constraints: readonly Constraint[]): boolean {
  const labels = node.metadata.labels ?? {};
  return constraints.every((c) => c.topologyKey in labels);
}
