import { connectWorker } from '../../shared/process/connect';
import type { Settings } from '../../shared/config/settings';
import { byResource } from '../../shared/informer/events';
import { groupName } from '../../shared/informer/informer';
import { NODE_NAME_INDEX } from '../../shared/informer/indexers';
import { storeEventRecorder } from '../../shared/events/recorder';
import { runWorker } from '../../shared/process/worker';
import { startController } from '../../shared/queue/controller';
import { simNodes } from './nodes';
import { LoadState } from '../../shared/load/state';
import { Machines } from '../../shared/cloudprovider/machines';
import { syncMachines, type CloudNodes } from './cloud';
import type { KubeletSettings } from './settings';
import { ResourceSamples } from '../../shared/resourcemetrics/samples';
import { PodAddresses } from './ipam';
import { METRICS_KEY_PREFIX, sampleNode, type OverLimit } from './metrics';
import { reconcileNode } from './node-reconcile';
import { reconcilePod } from './pod-reconcile';
import { DEFAULT_PROFILE } from './profile';
import { loadKubeletSettings } from './settings';
import type { Telemetry } from '../../shared/tracing/sdk';


/** Keys reconciled at once: enough to keep a Redis connection busy across many nodes' pods. */
const KUBELET_CONCURRENCY = 32;

/** The key of the loop that adopts and drops the cloud's machines (cloud.ts), every 2 s of cluster time (at least 100 ms). */
const MACHINES_KEY = 'cloud/machines';
const MACHINES_PERIOD_MS = 2_000;

/**
 * Wires the kubelet: KUBEQ_NODES simulated nodes, one controller over nodes and pods with this
 * process's own consumer group (`kubelet:<instance>`) and queue (`kubelet-<instance>`), the instance defaulting to the
 * node prefix, so several kubelet processes never take each other's keys), and stops on
 * SIGTERM/SIGINT. Killing the process stops the leases, like a dead machine.
 */
export async function runKubelet(settings: Settings, telemetry: Telemetry): Promise<void> {
  const kubelet = loadKubeletSettings();
  const { redis, clock, store } = connectWorker(settings);
  const nodes = new Map(simNodes(settings.nodes, kubelet.nodePrefix, kubelet.firstIndex).map((n) => [n.name, n]));
  const instance = settings.instance ?? kubelet.nodePrefix;
  const recorder = storeEventRecorder(store, clock, 'kubelet');
  const samples = new ResourceSamples(redis, settings.redisPrefix);
  const loads = new LoadState(redis, settings.redisPrefix);
  const written = new Map<string, Set<string>>();
  const overLimit: OverLimit = { marks: new Map(), wake: (keys) => holder.enqueue?.(keys) ?? Promise.resolve() };
  // Read from the store's spec.nodeName index, not the cache, which can lag this process's own writes.
  const addresses = new PodAddresses(async (node) => (await store.list('pods', { fieldSelector: `spec.nodeName=${node}` })).items);
  const mine = (name: unknown): boolean => typeof name === 'string' && nodes.has(name);
  const cloud: CloudNodes = { nodes, settings: new Map<string, KubeletSettings>() };
  const machines = new Machines(redis, settings.redisPrefix);
  const holder: { enqueue?: (keys: string[]) => Promise<void> } = {};
  const loopKeys = (names: string[]) => names.flatMap((name) => [`nodes/${name}`, `${METRICS_KEY_PREFIX}${name}`]);

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
      if (key === MACHINES_KEY) {
        return syncMachines(machines, instance, clock.now().getTime(), kubelet, cloud, store).then(async (adopted) => {
          // Its lease and metrics loops, and the pods already bound to it (a restarted kubelet picks its machines' pods up again).
          const pods = adopted.flatMap((name) => cache.indexKeys(NODE_NAME_INDEX, name, 'pods'));
          if (adopted.length) await holder.enqueue?.([...loopKeys(adopted), ...pods]);
          return { requeueAfter: Math.max(100, clock.scaled(MACHINES_PERIOD_MS)) };
        });
      }
      if (key.startsWith(METRICS_KEY_PREFIX) && !nodes.has(key.slice(METRICS_KEY_PREFIX.length))) return Promise.resolve();
      if (key.startsWith(METRICS_KEY_PREFIX)) return sampleNode(key.slice(METRICS_KEY_PREFIX.length), cache, samples, loads, clock, settings.timeScale, written, overLimit);
      if (key.startsWith('nodes/')) {
        const node = nodes.get(key.slice('nodes/'.length));
        return node ? reconcileNode(node, cloud.settings.get(node.name) ?? kubelet, store, clock) : Promise.resolve();
      }
      return reconcilePod(key, {
        store,
        clock,
        timeScale: settings.timeScale,
        seed: settings.seed,
        profile: DEFAULT_PROFILE,
        recorder,
        addresses,
        overLimit: overLimit.marks,
        node: (name) => {
          const node = nodes.get(name);
          const podCIDR = cache.get(`nodes/${name}`)?.spec?.podCIDR;
          return node && { ...node, podCIDR: typeof podCIDR === 'string' && podCIDR.includes('.') ? podCIDR : undefined };
        },
      });
    },
    // Pod reconciles are mostly Redis round trips; addresses are reserved in memory (ipam.ts).
    concurrency: KUBELET_CONCURRENCY,
  });
  holder.enqueue = async (keys) => void (await controller.queue.enqueueBulk(keys.map((key) => ({ key, traceparent: '' }))));
  // Machines this instance claimed before a restart are its own again: claim() answers true for them.
  await holder.enqueue([MACHINES_KEY]);
  for (const node of nodes.values()) await reconcileNode(node, kubelet, store, clock);
  // The lease loop: each node key comes back every 10 s (scaled) through requeueAfter.
  await controller.queue.enqueueBulk([...nodes.keys()].map((name) => ({ key: `nodes/${name}`, traceparent: '' })));
  // The metrics loop: each node's samples every 15 s (scaled), the same way.
  await controller.queue.enqueueBulk([...nodes.keys()].map((name) => ({ key: `${METRICS_KEY_PREFIX}${name}`, traceparent: '' })));
  await runWorker('kubelet', `nodes: ${[...nodes.keys()].join(', ')}`, settings, { controllers: [controller], redis, telemetry });
}
