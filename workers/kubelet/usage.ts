/**
 * What a simulated container uses (pure). CPU: its baseline plus what the requests it serves
 * cost, held at its limit (shared/load/cpu.ts) — the share held back is its throttling. Memory:
 * `sim.kubeq.io/memory-usage` (default 8Mi) plus `sim.kubeq.io/memory-growth` since its start
 * (past the limit it is OOMKilled, see profile.ts) plus the requests in flight. A node uses its
 * pods' sum plus the system's own share.
 */
import { quantityOr, toNumber } from '../../shared/api/quantity';
import type { KubeObject } from '../../shared/api/types';
import { containerAnnotation, containerCpu, servingContainer } from '../../shared/load/cpu';
import type { PodLoadTotal } from '../../shared/load/state';
import type { ContainerUsage } from '../../shared/resourcemetrics/samples';
import { DEFAULT_MEMORY_BYTES, MEMORY_GROWTH_ANNOTATION, MEMORY_USAGE_ANNOTATION, parseGrowth } from './profile';

export { DEFAULT_MEMORY_BYTES };
export { CPU_USAGE_ANNOTATION, DEFAULT_CPU_MILLIS } from '../../shared/load/cpu';

/** The node's own use (kubelet, runtime, system daemons): a model's constant. */
export const SYSTEM_CPU_MILLIS = 100;
export const SYSTEM_MEMORY_BYTES = 512 * 1024 * 1024;

/** What the requests a container serves cost it. */
export interface ServedLoad {
  cpuMillis: number;
  memoryBytes: number;
}

/** Usage of container `name` of `pod`, `runningMs` (cluster time) after its latest start, serving `load`. */
export function containerUsage(pod: KubeObject, name: string, runningMs: number, load: ServedLoad = { cpuMillis: 0, memoryBytes: 0 }): ContainerUsage {
  const cpu = containerCpu(pod, name, load.cpuMillis);
  const memoryBytes = (quantityOr(containerAnnotation(pod, MEMORY_USAGE_ANNOTATION, name), toNumber) ?? DEFAULT_MEMORY_BYTES) + (parseGrowth(containerAnnotation(pod, MEMORY_GROWTH_ANNOTATION, name)) ?? 0) * (runningMs / 1000) + load.memoryBytes;
  return { name, cpuMillis: cpu.usedMillis, memoryBytes: Math.round(memoryBytes), throttled: cpu.throttled };
}

/**
 * Usage of every running container of a running pod at `now` (wall ms), time-scaled; `load` is
 * what the simulated loads send it (shared/load/state), landing on the container that has the port.
 */
export function podUsage(pod: KubeObject, now: number, timeScale: number, load?: PodLoadTotal): ContainerUsage[] {
  const served = new Map<string, ServedLoad>();
  for (const [port, cost] of load?.byPort ?? []) {
    const name = servingContainer(pod, port);
    if (!name) continue;
    const sum = served.get(name) ?? { cpuMillis: 0, memoryBytes: 0 };
    served.set(name, { cpuMillis: sum.cpuMillis + cost.cpuMillis, memoryBytes: sum.memoryBytes + cost.memoryBytes });
  }
  const out: ContainerUsage[] = [];
  for (const status of pod.status?.containerStatuses ?? []) {
    const since = Date.parse(status.state?.running?.startedAt ?? '');
    if (Number.isNaN(since)) continue;
    out.push(containerUsage(pod, status.name, Math.max(0, now - since) * timeScale, served.get(status.name)));
  }
  return out;
}

/** The node's usage: its pods' sum and the system's share. */
export function nodeUsage(pods: ContainerUsage[][]): { cpuMillis: number; memoryBytes: number } {
  const all = pods.flat();
  return { cpuMillis: SYSTEM_CPU_MILLIS + all.reduce((s, c) => s + c.cpuMillis, 0), memoryBytes: SYSTEM_MEMORY_BYTES + all.reduce((s, c) => s + c.memoryBytes, 0) };
}
