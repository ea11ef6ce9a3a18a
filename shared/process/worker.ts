import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings';
import { serveMetrics, type MetricsServer } from '../metrics/registry';
import type { Telemetry } from '../tracing/sdk';

/** What a worker role stops, in order, on SIGTERM or SIGINT. */
export interface Stoppable {
  stop(): Promise<void>;
}


/**
 * The end of every worker's wiring: serves `/metrics` when KUBEQ_METRICS_PORT is set, logs the
 * one ready line (`<role>: ready (<what>; metrics at …)`), and on SIGTERM/SIGINT stops the
 * controllers (waiting for reconciles in flight), the metrics server and telemetry, then exits 0.
 */
export async function runWorker(role: string, what: string, settings: Settings, parts: { controllers: Stoppable[]; redis: Redis; telemetry: Telemetry }): Promise<void> {
  const metrics: MetricsServer | undefined = settings.metricsPort > 0 ? await serveMetrics(settings.metricsPort, undefined, settings.apiHost) : undefined;
  const where = metrics ? `metrics at http://${settings.apiHost}:${metrics.port}/metrics` : 'metrics off (set KUBEQ_METRICS_PORT)';
  console.log(`${role}: ready (${what}; ${where})`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void Promise.all(parts.controllers.map((c) => c.stop()))
      .then(() => metrics?.close())
      .then(() => parts.telemetry.shutdown())
      .catch((err: unknown) => console.error(`${role}: stopping: ${String(err)}`))
      .finally(() => {
        parts.redis.disconnect();
        process.exit(0);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
