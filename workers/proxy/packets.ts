/**
 * The proxy role's packet worker: takes packet requests (shared/netstate/packets), resolves a
 * name through the cluster DNS (the lookup is a hop), runs each packet through packet.ts over the
 * nodes' current rules, and traces it: a `packet <from> → <to>` span under the sender's, one
 * `packet hop` child per hop with `kubeq.hop.*` attributes. Kernel state (xt_recent lists, IPVS
 * connections) lives for the process, so ClientIP affinity holds across requests.
 *
 * Nodes are spread over proxy processes (KUBEQ_PROXY_NODES): a request is simulated by the
 * process that is the source node's kube-proxy (others forward it there), and a packet that
 * crosses the underlay to a node another process owns is handed over as a job to that process,
 * which simulates the arrival in its own cache and traces it under the underlay hop — so the
 * trace crosses processes as a real packet crosses machines.
 */
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../shared/clock';
import type { Indexer } from '../../shared/informer/indexer';
import { ownersKey, PACKET_QUEUE, recordPacketResult, type PacketJob, type PacketOutcome, type PacketResult } from '../../shared/netstate/packets';
import { currentTraceparent } from '../../shared/tracing/propagation';
import { withSpan } from '../../shared/tracing/tracer';
import { cacheDnsData, lookup, searchNames } from './dns';
import { computeProxyRules, newIpvsRuntime, seededRandom, type EndpointSlice, type Service } from './index';
import { compileRules } from './iptables-walk';
import { nodeNet, type NodeNet } from './overlay';
import { simulateArrival, simulateDeparture, type Arrival, type Hop, type KernelState, type PacketResult as Simulated, type PacketWorld, type PodRef } from './packet';
import type { ProxySettings } from './settings';

export function hopAttributes(h: Hop): Record<string, string | number> {
  return {
    'kubeq.hop.node': h.node,
    'kubeq.hop.device': h.device,
    'kubeq.hop.kind': h.kind,
    'kubeq.hop.src': h.src,
    'kubeq.hop.dst': h.dst,
    ...(h.natSrc ? { 'kubeq.hop.nat_src': h.natSrc } : {}),
    ...(h.natDst ? { 'kubeq.hop.nat_dst': h.natDst } : {}),
    ...(h.outer ? { 'kubeq.hop.outer_src': h.outer.src, 'kubeq.hop.outer_dst': h.outer.dst, 'kubeq.hop.outer_port': h.outer.port, ...(h.outer.vni !== undefined ? { 'kubeq.hop.vni': h.outer.vni } : {}) } : {}),
    'kubeq.hop.bytes': h.bytes,
    'kubeq.hop.latency_us': h.latencyUs,
    'kubeq.hop.note': h.note,
  };
}

const podRef = (p: any): PodRef | undefined => (p?.status?.podIP && p.spec?.nodeName ? { namespace: p.metadata.namespace, name: p.metadata.name, ip: p.status.podIP, node: p.spec.nodeName } : undefined);

/** The cluster as a packet sees it, from the cache: nodes on the overlay, pods by address, each node's rules (computed on demand). */
export function worldOf(cache: Indexer, settings: ProxySettings): PacketWorld {
  const nodes = cache.list('nodes').map((n) => nodeNet(n)).filter((n): n is NodeNet => !!n);
  const byIp = new Map<string, PodRef>();
  for (const p of cache.list('pods')) {
    const ref = podRef(p);
    if (ref && !['Succeeded', 'Failed'].includes(p.status?.phase)) byIp.set(ref.ip, ref);
  }
  const services = cache.list('services') as unknown as Service[];
  const slices = cache.list('endpointslices') as unknown as EndpointSlice[];
  const computed = new Map<string, ReturnType<PacketWorld['proxy']>>();
  return {
    nodes,
    backend: settings.flannelBackend,
    podByIp: (ip) => byIp.get(ip),
    proxy(node) {
      if (!computed.has(node)) {
        const ip = nodes.find((n) => n.name === node)?.underlayIP ?? '';
        const rules = computeProxyRules({ services, endpointSlices: slices, node: { name: node, ip } }, { mode: settings.mode, ipvs: { scheduler: settings.ipvsScheduler } });
        computed.set(node, rules.mode === 'ipvs' ? { mode: 'ipvs', ipvs: rules.ipvs } : { mode: 'iptables', rules: compileRules(rules.iptables, [ip]) });
      }
      return computed.get(node);
    },
  };
}

/** A client outside the cluster, when the request does not name one (TEST-NET-3, documentation addresses). */
const DEFAULT_EXTERNAL_CLIENT = '203.0.113.10';

/**
 * Who sends: the pod `<ns>/<name>`, or an outside client arriving at the node the target
 * address belongs to (a NodePort on that node), else at a node the cloud load balancer picks
 * (seeded per request).
 */
