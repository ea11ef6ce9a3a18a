/**
 * One scheduling cycle (upstream's schedulePod): PreFilter → Filter every node → PreScore →
 * Score, NormalizeScore, weight, sum → pick the highest; when no node fits, PostFilter. Pure: it
 * reads only its arguments and returns what happened, including every plugin's per-node verdict
 * and score, so callers can trace or explain the decision.
 *
 * Differences from upstream, by design: every node is evaluated (no percentageOfNodesToScore
 * sampling), PostFilter only explains (nothing is preempted, no node nominated), and there is no
 * Reserve/Permit/Bind in here.
 */
import type { KubeObject } from '../../api/types';
import { ERR_NO_NODES_AVAILABLE, fitErrorMessage, type Diagnosis } from './fit-error';
import type { NodeInfo } from './node-info';
import { ALL_NODES_KEY, LISTER_KEY, MAX_NODE_SCORE, MIN_NODE_SCORE, type CycleState, type Lister, type NodeScore, type ProfilePlugin } from './plugin';
import { intn, type Random } from './random';
import { errorStatus, isRejected, isSuccess, message, withPlugin, type Status } from './status';

/** Per plugin, what it said: filter verdicts for the nodes it saw, and its scores. */
export interface PluginRecord {
  plugin: string;
  preFilter?: Status;
  /** Node name → verdict, for nodes that reached this plugin (earlier rejections stop a node). */
  filter: Map<string, Status>;
  preScore?: Status;
  /** Raw, normalized (0..100) and weighted scores of the feasible nodes. */
  raw?: NodeScore[];
  normalized?: NodeScore[];
  weighted?: NodeScore[];
  /** Set when no node fit and this plugin's PostFilter ran. */
  postFilter?: Status;
}

interface Outcome {
  /** One record per profile plugin, in profile order. */
  plugins: PluginRecord[];
  /** Names of nodes that passed every filter. */
  feasible: string[];
  /** Weighted sums per feasible node (empty when scoring was skipped for a single feasible node). */
  totals: NodeScore[];
}

export type CycleResult =
  | (Outcome & { kind: 'scheduled'; nodeName: string })
  /** No node fits: `message` is the FitError text for the PodScheduled condition. */
  | (Outcome & { kind: 'unschedulable'; message: string; diagnosis: Diagnosis })
  /** A plugin failed (Error status or a throw): retry the pod with backoff. */
  | (Outcome & { kind: 'error'; status: Status });

/** `lister` gives plugins the rest of the cluster (Services, controllers, Namespaces); without it they see none. */
export function runCycle(pod: KubeObject, nodes: readonly NodeInfo[], profile: readonly ProfilePlugin[], random: Random, lister?: Lister): CycleResult {
  const state: CycleState = new Map<string, unknown>([[ALL_NODES_KEY, nodes]]);
  if (lister) state.set(LISTER_KEY, lister);
  const out: Outcome = { plugins: profile.map((p) => ({ plugin: p.plugin.name, filter: new Map() })), feasible: [], totals: [] };
  if (nodes.length === 0) {
    return { ...out, kind: 'unschedulable', message: ERR_NO_NODES_AVAILABLE, diagnosis: { nodeToStatus: new Map() } };
  }

  for (const [i, { plugin }] of profile.entries()) {
    if (!plugin.preFilter) continue;
    const status = guard(plugin.name, () => plugin.preFilter!(state, pod, nodes));
    out.plugins[i].preFilter = status;
    if (status.code === 'Error') return { ...out, kind: 'error', status };
    if (isRejected(status)) {
      const diagnosis: Diagnosis = { nodeToStatus: new Map(nodes.map((n) => [n.name, status])), preFilterMsg: message(status) };
      return unschedulableResult(out, state, pod, nodes.length, profile, diagnosis);
    }
  }

  const nodeToStatus = new Map<string, Status>();
  const feasible: NodeInfo[] = [];
  for (const node of nodes) {
    const status = filterNode(state, pod, node, profile, out.plugins);
    if (status.code === 'Error') return { ...out, kind: 'error', status };
    if (isSuccess(status)) feasible.push(node);
    else nodeToStatus.set(node.name, status);
  }
  out.feasible = feasible.map((n) => n.name);
  if (feasible.length === 0) return unschedulableResult(out, state, pod, nodes.length, profile, { nodeToStatus });
  // As upstream: with one feasible node there is nothing to rank.
  if (feasible.length === 1) return { ...out, kind: 'scheduled', nodeName: feasible[0].name };

  const scored = prioritize(state, pod, feasible, profile, out.plugins);
  if ('code' in scored) return { ...out, kind: 'error', status: scored };
  out.totals = scored;
  return { ...out, kind: 'scheduled', nodeName: selectHost(scored, random) };
}

/** A FitError result, with what the PostFilter plugins say about it. */
function unschedulableResult(out: Outcome, state: CycleState, pod: KubeObject, numAllNodes: number, profile: readonly ProfilePlugin[], diagnosis: Diagnosis): CycleResult {
  const postFilterMsg = runPostFilters(state, pod, profile, out.plugins, diagnosis.nodeToStatus);
  if (postFilterMsg) diagnosis.postFilterMsg = postFilterMsg;
  return { ...out, kind: 'unschedulable', message: fitErrorMessage(numAllNodes, diagnosis), diagnosis };
}

