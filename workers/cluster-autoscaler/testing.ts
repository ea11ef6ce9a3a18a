/** Builders for the autoscaler's tests: node groups, group nodes, pods owned by a ReplicaSet. */
import type { KubeObject } from '../../shared/api/types';
import { makeNode, makePod, type PodOptions } from '../../shared/scheduling/testing';
import type { NodeGroup } from './settings';

export function group(name: string, o: Partial<NodeGroup> & { cpu?: string; memory?: string; labels?: Record<string, string>; taints?: NodeGroup['shape']['taints'] } = {}): NodeGroup {
  return {
    name,
    min: o.min ?? 0,
    max: o.max ?? 5,
    provisioningDelayMs: o.provisioningDelayMs ?? 60_000,
    shape: { cpu: o.cpu ?? '2', memory: o.memory ?? '4Gi', pods: '110', labels: o.labels ?? {}, taints: o.taints ?? [], zone: '', instanceType: 'kubeq.sim' },
  };
}

/** A Ready node with `cpu` and 4Gi allocatable. */
export function readyNode(name: string, cpu = '2', labels: Record<string, string> = {}): KubeObject {
  const node = makeNode(name, { allocatable: { cpu, memory: '4Gi', pods: '110' }, labels });
  node.status.conditions = [{ type: 'Ready', status: 'True' }];
  return node;
}

/** A Running, Ready pod owned by ReplicaSet `rs` (unless `bare`), requesting `cpu`. */
export function replicaPod(name: string, cpu: string, o: PodOptions & { rs?: string; bare?: boolean } = {}): KubeObject {
  const pod = makePod({ name, requests: [{ cpu }], ...o });
  if (!o.bare) pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.rs ?? 'web', uid: `uid-rs-${o.rs ?? 'web'}`, controller: true }];
  if (o.nodeName) pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  return pod;
}