export function senderOf(job: PacketJob, cache: Indexer, seed: number): PodRef | string {
  if (job.from.startsWith('external')) {
    const host = job.to.slice(0, job.to.lastIndexOf(':'));
    const nodes = cache.list('nodes').map((n) => nodeNet(n)).filter((n): n is NodeNet => !!n).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (!nodes.length) return 'no node is on the overlay yet';
    const entry = nodes.find((n) => n.underlayIP === host) ?? nodes[Math.floor(seededRandom(seed, 'entry', job.id)() * nodes.length)];
    return { namespace: '', name: 'external-client', ip: job.from.split('/')[1] ?? DEFAULT_EXTERNAL_CLIENT, node: entry.name, external: true };
  }
  const [namespace, name] = job.from.split('/');
  return podRef(cache.get(`pods/${namespace}/${name}`)) ?? `pod ${job.from} not found, or not running on a node with an address yet`;
}

export interface PacketWorkerDeps {
  redis: Redis;
  prefix: string;
  cache: Indexer;
  settings: ProxySettings;
  clock: Clock;
  seed: number;
  /** This process's own packet queue. */
  queue: string;
  /** Puts a job on another process's queue. */
  send(queue: string, job: WorkJob): Promise<void>;
}

/** A job on a proxy process's queue: a request to simulate, or a packet arriving at one of its nodes. */
export type WorkJob = ({ kind?: 'send' } & PacketJob) | { kind: 'arrive'; arrival: Arrival; traceparent: string; reply: string };

const REPLY_TTL_SECONDS = 60;
/** How long a sender waits for the other node's process to report an arrival (s). */
const ARRIVAL_TIMEOUT_SECONDS = 10;

