/**
 * The simulated pod lifecycle as data (kwok's stages): each stage is a selector on the pod, the
 * moment its delay counts from, the delay from the pod's plan, and the next status to write (or
 * the pod's removal). An accepted pod then runs (pod-run.ts): sandbox, init containers, app
 * containers with their probes, exits and restarts. `podStep` is pure — pod + time → next
 * step — so it is tested as a table.
 *
 * Not simulated yet: ephemeral containers, readiness gates, CPU usage (comes with autoscaling).
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../shared/api/types';
import type { KubeletEvent } from './containers';
import { runPod } from './pod-run';
import { planFor, type PodPlan, type Profile } from './profile';
import { pendingStatus, terminatedStatus } from './pod-status';

/** What the lifecycle needs to know of the pod's node. */
export interface NodeView {
  name: string;
  /** Its InternalIP: the pod's hostIP. */
  hostIP: string;
  /** spec.podCIDR when set (IPv4); else pods get addresses from `fallbackCIDR`. */
  podCIDR?: string;
  /** `10.244.<node index>.0/24`. */
  fallbackCIDR: string;
}

export interface StepInput {
  pod: KubeObject;
  node: NodeView;
  now: Date;
  /**
   * KUBEQ_TIME_SCALE: stored timestamps are wall time, so a stage's delay has passed when
   * (now − since) × timeScale reaches it.
   */
  timeScale: number;
  profile: Profile;
  seed: number;
  /** The address reserved for a pod that has none yet (ipam.ts); it takes it when its sandbox comes up. */
  reservedIP?: string;
  /** App containers the metrics sampler found over their memory limit, and when (pod-run.ts). */
  overLimit?: ReadonlyMap<string, number>;
}

export type Step =
  | { action: 'none' }
  /** Come back after `afterMs` cluster milliseconds: the stage's delay has not passed. */
  | { action: 'wait'; stage: string; afterMs: number }
  /** Write `status`, then record `events` (probe failures, kills, back-offs) about the pod. */
  | { action: 'write'; stage: string; status: any; events?: KubeletEvent[] }
  | { action: 'delete'; stage: string };

interface Stage {
  name: string;
  selector: (pod: KubeObject) => boolean;
  /** When the delay starts; undefined: now (no delay). */
  since: (pod: KubeObject) => string | undefined;
  delayMs: (plan: PodPlan, pod: KubeObject) => number;
  next: (input: StepInput, plan: PodPlan) => any;
}

const phaseOf = (pod: KubeObject): string | undefined => pod.status?.phase;
const deleting = (pod: KubeObject) => !!pod.metadata.deletionTimestamp;
const statuses = (pod: KubeObject): any[] => (Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : []);
const anyRunning = (pod: KubeObject) => statuses(pod).some((s) => s.state?.running);
const latest = (times: (string | undefined)[]) => times.filter((t): t is string => !!t).sort().at(-1);

/** First match wins. */
export const STAGES: Stage[] = [
  {
    name: 'pod-remove',
    selector: (pod) => deleting(pod) && !anyRunning(pod),
    since: (pod) => latest(statuses(pod).map((s) => s.state?.terminated?.finishedAt)),
    delayMs: (plan, pod) => Math.min(plan.stopMs, (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000),
    next: () => 'delete',
  },
  {
    name: 'pod-stop',
    selector: (pod) => deleting(pod) && anyRunning(pod),
    since: () => undefined,
    delayMs: () => 0,
    next: ({ pod, now }) => terminatedStatus(pod, 0, now),
  },
  {
    name: 'pod-accept',
    selector: (pod) => !phaseOf(pod) || (phaseOf(pod) === 'Pending' && !pod.status?.hostIP),
    since: () => undefined,
    delayMs: () => 0,
    next: ({ pod, node, now }) => pendingStatus(pod, node.hostIP, now),
  },
];

/** The next step for a pod bound to `node` at `now`. Terminal pods that are not being deleted need none. */
export function podStep(input: StepInput): Step {
  const { pod, now } = input;
  const stage = STAGES.find((s) => s.selector(pod));
  const plan = planFor(pod, input.profile, input.seed);
  if (!stage) return ['Pending', 'Running'].includes(phaseOf(pod) ?? '') ? runStep(input, plan) : { action: 'none' };
  const delay = stage.delayMs(plan, pod);
  if (delay === Infinity) return { action: 'none' };
  const since = stage.since(pod);
  const remaining = since ? delay - (now.getTime() - Date.parse(since)) * input.timeScale : 0;
  if (remaining > 0) return { action: 'wait', stage: stage.name, afterMs: remaining };
  const next = stage.next(input, plan);
  return next === 'delete' ? { action: 'delete', stage: stage.name } : { action: 'write', stage: stage.name, status: next };
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value ?? null));

/**
 * An accepted pod: wait for its sandbox (`startMs` after startTime), then move its containers
 * to now; write when that changes the status (`pod-start` the first time, when the pod gets
 * its IP), else come back at the next change.
 */
function runStep(input: StepInput, plan: PodPlan): Step {
  const { pod, timeScale } = input;
  const now = input.now.getTime();
  const startTime = Date.parse(pod.status?.startTime ?? '');
  const sandboxAt = Number.isNaN(startTime) ? now : startTime + plan.startMs / timeScale;
  if (now < sandboxAt) return { action: 'wait', stage: 'pod-start', afterMs: (sandboxAt - now) * timeScale };
  const stage = pod.status?.podIP ? 'pod-run' : 'pod-start';
  const podIP: string | undefined = pod.status?.podIP ?? input.reservedIP;
  if (!podIP) throw new Error(`no pod IP reserved for ${pod.metadata.namespace}/${pod.metadata.name}`);
  const result = runPod({ pod, sandboxAt, podIP, now: input.now, timeScale, profile: input.profile, seed: input.seed, ...(input.overLimit ? { overLimit: input.overLimit } : {}) });
  if (!isDeepStrictEqual(plain(result.status), plain(pod.status))) return { action: 'write', stage, status: result.status, ...(result.events.length ? { events: result.events } : {}) };
  if (result.nextAt === Infinity) return { action: 'none' };
  return { action: 'wait', stage: 'pod-run', afterMs: Math.max(1, (result.nextAt - now) * timeScale) };
}
