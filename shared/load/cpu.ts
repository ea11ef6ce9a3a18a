/**
 * A container's CPU in the usage model (pure), shared by the kubelet (what it reports) and the
 * load simulator (what throttling does to latency): its baseline (`sim.kubeq.io/cpu-usage`,
 * default 1m, `.<container>` suffix for one container) plus what the requests it serves cost,
 * held at its limit; the share held back is its throttling.
 */
import { quantityOr, toMillis } from '../api/quantity';
import type { KubeObject } from '../api/types';

export const CPU_USAGE_ANNOTATION = 'sim.kubeq.io/cpu-usage';
export const DEFAULT_CPU_MILLIS = 1;

export interface ContainerCpu {
  /** What it would use unthrottled (millicores). */
  wantedMillis: number;
  /** What it gets: wanted, held at the limit. */
  usedMillis: number;
  /** Share of the wanted CPU the limit held back (0 when not throttled). */
  throttled: number;
}

/** The pod's annotation for one container (`<key>.<name>`) or for all (`<key>`). */
export function containerAnnotation(pod: KubeObject, key: string, name: string): string | undefined {
  const annotations = pod.metadata.annotations ?? {};
  return annotations[`${key}.${name}`] ?? annotations[key];
}

export function containerCpu(pod: KubeObject, name: string, loadMillis = 0): ContainerCpu {
  const spec = (pod.spec?.containers ?? []).find((c: { name?: string }) => c.name === name) ?? {};
  const wantedMillis = (quantityOr(containerAnnotation(pod, CPU_USAGE_ANNOTATION, name), toMillis) ?? DEFAULT_CPU_MILLIS) + loadMillis;
  const limit = quantityOr(spec.resources?.limits?.cpu, toMillis);
  const usedMillis = limit !== undefined ? Math.min(wantedMillis, limit) : wantedMillis;
  return { wantedMillis, usedMillis, throttled: wantedMillis > 0 ? (wantedMillis - usedMillis) / wantedMillis : 0 };
}

/** The container that serves `port` (a containerPort), else the first: where a request's cost lands. */
export function servingContainer(pod: KubeObject, port: number | undefined): string | undefined {
  const containers: { name?: string; ports?: { containerPort?: number }[] }[] = pod.spec?.containers ?? [];
  return (containers.find((c) => (c.ports ?? []).some((p) => p.containerPort === port)) ?? containers[0])?.name;
}
