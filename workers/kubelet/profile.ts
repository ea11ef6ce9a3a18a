/**
 * The simulated pod lifecycle's timing, as data (STYLE rule 8, kwok's stages): a default
 * profile, and per-pod overrides read from annotations. All durations are cluster milliseconds
 * (the reconciler scales them by KUBEQ_TIME_SCALE).
 */
import type { KubeObject } from '../../shared/api/types';
import { quantityOr, toNumber } from '../../shared/api/quantity';
import { parseDuration } from '../../shared/config/duration';
import { seededUnit } from './random';

export { parseDuration };

/** A delay with symmetric jitter: `delayMs ± jitterMs`, never below 0. */
export interface Delay {
  delayMs: number;
  jitterMs: number;
}

export interface Profile {
  /** Image pull, before containers start. Default 1 s ± 0.5 s. */
  imagePull: Delay;
  /** Container start, after the pull. Default 0.5 s. */
  containerStart: Delay;
  /** Stop: from containers terminated to the pod's removal, capped by its grace period. Default 0.5 s. */
  stop: Delay;
  /** How long an init container runs before it exits 0. Default 1 s. */
  initRun: Delay;
}

export const DEFAULT_PROFILE: Profile = {
  imagePull: { delayMs: 1_000, jitterMs: 500 },
  containerStart: { delayMs: 500, jitterMs: 0 },
  stop: { delayMs: 500, jitterMs: 0 },
  initRun: { delayMs: 1_000, jitterMs: 0 },
};

/** Replaces pull + start: from the pod's acceptance to Running (e.g. `2s`). */
export const START_DELAY_ANNOTATION = 'sim.kubeq.io/start-delay';
/**
 * Containers exit this long after each start (e.g. `30s`); unset means they run until killed.
 * Whether they then restart is the pod's restartPolicy. `sim.kubeq.io/exit-after.<container>`
 * sets one container, init containers included (their default is the profile's `initRun`).
 */
export const EXIT_AFTER_ANNOTATION = 'sim.kubeq.io/exit-after';
/** The exit code of that exit (default 0); `.<container>` as above. */
export const EXIT_CODE_ANNOTATION = 'sim.kubeq.io/exit-code';
/**
 * When a probe fails, as windows since the container's latest start: `fail-liveness: 30s-`
 * (from 30 s on), `fail-readiness: 10s-20s,1m-1m30s`, `fail-startup: always`. Outside them the
 * probe succeeds; a container without that probe ignores them. `.<container>` as above.
 */
/**
 * Memory a container uses at its start (a quantity, e.g. `300Mi`) and how fast it grows (`5Mi/s`,
 * `1Gi/m`): above the container's memory limit it is OOMKilled (exit code 137) and restarted as
 * its restartPolicy says. `.<container>` as above. (Usage and metrics come with autoscaling.)
 */
export const MEMORY_USAGE_ANNOTATION = 'sim.kubeq.io/memory-usage';
export const MEMORY_GROWTH_ANNOTATION = 'sim.kubeq.io/memory-growth';
/** A container's memory at its start when `memory-usage` does not say. */
export const DEFAULT_MEMORY_BYTES = 8 * 1024 * 1024;

export const FAIL_ANNOTATIONS = { startup: 'sim.kubeq.io/fail-startup', liveness: 'sim.kubeq.io/fail-liveness', readiness: 'sim.kubeq.io/fail-readiness' } as const;

/** `[fromMs, toMs)` since a container's start; `toMs` Infinity when open. */
export interface Window {
  fromMs: number;
  toMs: number;
}

/** `10s-20s,1m-` or `always` as windows; undefined when malformed (the probe then just succeeds). */
export function parseWindows(text: string | undefined): Window[] | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === 'always') return [{ fromMs: 0, toMs: Infinity }];
  const windows = text.split(',').map((part) => {
    const match = /^\s*([^-\s]*)\s*-\s*([^-\s]*)\s*$/.exec(part);
    if (!match) return undefined;
    const fromMs = match[1] === '' ? 0 : parseDuration(match[1]);
    const toMs = match[2] === '' ? Infinity : parseDuration(match[2]);
    return fromMs !== undefined && toMs !== undefined && fromMs < toMs ? { fromMs, toMs } : undefined;
  });
  return windows.every((w): w is Window => !!w) ? windows : undefined;
}

