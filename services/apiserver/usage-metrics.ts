/**
 * The kubelets' usage samples on the API server's `/metrics`, read from Redis at each scrape:
 * per container `container_memory_working_set_bytes` (the kubelet's resource-metrics name),
 * `kubeq_container_cpu_usage_cores`, and `kubeq_container_cpu_throttled_ratio` — the share of
 * the CPU the container wanted that its limit held back (cAdvisor counts throttled CFS periods;
 * the simulation has the ratio itself).
 */
import client from 'prom-client';
import type { ContainerUsage, PodSample, ResourceSamples } from '../../shared/resourcemetrics/samples';

export function registerUsageMetrics(registry: client.Registry, samples: ResourceSamples): void {
  // prom-client collects the gauges in parallel: one read of the samples serves a scrape.
  let reading: Promise<PodSample[]> | undefined;
  const read = () => (reading ??= samples.pods().finally(() => setTimeout(() => (reading = undefined), 0)));
  const gauge = (name: string, help: string, value: (c: ContainerUsage) => number) =>
    new client.Gauge({
      name,
      help,
      labelNames: ['namespace', 'pod', 'container'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const p of await read()) for (const c of p.containers) this.set({ namespace: p.namespace, pod: p.name, container: c.name }, value(c));
      },
    });
  gauge('container_memory_working_set_bytes', 'Current working set of the container in bytes (simulated, from the latest sample).', (c) => c.memoryBytes);
  gauge('kubeq_container_cpu_usage_cores', 'CPU the container uses, in cores, averaged over the latest sample window (simulated).', (c) => c.cpuMillis / 1000);
  gauge('kubeq_container_cpu_throttled_ratio', 'Share of the CPU the container wanted that its CPU limit held back, over the latest sample window (simulated).', (c) => Math.round(c.throttled * 1000) / 1000);
}
