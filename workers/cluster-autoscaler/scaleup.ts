/**
 * The scale-up decision (upstream's ScaleUp orchestrator), pure: for the pods no existing or
 * upcoming node can take, each node group is either skipped (at its max) or simulated — does
 * one of its template nodes pass the scheduler's filters for the pod, and how many new nodes
 * would the pods need (binpacking, within the group's max)? The expander chain picks one
 * option; the result carries every group's verdict, for the events and the span.
 */
import type { KubeObject } from '../../shared/api/types';
import type { NodeInfo } from '../../shared/scheduling/framework/node-info';
import { isSuccess, message } from '../../shared/scheduling/framework/status';
import { bestOption, type ExpanderContext, type Option, type Scores } from './expanders';
import type { ExpanderName, NodeGroup } from './settings';
import { estimate, fitsTemplate, type Simulation } from './simulator';

/** Upstream's skipped reasons: a group at its maximum size, a group backed off after a failed scale-up. */
export const MAX_SIZE_REACHED = 'max node group size reached';
export const IN_BACKOFF = 'in backoff after failed scale-up';

export interface GroupSize {
  group: NodeGroup;
  /** Machines the cloud has for it now (registered or coming): its target size. */
  target: number;
  /** Set while the group is backed off after a machine of it failed to come up. */
  backoff?: boolean;
}

export interface GroupVerdict {
  group: string;
  /** `skipped` (at max), `no-fit` (no pod fits a template node), or the option found. */
  result: 'skipped' | 'no-fit' | 'option';
  nodeCount?: number;
  pods?: number;
}

export interface ScaleUpPlan {
  /** The chosen group, its size before and after. */
  scaleUp?: { group: NodeGroup; from: number; to: number };
  /** Pods the chosen option schedules (they get TriggeredScaleUp). */
  triggered: KubeObject[];
  /** Per pod that no group helps, upstream's reasons histogram (`1 max node group size reached, …`). */
  noScaleUp: Map<KubeObject, string>;
  verdicts: GroupVerdict[];
  scores: Record<string, Scores>;
}

/** Upstream's ScaleUpInfo.String(): `{ssd 1->3 (max: 5)}`. */
export function scaleUpInfo(plan: NonNullable<ScaleUpPlan['scaleUp']>): string {
  return `{${plan.group.name} ${plan.from}->${plan.to} (max: ${plan.group.max})}`;
}

export function planScaleUp(pods: readonly KubeObject[], groups: readonly GroupSize[], existing: readonly NodeInfo[], sim: Simulation, chain: readonly ExpanderName[], ctx: ExpanderContext): ScaleUpPlan {
  const reasons = new Map<KubeObject, Map<string, number>>(pods.map((p) => [p, new Map()]));
  const note = (pod: KubeObject, reason: string) => reasons.get(pod)!.set(reason, (reasons.get(pod)!.get(reason) ?? 0) + 1);
  const options: Option[] = [];
  const verdicts: GroupVerdict[] = [];
  for (const { group, target, backoff } of groups) {
    if (backoff || target >= group.max) {
      pods.forEach((p) => note(p, backoff ? IN_BACKOFF : MAX_SIZE_REACHED));
      verdicts.push({ group: group.name, result: 'skipped' });
      continue;
    }
    const fitting: KubeObject[] = [];
    for (const pod of pods) {
      const status = fitsTemplate(pod, group, existing, sim);
      if (isSuccess(status)) fitting.push(pod);
      else for (const reason of status.reasons.length ? status.reasons : [message(status)]) note(pod, reason);
    }
    const est = fitting.length ? estimate(fitting, group, group.max - target, existing, sim) : undefined;
    est?.leftOver.forEach((p) => note(p, MAX_SIZE_REACHED));
    if (!est || est.nodeCount === 0) {
      verdicts.push({ group: group.name, result: 'no-fit' });
      continue;
    }
    options.push({ group, nodeCount: est.nodeCount, pods: est.pods });
    verdicts.push({ group: group.name, result: 'option', nodeCount: est.nodeCount, pods: est.pods.length });
  }
  const { option, scores } = bestOption(chain, options, ctx);
  const noScaleUp = new Map<KubeObject, string>();
  if (!option) {
    for (const [pod, counts] of reasons) {
      noScaleUp.set(pod, [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', '));
    }
    return { triggered: [], noScaleUp, verdicts, scores };
  }
  const from = groups.find((g) => g.group === option.group)!.target;
  return { scaleUp: { group: option.group, from, to: from + option.nodeCount }, triggered: option.pods, noScaleUp, verdicts, scores };
}
