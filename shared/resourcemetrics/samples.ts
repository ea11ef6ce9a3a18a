/**
 * Resource usage samples (what metrics-server scrapes from kubelets and serves as
 * metrics.k8s.io): written by the kubelet role, read by the API server. Metrics are not API
 * objects, so they live beside the store, in two Redis hashes (pods by `<ns>/<name>`, nodes by
 * name), never in the object store or its change log.
 */
import type { Redis } from 'ioredis';

export interface ContainerUsage {
  name: string;
  /** CPU in millicores, averaged over the window. */
  cpuMillis: number;
  memoryBytes: number;
  /** Share of the wanted CPU the limit held back (0 when not throttled). */
  throttled: number;
}

export interface PodSample {
  namespace: string;
  name: string;
  /** When the window ended (ms). */
  timestamp: number;
  windowMs: number;
  containers: ContainerUsage[];
}

export interface NodeSample {
  name: string;
  timestamp: number;
  windowMs: number;
  cpuMillis: number;
  memoryBytes: number;
}

export class ResourceSamples {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get podsKey(): string {
    return `${this.prefix}:metrics:pods`;
  }

  private get nodesKey(): string {
    return `${this.prefix}:metrics:nodes`;
  }

  /** One node's scrape: its sample, its pods' samples, and the pods it no longer runs. */
  async write(node: NodeSample, pods: PodSample[], gone: string[]): Promise<void> {
    const tx = this.redis.multi();
    tx.hset(this.nodesKey, node.name, JSON.stringify(node));
    if (pods.length) tx.hset(this.podsKey, Object.fromEntries(pods.map((p) => [`${p.namespace}/${p.name}`, JSON.stringify(p)])));
    if (gone.length) tx.hdel(this.podsKey, ...gone);
    await tx.exec();
  }

  async pods(): Promise<PodSample[]> {
    return Object.values(await this.redis.hgetall(this.podsKey)).map((v) => JSON.parse(v) as PodSample);
  }

  async pod(namespace: string, name: string): Promise<PodSample | undefined> {
    const v = await this.redis.hget(this.podsKey, `${namespace}/${name}`);
    return v ? (JSON.parse(v) as PodSample) : undefined;
  }

  async nodes(): Promise<NodeSample[]> {
    return Object.values(await this.redis.hgetall(this.nodesKey)).map((v) => JSON.parse(v) as NodeSample);
  }

  async node(name: string): Promise<NodeSample | undefined> {
    const v = await this.redis.hget(this.nodesKey, name);
    return v ? (JSON.parse(v) as NodeSample) : undefined;
  }
}
