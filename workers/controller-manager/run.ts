import { Redis } from 'ioredis';
import { lookupResourceByName } from '../../shared/api/registry';
import { realClock } from '../../shared/clock';
import type { Settings } from '../../shared/config/settings';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { Store } from '../../shared/store/store';
import { storeEventRecorder } from './events';
import { startDeploymentController } from './deployment-controller';
import { startGarbageCollector } from './garbagecollector-controller';
import { reconcileNamespace } from './namespace';
import { startNodeIpamController } from './nodeipam-controller';
import { startReplicaSetController } from './replicaset-controller';
import type { Telemetry } from '../../shared/tracing/sdk';


/**
 * Wires the controllers of this role (namespace, deployment, replicaset, garbage-collector, node-ipam), each with its
 * own consumer group and queue, and stops them on SIGTERM/SIGINT.
 */
export async function runControllerManager(settings: Settings, telemetry: Telemetry): Promise<void> {
  if (!settings.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it; or point it at your Redis)');
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const clock = realClock(settings.timeScale);
  const store = new Store(redis, { prefix: settings.redisPrefix, resources: lookupResourceByName, logMaxLen: settings.logMaxLen, now: clock.now });
  const namespaces = await startController({
    role: 'controller-manager',
    instance: settings.instance,
    store,
    resources: ['namespaces'],
    reconcile: (key) => reconcileNamespace(key, store, clock),
    concurrency: 5,
  });
  const replicasets = await startReplicaSetController({ store, clock, instance: settings.instance, recorder: storeEventRecorder(store, clock, 'replicaset-controller') });
  const deployments = await startDeploymentController({ store, clock, instance: settings.instance, recorder: storeEventRecorder(store, clock, 'deployment-controller') });
  const garbageCollector = await startGarbageCollector({ store, instance: settings.instance });
  const nodeIpam = await startNodeIpamController({ store, clock, instance: settings.instance, recorder: storeEventRecorder(store, clock, 'node-ipam-controller') });
  const controllers = [namespaces, deployments, replicasets, garbageCollector, nodeIpam];
  await runWorker('controller-manager', 'controllers: namespace, deployment, replicaset, garbage-collector, node-ipam', settings, { controllers, redis, telemetry });
}
