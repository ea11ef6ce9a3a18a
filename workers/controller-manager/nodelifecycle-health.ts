/**
 * Node health as the node lifecycle controller reads it (upstream's tryUpdateNodeHealth): when the
 * node was last heard from, when that makes it silent, and the conditions a silent node gets.
 * Pure. Upstream keeps a per-node probe time in memory (when *it* saw a heartbeat change); here
 * the time comes from the stored heartbeats themselves, so a restarted controller decides the same.
 */
import type { KubeObject } from '../../shared/api/types';

/** Conditions a silent node has set to Unknown (not NetworkUnavailable: the network provider owns it). */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** Grace periods in the units timestamps count in: cluster-clock milliseconds (`clock.scaled` of the simulated period). */
export interface HealthPeriods {
  /** node-monitor-grace-period: how long a node that has posted status may stay silent. */
  gracePeriodMs: number;
  /** node-startup-grace-period: the same for a node that never posted a Ready condition. */
  startupGracePeriodMs: number;
}

export function conditionsOf(obj: KubeObject | undefined): NodeCondition[] {
  return Array.isArray(obj?.status?.conditions) ? (obj.status.conditions as NodeCondition[]) : [];
}

export function conditionOf(obj: KubeObject | undefined, type: string): NodeCondition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/**
 * An RFC 3339 time in epoch ms, NaN when absent or unparsable. A time without fractions (the
 * seconds-precision `metav1.Time`) reads as the end of its second, so rounding never makes a
 * heartbeat look older, or a taint look earlier, than it was.
 */
export function latestInstant(time: unknown): number {
  if (typeof time !== 'string') return NaN;
  const ms = Date.parse(time);
  return /:\d\d(Z|[+-]\d\d:\d\d)$/.test(time) ? ms + 999 : ms;
}

/**
 * When the node was last heard from: the newest of its Lease's renewTime (the kubelet renews it
 * every 10 s), its Ready condition's lastHeartbeatTime (moved when the kubelet posts a change) and
 * its creationTimestamp (a new node gets its grace from creation).
 */
export function lastHeardFrom(node: KubeObject, lease: KubeObject | undefined): number {
  const times = [lease?.spec?.renewTime, conditionOf(node, 'Ready')?.lastHeartbeatTime, node.metadata.creationTimestamp].map(latestInstant);
  return Math.max(...times.filter((t) => !Number.isNaN(t)), 0);
}

/** The time after which the node is silent: last heard from plus its grace (the startup grace until it posts a Ready condition). */
export function silentAfter(node: KubeObject, lease: KubeObject | undefined, periods: HealthPeriods): number {
  const grace = conditionOf(node, 'Ready') ? periods.gracePeriodMs : periods.startupGracePeriodMs;
  return lastHeardFrom(node, lease) + grace;
}

/**
 * The conditions of a silent node (upstream's wording): each monitored condition that is not
 * Unknown becomes Unknown with reason `NodeStatusUnknown`; one the kubelet never posted is added
 * with `NodeStatusNeverUpdated`. Transition times are `now`; heartbeats stay. Undefined when
 * every monitored condition is Unknown already.
 */
export function unknownConditions(node: KubeObject, now: string): NodeCondition[] | undefined {
  const conditions = conditionsOf(node).map((c) => ({ ...c }));
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      const heartbeat = node.metadata.creationTimestamp;
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: heartbeat, lastTransitionTime: now });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
