/**
 * Upstream's FitError.Error(): `0/3 nodes are available: 1 node(s) didn't match Pod's node
 * affinity/selector, 2 Insufficient cpu.` Each reason of each node's status counts once per
 * node; entries read `<count> <reason>` and are sorted as strings (so `10 …` sorts before `2 …`,
 * as in Kubernetes). A PreFilter rejection replaces the per-node histogram. The PostFilter
 * message follows as it is (it brings its own full stop): `… 3 Insufficient cpu. preemption: 0/3
 * nodes are available: 3 No preemption victims found for incoming pod.`
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
  /** What the PostFilter plugins said (DefaultPreemption's `preemption: …`); unset when they found a way or there are none. */
  postFilterMsg?: string;
}

export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE_MSG(numAllNodes)}:`;
  if (diagnosis.preFilterMsg) {
    msg += ` ${diagnosis.preFilterMsg}.`;
  } else {
    const entries = reasonHistogram(diagnosis.nodeToStatus.values());
    if (entries.length) msg += ` ${entries.join(', ')}.`;
  }
  if (diagnosis.postFilterMsg) msg += ` ${diagnosis.postFilterMsg}`;
  return msg;
}

function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of statuses) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byCodeUnits);
}

/** Go's sort.Strings order (bytewise; equal to UTF-16 order for the ASCII reasons used here). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
