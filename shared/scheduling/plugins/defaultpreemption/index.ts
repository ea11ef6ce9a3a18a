/**
 * DefaultPreemption as a PostFilter that explains and never evicts. Upstream's plugin, when no
 * node fits, looks for a node where evicting pods of lower priority would make room, evicts them
 * and nominates the node. kubeq preempts nothing (no pod is deleted, no nominatedNodeName set);
 * this plugin says what upstream says when it finds no such node, so the FitError reads as
 * Kubernetes' does: `… 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption
 * victims found for incoming pod.`
 *
 * Per node, as upstream's findCandidates and SelectVictimsOnNode decide: a node rejected as
 * UnschedulableAndUnresolvable is `Preemption is not helpful for scheduling`; a node without pods
 * of lower priority is `No preemption victims found for incoming pod`; otherwise the filters run
 * again with those pods removed, and their rejection counts. When they pass, upstream would
 * preempt there and its FitError has no `preemption:` part: this plugin returns Success, so ours
 * has none either, though nothing is evicted. The second filter run keeps the cycle's PreFilter
 * state (upstream adjusts it per removed pod), so spreading and inter-pod affinity still count
 * the would-be victims; that matters only when priorities differ.
 */
import type { KubeObject } from '../../../api/types';
import { fitErrorMessage } from '../../framework/fit-error';
import { NodeInfo } from '../../framework/node-info';
import { allNodes, type Plugin } from '../../framework/plugin';
import { isSuccess, success, unresolvable, unschedulable, type Status } from '../../framework/status';

export const NAME = 'DefaultPreemption';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NEVER = 'not eligible due to preemptionPolicy=Never.';

/** spec.priority; 0 when unset (component-helpers' PodPriority). */
export function podPriority(pod: KubeObject): number {
  const priority = pod.spec?.priority;
  return typeof priority === 'number' ? priority : 0;
}

/** What preempting on `node` would leave it at: its rejection without lower-priority pods, or Success. */
function dryRun(pod: KubeObject, node: NodeInfo, status: Status | undefined, runFilters: (node: NodeInfo) => Status): Status {
  if (status?.code !== 'Unschedulable') return unresolvable(NOT_HELPFUL);
  const priority = podPriority(pod);
  const kept = node.pods.filter((p) => podPriority(p) >= priority);
  if (kept.length === node.pods.length) return unresolvable(NO_VICTIMS);
  return runFilters(new NodeInfo(node.node, kept));
}

export const defaultPreemption: Plugin = {
  name: NAME,
  postFilter(state, pod, nodeToStatus, runFilters): Status {
    if (pod.spec?.preemptionPolicy === 'Never') return unschedulable(`preemption: ${NEVER}`);
    const nodes = allNodes(state);
    const verdicts = new Map<string, Status>();
    for (const node of nodes) {
      const verdict = dryRun(pod, node, nodeToStatus.get(node.name), runFilters);
      if (isSuccess(verdict)) return success();
      verdicts.set(node.name, verdict);
    }
    return unschedulable(`preemption: ${fitErrorMessage(nodes.length, { nodeToStatus: verdicts })}`);
  },
};
