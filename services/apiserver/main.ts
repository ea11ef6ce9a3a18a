// The apiserver role. Telemetry starts before express and ioredis load, so their calls are traced.
import { startTelemetry } from '../../shared/tracing/sdk';
import { loadSettings } from '../../shared/config/settings';

const settings = loadSettings();
const telemetry = startTelemetry({ serviceName: 'kubeq-apiserver', redisUrl: settings.redisUrl, redisPrefix: settings.redisPrefix });

void import('./run').then(({ runApiServer }) =>
  runApiServer(settings, telemetry).catch((err: unknown) => {
    console.error(`apiserver: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }),
);
