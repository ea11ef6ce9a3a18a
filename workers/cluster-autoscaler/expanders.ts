/**
 * Expanders: which node group grows when several could help (upstream's expander package).
 * Each narrows the options; a chain (`priority,least-waste`) applies them in turn, and `random`
 * picks among what is left (as upstream falls back to random). Pure.
 *
 * - random: any option, uniformly (seeded).
 * - most-pods: the options that schedule the most pods.
 * - least-waste: the options leaving the least idle cpu and memory on the new nodes, scored as
 *   (cpu of the new nodes − cpu the pods request) / cpu of the new nodes, plus the same for memory.
 * - priority: the options whose group matches a regular expression of the highest priority in
 *   the `priorities` key (YAML: priority → list of expressions) of the ConfigMap
 *   `kube-system/cluster-autoscaler-priority-expander`; no ConfigMap or no match leaves all options.
 */
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../shared/api/types';
import { intn, type Random } from '../../shared/scheduling/framework/random';
import { CPU, MEMORY, podRequests, toResourceList } from '../../shared/scheduling/framework/resources';
import type { ExpanderName, NodeGroup } from './settings';
import { templateNode } from './simulator';

export const PRIORITY_CONFIGMAP = 'cluster-autoscaler-priority-expander';

export interface Option {
  group: NodeGroup;
  nodeCount: number;
  pods: KubeObject[];
}

/** Per expander, what it saw (for the decision's span). */
export type Scores = Record<string, number>;

export interface ExpanderContext {
  random: Random;
  /** The priority expander's ConfigMap, when it exists. */
  priorityConfig?: KubeObject;
}

/** least-waste's score of one option (lower is better). */
export function wasteScore(option: Option): number {
  const capacity = toResourceList(templateNode(option.group).status.capacity);
  let cpu = 0;
  let memory = 0;
  for (const pod of option.pods) {
    const r = podRequests(pod);
    cpu += r[CPU] ?? 0;
    memory += r[MEMORY] ?? 0;
  }
  const availCpu = (capacity[CPU] ?? 0) * option.nodeCount;
  const availMemory = (capacity[MEMORY] ?? 0) * option.nodeCount;
  const wastedCpu = availCpu > 0 ? (availCpu - cpu) / availCpu : 0;
  const wastedMemory = availMemory > 0 ? (availMemory - memory) / availMemory : 0;
  return wastedCpu + wastedMemory;
}

/** The `priorities` YAML as [priority, expressions] pairs, highest first; throws when malformed. */
export function parsePriorities(text: string): [number, RegExp[]][] {
  const doc = parseYaml(text) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('priorities must be a map of priority to a list of regular expressions');
  return Object.entries(doc as Record<string, unknown>)
    .map(([k, v]): [number, RegExp[]] => {
      const priority = Number(k);
      if (!Number.isInteger(priority)) throw new Error(`priority ${JSON.stringify(k)} is not an integer`);
      if (!Array.isArray(v)) throw new Error(`priority ${k}: expected a list of regular expressions`);
      return [priority, v.map((re) => new RegExp(String(re)))];
    })
    .sort((a, b) => b[0] - a[0]);
}

function keepBest(options: Option[], score: (o: Option) => number, better: (a: number, b: number) => boolean, scores: Scores): Option[] {
  let best: Option[] = [];
  let bestScore = NaN;
  for (const option of options) {
    const s = score(option);
    scores[option.group.name] = s;
    if (best.length === 0 || better(s, bestScore)) {
      best = [option];
      bestScore = s;
    } else if (s === bestScore) best.push(option);
  }
  return best;
}

/** One expander's narrowing; `scores` gets what it computed per group. */
export function narrow(name: ExpanderName, options: Option[], ctx: ExpanderContext, scores: Scores): Option[] {
  switch (name) {
    case 'random':
      return options.length ? [options[intn(ctx.random, options.length)]] : [];
    case 'most-pods':
      return keepBest(options, (o) => o.pods.length, (a, b) => a > b, scores);
    case 'least-waste':
      return keepBest(options, wasteScore, (a, b) => a < b, scores);
    case 'priority': {
      const text = ctx.priorityConfig?.data?.priorities;
      if (typeof text !== 'string') return options;
      const priorities = parsePriorities(text);
      const priorityOf = (o: Option) => priorities.find(([, res]) => res.some((re) => re.test(o.group.name)))?.[0];
      const matched = options.filter((o) => priorityOf(o) !== undefined);
      return matched.length ? keepBest(matched, (o) => priorityOf(o)!, (a, b) => a > b, scores) : options;
    }
  }
}

/** The chosen option (undefined with no options) and every expander's scores. */
export function bestOption(chain: readonly ExpanderName[], options: Option[], ctx: ExpanderContext): { option?: Option; scores: Record<string, Scores> } {
  const scores: Record<string, Scores> = {};
  let left = options;
  for (const name of chain) {
    if (left.length <= 1) break;
    scores[name] = {};
    try {
      left = narrow(name, left, ctx, scores[name]);
    } catch (err) {
      // A malformed priority ConfigMap leaves the options as they were, as upstream's expander logs and falls through.
      scores[name] = { error: 0 };
      console.error(`cluster-autoscaler: expander ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (left.length > 1) left = narrow('random', left, ctx, {});
  return { option: left[0], scores };
}
