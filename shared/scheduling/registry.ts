/**
 * Every plugin this scheduler has, by name (upstream's in-tree registry), and a profile built
 * from names and weights, for configuration that names plugins rather than importing them.
 */
import type { Plugin, ProfilePlugin } from './framework/plugin';
import { balancedAllocation } from './plugins/balancedallocation';
import { defaultPreemption } from './plugins/defaultpreemption';
import { imageLocality } from './plugins/imagelocality';
import { interPodAffinity } from './plugins/interpodaffinity';
import { nodeAffinity } from './plugins/nodeaffinity';
import { nodeName } from './plugins/nodename';
import { nodeResourcesFit } from './plugins/noderesourcesfit';
import { nodeUnschedulable } from './plugins/nodeunschedulable';
import { podTopologySpread } from './plugins/podtopologyspread';
import { taintToleration } from './plugins/tainttoleration';

export const REGISTRY: ReadonlyMap<string, Plugin> = new Map(
  [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodeResourcesFit, podTopologySpread, interPodAffinity, defaultPreemption, balancedAllocation, imageLocality].map((p) => [p.name, p]),
);

/** A profile from `{ name, weight }` entries, in the order given; an unknown name throws. */
export function buildProfile(entries: readonly { name: string; weight?: number }[]): ProfilePlugin[] {
  return entries.map(({ name, weight }) => {
    const plugin = REGISTRY.get(name);
    if (!plugin) throw new Error(`unknown scheduler plugin ${JSON.stringify(name)} (known: ${[...REGISTRY.keys()].join(', ')})`);
    return { plugin, weight: weight ?? 1 };
  });
}
