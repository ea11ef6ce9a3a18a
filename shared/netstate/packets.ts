/**
 * Packet requests: whoever sends a simulated packet (the API's `/webhooks/packets`, `kubeq
 * packet send`, a test) puts a job on the proxy role's queue and waits for the result the proxy
 * records beside the store. The job carries the sender's traceparent, so the packet's hops join
 * the sender's trace.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';

export const PACKET_QUEUE = 'proxy-packets';
/** How long a result is kept (s). */
const RESULT_TTL_SECONDS = 600;

export interface PacketRequest {
  /** `<namespace>/<pod>`, or `external` / `external/<client ip>` for a client outside the cluster (to a NodePort or LoadBalancer address). */
  from: string;
  /** `<service or pod IP, or DNS name>:<port>`. */
  to: string;
  /** Default 1, at most 100. */
  count?: number;
  /** Default TCP. */
  protocol?: string;
  /** Default 1000. */
  bytes?: number;
}

export interface PacketJob extends PacketRequest {
  id: string;
  traceparent: string;
}

export interface PacketOutcome {
  /** The hops as packet.ts describes them. */
  hops: unknown[];
  served?: { pod: string; endpoint: string; node: string };
  dropped?: string;
}

export interface PacketResult {
  id: string;
  from: string;
  to: string;
  traceId: string;
  packets: PacketOutcome[];
  /** Served per pod, over all packets. */
  servedBy: Record<string, number>;
  error?: string;
}

export const resultKey = (prefix: string, id: string) => `${prefix}:packet:${id}`;
/** Hash: node name → the packet queue of the proxy process that is that node's kube-proxy. */
export const ownersKey = (prefix: string) => `${prefix}:proxy:owners`;
/** A proxy process's own packet queue (`proxy-packets-<instance>`). */
export const instanceQueue = (instance: string) => `${PACKET_QUEUE}-${instance.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export async function recordPacketResult(redis: Redis, prefix: string, result: PacketResult): Promise<void> {
  await redis.set(resultKey(prefix, result.id), JSON.stringify(result), 'EX', RESULT_TTL_SECONDS);
}

/** The request's checks, with the message a 400 carries; undefined when it is fine. */
export function invalidPacketRequest(r: Partial<PacketRequest>): string | undefined {
  const outside = typeof r.from === 'string' && /^external(\/\d{1,3}(\.\d{1,3}){3})?$/.test(r.from);
  if (!outside && (typeof r.from !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(r.from))) return 'from must be <namespace>/<pod>, or external[/<client ip>]';
  if (typeof r.to !== 'string' || !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(r.to) || Number(r.to.split(':')[1]) > 65535) return 'to must be <host>:<port> (a Service or pod IP, or a DNS name)';
  if (r.count !== undefined && (!Number.isInteger(r.count) || r.count < 1 || r.count > 100)) return 'count must be an integer from 1 to 100';
  if (r.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(String(r.protocol).toUpperCase())) return 'protocol must be TCP, UDP or SCTP';
  if (r.bytes !== undefined && (!Number.isInteger(r.bytes) || r.bytes < 1 || r.bytes > 65535)) return 'bytes must be an integer from 1 to 65535';
  return undefined;
}

/** Sends the request to the proxy role and waits (up to `timeoutMs`) for its result; undefined on timeout. */
export async function sendPacket(redis: Redis, prefix: string, request: PacketRequest, traceparent: string, timeoutMs = 15_000): Promise<PacketResult | undefined> {
  const id = randomUUID();
  const queue = new Queue<PacketJob>(PACKET_QUEUE, { connection: redis, prefix });
  try {
    await queue.add('packet', { ...request, id, traceparent }, { removeOnComplete: true, removeOnFail: 100 });
  } finally {
    await queue.close();
  }
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const raw = await redis.get(resultKey(prefix, id));
    if (raw) return JSON.parse(raw) as PacketResult;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
