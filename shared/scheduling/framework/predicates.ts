/**
 * The scheduler's feasibility check for one pod on one node, outside a scheduling cycle (the
 * cluster autoscaler's PredicateChecker): the profile's PreFilter points over `all` nodes, then
 * its Filter points on `node`, in profile order; the first rejection wins. `node` need not be in
 * `all` (a node that does not exist yet: a node group's template).
 */
import type { KubeObject } from '../../api/types';
import type { NodeInfo } from './node-info';
import { ALL_NODES_KEY, LISTER_KEY, type CycleState, type Lister, type ProfilePlugin } from './plugin';
import { errorStatus, isSuccess, success, withPlugin, type Status } from './status';

export function checkPredicates(pod: KubeObject, node: NodeInfo, all: readonly NodeInfo[], profile: readonly ProfilePlugin[], lister?: Lister): Status {
  const nodes = all.includes(node) ? all : [...all, node];
  const state: CycleState = new Map<string, unknown>([[ALL_NODES_KEY, nodes]]);
  if (lister) state.set(LISTER_KEY, lister);
  for (const { plugin } of profile) {
    if (!plugin.preFilter) continue;
    const status = guard(plugin.name, () => plugin.preFilter!(state, pod, nodes));
    if (!isSuccess(status)) return status;
  }
  for (const { plugin } of profile) {
    if (!plugin.filter) continue;
    const status = guard(plugin.name, () => plugin.filter!(state, pod, node));
    if (!isSuccess(status)) return status;
  }
  return success();
}

function guard(plugin: string, fn: () => Status): Status {
  try {
    return withPlugin(fn(), plugin);
  } catch (err) {
    return withPlugin(errorStatus(err instanceof Error ? err.message : String(err)), plugin);
  }
}
