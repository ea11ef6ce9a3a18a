/**
 * The nodes a kubelet process simulates, as data: names, addresses, labels, capacity and the
 * Node object it registers. Pure.
 */
import type { KubeObject } from '../../shared/api/types';
import { intToIpv4, ipv4ToInt } from '../../shared/net/ipv4';
import type { NodeView } from './lifecycle';
import type { KubeletSettings } from './settings';

export const KUBELET_VERSION = 'v1.32.0';
export const POOL_LABEL = 'kubeq.io/node-pool';

/** One simulated node: `index` is its cluster-wide index (KUBEQ_NODE_INDEX + its place in this process). */
export interface SimNode extends Omit<NodeView, 'podCIDR'> {
  index: number;
}

/** 172.20.32.0/19 (the underlay), from .10 up: `<prefix>-0` is 172.20.32.10. */
export function internalIP(index: number): string {
  return intToIpv4(ipv4ToInt('172.20.32.10') + index);
}

/** `<prefix>-0` … `<prefix>-<count−1>`; addresses from the cluster-wide index `firstIndex + i`. */
export function simNodes(count: number, prefix: string, firstIndex = 0): SimNode[] {
  return Array.from({ length: count }, (_, i) => ({ i, index: firstIndex + i })).map(({ i, index }) => ({
    index,
    name: `${prefix}-${i}`,
    hostIP: internalIP(index),
    fallbackCIDR: `10.244.${index % 256}.0/24`,
  }));
}

/** Node conditions as the kubelet reports them when healthy. */
function conditions(at: string): any[] {
  const c = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: at, lastTransitionTime: at });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeLabels(node: SimNode, s: KubeletSettings): Record<string, string> {
  return {
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': s.instanceType,
    [POOL_LABEL]: s.pool,
    ...s.labels,
  };
}

/** The status the kubelet posts; `at` (RFC 3339) stamps conditions that change. */
export function nodeStatus(node: SimNode, s: KubeletSettings, at: string): any {
  const capacity = { cpu: s.cpu, memory: s.memory, pods: s.pods, 'ephemeral-storage': '100Gi' };
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: conditions(at),
    addresses: [
      { type: 'InternalIP', address: node.hostIP },
      { type: 'Hostname', address: node.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: '6.8.0-kubeq',
      osImage: 'kubeq simulated node',
      containerRuntimeVersion: 'kubeq://0.1.0',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

export function nodeObject(node: SimNode, s: KubeletSettings, at: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: nodeLabels(node, s), annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    // Taints are set at registration only (--register-with-taints); later changes are the API's.
    spec: s.taints.length ? { taints: s.taints.map((t) => ({ ...t })) } : {},
    status: nodeStatus(node, s, at),
  };
}

/**
 * The status to post over `current`: the wanted one, keeping each condition as stored while its
 * status, reason and message hold (so an unchanged node writes nothing).
 */
export function mergeNodeStatus(current: any, wanted: any): any {
  const old: any[] = Array.isArray(current?.conditions) ? current.conditions : [];
  const conditions = wanted.conditions.map((c: any) => {
    const prev = old.find((o) => o.type === c.type);
    return prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message ? prev : c;
  });
  return { ...current, ...wanted, conditions };
}
