/**
 * TaintToleration: a node's NoSchedule and NoExecute taints keep out pods that do not tolerate
 * them; PreferNoSchedule taints only lower the score (fewer untolerated ones score higher).
 */
import { defaultNormalizeScore } from '../../framework/normalize';
import type { Plugin } from '../../framework/plugin';
import { success, unresolvable } from '../../framework/status';
import { findUntoleratedTaint, taintsOf, tolerationsOf, tolerationsTolerateTaint, type Taint, type Toleration } from '../../framework/taints';

export const NAME = 'TaintToleration';

/** Upstream's Filter reason: `node(s) had untolerated taint {key: value}`. */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

const doNotSchedule = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

/** Tolerations that can apply to PreferNoSchedule taints (that effect, or no effect). */
function preferNoScheduleTolerations(tolerations: Toleration[]): Toleration[] {
  return tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export function countIntolerableTaintsPreferNoSchedule(taints: Taint[], tolerations: Toleration[]): number {
  const usable = preferNoScheduleTolerations(tolerations);
  return taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(usable, t)).length;
}

export const taintToleration: Plugin = {
  name: NAME,
  filter(_state, pod, node) {
    const taint = findUntoleratedTaint(taintsOf(node.node), tolerationsOf(pod), doNotSchedule);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : success();
  },
  score: (_state, pod, node) => countIntolerableTaintsPreferNoSchedule(taintsOf(node.node), tolerationsOf(pod)),
  normalizeScore(_state, _pod, scores) {
    defaultNormalizeScore(scores, true);
    return success();
  },
};
