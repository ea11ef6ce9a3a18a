/**
 * A plugin is a name plus the extension points it opts into (kube-scheduler's framework).
 * Every point is synchronous and pure over its arguments; state shared between a plugin's
 * points within one cycle goes in the CycleState under the plugin's own keys.
 */
import type { KubeObject } from '../../api/types';
import type { NodeInfo } from './node-info';
import type { Status } from './status';

/** Upstream's MaxNodeScore / MinNodeScore: every score leaves NormalizeScore in 0..100. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** Per-cycle scratch space, dropped when the cycle ends. */
export type CycleState = Map<string, unknown>;

/** CycleState key under which the cycle stores every node of the snapshot (upstream's SnapshotSharedLister). */
export const ALL_NODES_KEY = 'framework/allNodes';

/** CycleState key for the Lister the cycle was given. */
export const LISTER_KEY = 'framework/lister';

/**
 * Read access to other objects of the cluster (the informer cache): Services and controllers
 * for default spreading, Namespaces for namespaceSelector. Keys are `resource/ns/name`.
 */
export interface Lister {
  get(key: string): KubeObject | undefined;
  list(resource: string): KubeObject[];
}

/** The cycle's Lister; a plugin treats its absence as an empty cluster. */
export function lister(state: CycleState): Lister | undefined {
  return state.get(LISTER_KEY) as Lister | undefined;
}

/** Every node of this cycle's snapshot, feasible or not (empty outside a cycle). */
export function allNodes(state: CycleState): readonly NodeInfo[] {
  return (state.get(ALL_NODES_KEY) as NodeInfo[] | undefined) ?? [];
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface Plugin {
  readonly name: string;
  /**
   * Once per cycle before filtering. A rejection makes every node unfit with this status
   * (its message becomes the FitError's PreFilter message); Error aborts the cycle.
   */
  preFilter?(state: CycleState, pod: KubeObject, nodes: readonly NodeInfo[]): Status;
  /** Whether `pod` may run on this node. Plugins run in profile order; the first rejection wins. */
  filter?(state: CycleState, pod: KubeObject, node: NodeInfo): Status;
  /** Once per cycle over the feasible nodes, before scoring. Error aborts the cycle. */
  preScore?(state: CycleState, pod: KubeObject, nodes: readonly NodeInfo[]): Status;
  /** The node's raw score; a throw aborts the cycle with an Error status. */
  score?(state: CycleState, pod: KubeObject, node: NodeInfo): number;
  /** Rewrites the raw scores in place into 0..100 (MAX_NODE_SCORE). Without it raw scores must already be in range. */
  normalizeScore?(state: CycleState, pod: KubeObject, scores: NodeScore[]): Status;
  /**
   * Only when no node fits, in profile order until one returns Success (upstream's PostFilter,
   * where DefaultPreemption runs). `nodeToStatus` holds every node's rejection; `runFilters`
   * runs the profile's filters on a node as given (a NodeInfo the plugin built, say without some
   * pods). A rejection's message ends the FitError (`… preemption: 0/3 nodes are available: …`);
   * Success leaves the FitError without it.
   */
  postFilter?(state: CycleState, pod: KubeObject, nodeToStatus: ReadonlyMap<string, Status>, runFilters: RunFilters): Status;
}

/** Runs every Filter of the profile on one node, as a cycle does; the first rejection wins. */
export type RunFilters = (node: NodeInfo) => Status;

/** A plugin enabled in a profile; `weight` multiplies its normalized score (ignored without `score`). */
export interface ProfilePlugin {
  plugin: Plugin;
  weight: number;
}
