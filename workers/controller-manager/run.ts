import { connectWorker } from '../../shared/process/connect';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Settings } from '../../shared/config/settings';
import { storeEventRecorder } from '../../shared/events/recorder';
import { LeaderElector } from '../../shared/leaderelection/elector';
import { runWorker } from '../../shared/process/worker';
import { startControllers, type ControllerSpec } from '../../shared/queue/controller';
import { TokenBucket } from '../../shared/store/ratelimit';
import type { Telemetry } from '../../shared/tracing/sdk';
import { deploymentControllerSpec } from './deployment-controller';
import { disruptionControllerSpec } from './disruption';
import { eventTtlControllerSpec } from './eventttl';
import { garbageCollectorSpec } from './garbagecollector-controller';
import { reconcileNamespace } from './namespace';
import { nodeIpamControllerSpec } from './nodeipam-controller';
import { NODE_CONTROLLER_COMPONENT, nodeLifecycleControllerSpec } from './nodelifecycle-controller';
import { replicaSetControllerSpec } from './replicaset-controller';
import { loadControllerManagerSettings } from './settings';
import { TAINT_EVICTION_CONTROLLER, taintEvictionControllerSpec } from './tainteviction-controller';

/**
 * Wires the controllers of this role (namespace, deployment, replicaset, garbage-collector,
 * node-ipam, node-lifecycle, taint-eviction, event-ttl, disruption) on one shared informer — one consumer group
 * `controller-manager[:<instance>]`, one read of the change log and one cache for all — each
 * with its own queue and workers, and stops them on SIGTERM/SIGINT. One active
 * controller-manager per cluster, as upstream: a process runs its controllers only while it
 * holds the Lease kube-system/kube-controller-manager; others stand by and take over when the
 * leader stops renewing; a leader that loses the lease exits (its supervisor restarts it).
 */
export async function runControllerManager(settings: Settings, telemetry: Telemetry): Promise<void> {
  const { apiQps, apiBurst, eventTtlMs } = loadControllerManagerSettings();
  // kube-controller-manager's client rate limit (--kube-api-qps/--kube-api-burst), on writes.
  const writeLimiter = apiQps > 0 ? new TokenBucket(apiQps, apiBurst, settings.timeScale) : undefined;
  const { redis, clock, store } = connectWorker(settings, { writeLimiter });
  const identity = `${hostname()}_${randomUUID()}`;
  const elector = new LeaderElector({ store, clock, namespace: 'kube-system', name: 'kube-controller-manager', identity });
  await elector.acquire((holder) => console.log(`controller-manager: standing by; lease kube-system/kube-controller-manager is held by ${holder}`));
  elector.keepRenewing(() => {
    console.error('controller-manager: lost the lease kube-system/kube-controller-manager; exiting');
    process.exit(1);
  });
  const recorder = (component: string) => storeEventRecorder(store, clock, component);
  const specs: Record<string, ControllerSpec> = {
    namespace: { queueName: 'controller-manager', resources: ['namespaces'], reconcile: (key) => reconcileNamespace(key, store, clock), concurrency: 5 },
    deployment: deploymentControllerSpec({ store, clock, recorder: recorder('deployment-controller') }),
    replicaset: replicaSetControllerSpec({ store, clock, recorder: recorder('replicaset-controller') }),
    'garbage-collector': garbageCollectorSpec({ store }),
    'node-ipam': nodeIpamControllerSpec({ store, clock, recorder: recorder('node-ipam-controller') }),
    'node-lifecycle': nodeLifecycleControllerSpec({ store, clock, recorder: recorder(NODE_CONTROLLER_COMPONENT) }),
    'taint-eviction': taintEvictionControllerSpec({ store, clock, recorder: recorder(TAINT_EVICTION_CONTROLLER) }),
    'event-ttl': eventTtlControllerSpec({ store, clock, ttlMs: eventTtlMs }),
    disruption: disruptionControllerSpec({ store, clock }),
  };
  const controllers = await startControllers({ role: 'controller-manager', instance: settings.instance, store, controllers: Object.values(specs) });
  const rate = writeLimiter ? `writes ${apiQps}/s, burst ${apiBurst}` : 'writes unlimited';
  const leadership = { stop: async () => elector.stop() };
  await runWorker('controller-manager', `leading as ${identity}; controllers: ${Object.keys(specs).join(', ')}; ${rate}`, settings, { controllers: [...controllers, leadership], redis, telemetry });
}
