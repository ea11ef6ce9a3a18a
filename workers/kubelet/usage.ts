/**
 * What a simulated container uses (pure). CPU: its baseline (`sim.kubeq.io/cpu-usage`, default
 * 1m) plus the load it serves (none yet: load comes with the autoscaling work), held at its
 * limit — the share held back is its throttling. Memory: `sim.kubeq.io/memory-usage` (default
 * 8Mi) plus `sim.kubeq.io/memory-growth` since its start (past the limit it is OOMKilled, see
 * profile.ts). A node uses its pods' sum plus the system's own share.
 */
import { toMillis, toNumber } from '../../shared/api/quantity';
import type { KubeObject } from '../../shared/api/types';
import type { ContainerUsage } from '../../shared/resourcemetrics/samples';
import { DEFAULT_MEMORY_BYTES, MEMORY_GROWTH_ANNOTATION, MEMORY_USAGE_ANNOTATION, parseGrowth } from './profile';

export { DEFAULT_MEMORY_BYTES };

export const CPU_USAGE_ANNOTATION = 'sim.kubeq.io/cpu-usage';
export const DEFAULT_CPU_MILLIS = 1;
/** The node's own use (kubelet, runtime, system daemons): a model's constant. */
export const SYSTEM_CPU_MILLIS = 100;
export const SYSTEM_MEMORY_BYTES = 512 * 1024 * 1024;

const parse = (text: string | undefined, as: (q: string) => number): number | undefined => {
  if (text === undefined) return undefined;
  try {
    return as(text);
  } catch {
    return undefined;
  }
};

/** Usage of container `name` of `pod`, `runningMs` (cluster time) after its latest start. */
export function containerUsage(pod: KubeObject, name: string, runningMs: number, loadCpuMillis = 0): ContainerUsage {
  const annotations = pod.metadata.annotations ?? {};
  const own = (key: string) => annotations[`${key}.${name}`] ?? annotations[key];
  const spec = (pod.spec?.containers ?? []).find((c: { name?: string }) => c.name === name) ?? {};
  const wanted = (parse(own(CPU_USAGE_ANNOTATION), toMillis) ?? DEFAULT_CPU_MILLIS) + loadCpuMillis;
  const limit = parse(spec.resources?.limits?.cpu, toMillis);
  const cpuMillis = limit !== undefined ? Math.min(wanted, limit) : wanted;
  const memoryBytes = (parse(own(MEMORY_USAGE_ANNOTATION), toNumber) ?? DEFAULT_MEMORY_BYTES) + (parseGrowth(own(MEMORY_GROWTH_ANNOTATION)) ?? 0) * (runningMs / 1000);
  return { name, cpuMillis, memoryBytes: Math.round(memoryBytes), throttled: wanted > 0 ? (wanted - cpuMillis) / wanted : 0 };
}

/** Usage of every running container of a running pod at `now` (wall ms), time-scaled. */
export function podUsage(pod: KubeObject, now: number, timeScale: number): ContainerUsage[] {
  const out: ContainerUsage[] = [];
  for (const status of pod.status?.containerStatuses ?? []) {
    const since = Date.parse(status.state?.running?.startedAt ?? '');
    if (Number.isNaN(since)) continue;
    out.push(containerUsage(pod, status.name, Math.max(0, now - since) * timeScale));
  }
  return out;
}

/** The node's usage: its pods' sum and the system's share. */
export function nodeUsage(pods: ContainerUsage[][]): { cpuMillis: number; memoryBytes: number } {
  const all = pods.flat();
  return { cpuMillis: SYSTEM_CPU_MILLIS + all.reduce((s, c) => s + c.cpuMillis, 0), memoryBytes: SYSTEM_MEMORY_BYTES + all.reduce((s, c) => s + c.memoryBytes, 0) };
}
