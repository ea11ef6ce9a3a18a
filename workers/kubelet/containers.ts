/**
 * One container's status, moved forward to `now` (pure). From its stored status the container
 * runs (probes and scripted exit decide when it stops being started/ready or ends), ends
 * (exit, or killed by its liveness or startup probe), and — when its restart rule says so —
 * restarts, at once the first time and then after the kubelet's back-off: 10 s doubling to
 * 5 min, reset after a run of 10 min (client-go's flowcontrol.Backoff as the kubelet uses it).
 * The back-off in force is read back from what the kubelet wrote (the gap between the last
 * exit and this run's start, or the CrashLoopBackOff message), so a restarted kubelet carries
 * on where the dead one stopped.
 *
 * Transitions take the moment they happen, not the moment the reconcile runs: a late
 * reconcile writes the same status an early one would have.
 */
import type { KubeObject } from '../../shared/api/types';
import type { EventType } from '../../shared/events/recorder';
import { preciseTime } from './pod-status';
import { parseDuration, type ContainerPlan } from './profile';
import { nextChange, probeOf, readyAt, runTimeline, type Probe, type RunTimeline } from './probes';
import { stableHex } from './random';

/** Kubernetes' kubelet back-off: 10 s initial, 5 min cap (MaxContainerBackOff). */
export const BACKOFF_LADDER_MS = [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000];
/** A run longer than twice the cap resets the back-off (flowcontrol.Backoff's hasExpired). */
const BACKOFF_RESET_MS = 600_000;
/** kill -9 after the grace period, as a probe kill shows in `lastState`. */
export const KILLED_EXIT_CODE = 137;

export interface KubeletEvent {
  type: EventType;
  reason: string;
  message: string;
}

export interface ContainerSim {
  spec: { name: string; image: string };
  plan: ContainerPlan;
  /** Whether an exit with this code restarts the container (the restart policy). */
  restarts: (exitCode: number) => boolean;
}

export interface SimContext {
  pod: KubeObject;
  podIP: string;
  /** Wall milliseconds. */
  now: number;
  timeScale: number;
}

export interface Advanced {
  status: any;
  /** Wall ms of the container's next change; Infinity when it has none. */
  nextAt: number;
  /** Wall ms at which its current run counted as started, when it has. */
  startedAt?: number;
  events: KubeletEvent[];
}

/** `name_namespace(uid)`, upstream's format.Pod. */
export const podDescription = (pod: KubeObject) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

/** Go's time.Duration text for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** Still to be started by the pod (not a back-off). */
export const waitingToStart = (status: any) => !!status.state?.waiting && status.state.waiting.reason !== 'CrashLoopBackOff';

/** The container's run that begins at wall ms `at`; a restart when `lastState` (the run that ended) is given. */
export function runningStatus(pod: KubeObject, spec: { name: string; image: string }, status: any, at: number, lastState?: any): any {
  const restartCount = (status.restartCount ?? 0) + (lastState ? 1 : 0);
  const image = spec.image;
  return {
    name: spec.name,
    image,
    imageID: `${image.split(':')[0]}@sha256:${stableHex('image', image)}`,
    containerID: `kubeq://${stableHex('container', pod.metadata.uid ?? '', spec.name, String(restartCount))}`,
    ready: false,
    restartCount,
    started: false,
    state: { running: { startedAt: preciseTime(new Date(at)) } },
    ...(lastState ? { lastState } : status.lastState ? { lastState: status.lastState } : {}),
  };
}

function terminated(status: any, exitCode: number, at: number, reason = exitCode === 0 ? 'Completed' : 'Error'): any {
  return {
    ...status,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode,
        reason,
        startedAt: status.state.running.startedAt,
        finishedAt: preciseTime(new Date(at)),
        ...(status.containerID ? { containerID: status.containerID } : {}),
      },
    },
  };
}

const nearest = (ms: number) => BACKOFF_LADDER_MS.reduce((best, v) => (Math.abs(v - ms) < Math.abs(best - ms) ? v : best));

/** Cluster ms to wait before restarting a container that has just ended (`status.state.terminated`). */
export function backoffMs(status: any, timeScale: number): number {
  const end = status.state.terminated;
  const previous = status.lastState?.terminated;
  const ranMs = (Date.parse(end.finishedAt) - Date.parse(end.startedAt)) * timeScale;
  if (!previous || !(ranMs <= BACKOFF_RESET_MS)) return 0;
  const gapMs = (Date.parse(end.startedAt) - Date.parse(previous.finishedAt)) * timeScale;
  const index = BACKOFF_LADDER_MS.indexOf(nearest(gapMs));
  return BACKOFF_LADDER_MS[Math.min(index + 1, BACKOFF_LADDER_MS.length - 1)];
}

