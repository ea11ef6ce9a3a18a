import { parseDuration } from '../../shared/config/duration';

/**
 * The controller-manager's own settings (the shared ones come from shared/config/settings).
 * Each field's doc states its variable and default.
 */
export interface ControllerManagerSettings {
  /**
   * `KUBEQ_KUBE_API_QPS`, default 20 (kube-controller-manager's `--kube-api-qps`): writes a
   * second, in cluster time, across the role's controllers. 0 lifts the limit.
   */
  apiQps: number;
  /** `KUBEQ_KUBE_API_BURST`, default 30 (`--kube-api-burst`): writes allowed at once before the rate applies. */
  apiBurst: number;
  /** `KUBEQ_EVENT_TTL`, default `1h` (kube-apiserver's `--event-ttl`): Events go this long after their last write. */
  eventTtlMs: number;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got ${JSON.stringify(raw)}`);
  return value;
}

/** A Go duration (`1h`, `90m`, `1h30m`), else the default; throws on anything else. */
function duration(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  const ms = parseDuration(raw);
  if (ms === undefined) throw new Error(`${name} must be a duration such as 1h or 90s, got ${JSON.stringify(raw)}`);
  return ms;
}

export function loadControllerManagerSettings(env: NodeJS.ProcessEnv = process.env): ControllerManagerSettings {
  const apiQps = number(env, 'KUBEQ_KUBE_API_QPS', 20);
  const apiBurst = Math.max(1, Math.floor(number(env, 'KUBEQ_KUBE_API_BURST', 30)));
  return { apiQps, apiBurst, eventTtlMs: duration(env, 'KUBEQ_EVENT_TTL', 3_600_000) };
}
