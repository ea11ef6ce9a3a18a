/**
 * PodTopologySpread: spreads matching pods over topology domains (nodes, zones). The pod's
 * DoNotSchedule constraints filter (filtering.ts); its ScheduleAnyway constraints, or the
 * system defaults when it has none, score (scoring.ts).
 */
import { allNodes, lister, type CycleState, type Plugin } from '../../framework/plugin';
import { success } from '../../framework/status';
import { filterNode, filterState, type FilterState } from './filtering';
import { normalize, scoreNode, scoreState, type ScoreState } from './scoring';

export const NAME = 'PodTopologySpread';
const FILTER_KEY = `PreFilter${NAME}`;
const SCORE_KEY = `PreScore${NAME}`;

function scoreStateOf(state: CycleState): ScoreState {
  const s = state.get(SCORE_KEY) as ScoreState | undefined;
  if (!s) throw new Error(`${NAME}: PreScore did not run`);
  return s;
}

export const podTopologySpread: Plugin = {
  name: NAME,
  preFilter(state, pod) {
    state.set(FILTER_KEY, filterState(pod, allNodes(state)));
    return success();
  },
  filter(state, pod, node) {
    let s = state.get(FILTER_KEY) as FilterState | undefined;
    if (!s) state.set(FILTER_KEY, (s = filterState(pod, allNodes(state))));
    return filterNode(s, pod, node.node);
  },
  preScore(state, pod, nodes) {
    state.set(SCORE_KEY, scoreState(pod, nodes, allNodes(state), lister(state)));
    return success();
  },
  score: (state, pod, node) => scoreNode(scoreStateOf(state), pod, node),
  normalizeScore(state, _pod, scores) {
    const s = scoreStateOf(state);
    if (s.constraints.length) normalize(s, scores);
    return success();
  },
};
