/**
 * What the simulated loads do to pods and Services, beside the store (like the resource
 * samples: not API objects, never in the change log). The proxy role writes each load's share
 * per pod — requests per second, the CPU and memory they cost, the container port they reach —
 * and per Service; the kubelet adds the pods' shares to their usage, and the HPA reads requests
 * per second as Pods and Object metrics. Every entry says until when it holds, so a load that
 * stops or moves away stops counting without anyone deleting it.
 */
import type { Redis } from 'ioredis';

/** The custom metric the loads give, per pod and per Service (the HPA's Pods and Object metrics, custom.metrics.k8s.io). */
export const REQUESTS_PER_SECOND = 'requests_per_second';

export interface PodLoad {
  /** Requests per second this load's clients send the pod. */
  rps: number;
  /** CPU the requests cost (millicores): rps × cost.cpu. */
  cpuMillis: number;
  /** Memory of the requests in flight (bytes): rps × latency × cost.memory. */
  memoryBytes: number;
  /** The pod's port the requests reach (after DNAT). */
  port: number;
  /** Wall-clock ms after which the entry no longer counts. */
  until: number;
}

export interface ServiceLoad {
  /** Requests per second sent to the Service. */
  offered: number;
  served: number;
  until: number;
}

/** What a pod serves, summed over the loads that reach it. */
export interface PodLoadTotal {
  rps: number;
  /** By container port. */
  byPort: Map<number, { cpuMillis: number; memoryBytes: number }>;
}

export class LoadState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  podKey(namespace: string, pod: string): string {
    return `${this.prefix}:load:pod:${namespace}/${pod}`;
  }

  serviceKey(namespace: string, service: string): string {
    return `${this.prefix}:load:service:${namespace}/${service}`;
  }

  /** The set of pods (and the Service) load `<ns>/<name>` last wrote a share to. */
  private reachedKey(namespace: string, load: string): string {
    return `${this.prefix}:load:reached:${namespace}/${load}`;
  }

  /**
   * One sync of load `<ns>/<name>`: its share of each pod it reached and of its Service. The
   * pods it reached last time and not now lose its share at once; `until` is only the safety
   * net for a load whose simulator stopped. Keys outlive `until` by a little, then Redis drops them.
   */
  async write(load: { namespace: string; name: string; service: string }, pods: Map<string, PodLoad>, service: ServiceLoad): Promise<void> {
    const ttl = Math.max(1000, service.until - Date.now()) * 2;
    const reached = this.reachedKey(load.namespace, load.name);
    const before = await this.redis.smembers(reached);
    const tx = this.redis.multi();
    for (const member of before) {
      if (!member.startsWith('service:')) {
        if (!pods.has(member)) tx.hdel(this.podKey(load.namespace, member), load.name);
      } else if (member !== `service:${load.service}`) tx.hdel(this.serviceKey(load.namespace, member.slice('service:'.length)), load.name);
    }
    for (const [pod, share] of pods) {
      const key = this.podKey(load.namespace, pod);
      tx.hset(key, load.name, JSON.stringify(share)).pexpire(key, ttl);
    }
    const key = this.serviceKey(load.namespace, load.service);
    tx.hset(key, load.name, JSON.stringify(service)).pexpire(key, ttl);
    tx.del(reached);
    tx.sadd(reached, `service:${load.service}`, ...pods.keys()).pexpire(reached, ttl);
    await tx.exec();
  }

  /** Load `<ns>/<name>` is gone or over: its shares go at once. */
  async remove(namespace: string, load: string): Promise<void> {
    const reached = this.reachedKey(namespace, load);
    const before = await this.redis.smembers(reached);
    const tx = this.redis.multi();
    for (const member of before) tx.hdel(member.startsWith('service:') ? this.serviceKey(namespace, member.slice('service:'.length)) : this.podKey(namespace, member), load);
    tx.del(reached);
    await tx.exec();
  }

  /** Each pod's (`<ns>/<name>`) current total; pods no load reaches are absent. */
  async pods(keys: string[], now = Date.now()): Promise<Map<string, PodLoadTotal>> {
    const out = new Map<string, PodLoadTotal>();
    if (!keys.length) return out;
    const pipeline = this.redis.pipeline();
    for (const k of keys) {
      const [ns, name] = k.split('/');
      pipeline.hgetall(this.podKey(ns, name));
    }
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((k, i) => {
      const entries = Object.values((replies[i]?.[1] ?? {}) as Record<string, string>)
        .map((v) => JSON.parse(v) as PodLoad)
        .filter((e) => e.until >= now);
      if (!entries.length) return;
      const total: PodLoadTotal = { rps: 0, byPort: new Map() };
      for (const e of entries) {
        total.rps += e.rps;
        const port = total.byPort.get(e.port) ?? { cpuMillis: 0, memoryBytes: 0 };
        total.byPort.set(e.port, { cpuMillis: port.cpuMillis + e.cpuMillis, memoryBytes: port.memoryBytes + e.memoryBytes });
      }
      out.set(k, total);
    });
    return out;
  }

  /** Requests per second sent to and served by the Service, over the loads that target it now; undefined when none does. */
  async service(namespace: string, name: string, now = Date.now()): Promise<{ offered: number; served: number } | undefined> {
    const entries = Object.values(await this.redis.hgetall(this.serviceKey(namespace, name)))
      .map((v) => JSON.parse(v) as ServiceLoad)
      .filter((e) => e.until >= now);
    if (!entries.length) return undefined;
    return { offered: entries.reduce((s, e) => s + e.offered, 0), served: entries.reduce((s, e) => s + e.served, 0) };
  }
}
