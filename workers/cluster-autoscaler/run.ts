import { connectWorker } from '../../shared/process/connect';
import type { Settings } from '../../shared/config/settings';
import { Machines } from '../../shared/cloudprovider/machines';
import { storeEventRecorder } from '../../shared/events/recorder';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { DEFAULT_PROFILE } from '../../shared/scheduling/profile';
import { seededRandom } from '../../shared/scheduling/framework/random';
import type { Telemetry } from '../../shared/tracing/sdk';
import { Autoscaler } from './autoscaler';
import { loadAutoscalerSettings } from './settings';

export const CA_ROLE = 'cluster-autoscaler';
/** The one key of the role's queue: the pass, every scan interval. The queue never runs a key twice at once, so extra processes cannot overlap passes. */
export const LOOP_KEY = 'autoscaler/RunOnce';

/**
 * Wires the cluster autoscaler: an informer over what its simulations read (pods, nodes, the
 * scheduler's listers, PodDisruptionBudgets, the priority expander's ConfigMap), and one pass
 * every scan interval (`requeueAfter`); events never enqueue it, as upstream's loop is periodic.
 */
export async function runClusterAutoscaler(settings: Settings, telemetry: Telemetry): Promise<void> {
  const ca = loadAutoscalerSettings(process.env, settings.timeScale);
  const { redis, clock, store } = connectWorker(settings);
  const autoscaler = new Autoscaler({
    settings: ca,
    store,
    clock,
    machines: new Machines(redis, settings.redisPrefix),
    recorder: storeEventRecorder(store, clock, CA_ROLE),
    random: seededRandom(settings.seed),
    profile: DEFAULT_PROFILE,
  });
  const controller = await startController({
    role: CA_ROLE,
    instance: settings.instance,
    store,
    resources: ['pods', 'nodes', 'replicasets', 'namespaces', 'services', 'poddisruptionbudgets', 'configmaps'],
    handler: () => [],
    reconcile: (key, { cache, span }) => autoscaler.runOnce(cache, span),
  });
  await controller.queue.enqueueBulk([{ key: LOOP_KEY, traceparent: '' }]);
  const groups = ca.nodeGroups.map((g) => `${g.name} (${g.min}..${g.max})`).join(', ') || 'none';
  await runWorker(CA_ROLE, `node groups: ${groups}; expander ${ca.expanders.join(',')}`, settings, { controllers: [controller], redis, telemetry });
}
