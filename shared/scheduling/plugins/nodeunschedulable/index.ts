/**
 * NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods, unless the pod
 * tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
import type { Plugin } from '../../framework/plugin';
import { success, unresolvable } from '../../framework/status';
import { tolerationsOf, tolerationsTolerateTaint } from '../../framework/taints';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export const nodeUnschedulable: Plugin = {
  name: NAME,
  filter(_state, pod, node) {
    if (!node.node.spec?.unschedulable) return success();
    const tolerates = tolerationsTolerateTaint(tolerationsOf(pod), { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    return tolerates ? success() : unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
};
