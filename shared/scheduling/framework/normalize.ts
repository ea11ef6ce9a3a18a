import { MAX_NODE_SCORE, type NodeScore } from './plugin';

/**
 * Upstream's helper.DefaultNormalizeScore: scales scores so the highest becomes `maxPriority`
 * (integer division, as Go does); with `reverse` the lowest wins instead. All zero → all 0,
 * or all `maxPriority` when reversed.
 */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  const maxCount = scores.reduce((m, s) => Math.max(m, s.score), 0);
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    const scaled = Math.trunc((maxPriority * s.score) / maxCount);
    s.score = reverse ? maxPriority - scaled : scaled;
  }
}
