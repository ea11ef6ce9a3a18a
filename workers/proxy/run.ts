import { connectWorker } from '../../shared/process/connect';
import type { Settings } from '../../shared/config/settings';
import { byResource, generationChangedKey } from '../../shared/informer/events';
import { groupName } from '../../shared/informer/informer';
import type { Indexer } from '../../shared/informer/indexer';
import { instanceQueue, ownersKey } from '../../shared/netstate/packets';
import { ProxyRulesStore } from '../../shared/netstate/proxy-rules';
import { runWorker } from '../../shared/process/worker';
import { startControllers } from '../../shared/queue/controller';
import { LoadState } from '../../shared/load/state';
import { storeEventRecorder } from '../../shared/events/recorder';
import type { Telemetry } from '../../shared/tracing/sdk';
import { cacheDnsData } from './dns';
import { startDnsServer, type DnsServer } from './dns-server';
import { Activator, SCALE_TO_ZERO_ANNOTATION } from './activator';
import { LOADS_QUEUE, syncLoad, type LoadDeps } from './load';
import { startPacketWorker, worldOf } from './packets';
import { loadProxySettings } from './settings';
import { PROXY_KEY_PREFIX, syncNode, type SyncState } from './sync';

export const PROXY_ROLE = 'proxy';

/**
 * Wires the proxy role: kube-proxy for every node of the cluster (one logical instance per
 * node, one process for all), keyed `proxy/<node>` — a Service or EndpointSlice change syncs
 * every node, a Node change its own — the cluster DNS server over the same cache, and the
 * simulated Loads (load.ts) on a queue all proxy processes share.
 */
export async function runProxy(settings: Settings, telemetry: Telemetry): Promise<void> {
  const proxy = loadProxySettings();
  const { redis, clock, store } = connectWorker(settings);
  const rules = new ProxyRulesStore(redis, settings.redisPrefix);
  const state: SyncState = { lastSync: new Map(), ipvs: new Map() };
  const cache: { current?: Indexer } = {};
  const queue = instanceQueue(settings.instance ?? PROXY_ROLE);
  const mine = (node: string) => proxy.nodes.test(node);
  const everyNode = () => (cache.current?.listKeys('nodes') ?? []).map((k) => k.slice('nodes/'.length)).filter(mine).map((n) => `${PROXY_KEY_PREFIX}${n}`);
  const activator = new Activator(redis, settings.redisPrefix, store, clock, storeEventRecorder(store, clock, 'activator'), settings.timeScale);
  const loadDeps: Omit<LoadDeps, 'world'> = { store, state: new LoadState(redis, settings.redisPrefix), clock, timeScale: settings.timeScale, seed: settings.seed, kernels: new Map(), activator };
  const [controller, loads] = await startControllers({
    role: PROXY_ROLE,
    instance: settings.instance,
    store,
    controllers: [
      {
        // Each process its own queue (as kubelets): its node keys must not be taken by another proxy.
        queueName: groupName(PROXY_ROLE, settings.instance).replace(/:/g, '-'),
        // Pods only for packets (who has which address); their changes sync nothing.
        resources: ['services', 'endpointslices', 'nodes', 'namespaces', 'pods'],
        handler: byResource({
          services: () => everyNode(),
          endpointslices: () => everyNode(),
          nodes: (e) => (mine(e.object.metadata.name ?? '') ? [`${PROXY_KEY_PREFIX}${e.object.metadata.name}`] : []),
        }),
        reconcile: async (key, { cache: indexer, span }) => {
          const node = key.slice(PROXY_KEY_PREFIX.length);
          const result = await syncNode(node, indexer, rules, clock, proxy, state, span);
          // This process is the node's kube-proxy: packets arriving there come to its queue.
          if (indexer.get(`nodes/${node}`)) await redis.hset(ownersKey(settings.redisPrefix), node, queue);
          return result;
        },
        concurrency: 4,
        started: (c) => (cache.current = c.informer.indexer),
      },
      {
        // One queue for every proxy process: each Load is simulated by one of them at a time.
        queueName: LOADS_QUEUE,
        resources: ['loads', 'services', 'endpointslices', 'nodes', 'pods', 'deployments'],
        // Loads (spec changes: their own status writes would run them again at once), and the idle check of Services that scale to zero.
        handler: byResource({ loads: generationChangedKey, services: (e) => (e.object.metadata.annotations?.[SCALE_TO_ZERO_ANNOTATION] === 'true' ? [e.key] : []) }),
        reconcile: async (key, { cache: indexer, span }) => {
          if (key.startsWith('services/')) {
            const service = indexer.get(key);
            return service ? activator.idleCheck(service, indexer) : undefined;
          }
          return syncLoad(key, indexer, { ...loadDeps, world: () => worldOf(indexer, proxy) }, span);
        },
        concurrency: 4,
      },
    ],
  });
  // The first sync of every node known at start (the list's node events came before the cache was handed over).
  await controller.queue.enqueueBulk(everyNode().map((key) => ({ key, traceparent: '' })));
  let dns: DnsServer | undefined;
  try {
    dns = await startDnsServer(cacheDnsData(controller.informer.indexer), settings.apiHost, proxy.dnsPort);
  } catch (err) {
    // Another proxy process has the port: it answers for all.
    console.error(`proxy: cluster DNS not started on ${settings.apiHost}:${proxy.dnsPort}: ${(err as Error).message}`);
  }
  const dnsStop = { stop: async () => dns?.close() };
  const packets = startPacketWorker({ redis, prefix: settings.redisPrefix, cache: controller.informer.indexer, settings: proxy, clock, seed: settings.seed, queue });
  const what = `nodes /${proxy.nodes.source}/, mode ${proxy.mode}${proxy.mode === 'ipvs' ? ` (${proxy.ipvsScheduler})` : ''}, flannel ${proxy.flannelBackend}, cluster DNS ${dns ? `udp://${settings.apiHost}:${dns.port}` : 'off'}`;
  await runWorker(PROXY_ROLE, what, settings, { controllers: [packets, controller, loads, dnsStop], redis, telemetry });
}
