/**
 * A Load's request rate over time (pure): the shapes of `spec.rate` and the rate each gives at
 * a moment of cluster time since the load started.
 *
 *   Constant  rps
 *   Ramp      from → to, linearly over `over`, then held at `to`
 *   Step      from, then rps from `at` on
 *   Sine      base + amplitude · sin(2πt / period), never below 0
 *   Points    [[time, rps], …]: linear between points, the first before, the last after
 *
 * Times are Go-style durations (`90s`, `2m`) or seconds as numbers.
 */
import { parseDuration } from '../config/duration';

export const SHAPES = ['Constant', 'Ramp', 'Step', 'Sine', 'Points'] as const;
export type Shape = (typeof SHAPES)[number];

export interface RateSpec {
  shape?: Shape;
  rps?: number;
  from?: number;
  to?: number;
  over?: string | number;
  at?: string | number;
  base?: number;
  amplitude?: number;
  period?: string | number;
  points?: [string | number, number][];
}

/** A duration field in ms: a Go duration or seconds; undefined when malformed or negative. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value === 'string') return parseDuration(value);
  return undefined;
}

const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Field errors of a rate spec, as `[path suffix, message]`; empty when valid. */
export function rateErrors(rate: unknown): [string, unknown, string][] {
  if (rate === undefined) return [['', undefined, 'required']];
  if (!rate || typeof rate !== 'object' || Array.isArray(rate)) return [['', rate, 'must be an object']];
  const r = rate as RateSpec;
  const shape = r.shape ?? 'Constant';
  const errs: [string, unknown, string][] = [];
  const need = (field: keyof RateSpec, check: (v: unknown) => boolean, detail: string) => {
    if (!check(r[field])) errs.push([`.${field}`, r[field], detail]);
  };
  const duration = (v: unknown) => durationMs(v) !== undefined;
  const positiveDuration = (v: unknown) => (durationMs(v) ?? 0) > 0;
  switch (shape) {
    case 'Constant':
      need('rps', nonNegative, 'must be a number, 0 or more');
      break;
    case 'Ramp':
      need('from', (v) => v === undefined || nonNegative(v), 'must be a number, 0 or more');
      need('to', nonNegative, 'must be a number, 0 or more');
      need('over', positiveDuration, 'must be a duration greater than 0 (e.g. 2m, or seconds)');
      break;
    case 'Step':
      need('from', (v) => v === undefined || nonNegative(v), 'must be a number, 0 or more');
      need('rps', nonNegative, 'must be a number, 0 or more');
      need('at', duration, 'must be a duration (e.g. 1m, or seconds)');
      break;
    case 'Sine':
      need('base', nonNegative, 'must be a number, 0 or more');
      need('amplitude', nonNegative, 'must be a number, 0 or more');
      need('period', positiveDuration, 'must be a duration greater than 0 (e.g. 5m, or seconds)');
      break;
    case 'Points': {
      const points = r.points;
      if (!Array.isArray(points) || points.length === 0) {
        errs.push(['.points', points, 'must be a list of [time, rps] pairs']);
        break;
      }
      let last = -1;
      points.forEach((p, i) => {
        const t = Array.isArray(p) && p.length === 2 ? durationMs(p[0]) : undefined;
        if (t === undefined || !nonNegative(p[1])) errs.push([`.points[${i}]`, p, 'must be [time, rps]: a duration (or seconds) and a number, 0 or more']);
        else if (t < last) errs.push([`.points[${i}]`, p, 'times must not go back']);
        else last = t;
      });
      break;
    }
    default:
      errs.push(['.shape', shape, `supported values: ${SHAPES.map((s) => `"${s}"`).join(', ')}`]);
  }
  return errs;
}

/** Requests per second at `tMs` of cluster time since the start (a valid spec). */
export function rateAt(rate: RateSpec, tMs: number): number {
  const t = Math.max(0, tMs);
  switch (rate.shape ?? 'Constant') {
    case 'Constant':
      return rate.rps ?? 0;
    case 'Ramp': {
      const from = rate.from ?? 0;
      const over = durationMs(rate.over) ?? 1;
      return t >= over ? (rate.to ?? 0) : from + ((rate.to ?? 0) - from) * (t / over);
    }
    case 'Step':
      return t >= (durationMs(rate.at) ?? 0) ? (rate.rps ?? 0) : (rate.from ?? 0);
    case 'Sine': {
      const period = durationMs(rate.period) ?? 1;
      return Math.max(0, (rate.base ?? 0) + (rate.amplitude ?? 0) * Math.sin((2 * Math.PI * t) / period));
    }
    case 'Points': {
      const points = (rate.points ?? []).map(([time, rps]) => [durationMs(time) ?? 0, rps] as const);
      if (!points.length) return 0;
      if (t <= points[0][0]) return points[0][1];
      for (let i = 1; i < points.length; i++) {
        const [t1, r1] = points[i];
        const [t0, r0] = points[i - 1];
        if (t <= t1) return t1 === t0 ? r1 : r0 + ((r1 - r0) * (t - t0)) / (t1 - t0);
      }
      return points[points.length - 1][1];
    }
    default:
      return 0;
  }
}
