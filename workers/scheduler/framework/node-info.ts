/**
 * What the scheduler knows about one node (upstream's NodeInfo): the node, the pods bound to it,
 * and the sums of their requests. Built fresh for every cycle from the informer cache.
 */
import type { KubeObject } from '../../../shared/api/types';
import { addInto, PODS, podRequests, toResourceList, type ResourceList } from './resources';

export class NodeInfo {
  readonly pods: KubeObject[] = [];
  /** Sum of the pods' requests exactly as written. */
  readonly requested: ResourceList = {};
  /** Sum with 100m / 200Mi for containers that request no cpu / memory: what scoring uses. */
  readonly nonZeroRequested: ResourceList = {};
  /** node.status.allocatable (capacity when absent), cpu in millicores; `pods` is how many pods fit. */
  readonly allocatable: ResourceList;

  constructor(
    readonly node: KubeObject,
    pods: KubeObject[] = [],
  ) {
    this.allocatable = toResourceList(node.status?.allocatable ?? node.status?.capacity);
    for (const pod of pods) this.addPod(pod);
  }

  get name(): string {
    return this.node.metadata.name ?? '';
  }

  /** How many pods the node allows (allocatable `pods`; zero when unset). */
  get allowedPodNumber(): number {
    return this.allocatable[PODS] ?? 0;
  }

  addPod(pod: KubeObject): void {
    this.pods.push(pod);
    addInto(this.requested, podRequests(pod));
    addInto(this.nonZeroRequested, podRequests(pod, { nonMissing: true }));
  }
}

/** Whether the pod still holds its node's resources: bound, and not Succeeded or Failed. */
export function occupiesNode(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * One NodeInfo per node, in the order given, each holding the pods bound to it that still
 * occupy it. Pods bound to nodes not in `nodes` are ignored.
 */
export function buildNodeInfos(nodes: KubeObject[], pods: KubeObject[]): NodeInfo[] {
  const byName = new Map<string, NodeInfo>();
  const infos = nodes.map((n) => {
    const info = new NodeInfo(n);
    byName.set(info.name, info);
    return info;
  });
  for (const pod of pods) {
    if (occupiesNode(pod)) byName.get(pod.spec.nodeName)?.addPod(pod);
  }
  return infos;
}