const capital = (kind: string) => kind[0].toUpperCase() + kind.slice(1);

function probeEvents(spec: { name: string }, probe: Probe, killed: boolean): KubeletEvent[] {
  const unhealthy: KubeletEvent = { type: 'Warning', reason: 'Unhealthy', message: `${capital(probe.kind)} probe failed: ${probe.failure}` };
  return killed ? [unhealthy, { type: 'Normal', reason: 'Killing', message: `Container ${spec.name} failed ${probe.kind} probe, will be restarted` }] : [unhealthy];
}

/** The container's run timeline from its spec's probes and the plan's failure windows. */
export function timelineOf(sim: ContainerSim, podIP: string): RunTimeline {
  const probes = { startup: probeOf(sim.spec, 'startup', podIP), liveness: probeOf(sim.spec, 'liveness', podIP), readiness: probeOf(sim.spec, 'readiness', podIP) };
  return runTimeline(probes, sim.plan.fail);
}

/** At most this many transitions per call: a kubelet that was down catches up, a zero-length loop cannot spin. */
const MAX_STEPS = 64;

/** Moves one container from its stored `status` to `ctx.now`. A container still waiting to be started is returned as it is. */
export function advanceContainer(sim: ContainerSim, status: any, ctx: SimContext): Advanced {
  const { now, timeScale } = ctx;
  const wall = (from: number, clusterMs: number) => from + clusterMs / timeScale;
  const events: KubeletEvent[] = [];
  let st = status;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (st.state?.running) {
      const since = Date.parse(st.state.running.startedAt);
      const timeline = timelineOf(sim, ctx.podIP);
      const offset = (now - since) * timeScale;
      const overLimit = sim.plan.overLimitAt !== undefined && sim.plan.overLimitAt > since ? (sim.plan.overLimitAt - since) * timeScale : Infinity;
      const oomMs = Math.min(sim.plan.oomAfterMs ?? Infinity, overLimit);
      const endMs = Math.min(sim.plan.exitAfterMs ?? Infinity, timeline.kill?.atMs ?? Infinity, oomMs);
      if (endMs <= offset) {
        const at = Math.floor(wall(since, endMs));
        if (oomMs === endMs) st = terminated(st, KILLED_EXIT_CODE, at, 'OOMKilled');
        else {
          const killed = timeline.kill && timeline.kill.atMs <= endMs ? timeline.kill.probe : undefined;
          if (killed) events.push(...probeEvents(sim.spec, killed, true));
          st = terminated(st, killed ? KILLED_EXIT_CODE : sim.plan.exitCode, at);
        }
        continue;
      }
      const started = offset >= timeline.startedMs;
      const ready = started && readyAt(timeline, offset);
      const readiness = probeOf(sim.spec, 'readiness', ctx.podIP);
      if (st.ready && !ready && readiness) events.push(...probeEvents(sim.spec, readiness, false));
      st = { ...st, started, ready };
      const next = Math.min(nextChange(timeline, offset), endMs);
      return { status: st, nextAt: next === Infinity ? Infinity : Math.ceil(wall(since, next)), ...(started ? { startedAt: wall(since, timeline.startedMs) } : {}), events };
    }
    if (st.state?.terminated) {
      if (!sim.restarts(st.state.terminated.exitCode)) return { status: st, nextAt: Infinity, events };
      const waitMs = backoffMs(st, timeScale);
      const restartAt = wall(Date.parse(st.state.terminated.finishedAt), waitMs);
      if (restartAt <= now) {
        st = runningStatus(ctx.pod, sim.spec, st, Math.floor(restartAt), { terminated: st.state.terminated });
        continue;
      }
      events.push({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${sim.spec.name} in pod ${podDescription(ctx.pod)}` });
      st = {
        ...st,
        ready: false,
        started: false,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(waitMs)} restarting failed container=${sim.spec.name} pod=${podDescription(ctx.pod)}` } },
        lastState: { terminated: st.state.terminated },
      };
      return { status: st, nextAt: Math.ceil(restartAt), events };
    }
    if (st.state?.waiting?.reason === 'CrashLoopBackOff') {
      const waitMs = parseDuration(/^back-off (\S+) /.exec(st.state.waiting.message ?? '')?.[1]) ?? 0;
      const last = st.lastState?.terminated;
      const restartAt = last ? wall(Date.parse(last.finishedAt), waitMs) : now;
      if (restartAt > now) return { status: st, nextAt: Math.ceil(restartAt), events };
      // restartCount counts this restart; the run just ended stays the last state.
      st = runningStatus(ctx.pod, sim.spec, { ...st, lastState: undefined }, Math.floor(restartAt), st.lastState ?? { terminated: {} });
      continue;
    }
    return { status: st, nextAt: Infinity, events };
  }
  return { status: st, nextAt: now, events };
}
