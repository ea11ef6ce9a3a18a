// The kubelet role. Telemetry starts before ioredis and bullmq load.
import { startTelemetry } from '../../shared/tracing/sdk';
import { loadSettings } from '../../shared/config/settings';

const settings = loadSettings();
const telemetry = startTelemetry({ serviceName: 'kubeq-kubelet', redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix });

void import('./run').then(({ runKubelet }) =>
  runKubelet(settings, telemetry).catch((err: unknown) => {
    console.error(`kubelet: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }),
);