/**
 * The PostFilter plugins in profile order (upstream's RunPostFilterPlugins): Success ends it with
 * no message; an Error or an UnschedulableAndUnresolvable ends it with its own; Unschedulable
 * reasons add up. Undefined: nothing to say.
 */
function runPostFilters(state: CycleState, pod: KubeObject, profile: readonly ProfilePlugin[], records: PluginRecord[], nodeToStatus: ReadonlyMap<string, Status>): string | undefined {
  const runFilters = (node: NodeInfo) => filterNode(state, pod, node, profile, profile.map((p) => ({ plugin: p.plugin.name, filter: new Map() })));
  const reasons: string[] = [];
  for (const [i, { plugin }] of profile.entries()) {
    if (!plugin.postFilter) continue;
    const status = guard(plugin.name, () => plugin.postFilter!(state, pod, nodeToStatus, runFilters));
    records[i].postFilter = status;
    if (isSuccess(status)) return undefined;
    if (status.code !== 'Unschedulable') return message(status);
    reasons.push(...status.reasons);
  }
  return reasons.length ? reasons.join(', ') : undefined;
}

/** Runs the filters in profile order; the first non-success wins (as upstream RunFilterPlugins). */
function filterNode(state: CycleState, pod: KubeObject, node: NodeInfo, profile: readonly ProfilePlugin[], records: PluginRecord[]): Status {
  for (const [i, { plugin }] of profile.entries()) {
    if (!plugin.filter) continue;
    const status = guard(plugin.name, () => plugin.filter!(state, pod, node));
    records[i].filter.set(node.name, status);
    if (!isSuccess(status)) return status;
  }
  return { code: 'Success', reasons: [] };
}

/** PreScore, Score, NormalizeScore and weights over the feasible nodes; a Status on failure. */
function prioritize(state: CycleState, pod: KubeObject, nodes: NodeInfo[], profile: readonly ProfilePlugin[], records: PluginRecord[]): NodeScore[] | Status {
  for (const [i, { plugin }] of profile.entries()) {
    if (!plugin.preScore) continue;
    const status = guard(plugin.name, () => plugin.preScore!(state, pod, nodes));
    records[i].preScore = status;
    if (!isSuccess(status)) return status.code === 'Error' ? status : withPlugin(errorStatus(`PreScore returned ${status.code}`), plugin.name);
  }
  const totals = nodes.map((n) => ({ name: n.name, score: 0 }));
  for (const [i, { plugin, weight }] of profile.entries()) {
    if (!plugin.score) continue;
    const scores: NodeScore[] = [];
    for (const node of nodes) {
      const raw = guardScore(plugin.name, () => plugin.score!(state, pod, node));
      if (typeof raw !== 'number') return raw;
      scores.push({ name: node.name, score: raw });
    }
    records[i].raw = scores.map((s) => ({ ...s }));
    if (plugin.normalizeScore) {
      const status = guard(plugin.name, () => plugin.normalizeScore!(state, pod, scores));
      if (!isSuccess(status)) return withPlugin(status.code === 'Error' ? status : errorStatus(`NormalizeScore returned ${status.code}`), plugin.name);
    }
    const bad = scores.find((s) => !(s.score >= MIN_NODE_SCORE && s.score <= MAX_NODE_SCORE));
    if (bad) return withPlugin(errorStatus(`plugin "${plugin.name}" returns an invalid score ${bad.score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`), plugin.name);
    records[i].normalized = scores.map((s) => ({ ...s }));
    records[i].weighted = scores.map((s) => ({ name: s.name, score: s.score * weight }));
    scores.forEach((s, j) => (totals[j].score += s.score * weight));
  }
  return totals;
}

/**
 * The node with the highest total; among equal totals each is equally likely (upstream's
 * reservoir sampling with rand.Intn), drawn from `random`.
 */
export function selectHost(scores: readonly NodeScore[], random: Random): string {
  let selected = scores[0];
  let count = 1;
  for (const s of scores.slice(1)) {
    if (s.score > selected.score) {
      selected = s;
      count = 1;
    } else if (s.score === selected.score) {
      count++;
      if (intn(random, count) === 0) selected = s;
    }
  }
  return selected.name;
}

/** Calls a plugin point; a throw becomes an Error status. The status is stamped with the plugin. */
function guard(plugin: string, fn: () => Status): Status {
  try {
    return withPlugin(fn(), plugin);
  } catch (err) {
    return withPlugin(errorStatus(err instanceof Error ? err.message : String(err)), plugin);
  }
}

function guardScore(plugin: string, fn: () => number): number | Status {
  try {
    const score = fn();
    return Number.isFinite(score) ? score : withPlugin(errorStatus(`score is not a number: ${score}`), plugin);
  } catch (err) {
    return withPlugin(errorStatus(err instanceof Error ? err.message : String(err)), plugin);
  }
}
