/**
 * The simulated cloud's machines, beside the store in Redis: what the cluster autoscaler asks
 * for and the kubelet role runs. The autoscaler adds a machine (a node group grows) with the
 * group's shape and the time it is up (its provisioning delay); a kubelet process claims it
 * once it is up and simulates its Node from then on; the autoscaler deletes the machine (the
 * group shrinks) and the kubelet that claimed it stops simulating it and deletes its Node.
 *
 * Keys (all under the cluster's prefix):
 *   `<prefix>cloud:machines`  hash  node name → Machine (JSON)
 *   `<prefix>cloud:claims`    hash  node name → the kubelet instance simulating it
 *   `<prefix>cloud:sequence`  hash  node group → last machine number given out; `__index` → last node index
 */
import type { Redis } from 'ioredis';
import type { Taint } from '../api/taints';

/** First cluster-wide node index of cloud machines: their addresses start at 172.20.48.0, clear of KUBEQ_NODE_INDEX ranges below. */
export const CLOUD_FIRST_INDEX = 4096;

/** The node label naming a node's group (as kubelet's `kubeq.io/node-pool`). */
export const NODE_GROUP_LABEL = 'kubeq.io/node-group';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A machine's shape: what its Node registers with. */
export interface MachineShape {
  cpu: string;
  memory: string;
  pods: string;
  /** Labels besides the kubelet's own (hostname, os, arch, pool, group, zone). */
  labels: Record<string, string>;
  taints: Taint[];
  /** `topology.kubernetes.io/zone`; empty for none. */
  zone: string;
  instanceType: string;
}

export interface Machine {
  /** The Node's name: `<group>-<n>`. */
  name: string;
  group: string;
  /** Cluster-wide node index: its InternalIP and fallback pod range. */
  index: number;
  shape: MachineShape;
  /** When it was asked for (epoch ms). */
  requestedAt: number;
  /** When it is up and its kubelet starts (epoch ms): requestedAt + the group's provisioning delay, time-scaled. */
  readyAt: number;
}

/** The labels a machine's Node carries besides the kubelet's standard ones: its shape's, its group's and its zone's. */
export function machineLabels(group: string, shape: MachineShape): Record<string, string> {
  return { ...shape.labels, [NODE_GROUP_LABEL]: group, ...(shape.zone ? { [ZONE_LABEL]: shape.zone } : {}) };
}

export class Machines {
  private readonly machinesKey: string;
  private readonly claimsKey: string;
  private readonly sequenceKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.machinesKey = `${prefix}cloud:machines`;
    this.claimsKey = `${prefix}cloud:claims`;
    this.sequenceKey = `${prefix}cloud:sequence`;
  }

  /** Every machine, by name order. */
  async list(): Promise<Machine[]> {
    const all = await this.redis.hgetall(this.machinesKey);
    return Object.values(all)
      .map((json) => JSON.parse(json) as Machine)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Asks for a new machine of `group`, up at `readyAt`. */
  async add(group: string, shape: MachineShape, requestedAt: number, readyAt: number): Promise<Machine> {
    const [n, index] = (await this.redis.multi().hincrby(this.sequenceKey, group, 1).hincrby(this.sequenceKey, '__index', 1).exec())!.map(([err, v]) => {
      if (err) throw err;
      return Number(v);
    });
    const machine: Machine = { name: `${group}-${n - 1}`, group, index: CLOUD_FIRST_INDEX + index - 1, shape, requestedAt, readyAt };
    await this.redis.hset(this.machinesKey, machine.name, JSON.stringify(machine));
    return machine;
  }

  /** Deletes a machine (and its claim); false when there was none. */
  async remove(name: string): Promise<boolean> {
    const [[, removed]] = (await this.redis.multi().hdel(this.machinesKey, name).hdel(this.claimsKey, name).exec()) as [Error | null, number][];
    return removed === 1;
  }

  /** Claims `name` for kubelet `instance`: true when it is now (or already was) this instance's. */
  async claim(name: string, instance: string): Promise<boolean> {
    await this.redis.hsetnx(this.claimsKey, name, instance);
    return (await this.redis.hget(this.claimsKey, name)) === instance;
  }

  /** Drops a claim (after its machine went). */
  async release(name: string): Promise<void> {
    await this.redis.hdel(this.claimsKey, name);
  }
}