/** The other process's report, polled (no blocking connection to keep per packet); undefined after the timeout. */
async function waitForReply(redis: Redis, key: string): Promise<string | undefined> {
  const until = Date.now() + ARRIVAL_TIMEOUT_SECONDS * 1000;
  while (Date.now() < until) {
    const v = await redis.lpop(key);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

const emit = (hops: Hop[]) => {
  for (const h of hops) withSpan('packet hop', { attributes: hopAttributes(h) }, () => undefined);
};

/** The receiving half, in the process that owns the node: traced under the sender's underlay hop, reported on `reply`. */
export async function runArrival(job: Extract<WorkJob, { kind: 'arrive' }>, deps: PacketWorkerDeps): Promise<void> {
  const result = withSpan(`packet arrives at ${job.arrival.node}`, { parentTraceparent: job.traceparent, attributes: { 'kubeq.hop.node': job.arrival.node, 'kubeq.proxy.queue': deps.queue, 'kubeq.packet.handoff': 'from another proxy process' } }, () => {
    const world = worldOf(deps.cache, deps.settings);
    const arrived = simulateArrival(world, job.arrival);
    emit(arrived.hops);
    return arrived;
  });
  await deps.redis.multi().rpush(job.reply, JSON.stringify(result)).expire(job.reply, REPLY_TTL_SECONDS).exec();
}

/** The queue of the process that owns `node`, or undefined when none has said it does. */
async function ownerOf(deps: PacketWorkerDeps, node: string): Promise<string | undefined> {
  return (await deps.redis.hget(ownersKey(deps.prefix), node)) ?? undefined;
}

export async function runPacketJob(job: PacketJob, deps: PacketWorkerDeps, kernel: KernelState): Promise<PacketResult> {
  return withSpan(`packet ${job.from} → ${job.to}`, { parentTraceparent: job.traceparent || undefined, attributes: { 'kubeq.packet.from': job.from, 'kubeq.packet.to': job.to, 'kubeq.packet.count': job.count ?? 1 } }, async (span) => {
    const result: PacketResult = { id: job.id, from: job.from, to: job.to, traceId: span.spanContext().traceId, packets: [], servedBy: {} };
    const from = senderOf(job, deps.cache, deps.seed);
    if (typeof from === 'string') return { ...result, error: from };
    const namespace = from.namespace || 'default';
    span.setAttributes({ 'kubeq.hop.node': from.node, 'kubeq.proxy.queue': deps.queue });
    const [host, portText] = [job.to.slice(0, job.to.lastIndexOf(':')), job.to.slice(job.to.lastIndexOf(':') + 1)];
    let dst = host;
    const dnsHops: Hop[] = [];
    if (from.external && !/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ...result, error: 'an outside client sends to an address: a node and its NodePort, or a LoadBalancer address' };
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
      const data = cacheDnsData(deps.cache);
      const tried = searchNames(host, namespace);
      const found = tried.map((n) => ({ n, a: lookup(data, n, 'A') })).find(({ a }) => a.answers.some((r) => r.type === 'A'));
      const address = found?.a.answers.find((r) => r.type === 'A')?.data as string | undefined;
      dnsHops.push({ node: from.node, device: 'dns', kind: address ? 'send' : 'drop', src: from.ip, dst: '10.96.0.10:53', bytes: 64, latencyUs: 200, note: address ? `${found!.n} A ${address} (cluster DNS, search path from ${namespace})` : `NXDOMAIN for ${tried.join(', ')}` });
      if (!address) {
        for (const h of dnsHops) withSpan('packet hop', { attributes: hopAttributes(h) }, () => undefined);
        return { ...result, packets: [{ hops: dnsHops, dropped: `NXDOMAIN: ${host}` }] };
      }
      dst = address;
    }
    const world = worldOf(deps.cache, deps.settings);
    for (const n of world.nodes) if (!kernel.ipvs.has(n.name)) kernel.ipvs.set(n.name, newIpvsRuntime());
    for (let i = 0; i < (job.count ?? 1); i++) {
      const random = seededRandom(deps.seed, 'packet', job.id, String(i));
      const departed = simulateDeparture(world, from, dst, Number(portText), job.protocol ?? 'TCP', job.bytes ?? 1000, random, deps.clock.now().getTime(), kernel);
      const first = [...(i === 0 ? dnsHops : []), ...departed.hops];
      // The last hop's span is the parent of what happens on the other side.
      let handoff = '';
      first.forEach((h, k) => withSpan('packet hop', { attributes: hopAttributes(h) }, () => void (k === first.length - 1 && (handoff = currentTraceparent()))));
      let outcome: Simulated = departed;
      if (departed.arrive) {
        const owner = departed.arrive.node === from.node ? deps.queue : await ownerOf(deps, departed.arrive.node);
        if (owner && owner !== deps.queue) {
          const reply = `${deps.prefix}:packet:reply:${randomUUID()}`;
          await deps.send(owner, { kind: 'arrive', arrival: departed.arrive, traceparent: handoff, reply });
          const answer = await waitForReply(deps.redis, reply);
          const tail: Simulated = answer ? JSON.parse(answer) : { hops: [], dropped: `the proxy of ${departed.arrive.node} did not answer in ${ARRIVAL_TIMEOUT_SECONDS}s` };
          outcome = { ...tail, hops: [...departed.hops, ...tail.hops] };
        } else {
          const arrived = simulateArrival(world, departed.arrive);
          emit(arrived.hops);
          outcome = { ...arrived, hops: [...departed.hops, ...arrived.hops] };
        }
      }
      const hops = [...(i === 0 ? dnsHops : []), ...outcome.hops];
      const packet: PacketOutcome = { hops, ...(outcome.dropped ? { dropped: outcome.dropped } : {}) };
      if (outcome.served) {
        const pod = `${outcome.served.pod.namespace}/${outcome.served.pod.name}`;
        packet.served = { pod, endpoint: outcome.served.endpoint, node: outcome.served.pod.node };
        result.servedBy[pod] = (result.servedBy[pod] ?? 0) + 1;
      }
      result.packets.push(packet);
    }
    span.setAttributes({ 'kubeq.packet.served': Object.values(result.servedBy).reduce((a, b) => a + b, 0), 'kubeq.packet.dropped': result.packets.filter((p) => p.dropped).length });
    return result;
  });
}

/** Starts the workers on the shared entry queue and this process's own queue. */
export function startPacketWorker(deps: Omit<PacketWorkerDeps, 'send'>): { stop(): Promise<void> } {
  const kernel: KernelState = { recent: new Map(), ipvs: new Map() };
  const queues = new Map<string, Queue<WorkJob>>();
  const send = async (name: string, job: WorkJob) => {
    if (!queues.has(name)) queues.set(name, new Queue<WorkJob>(name, { connection: deps.redis, prefix: deps.prefix }));
    await queues.get(name)!.add(job.kind ?? 'send', job, { removeOnComplete: true, removeOnFail: 100 });
  };
  const full: PacketWorkerDeps = { ...deps, send };
  const handle = async (data: WorkJob) => {
    if (data.kind === 'arrive') return runArrival(data, full);
    // A request whose sender is on a node another process owns goes there.
    const sender = senderOf(data, deps.cache, deps.seed);
    const node = typeof sender === 'string' ? undefined : sender.node;
    const owner = node ? await ownerOf(full, node) : undefined;
    if (owner && owner !== deps.queue) return send(owner, data);
    const result = await runPacketJob(data, full, kernel).catch((err: unknown) => ({ id: data.id, from: data.from, to: data.to, traceId: '', packets: [], servedBy: {}, error: (err as Error).message }));
    await recordPacketResult(deps.redis, deps.prefix, result);
  };
  const workers = [PACKET_QUEUE, deps.queue].map((name) => new Worker<WorkJob>(name, async (job) => handle(job.data), { connection: deps.redis.duplicate({ maxRetriesPerRequest: null }), prefix: deps.prefix, concurrency: 4 }));
  return {
    stop: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
