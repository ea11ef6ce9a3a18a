/**
 * `spec.behavior` as upstream's HorizontalController applies it (horizontal.go:
 * normalizeDesiredReplicasWithBehaviors): stabilization over the recommendations of the last
 * window (scale-up: the lowest, default window 0 s; scale-down: the highest, default 300 s),
 * then the policies' rate limits over the scale events of each policy's period (defaults: up
 * max(4 pods, 100 %) per 15 s, down 100 % per 15 s; `selectPolicy` Max, Min or Disabled), then
 * minReplicas/maxReplicas, with the AbleToScale and ScalingLimited reasons upstream reports.
 *
 * Pure: the history (recommendations, scale events) goes in and the updated history comes out,
 * so the worker can keep it in the HPA's own record and a restarted worker carries on.
 */

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicy[];
}

/** Upstream's GenerateHPAScaleUpRules / GenerateHPAScaleDownRules defaults. */
export const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
export const DEFAULT_SCALE_DOWN: ScalingRules = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** The behavior with upstream's defaults filled in for what the spec leaves out. */
export function withDefaults(behavior: any): { scaleUp: ScalingRules; scaleDown: ScalingRules } {
  const rules = (given: any, fallback: ScalingRules): ScalingRules => ({
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? fallback.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? fallback.selectPolicy,
    policies: Array.isArray(given?.policies) && given.policies.length ? given.policies : fallback.policies,
  });
  return { scaleUp: rules(behavior?.scaleUp, DEFAULT_SCALE_UP), scaleDown: rules(behavior?.scaleDown, DEFAULT_SCALE_DOWN) };
}

export interface Recommendation {
  replicas: number;
  /** ms */
  at: number;
}

export interface ScaleEvent {
  /** Replicas added (scale up) or removed (scale down). */
  change: number;
  at: number;
}

export interface History {
  recommendations: Recommendation[];
  scaleUps: ScaleEvent[];
  scaleDowns: ScaleEvent[];
}

export interface Condition {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** After stabilization, before the rate limits. */
  stabilized: number;
  ableToScale: Condition;
  scalingLimited: Condition;
  history: History;
}

const changeIn = (periodSeconds: number, events: ScaleEvent[], now: number) => events.filter((e) => e.at > now - periodSeconds * 1000).reduce((sum, e) => sum + e.change, 0);

/** calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(current: number, h: History, rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = current - changeIn(p.periodSeconds, h.scaleUps, now) + changeIn(p.periodSeconds, h.scaleDowns, now);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(current: number, h: History, rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = current - changeIn(p.periodSeconds, h.scaleUps, now) + changeIn(p.periodSeconds, h.scaleDowns, now);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

export function normalize(args: { current: number; desired: number; minReplicas: number; maxReplicas: number; behavior: any; history: History; now: number }): Normalized {
  const { current, desired, minReplicas, maxReplicas, now } = args;
  const { scaleUp, scaleDown } = withDefaults(args.behavior);
  const upCutoff = now - scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - scaleDown.stabilizationWindowSeconds * 1000;

  // Stabilize: the lowest recent recommendation bounds a scale-up, the highest a scale-down.
  let up = desired;
  let down = desired;
  let oldest = -1;
  args.history.recommendations.forEach((r, i) => {
    if (r.at > upCutoff) up = Math.min(r.replicas, up);
    if (r.at > downCutoff) down = Math.max(r.replicas, down);
    if (r.at < upCutoff && r.at < downCutoff) oldest = i;
  });
  const stabilized = Math.min(Math.max(current, up), down);
  const recommendations = [...args.history.recommendations];
  if (oldest >= 0) recommendations[oldest] = { replicas: desired, at: now };
  else recommendations.push({ replicas: desired, at: now });
  const ableToScale: Condition =
    stabilized !== desired
      ? desired >= current
        ? { status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
        : { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }
      : { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };

  // Rate limits, then min and max.
  let replicas = stabilized;
  let limit: Omit<Condition, 'status'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  if (stabilized > current) {
    const byRate = Math.max(scaleUpLimit(current, args.history, scaleUp, now), current);
    const allowed = Math.min(maxReplicas, byRate);
    const why = maxReplicas > byRate ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    if (stabilized > allowed) [replicas, limit] = [allowed, why];
  } else if (stabilized < current) {
    const byRate = Math.min(scaleDownLimit(current, args.history, scaleDown, now), current);
    const allowed = Math.max(minReplicas, byRate);
    const why = minReplicas < byRate ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    if (stabilized < allowed) [replicas, limit] = [allowed, why];
  }
  return {
    replicas,
    stabilized,
    ableToScale,
    scalingLimited: { status: replicas === stabilized ? 'False' : 'True', ...limit },
    history: { ...args.history, recommendations },
  };
}

/** The history after a scale from `from` to `to` at `now` (upstream's storeScaleEvent), forgetting events older than every policy period. */
export function recordScale(h: History, from: number, to: number, now: number, behavior: any): History {
  const { scaleUp, scaleDown } = withDefaults(behavior);
  const keep = (events: ScaleEvent[], rules: ScalingRules) => {
    const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
    return events.filter((e) => e.at > now - longest);
  };
  const ups = keep(h.scaleUps, scaleUp);
  const downs = keep(h.scaleDowns, scaleDown);
  if (to > from) ups.push({ change: to - from, at: now });
  else if (to < from) downs.push({ change: from - to, at: now });
  return { ...h, scaleUps: ups, scaleDowns: downs };
}
