/**
 * The kubelet's own settings (the shared ones — KUBEQ_NODES, KUBEQ_SEED, KUBEQ_TIME_SCALE,
 * KUBEQ_INSTANCE — come from shared/config/settings). Each field's doc states its variable and default.
 */
import { hostname } from 'node:os';

export interface KubeletSettings {
  /** `KUBEQ_NODE_PREFIX`, default this host's name as a DNS-1123 label: nodes are `<prefix>-0`, `<prefix>-1`, … */
  nodePrefix: string;
  /** `KUBEQ_NODE_CPU`, default `4`: each node's cpu capacity (a quantity). */
  cpu: string;
  /** `KUBEQ_NODE_MEMORY`, default `8Gi`: each node's memory capacity. */
  memory: string;
  /** `KUBEQ_NODE_PODS`, default `110`: each node's pod capacity. */
  pods: string;
  /** `KUBEQ_NODE_POOL`, default `default`: the `kubeq.io/node-pool` label of every node. */
  pool: string;
  /**
   * `KUBEQ_NODE_INDEX`, default 0: the cluster-wide index of this process's first node. Node
   * addresses (172.20.32.0/19) and fallback pod ranges (10.244.<index>.0/24) count from it, so
   * kubelet processes given disjoint ranges never share addresses.
   */
  firstIndex: number;
  /** `KUBEQ_NODE_INSTANCE_TYPE`, default `kubeq.sim`: the `node.kubernetes.io/instance-type` label. */
  instanceType: string;
  /**
   * `KUBEQ_NODE_TAINTS`, default none: taints every node registers with, in the kubelet's
   * `--register-with-taints` form `key=value:Effect,key:Effect`.
   */
  taints: { key: string; value?: string; effect: string }[];
  /** Labels besides the kubelet's own (none from the environment; a cloud machine's group labels and zone). */
  labels?: Record<string, string>;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `dedicated=gpu:NoSchedule,spot:NoExecute` → taints; throws with the offending entry. */
export function parseTaints(text: string | undefined): KubeletSettings['taints'] {
  if (!text?.trim()) return [];
  return text.split(',').map((entry) => {
    const match = /^([^=:\s]+)(?:=([^:\s]*))?:([A-Za-z]+)$/.exec(entry.trim());
    if (!match || !EFFECTS.includes(match[3])) throw new Error(`KUBEQ_NODE_TAINTS: ${JSON.stringify(entry)} is not key[=value]:${EFFECTS.join('|')}`);
    return { key: match[1], ...(match[2] ? { value: match[2] } : {}), effect: match[3] };
  });
}

/** `My_Host.local` → `my-host-local`: lower case, runs of other characters as one dash, at most 50 characters. */
export function dns1123Label(raw: string): string {
  const label = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  return label || 'kubeq-node';
}

export function loadKubeletSettings(env: NodeJS.ProcessEnv = process.env, host: string = hostname()): KubeletSettings {
  const nodePrefix = env.KUBEQ_NODE_PREFIX || dns1123Label(host);
  if (dns1123Label(nodePrefix) !== nodePrefix) throw new Error(`KUBEQ_NODE_PREFIX=${JSON.stringify(nodePrefix)} is not a DNS-1123 label`);
  const firstIndex = Number(env.KUBEQ_NODE_INDEX || 0);
  if (!Number.isInteger(firstIndex) || firstIndex < 0) throw new Error(`KUBEQ_NODE_INDEX=${JSON.stringify(env.KUBEQ_NODE_INDEX)} is not a non-negative integer`);
  return {
    nodePrefix,
    firstIndex,
    cpu: env.KUBEQ_NODE_CPU || '4',
    memory: env.KUBEQ_NODE_MEMORY || '8Gi',
    pods: env.KUBEQ_NODE_PODS || '110',
    pool: env.KUBEQ_NODE_POOL || 'default',
    instanceType: env.KUBEQ_NODE_INSTANCE_TYPE || 'kubeq.sim',
    taints: parseTaints(env.KUBEQ_NODE_TAINTS),
  };
}
