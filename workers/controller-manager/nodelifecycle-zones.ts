/**
 * Zone disruption (upstream's ComputeZoneState, handleDisruption and ReducedQPSFunc): when many
 * nodes of a zone stop answering at once, the likelier fault is the network or the control plane,
 * so the controller stops adding NoExecute taints there; when every zone is down it removes them.
 * Pure.
 */
import type { KubeObject } from '../../shared/api/types';
import type { EvictionVerdict } from './nodelifecycle-taints';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Nodes with this label do not count in their zone's state. */
export const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

export interface DisruptionOptions {
  /** --unhealthy-zone-threshold: the share of not-Ready nodes (at least 3) that makes a zone partially disrupted. Default 0.55. */
  unhealthyZoneThreshold: number;
  /** --large-cluster-size-threshold: a partially disrupted zone of at most this many nodes gets no NoExecute taints at all. Default 50. */
  largeClusterThreshold: number;
}

export const DEFAULT_DISRUPTION: DisruptionOptions = { unhealthyZoneThreshold: 0.55, largeClusterThreshold: 50 };

/** Upstream's GetZoneKey: `<region>:\0:<zone>` from the topology labels (beta ones first), '' without either. */
export function zoneKey(node: KubeObject): string {
  const labels = node.metadata.labels ?? {};
  const zone = labels['failure-domain.beta.kubernetes.io/zone'] ?? labels['topology.kubernetes.io/zone'] ?? '';
  const region = labels['failure-domain.beta.kubernetes.io/region'] ?? labels['topology.kubernetes.io/region'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** A zone's state from its nodes' Ready statuses (undefined: no Ready condition, which counts as not ready). */
export function zoneState(readyStatuses: (string | undefined)[], unhealthyZoneThreshold: number): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / readyStatuses.length >= unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

/** Ready statuses by zone, leaving out nodes excluded from disruption checks. */
export function readinessByZone(nodes: KubeObject[], readyOf: (node: KubeObject) => string | undefined): Map<string, (string | undefined)[]> {
  const zones = new Map<string, (string | undefined)[]>();
  for (const node of nodes) {
    if (node.metadata.labels?.[EXCLUDE_DISRUPTION_LABEL] !== undefined) continue;
    const key = zoneKey(node);
    zones.set(key, [...(zones.get(key) ?? []), readyOf(node)]);
  }
  return zones;
}

/**
 * What a node of `zone` may do with NoExecute taints: none added while its zone is partially
 * disrupted and small (upstream's eviction rate drops to 0 there; a large zone's drops to
 * 0.01/s, which kubeq does not rate-limit); all removed while every zone is fully disrupted;
 * else added. A zone with no counted node is never held.
 */
export function evictionVerdict(zones: Map<string, (string | undefined)[]>, zone: string, opts: DisruptionOptions = DEFAULT_DISRUPTION): EvictionVerdict {
  const states = new Map([...zones].map(([key, statuses]) => [key, zoneState(statuses, opts.unhealthyZoneThreshold)]));
  const state = states.get(zone);
  if (!state) return 'taint';
  if ([...states.values()].every((s) => s === 'FullDisruption')) return 'untaint';
  if (state === 'PartialDisruption' && zones.get(zone)!.length <= opts.largeClusterThreshold) return 'hold';
  return 'taint';
}
