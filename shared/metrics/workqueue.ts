import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { processRegistry } from './registry';

/**
 * client-go's workqueue metrics, with the names, help texts, `name` label and buckets of
 * k8s.io/component-base/metrics/prometheus/workqueue, so dashboards built for Kubernetes
 * controllers read kubeq's queues unchanged. One set per queue name and process.
 */
export interface QueueMetrics {
  /** `workqueue_adds_total`: an add that made a new job (coalesced adds are not counted, as in client-go). */
  added(count?: number): void;
  /** `workqueue_retries_total`: a key put back for later (backoff after an error, or requeueAfter). */
  retried(): void;
  /**
   * A worker took a key: observes `workqueue_queue_duration_seconds` (when `queuedSeconds` is
   * known) and tracks the work as in flight until the returned `done()` observes
   * `workqueue_work_duration_seconds`.
   */
  started(queuedSeconds?: number): () => void;
  /** Where `workqueue_depth` comes from at scrape time (BullMQ counts). Replaces an earlier source. */
  depthFrom(source: () => Promise<number>): void;
}

/** Upstream: ExponentialBuckets(10e-7, 10, 10), i.e. 1 µs … 1000 s (written out: 1e-6 × 10^i is not exact in floating point). */
const DURATION_BUCKETS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

interface Families {
  adds: Counter<'name'>;
  retries: Counter<'name'>;
  latency: Histogram<'name'>;
  work: Histogram<'name'>;
  /** queue name → depth source, read by `workqueue_depth` at scrape time. */
  depthSources: Map<string, () => Promise<number>>;
  /** queue name → start times (ms) of the work in flight in this process. */
  inFlight: Map<string, Set<{ start: number }>>;
}

const byRegistry = new WeakMap<Registry, Families>();

function families(registry: Registry): Families {
  const known = byRegistry.get(registry);
  if (known) return known;
  const depthSources = new Map<string, () => Promise<number>>();
  const inFlight = new Map<string, Set<{ start: number }>>();
  const registers = [registry];
  const f: Families = {
    depthSources,
    inFlight,
    adds: new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames: ['name'], registers }),
    retries: new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames: ['name'], registers }),
    latency: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames: ['name'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    work: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: ['name'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
  };
  new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue',
    labelNames: ['name'],
    registers,
    async collect() {
      const entries = [...depthSources];
      const depths = await Promise.all(entries.map(([, source]) => source().catch(() => NaN)));
      entries.forEach(([name], i) => this.set({ name }, depths[i]));
    },
  });
  new Gauge({
    name: 'workqueue_unfinished_work_seconds',
    help:
      "How many seconds of work has done that is in progress and hasn't been observed by work_duration. " +
      'Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.',
    labelNames: ['name'],
    registers,
    collect() {
      const now = Date.now();
      for (const [name, work] of inFlight) this.set({ name }, [...work].reduce((sum, w) => sum + (now - w.start) / 1000, 0));
    },
  });
  new Gauge({
    name: 'workqueue_longest_running_processor_seconds',
    help: 'How many seconds has the longest running processor for workqueue been running.',
    labelNames: ['name'],
    registers,
    collect() {
      const now = Date.now();
      for (const [name, work] of inFlight) this.set({ name }, [...work].reduce((max, w) => Math.max(max, (now - w.start) / 1000), 0));
    },
  });
  byRegistry.set(registry, f);
  return f;
}

/** The metrics of queue `name` in `registry` (default: the process registry). Cheap to call again. */
export function queueMetrics(name: string, registry: Registry = processRegistry()): QueueMetrics {
  const f = families(registry);
  if (!f.inFlight.has(name)) f.inFlight.set(name, new Set());
  const work = f.inFlight.get(name)!;
  f.adds.inc({ name }, 0);
  f.retries.inc({ name }, 0);
  return {
    added: (count = 1) => f.adds.inc({ name }, count),
    retried: () => f.retries.inc({ name }),
    started(queuedSeconds) {
      if (queuedSeconds !== undefined && queuedSeconds >= 0) f.latency.observe({ name }, queuedSeconds);
      const item = { start: Date.now() };
      work.add(item);
      return () => {
        if (!work.delete(item)) return;
        f.work.observe({ name }, (Date.now() - item.start) / 1000);
      };
    },
    depthFrom: (source) => void f.depthSources.set(name, source),
  };
}
