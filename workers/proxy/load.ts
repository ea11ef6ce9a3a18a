/**
 * Loads (sim.kubeq.io/v1alpha1): the traffic a Load sends its Service, simulated in aggregate
 * every LOAD_SYNC_MS of cluster time. A sync's requests are spread over the endpoints by the
 * nodes' real kube-proxy rules: up to MAX_REPRESENTATIVES representative packets, each carrying
 * an equal share of the requests, go from the load's client addresses through simulatePacket —
 * the iptables statistic and recent rules or the IPVS scheduler pick their endpoints, ClientIP
 * affinity holds per client across syncs, and a Service without ready endpoints rejects them.
 * `spec.sampleRate` of the requests become traced packets (their hops as spans).
 *
 * What the requests cost each pod (CPU, memory in flight, the port they reach) goes to
 * shared/load/state for the kubelet's usage model and the HPA's requests-per-second metrics;
 * the Load's status says what was offered, served and dropped, by which pods, and the latency
 * (slowed down by the serving container's throttling). A Service that scales to zero has its
 * requests held by the activator (activator.ts) while it has no ready endpoint.
 */
import type { Span } from '@opentelemetry/api';
import { quantityOr, toMillis, toNumber } from '../../shared/api/quantity';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { containerCpu, servingContainer } from '../../shared/load/cpu';
import { durationMs, rateAt } from '../../shared/load/shape';
import type { LoadState, PodLoad } from '../../shared/load/state';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { withSpan } from '../../shared/tracing/tracer';
import { intToIpv4, ipv4ToInt } from '../../shared/net/ipv4';
import { hasReadyEndpoint, scaleToZeroOf, type Activator } from './activator';
import { newIpvsRuntime } from './ipvs-select';
import type { NodeNet } from './overlay';
import { simulatePacket, type Hop, type KernelState, type PacketWorld, type PodRef } from './packet';
import { hopAttributes } from './packets';
import { seededRandom, type RandomSource } from './random';

/** The queue of the Loads, shared by every proxy process. */
export const LOADS_QUEUE = 'proxy-loads';
/** Cluster time between two syncs of a load. */
export const LOAD_SYNC_MS = 5_000;
/** Packets simulated per sync at most; each stands for requests / count of them. */
export const MAX_REPRESENTATIVES = 200;
/** Traced packets per sync at most, whatever the sample rate. */
export const MAX_TRACED_PER_SYNC = 20;
const REQUEST_BYTES = 1000;
/** Wall ms a share holds at least without a new sync. */
const UNTIL_FLOOR_MS = 5_000;

/**
 * The load's client addresses: virtual pods spread round-robin over the nodes on the overlay,
 * addressed from the top of each node's pod range (.254 down), where the kubelet's allocator
 * (which counts up from .2) does not reach with 110 pods. Data only, as every address here.
 */
export function loadClients(load: string, count: number, nodes: readonly NodeNet[]): PodRef[] {
  const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!sorted.length) return [];
  return Array.from({ length: count }, (_, k) => {
    const node = sorted[k % sorted.length];
    const offset = 254 - (Math.floor(k / sorted.length) % 50);
    return { namespace: '', name: `load-${load}-${k}`, ip: intToIpv4(ipv4ToInt(node.flannelIP) + offset), node: node.name };
  });
}

export interface Spread {
  /** Requests per pod key (`<ns>/<name>`) this sync, with the pod and the port they reached. */
  served: Map<string, { pod: PodRef; port: number; requests: number }>;
  dropped: number;
  /** Why requests were dropped, with how many. */
  reasons: Map<string, number>;
  /** The first representatives' full results, for tracing. */
  traced: { hops: Hop[]; client: PodRef; served?: string; dropped?: string }[];
}

/** Spreads `requests` from `clients` to `dst:port` over the rules of `world` (see the file comment). */
export function spreadRequests(world: PacketWorld, clients: PodRef[], dst: string, port: number, requests: number, traced: number, random: RandomSource, nowMs: number, kernel: KernelState): Spread {
  const out: Spread = { served: new Map(), dropped: 0, reasons: new Map(), traced: [] };
  if (requests <= 0) return out;
  if (!clients.length) {
    out.dropped = requests;
    out.reasons.set('no node is on the overlay yet', requests);
    return out;
  }
  const count = Math.min(MAX_REPRESENTATIVES, Math.max(1, Math.ceil(requests)));
  const share = requests / count;
  for (let i = 0; i < count; i++) {
    const client = clients[i % clients.length];
    const result = simulatePacket(world, client, dst, port, 'TCP', REQUEST_BYTES, random, nowMs, kernel);
    if (i < traced) out.traced.push({ hops: result.hops, client, served: result.served ? `${result.served.pod.namespace}/${result.served.pod.name}` : undefined, dropped: result.dropped });
    if (!result.served) {
      out.dropped += share;
      const reason = result.dropped ?? 'not delivered';
      out.reasons.set(reason, (out.reasons.get(reason) ?? 0) + share);
      continue;
    }
    const key = `${result.served.pod.namespace}/${result.served.pod.name}`;
    const seen = out.served.get(key) ?? { pod: result.served.pod, port: Number(result.served.endpoint.slice(result.served.endpoint.lastIndexOf(':') + 1)), requests: 0 };
    seen.requests += share;
    out.served.set(key, seen);
  }
  return out;
}

