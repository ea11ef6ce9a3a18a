/**
 * The default profile: the enabled plugins in upstream's default order (filters run in this
 * order; the first rejection wins) with upstream's default score weights. Plugins upstream
 * enables that need objects kubeq does not simulate (NodePorts, volumes, DRA) are left out.
 */
import type { ProfilePlugin } from './framework/plugin';
import { buildProfile } from './registry';

/** Weight 0 marks plugins that do not score (weights apply to scores only). */
export const DEFAULT_PLUGINS: readonly { name: string; weight: number }[] = [
  { name: 'NodeUnschedulable', weight: 0 },
  { name: 'NodeName', weight: 0 },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption', weight: 0 },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
];

export const DEFAULT_PROFILE: readonly ProfilePlugin[] = buildProfile(DEFAULT_PLUGINS);
