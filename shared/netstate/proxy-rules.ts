/**
 * What each node's kube-proxy last programmed (simulated): the rules as the node's tools would
 * print them, its route table, and the sync's report. Written by the proxy role, read by the
 * API server's `/debug/proxy/<node>/…` and `kubeq proxy rules`. Beside the store, like metrics:
 * rule text is not an API object and must not flood the change log.
 */
import type { Redis } from 'ioredis';

export interface ProxyRulesRecord {
  node: string;
  mode: 'iptables' | 'ipvs';
  /** iptables-save, or ipvsadm -Ln + kube-ipvs0 + ipsets + iptables-save in ipvs mode. */
  text: string;
  /** ipvsadm -Ln alone (ipvs mode). */
  ipvsadm?: string;
  /** `ip route` on the node (the flannel overlay). */
  routes: string[];
  /** ms */
  syncedAt: number;
  rulesWritten: number;
  totalRules: number;
  /** The cost model's simulated sync time. */
  simulatedMs: number;
}

export class ProxyRulesStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}:proxy:rules`;
  }

  async write(record: ProxyRulesRecord): Promise<void> {
    await this.redis.hset(this.key, record.node, JSON.stringify(record));
  }

  async read(node: string): Promise<ProxyRulesRecord | undefined> {
    const v = await this.redis.hget(this.key, node);
    return v ? (JSON.parse(v) as ProxyRulesRecord) : undefined;
  }

  async forget(node: string): Promise<void> {
    await this.redis.hdel(this.key, node);
  }
}
