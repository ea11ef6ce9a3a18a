/**
 * The proxy role's own settings (the shared ones come from shared/config/settings). Each field's
 * doc states its variable and default.
 */
import type { ProxyMode } from './index';
import type { Backend } from './overlay';

export const IPVS_SCHEDULERS = ['rr', 'lc', 'dh', 'sh', 'sed', 'nq'] as const;
export type IpvsScheduler = (typeof IPVS_SCHEDULERS)[number];

export interface ProxySettings {
  /** `KUBEQ_PROXY_MODE`, default `iptables` (kube-proxy's --proxy-mode): or `ipvs`. */
  mode: ProxyMode;
  /** `KUBEQ_IPVS_SCHEDULER`, default `rr` (kube-proxy's --ipvs-scheduler). */
  ipvsScheduler: IpvsScheduler;
  /** `KUBEQ_FLANNEL_BACKEND`, default `vxlan`: or `udp`. */
  flannelBackend: Backend;
  /** `KUBEQ_DNS_PORT`, default 10053: the cluster DNS's UDP port on KUBEQ_API_HOST; 0 picks a free one. */
  dnsPort: number;
  /** `KUBEQ_PROXY_MIN_SYNC_PERIOD`, default `1s` (kube-proxy's --iptables-min-sync-period). */
  minSyncMs: number;
  /**
   * `KUBEQ_PROXY_NODES`, default every node: a regular expression for the node names this process
   * is kube-proxy for (e.g. `^rack-a-`); run several proxy processes to spread nodes, and a
   * packet crossing to another node is handed to that node's process.
   */
  nodes: RegExp;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

function nodePattern(raw: string | undefined): RegExp {
  try {
    return new RegExp(raw || '.*');
  } catch (err) {
    throw new Error(`KUBEQ_PROXY_NODES must be a regular expression: ${(err as Error).message}`);
  }
}

export function loadProxySettings(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const dnsPort = Number(env.KUBEQ_DNS_PORT ?? 10053);
  if (!Number.isInteger(dnsPort) || dnsPort < 0 || dnsPort > 65535) throw new Error(`KUBEQ_DNS_PORT must be a port number, got ${JSON.stringify(env.KUBEQ_DNS_PORT)}`);
  const minSync = /^(\d+)(ms|s)$/.exec(env.KUBEQ_PROXY_MIN_SYNC_PERIOD ?? '1s');
  if (!minSync) throw new Error(`KUBEQ_PROXY_MIN_SYNC_PERIOD must be a duration such as 1s or 500ms, got ${JSON.stringify(env.KUBEQ_PROXY_MIN_SYNC_PERIOD)}`);
  return {
    mode: oneOf(env, 'KUBEQ_PROXY_MODE', ['iptables', 'ipvs'] as const, 'iptables'),
    ipvsScheduler: oneOf(env, 'KUBEQ_IPVS_SCHEDULER', IPVS_SCHEDULERS, 'rr'),
    flannelBackend: oneOf(env, 'KUBEQ_FLANNEL_BACKEND', ['vxlan', 'udp'] as const, 'vxlan'),
    dnsPort,
    minSyncMs: Number(minSync[1]) * (minSync[2] === 's' ? 1000 : 1),
    nodes: nodePattern(env.KUBEQ_PROXY_NODES),
  };
}
