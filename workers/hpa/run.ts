import { connectWorker } from '../../shared/process/connect';
import type { ObjectKey } from '../../shared/api/types';
import type { Settings } from '../../shared/config/settings';
import { storeEventRecorder } from '../../shared/events/recorder';
import { byResource, generationChangedKey } from '../../shared/informer/events';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { LoadState } from '../../shared/load/state';
import { ResourceSamples } from '../../shared/resourcemetrics/samples';
import type { Telemetry } from '../../shared/tracing/sdk';
import type { History } from './behavior';
import { reconcileHpa } from './reconcile';

export const HPA_ROLE = 'hpa';

/**
 * Wires the HPA worker (kube-controller-manager's horizontal-pod-autoscaler controller, a role
 * of its own here): every HPA is reconciled when it changes and every 15 s (scaled); pods are
 * cached for the targets' selectors; samples come from the kubelets (shared/resourcemetrics).
 */
export async function runHpa(settings: Settings, telemetry: Telemetry): Promise<void> {
  const { redis, clock, store } = connectWorker(settings);
  const deps = { store, clock, samples: new ResourceSamples(redis, settings.redisPrefix), loads: new LoadState(redis, settings.redisPrefix), recorder: storeEventRecorder(store, clock, 'horizontal-pod-autoscaler'), history: new Map<ObjectKey, History>(), timeScale: settings.timeScale };
  const controller = await startController({
    role: HPA_ROLE,
    instance: settings.instance,
    store,
    resources: ['horizontalpodautoscalers', 'pods'],
    // Spec changes reconcile at once; the 15 s loop (requeueAfter) does the rest. Pods are only cached.
    handler: byResource({ horizontalpodautoscalers: generationChangedKey }),
    reconcile: (key, { cache, span }) => reconcileHpa(key, cache, deps, span),
    concurrency: 5,
  });
  await runWorker(HPA_ROLE, 'HorizontalPodAutoscalers (autoscaling/v2), every 15 s', settings, { controllers: [controller], redis, telemetry });
}
