/**
 * The taints the node lifecycle controller owns, decided from the node alone (upstream's
 * doNoScheduleTaintingPass, processTaintBaseEviction and SwapNodeControllerTaint). Pure.
 */
import type { KubeObject } from '../../shared/api/types';
import {
  nodeTaints,
  sameTaint,
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
  type Taint,
} from '../../shared/api/taints';
import { conditionsOf } from './nodelifecycle-health';

/** NoSchedule taint key by condition type and status (upstream's nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

const OWNED_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap((byStatus) => Object.values(byStatus)), TAINT_NODE_UNSCHEDULABLE]);
const OWNED_NO_EXECUTE = new Set([TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]);

/** Whether the node lifecycle controller owns this taint (adds and removes it); others are never touched. */
export function isOwnedTaint(t: Taint): boolean {
  return (t.effect === 'NoSchedule' && OWNED_NO_SCHEDULE.has(t.key)) || (t.effect === 'NoExecute' && OWNED_NO_EXECUTE.has(t.key));
}

/** The NoSchedule taints the node's conditions and `spec.unschedulable` call for. */
export function noScheduleTaints(node: KubeObject): Taint[] {
  const keys = conditionsOf(node).map((c) => CONDITION_TAINTS[c.type]?.[c.status]).filter((k): k is string => !!k);
  if (node.spec?.unschedulable === true) keys.push(TAINT_NODE_UNSCHEDULABLE);
  return keys.map((key) => ({ key, effect: 'NoSchedule' }));
}

/**
 * What the zone's state allows for NoExecute taints (upstream's per-zone rate limiter):
 * `taint` adds them, `hold` adds none but keeps (and swaps) those present, `untaint` removes
 * them all (every zone fully disrupted: the control plane, not the nodes, is likely cut off).
 */
export type EvictionVerdict = 'taint' | 'hold' | 'untaint';

/**
 * The NoExecute taint the node should carry: not-ready while Ready is False, unreachable while it
 * is Unknown, none once it is True. The one present is kept (with its timeAdded); the opposite one
 * is swapped at once whatever the verdict, as upstream does. Without a Ready condition the present
 * ones stay.
 */
export function noExecuteTaints(ready: string | undefined, present: Taint[], verdict: EvictionVerdict): Taint[] {
  const owned = present.filter((t) => t.effect === 'NoExecute' && OWNED_NO_EXECUTE.has(t.key));
  if (verdict === 'untaint' || ready === 'True') return [];
  const key = ready === 'False' ? TAINT_NODE_NOT_READY : ready === 'Unknown' ? TAINT_NODE_UNREACHABLE : undefined;
  if (!key) return owned;
  const wanted = { key, effect: 'NoExecute' };
  const kept = owned.find((t) => sameTaint(t, wanted));
  if (kept) return [kept];
  return owned.length > 0 || verdict === 'taint' ? [wanted] : [];
}

/**
 * The node's taints with the owned ones replaced by `wanted`: other taints and kept ones stay in
 * place, new ones are appended with `timeAdded` (as upstream stamps every taint it adds).
 * Undefined when nothing changes.
 */
export function withOwnedTaints(node: KubeObject, wanted: Taint[], timeAdded: string): Taint[] | undefined {
  const current = nodeTaints(node);
  const kept = current.filter((t) => !isOwnedTaint(t) || wanted.some((w) => sameTaint(w, t)));
  const added = wanted.filter((w) => !current.some((t) => sameTaint(t, w))).map((w) => ({ key: w.key, effect: w.effect, timeAdded }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
