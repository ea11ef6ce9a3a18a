/**
 * NodeAffinity: the node must satisfy spec.nodeSelector and the required node affinity;
 * preferred terms add their weights to the score, normalized so the best node gets 100.
 */
import { defaultNormalizeScore } from '../../framework/normalize';
import type { Plugin } from '../../framework/plugin';
import { success, unresolvable } from '../../framework/status';
import { preferredScore, requiredNodeAffinityMatches } from '../../framework/node-selector';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

export const nodeAffinity: Plugin = {
  name: NAME,
  filter: (_state, pod, node) => (requiredNodeAffinityMatches(pod, node.node) ? success() : unresolvable(ERR_REASON_POD)),
  score: (_state, pod, node) => preferredScore(pod, node.node),
  normalizeScore(_state, _pod, scores) {
    defaultNormalizeScore(scores, false);
    return success();
  },
};
