// The scheduler role. Telemetry starts before ioredis and bullmq load.
import { startTelemetry } from '../../shared/tracing/sdk';
import { loadSettings } from '../../shared/config/settings';

const settings = loadSettings();
const telemetry = startTelemetry({ serviceName: 'kubeq-scheduler', redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix });

void import('./run').then(({ runScheduler }) =>
  runScheduler(settings, telemetry).catch((err: unknown) => {
    console.error(`scheduler: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }),
);
