/**
 * A role's entry point: settings, then telemetry — before the role's code (express, ioredis,
 * bullmq) is loaded, so their calls are instrumented — then the role, loaded on demand. A role
 * that fails to start logs `<role>: <why>` and exits 1 (its supervisor restarts it).
 */
// The SDK first: nothing that loads ioredis or express may come before it.
import { startTelemetry, type Telemetry } from '../tracing/sdk';
import { loadSettings, type Settings } from '../config/settings';

export type RunRole = (settings: Settings, telemetry: Telemetry) => Promise<void>;

export function roleMain(role: string, load: () => Promise<RunRole>): void {
  const settings = loadSettings();
  const telemetry = startTelemetry({ serviceName: `kubeq-${role}`, redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix });
  void load()
    .then((run) => run(settings, telemetry))
    .catch((err: unknown) => {
      console.error(`${role}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