/** One draw of a delay for this pod and stage. */
export function drawDelay(delay: Delay, seed: number, uid: string, stage: string): number {
  const u = seededUnit(seed, uid, stage);
  return Math.max(0, Math.round(delay.delayMs + (2 * u - 1) * delay.jitterMs));
}

/** What this pod's simulation does and when, from the profile and the pod's annotations. */
export interface PodPlan {
  /** From acceptance (status.startTime) to the sandbox and the first container's start. */
  startMs: number;
  stopMs: number;
}

export function planFor(pod: KubeObject, profile: Profile, seed: number): PodPlan {
  const annotations = pod.metadata.annotations ?? {};
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  return {
    startMs: parseDuration(annotations[START_DELAY_ANNOTATION]) ?? drawDelay(profile.imagePull, seed, uid, 'pull') + drawDelay(profile.containerStart, seed, uid, 'start'),
    stopMs: drawDelay(profile.stop, seed, uid, 'stop'),
  };
}

/** What one container does in each run. */
export interface ContainerPlan {
  /** From each start to its exit; undefined: it runs until a probe or the pod's deletion stops it. */
  exitAfterMs?: number;
  exitCode: number;
  /** Failure windows per probe. */
  fail: Record<keyof typeof FAIL_ANNOTATIONS, Window[]>;
  /** From each start to the moment its memory passes its limit (OOMKilled); undefined: never. */
  oomAfterMs?: number;
  /**
   * Wall ms at which the metrics sampler found the container over its memory limit with what
   * the simulated loads add (requests in flight); it counts for the run that was going then.
   */
  overLimitAt?: number;
}

const bytes = (text: string | undefined): number | undefined => quantityOr(text, toNumber);

/** `5Mi/s` or `1Gi/m` → bytes per second; undefined when malformed. */
export function parseGrowth(text: string | undefined): number | undefined {
  const match = /^\s*(\S+)\/(s|m|h)\s*$/.exec(text ?? '');
  const amount = bytes(match?.[1]);
  return match && amount !== undefined ? amount / { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'] : undefined;
}

/** When memory (start + growth × t) passes the limit, in ms after the start; undefined without a limit or an excess. */
export function oomAfter(limitBytes: number | undefined, startBytes: number, growthPerSecond: number): number | undefined {
  if (limitBytes === undefined) return undefined;
  if (startBytes > limitBytes) return 0;
  if (!(growthPerSecond > 0)) return undefined;
  return Math.ceil(((limitBytes - startBytes) / growthPerSecond) * 1000);
}

/**
 * `kind` is `init` for an init container that runs to completion (exits 0 after `initRun`
 * unless annotated), `app` for app containers and restartable (sidecar) init containers.
 */
export function containerPlanFor(pod: KubeObject, name: string, kind: 'init' | 'app', profile: Profile, seed: number): ContainerPlan {
  const annotations = pod.metadata.annotations ?? {};
  const own = (key: string) => annotations[`${key}.${name}`] ?? (kind === 'app' ? annotations[key] : undefined);
  const code = Number(own(EXIT_CODE_ANNOTATION));
  const initRunMs = kind === 'init' ? drawDelay(profile.initRun, seed, pod.metadata.uid ?? '', `init/${name}`) : undefined;
  const fail = (key: string) => parseWindows(own(key)) ?? [];
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: { name?: string }) => c.name === name);
  const limit = bytes(spec?.resources?.limits?.memory);
  const oom = oomAfter(limit, bytes(own(MEMORY_USAGE_ANNOTATION)) ?? DEFAULT_MEMORY_BYTES, parseGrowth(own(MEMORY_GROWTH_ANNOTATION)) ?? 0);
  return {
    exitAfterMs: parseDuration(own(EXIT_AFTER_ANNOTATION)) ?? initRunMs,
    exitCode: Number.isInteger(code) ? code : 0,
    fail: { startup: fail(FAIL_ANNOTATIONS.startup), liveness: fail(FAIL_ANNOTATIONS.liveness), readiness: fail(FAIL_ANNOTATIONS.readiness) },
    ...(oom !== undefined ? { oomAfterMs: oom } : {}),
  };
}
