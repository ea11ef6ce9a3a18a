import { Redis } from 'ioredis';
import { lookupResourceByName } from '../../shared/api/registry';
import { realClock } from '../../shared/clock';
import type { Settings } from '../../shared/config/settings';
import { byResource } from '../../shared/informer/events';
import { groupName } from '../../shared/informer/informer';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { Store } from '../../shared/store/store';
import { simNodes } from './nodes';
import { reconcileNode } from './node-reconcile';
import { reconcilePod } from './pod-reconcile';
import { DEFAULT_PROFILE } from './profile';
import { loadKubeletSettings } from './settings';
import type { Telemetry } from '../../shared/tracing/sdk';


/**
 * Wires the kubelet: KUBEQ_NODES simulated nodes, one controller over nodes and pods with this
 * process's own consumer group (`kubelet:<instance>`) and queue (`kubelet-<instance>`), the instance defaulting to the
 * node prefix, so several kubelet processes never take each other's keys), and stops on
 * SIGTERM/SIGINT. Killing the process stops the leases, like a dead machine.
 */
export async function runKubelet(settings: Settings, telemetry: Telemetry): Promise<void> {
  if (!settings.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it; or point it at your Redis)');
  const kubelet = loadKubeletSettings();
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const clock = realClock(settings.timeScale);
  const store = new Store(redis, { prefix: settings.redisPrefix, resources: lookupResourceByName, logMaxLen: settings.logMaxLen, now: clock.now });
  const nodes = new Map(simNodes(settings.nodes, kubelet.nodePrefix, kubelet.firstIndex).map((n) => [n.name, n]));
  const instance = settings.instance ?? kubelet.nodePrefix;
  const mine = (name: unknown): boolean => typeof name === 'string' && nodes.has(name);

  const controller = await startController({
    role: 'kubelet',
    instance,
    // Not groupName('kubelet', instance) as controller.ts suggests: BullMQ refuses ':' in queue names.
    queueName: groupName('kubelet', instance).replace(/:/g, '-'),
    store,
    resources: ['nodes', 'pods'],
    handler: byResource({
      nodes: (e) => (mine(e.object.metadata.name) ? [e.key] : []),
      pods: (e) => (mine(e.object.spec?.nodeName) ? [e.key] : []),
    }),
    reconcile: (key, { cache }) => {
      if (key.startsWith('nodes/')) {
        const node = nodes.get(key.slice('nodes/'.length));
        return node ? reconcileNode(node, kubelet, store, clock) : Promise.resolve();
      }
      return reconcilePod(key, {
        store,
        clock,
        timeScale: settings.timeScale,
        seed: settings.seed,
        profile: DEFAULT_PROFILE,
        node: (name) => {
          const node = nodes.get(name);
          const podCIDR = cache.get(`nodes/${name}`)?.spec?.podCIDR;
          return node && { ...node, podCIDR: typeof podCIDR === 'string' && podCIDR.includes('.') ? podCIDR : undefined };
        },
      });
    },
    // One at a time: pod IPs are allocated from what the store holds (see pod-reconcile.ts).
    concurrency: 1,
  });
  for (const node of nodes.values()) await reconcileNode(node, kubelet, store, clock);
  // The lease loop: each node key comes back every 10 s (scaled) through requeueAfter.
  await controller.queue.enqueueBulk([...nodes.keys()].map((name) => ({ key: `nodes/${name}`, traceparent: '' })));
  await runWorker('kubelet', `nodes: ${[...nodes.keys()].join(', ')}`, settings, { controllers: [controller], redis, telemetry });
}
