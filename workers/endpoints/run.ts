import { connectWorker } from '../../shared/process/connect';
import type { Settings } from '../../shared/config/settings';
import type { Indexer } from '../../shared/informer/indexer';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import type { Telemetry } from '../../shared/tracing/sdk';
import { endpointsKeys } from './handler';
import { reconcileService } from './reconcile';

/** Queue and consumer group of the endpoints worker. */
export const ENDPOINTS_ROLE = 'endpoints';

/**
 * Wires the endpoints worker (upstream's endpoint and endpointslice controllers): one
 * controller over services, pods, nodes (zones), EndpointSlices and Endpoints, keyed by
 * Service; stops on SIGTERM/SIGINT.
 */
export async function runEndpoints(settings: Settings, telemetry: Telemetry): Promise<void> {
  const { redis, store } = connectWorker(settings);
  const cache: { current?: Indexer } = {};
  const controller = await startController({
    role: ENDPOINTS_ROLE,
    instance: settings.instance,
    store,
    resources: ['services', 'pods', 'nodes', 'endpointslices', 'endpoints'],
    handler: endpointsKeys(() => cache.current),
    reconcile: (key, { cache: indexer }) => reconcileService(key, indexer, store),
    // Upstream's --concurrent-service-endpoint-syncs default.
    concurrency: 5,
    started: (c) => (cache.current = c.informer.indexer),
  });
  await runWorker(ENDPOINTS_ROLE, 'EndpointSlices and Endpoints for every Service with a selector', settings, { controllers: [controller], redis, telemetry });
}