/** The Service port a load targets: by number, by name, else the first; with the reason when there is none. */
function targetPort(service: KubeObject, wanted: number | string | undefined): { port: number } | { error: string } {
  const ports: { name?: string; port: number }[] = service.spec?.ports ?? [];
  const found = wanted === undefined ? ports[0] : ports.find((p) => (typeof wanted === 'number' ? p.port === wanted : p.name === wanted));
  return found ? { port: found.port } : { error: `Service ${service.metadata.name} has no port ${wanted ?? ''}`.trim() };
}

export interface LoadDeps {
  store: Store;
  state: LoadState;
  clock: Clock;
  timeScale: number;
  seed: number;
  /** The cluster as packets see it, from the proxy's cache. */
  world(): PacketWorld;
  /** Kernel state per load (affinity lists, IPVS connection counts), kept across its syncs. */
  kernels: Map<string, KernelState>;
  /** Scale to zero: holds requests for a Service at zero and wakes its workload. */
  activator: Activator;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** One sync of a Load: spread, account, write its share and its status; back after LOAD_SYNC_MS (scaled). */
export async function syncLoad(key: ObjectKey, cache: Indexer, deps: LoadDeps, span: Span): Promise<ReconcileResult | void> {
  const { namespace, name } = parseObjectKey(key);
  const ns = namespace!;
  const load = cache.get(key);
  if (!load || load.metadata.deletionTimestamp) {
    deps.kernels.delete(key);
    await deps.state.remove(ns, name);
    return;
  }
  const spec = load.spec ?? {};
  const nowMs = deps.clock.now().getTime();
  const startTime: string = load.status?.startTime ?? new Date(nowMs).toISOString();
  const elapsedMs = Math.max(0, nowMs - Date.parse(startTime)) * deps.timeScale;
  const wallInterval = deps.clock.scaled(LOAD_SYNC_MS);
  const duration = durationMs(spec.duration);
  span.setAttributes({ 'kubeq.load.service': spec.service, 'kubeq.load.elapsed_ms': Math.round(elapsedMs) });
  if (duration !== undefined && elapsedMs >= duration) {
    await writeStatus(deps.store, ns, name, { startTime, phase: 'Completed', elapsedSeconds: Math.round(duration / 1000), offeredRPS: 0, servedRPS: 0, droppedRPS: 0, servedBy: [], lastSyncTime: new Date(nowMs).toISOString(), message: `ran for ${spec.duration}` });
    deps.kernels.delete(key);
    await deps.state.remove(ns, name);
    return;
  }

  const offered = rateAt(spec.rate ?? {}, elapsedMs);
  const requests = (offered * LOAD_SYNC_MS) / 1000;
  const cpuPerRequest = quantityOr(spec.cost?.cpu, toMillis) ?? 0;
  const memoryPerRequest = quantityOr(spec.cost?.memory, toNumber) ?? 0;
  const latencyMs = durationMs(spec.cost?.latency) ?? 0;
  const service = cache.get(`services/${ns}/${spec.service}`);
  // A safety net only (shares move and go with each sync and when the load ends): generous, so a
  // busy proxy that syncs late does not make the pods' load blink out.
  const until = nowMs + Math.max(3 * wallInterval, UNTIL_FLOOR_MS);
  let spread: Spread = { served: new Map(), dropped: requests, reasons: new Map(), traced: [] };
  let message: string | undefined;
  let held = 0;
  let coldStart: { requests: number; coldStartMs: number } | undefined;
  if (!service) message = `Service ${ns}/${spec.service} not found`;
  else if (!service.spec?.clusterIP || service.spec.clusterIP === 'None') message = `Service ${spec.service} has no cluster IP (headless or ExternalName): a load sends to a ClusterIP`;
  else {
    const target = targetPort(service, spec.port);
    const s2z = scaleToZeroOf(service, cache);
    if (s2z && offered > 0) await deps.activator.active(service, nowMs);
    if ('error' in target) message = target.error;
    else if (s2z && requests > 0 && !hasReadyEndpoint(service, cache)) {
      // The activator holds what would be rejected, and wakes the workload.
      spread = { served: new Map(), dropped: 0, reasons: new Map(), traced: [] };
      held = requests;
      message = await deps.activator.hold(service, s2z, requests, cache, nowMs);
    } else {
      const world = deps.world();
      const kernel = deps.kernels.get(key) ?? { recent: new Map(), ipvs: new Map() };
      deps.kernels.set(key, kernel);
      // The previous sync's connections have ended; this sync's build up as it runs (least-connection schedulers spread them).
      for (const n of world.nodes) kernel.ipvs.set(n.name, { ...(kernel.ipvs.get(n.name) ?? newIpvsRuntime()), conns: new Map() });
      const sampled = Math.min(MAX_TRACED_PER_SYNC, stochasticRound(requests * (spec.sampleRate ?? 0), seededRandom(deps.seed, 'load-sample', key, String(nowMs))()));
      const random = seededRandom(deps.seed, 'load', key, String(nowMs));
      spread = spreadRequests(world, loadClients(name, spec.clients ?? 10, world.nodes), service.spec.clusterIP, target.port, requests, sampled, random, nowMs, kernel);
      if (spread.dropped > 0) message = [...spread.reasons.keys()][0];
      if (s2z && spread.served.size) coldStart = await deps.activator.release(service, s2z, nowMs);
    }
  }

  // Per pod: rate, cost, and the latency its serving container's throttling gives.
  const shares = new Map<string, PodLoad>();
  const servedBy: { pod: string; node: string; rps: number; latencyMs: number; throttled: number }[] = [];
  let latencySum = 0;
  let servedRps = 0;
  for (const [podKey, s] of spread.served) {
    const rps = s.requests / (LOAD_SYNC_MS / 1000);
    const pod = cache.get(`pods/${podKey}`);
    const container = pod ? servingContainer(pod, s.port) : undefined;
    const cpu = pod && container ? containerCpu(pod, container, rps * cpuPerRequest) : undefined;
    const slowdown = cpu && cpu.usedMillis > 0 ? cpu.wantedMillis / cpu.usedMillis : 1;
    const latency = latencyMs * slowdown;
    shares.set(podKey.slice(ns.length + 1), { rps, cpuMillis: rps * cpuPerRequest, memoryBytes: (rps * latency * memoryPerRequest) / 1000, port: s.port, until });
    servedBy.push({ pod: s.pod.name, node: s.pod.node, rps: round(rps), latencyMs: round(latency), throttled: round(cpu?.throttled ?? 0) });
    latencySum += latency * rps;
    servedRps += rps;
  }
  servedBy.sort((a, b) => (a.pod < b.pod ? -1 : 1));
  const droppedRps = spread.dropped / (LOAD_SYNC_MS / 1000);
  await deps.state.write({ namespace: ns, name, service: spec.service }, shares, { offered, served: servedRps, until });
  traceSamples(name, spec.service, spread);

  const meanLatency = servedRps > 0 ? latencySum / servedRps : undefined;
  span.setAttributes({ 'kubeq.load.offered_rps': round(offered), 'kubeq.load.served_rps': round(servedRps), 'kubeq.load.dropped_rps': round(droppedRps), 'kubeq.load.endpoints': servedBy.length, 'kubeq.load.traced': spread.traced.length, ...(message ? { 'kubeq.load.message': message } : {}) });
  const sampledPackets = (load.status?.sampledPackets ?? 0) + spread.traced.length;
  await writeStatus(deps.store, ns, name, {
    startTime,
    phase: 'Running',
    elapsedSeconds: Math.round(elapsedMs / 1000),
    offeredRPS: round(offered),
    servedRPS: round(servedRps),
    droppedRPS: round(droppedRps),
    ...(held > 0 ? { heldRPS: round(offered) } : {}),
    ...(coldStart ? { lastColdStart: { heldRequests: round(coldStart.requests), durationMs: Math.round(coldStart.coldStartMs), servedAt: new Date(nowMs).toISOString() } } : load.status?.lastColdStart ? { lastColdStart: load.status.lastColdStart } : {}),
    ...(meanLatency !== undefined ? { latencyMs: round(meanLatency) } : {}),
    servedBy,
    sampledPackets,
    lastSyncTime: new Date(nowMs).toISOString(),
    ...(message ? { message } : {}),
  });
  return { requeueAfter: wallInterval };
}

/** n rounded up with probability its fraction (so a rate of 0.3 traced packets per sync traces one in about three syncs). */
function stochasticRound(n: number, draw: number): number {
  return Math.floor(n) + (draw < n - Math.floor(n) ? 1 : 0);
}

/** Each traced representative: a `packet` span under the sync's, with one `packet hop` child per hop. */
export function traceSamples(load: string, service: string, spread: Spread): void {
  for (const t of spread.traced) {
    withSpan(`packet load/${load} → ${service}`, { attributes: { 'kubeq.packet.from': `${t.client.name} (${t.client.ip} on ${t.client.node})`, 'kubeq.packet.to': service, 'kubeq.load.sampled': true, ...(t.served ? { 'kubeq.packet.served_by': t.served } : {}), ...(t.dropped ? { 'kubeq.packet.dropped': t.dropped } : {}) } }, () => {
      for (const h of t.hops) withSpan('packet hop', { attributes: hopAttributes(h) }, () => undefined);
    });
  }
}

async function writeStatus(store: Store, namespace: string, name: string, status: Record<string, unknown>): Promise<void> {
  await store
    .guaranteedUpdate('loads', namespace, name, (current) => ({ ...current, status: { ...status, observedGeneration: current.metadata.generation } }), 'status')
    .catch((err: { code?: number }) => {
      if (err.code !== 404) throw err;
    });
}
