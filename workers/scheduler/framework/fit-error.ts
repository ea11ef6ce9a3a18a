/**
 * Upstream's FitError.Error(): `0/3 nodes are available: 1 node(s) didn't match Pod's node
 * affinity/selector, 2 Insufficient cpu.` Each reason of each node's status counts once per
 * node; entries read `<count> <reason>` and are sorted as strings (so `10 …` sorts before `2 …`,
 * as in Kubernetes). A PreFilter rejection replaces the per-node histogram.
 */
import type { Status } from './status';

export const NO_NODE_AVAILABLE_MSG = (numAllNodes: number): string => `0/${numAllNodes} nodes are available`;

/** Upstream's ErrNoNodesAvailable, when the cluster has no nodes at all. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** The status of every node that was rejected, by node name. */
  nodeToStatus: Map<string, Status>;
  /** Set when a PreFilter plugin rejected the pod (its reasons joined with ", "). */
  preFilterMsg?: string;
}

export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE_MSG(numAllNodes)}:`;
  if (diagnosis.preFilterMsg) return `${msg} ${diagnosis.preFilterMsg}.`;
  const counts = new Map<string, number>();
  for (const status of diagnosis.nodeToStatus.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const entries = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byCodeUnits);
  if (entries.length) msg += ` ${entries.join(', ')}.`;
  return msg;
}

/** Go's sort.Strings order (bytewise; equal to UTF-16 order for the ASCII reasons used here). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
