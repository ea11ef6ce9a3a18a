import { randomBytes } from 'node:crypto';
import { isStatusError } from '../../shared/api/status';
import { parseObjectKey, type KubeObject, type ObjectKey } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { ReconcileResult } from '../../shared/queue/reconcile';
import type { Store } from '../../shared/store/store';
import { noEvents, type EventRecorder } from '../../shared/events/recorder';
import { formatIpv4Cidr, overlappedSubnets, parseIpv4Cidr, subnetAt, subnetCount, type Ipv4Cidr } from './nodeipam-cidr';

/** Upstream's kubeadm/flannel default --cluster-cidr. */
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
/** Upstream's default --node-cidr-mask-size for IPv4. */
export const NODE_CIDR_MASK_SIZE = 24;
/** How long a node waits before trying again when the cluster CIDR is full. */
const CIDR_NOT_AVAILABLE_RETRY_MS = 15_000;
/** The allocation lock's lifetime: a crashed holder frees it after this; a live one holds it for one list and one write. */
const LOCK_TTL_MS = 30_000;
/** How long a reconcile waits for the lock before failing (and being retried with backoff). */
const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 5;

/**
 * Serializes allocations: whichever reconcile holds it lists the nodes, picks a free range and
 * writes it, so two nodes never get the same range. In-process reconciles queue on a promise
 * chain; processes sharing the store take a Redis lock (`<prefix>:node-ipam:lock`, SET NX PX
 * with a token, released only by its holder). Upstream's range allocator gets the same from an
 * in-memory bitmap under a mutex in its one leader-elected process.
 */
export class AllocationLock {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly key: string;

  constructor(private readonly store: Store) {
    this.key = `${store.keys.prefix}:node-ipam:lock`;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => this.holdingRedisLock(fn));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async holdingRedisLock<T>(fn: () => Promise<T>): Promise<T> {
    const redis = this.store.redis;
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + LOCK_WAIT_MS;
    while ((await redis.set(this.key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`node-ipam: allocation lock ${this.key} still held after ${LOCK_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      return await fn();
    } finally {
      await redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, this.key, token);
    }
  }
}

/** What the node IPAM reconcile needs: built once per controller (`nodeIpam(...)`). */
export interface NodeIpam {
  store: Store;
  clock: Clock;
  recorder: EventRecorder;
  cluster: Ipv4Cidr;
  /** Prefix length of each node's range. */
  maskSize: number;
  lock: AllocationLock;
}

export function nodeIpam(opts: { store: Store; clock: Clock; recorder?: EventRecorder; clusterCIDR?: string; maskSize?: number }): NodeIpam {
  const clusterCIDR = opts.clusterCIDR ?? DEFAULT_CLUSTER_CIDR;
  const cluster = parseIpv4Cidr(clusterCIDR);
  const maskSize = opts.maskSize ?? NODE_CIDR_MASK_SIZE;
  if (!cluster) throw new Error(`node-ipam: cluster CIDR ${JSON.stringify(clusterCIDR)} is not an IPv4 CIDR`);
  if (maskSize < cluster.bits || maskSize > 32) throw new Error(`node-ipam: node CIDR mask size /${maskSize} does not fit in cluster CIDR ${clusterCIDR}`);
  return { store: opts.store, clock: opts.clock, recorder: opts.recorder ?? noEvents, cluster, maskSize, lock: new AllocationLock(opts.store) };
}

/** Every CIDR a node holds (`spec.podCIDR` and `spec.podCIDRs`). */
export function podCIDRsOf(node: KubeObject): string[] {
  const cidrs: unknown[] = [node.spec?.podCIDR, ...(Array.isArray(node.spec?.podCIDRs) ? node.spec.podCIDRs : [])];
  return [...new Set(cidrs.filter((c): c is string => typeof c === 'string' && c !== ''))];
}

/** The lowest range of the cluster CIDR that no node overlaps; undefined when all are taken. */
export function lowestFreeCIDR(ipam: Pick<NodeIpam, 'cluster' | 'maskSize'>, nodes: KubeObject[]): string | undefined {
  const used = new Set<number>();
  for (const n of nodes) {
    for (const c of podCIDRsOf(n)) {
      const parsed = parseIpv4Cidr(c);
      if (parsed) for (const i of overlappedSubnets(ipam.cluster, ipam.maskSize, parsed)) used.add(i);
    }
  }
  const count = subnetCount(ipam.cluster, ipam.maskSize);
  for (let i = 0; i < count; i++) if (!used.has(i)) return formatIpv4Cidr(subnetAt(ipam.cluster, ipam.maskSize, i));
  return undefined;
}

/**
 * The node IPAM controller (upstream's range allocator): a node without `spec.podCIDR(s)` gets the
 * lowest free range of the cluster CIDR. The ranges in use are the nodes' own, read from the store
 * at reconcile time under the allocation lock, so a deleted node's range is free again and a range
 * is never given twice. A node that has one keeps it (the API forbids changing it). When the
 * cluster CIDR is full the node gets a `CIDRNotAvailable` Warning Event and is tried again later.
 */
export async function reconcileNodeIpam(key: ObjectKey, ipam: NodeIpam): Promise<ReconcileResult | void> {
  const { name } = parseObjectKey(key);
  const { store } = ipam;
  const node = await store.get('nodes', undefined, name);
  if (!node || node.metadata.deletionTimestamp || podCIDRsOf(node).length > 0) return;
  return ipam.lock.run(async () => {
    const { items } = await store.list('nodes');
    const self = items.find((n) => n.metadata.name === name);
    if (!self || self.metadata.deletionTimestamp || podCIDRsOf(self).length > 0) return;
    const cidr = lowestFreeCIDR(ipam, items);
    if (!cidr) {
      await ipam.recorder.event(self, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return { requeueAfter: ipam.clock.scaled(CIDR_NOT_AVAILABLE_RETRY_MS) };
    }
    await store
      .guaranteedUpdate('nodes', undefined, name, (current) => {
        // Another node of the same name, a node going away, or one that got a range meanwhile: leave it.
        if (current.metadata.uid !== self.metadata.uid || current.metadata.deletionTimestamp || podCIDRsOf(current).length > 0) return undefined;
        current.spec = { ...current.spec, podCIDR: cidr, podCIDRs: [cidr] };
        return current;
      })
      .catch((err: unknown) => {
        if (!isStatusError(err, 404)) throw err;
      });
  });
}
