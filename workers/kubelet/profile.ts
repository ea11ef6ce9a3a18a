/**
 * The simulated pod lifecycle's timing, as data (STYLE rule 8, kwok's stages): a default
 * profile, and per-pod overrides read from annotations. All durations are cluster milliseconds
 * (the reconciler scales them by KUBEQ_TIME_SCALE).
 */
import type { KubeObject } from '../../shared/api/types';
import { seededUnit } from './random';

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
}

export const DEFAULT_PROFILE: Profile = {
  imagePull: { delayMs: 1_000, jitterMs: 500 },
  containerStart: { delayMs: 500, jitterMs: 0 },
  stop: { delayMs: 500, jitterMs: 0 },
};

/** Replaces pull + start: from the pod's acceptance to Running (e.g. `2s`). */
export const START_DELAY_ANNOTATION = 'sim.kubeq.io/start-delay';
/** Containers exit this long after they start (e.g. `30s`); unset means they run until deleted. */
export const EXIT_AFTER_ANNOTATION = 'sim.kubeq.io/exit-after';
/** The exit code of that exit; default 0 (phase Succeeded), else phase Failed. */
export const EXIT_CODE_ANNOTATION = 'sim.kubeq.io/exit-code';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for ms/s/m/h (`1m30s`, `500ms`, `2.5s`); undefined when malformed. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0));
}

/** One draw of a delay for this pod and stage. */
export function drawDelay(delay: Delay, seed: number, uid: string, stage: string): number {
  const u = seededUnit(seed, uid, stage);
  return Math.max(0, Math.round(delay.delayMs + (2 * u - 1) * delay.jitterMs));
}

/** What this pod's simulation does and when, from the profile and the pod's annotations. */
export interface PodPlan {
  /** From acceptance (status.startTime) to Running. */
  startMs: number;
  /** From the containers' start to their exit; undefined: they run until deleted. */
  exitAfterMs?: number;
  exitCode: number;
  stopMs: number;
}

export function planFor(pod: KubeObject, profile: Profile, seed: number): PodPlan {
  const annotations = pod.metadata.annotations ?? {};
  const uid = pod.metadata.uid ?? pod.metadata.name ?? '';
  const code = Number(annotations[EXIT_CODE_ANNOTATION]);
  return {
    startMs: parseDuration(annotations[START_DELAY_ANNOTATION]) ?? drawDelay(profile.imagePull, seed, uid, 'pull') + drawDelay(profile.containerStart, seed, uid, 'start'),
    exitAfterMs: parseDuration(annotations[EXIT_AFTER_ANNOTATION]),
    exitCode: Number.isInteger(code) ? code : 0,
    stopMs: drawDelay(profile.stop, seed, uid, 'stop'),
  };
}
