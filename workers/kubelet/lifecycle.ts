/**
 * The simulated pod lifecycle as data (kwok's stages): each stage is a selector on the pod, the
 * moment its delay counts from, the delay from the pod's plan, and the next status to write (or
 * the pod's removal). `podStep` is pure — pod + time → next step — so it is tested as a table.
 *
 * Not simulated yet: init containers, probes (every container is ready once started), restarts
 * and CrashLoopBackOff (an exit ends the pod whatever its restartPolicy), OOM.
 */
import type { KubeObject } from '../../shared/api/types';
import { planFor, type PodPlan, type Profile } from './profile';
import { pendingStatus, runningStatus, terminatedStatus } from './pod-status';

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
  /** Pod IPs in use on the node (from the cache); a new pod takes the lowest free one. */
  usedIPs: ReadonlySet<string>;
}

export type Step =
  | { action: 'none' }
  /** Come back after `afterMs` cluster milliseconds: the stage's delay has not passed. */
  | { action: 'wait'; stage: string; afterMs: number }
  | { action: 'write'; stage: string; status: any }
  | { action: 'delete'; stage: string };

interface Stage {
  name: string;
  selector: (pod: KubeObject) => boolean;
  /** When the delay starts; undefined: now (no delay). */
  since: (pod: KubeObject) => string | undefined;
  delayMs: (plan: PodPlan, pod: KubeObject) => number;
  next: (input: StepInput, plan: PodPlan) => any | 'delete';
}

const phaseOf = (pod: KubeObject): string | undefined => pod.status?.phase;
const deleting = (pod: KubeObject) => !!pod.metadata.deletionTimestamp;
const statuses = (pod: KubeObject): any[] => (Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : []);
const anyRunning = (pod: KubeObject) => statuses(pod).some((s) => s.state?.running);
const latest = (times: (string | undefined)[]) => times.filter((t): t is string => !!t).sort().at(-1);
const earliest = (times: (string | undefined)[]) => times.filter((t): t is string => !!t).sort()[0];

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
  {
    name: 'pod-start',
    selector: (pod) => phaseOf(pod) === 'Pending',
    since: (pod) => pod.status?.startTime,
    delayMs: (plan) => plan.startMs,
    next: ({ pod, node, now, usedIPs }) => runningStatus(pod, freeIP(node.podCIDR ?? node.fallbackCIDR, usedIPs), now),
  },
  {
    name: 'pod-exit',
    selector: (pod) => phaseOf(pod) === 'Running',
    since: (pod) => earliest(statuses(pod).map((s) => s.state?.running?.startedAt)),
    delayMs: (plan) => plan.exitAfterMs ?? Infinity,
    next: ({ pod, now }, plan) => terminatedStatus(pod, plan.exitCode, now, plan.exitCode === 0 ? 'Succeeded' : 'Failed'),
  },
];

/** The next step for a pod bound to `node` at `now`. Terminal pods that are not being deleted need none. */
export function podStep(input: StepInput): Step {
  const { pod, now } = input;
  const stage = STAGES.find((s) => s.selector(pod));
  if (!stage) return { action: 'none' };
  const plan = planFor(pod, input.profile, input.seed);
  const delay = stage.delayMs(plan, pod);
  if (delay === Infinity) return { action: 'none' };
  const since = stage.since(pod);
  const remaining = since ? delay - (now.getTime() - Date.parse(since)) * input.timeScale : 0;
  if (remaining > 0) return { action: 'wait', stage: stage.name, afterMs: remaining };
  const next = stage.next(input, plan);
  return next === 'delete' ? { action: 'delete', stage: stage.name } : { action: 'write', stage: stage.name, status: next };
}

/** The lowest address of an IPv4 `cidr` (from .2: .1 is the node's bridge) not in `used`. Throws (retry) when full. */
export function freeIP(cidr: string, used: ReadonlySet<string>): string {
  const [ip, bits] = cidr.split('/');
  const base = ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  for (let offset = 2; offset < size - 1; offset++) {
    const n = base + offset;
    const candidate = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    if (!used.has(candidate)) return candidate;
  }
  throw new Error(`no free pod IP in ${cidr}`);
}
