/**
 * What the scheduler knows about one node (upstream's NodeInfo): the node, the pods bound to it,
 * and the sums of their requests. Kept current by the scheduler cache (cache.ts), or built for
 * one cycle by buildNodeInfos.
 */
import type { KubeObject } from '../../api/types';
import { addInto, PODS, podRequests, toResourceList, type ResourceList } from './resources';

function subtractFrom(into: ResourceList, take: ResourceList): void {
  for (const [name, v] of Object.entries(take)) into[name] = (into[name] ?? 0) - v;
}

const affinityOf = (pod: KubeObject) => pod.spec?.affinity ?? {};
/** Whether the pod has pod affinity or anti-affinity terms of any kind. */
export const hasPodAffinity = (pod: KubeObject) => !!(affinityOf(pod).podAffinity || affinityOf(pod).podAntiAffinity);
/** Whether the pod has required anti-affinity terms. */
export const hasRequiredAntiAffinity = (pod: KubeObject) => (affinityOf(pod).podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;

export class NodeInfo {
  readonly pods: KubeObject[] = [];
  /** The pods with pod (anti-)affinity terms (upstream's PodsWithAffinity): what InterPodAffinity reads when the incoming pod has none. */
  readonly podsWithAffinity: KubeObject[] = [];
  /** The pods with required anti-affinity (upstream's PodsWithRequiredAntiAffinity). */
  readonly podsWithRequiredAntiAffinity: KubeObject[] = [];
  /** Sum of the pods' requests exactly as written. */
  readonly requested: ResourceList = {};
  /** Sum with 100m / 200Mi for containers that request no cpu / memory: what scoring uses. */
  readonly nonZeroRequested: ResourceList = {};
  /** node.status.allocatable (capacity when absent), cpu in millicores; `pods` is how many pods fit. */
  allocatable: Readonly<ResourceList>;

  constructor(
    public node: KubeObject,
    pods: KubeObject[] = [],
  ) {
    this.allocatable = toResourceList(node.status?.allocatable ?? node.status?.capacity);
    for (const pod of pods) this.addPod(pod);
  }

  /** Per-node results derived from the pods (e.g. how many a selector matches), dropped whenever a pod comes or goes. */
  private readonly derived = new Map<string, number>();

  /** `compute()`, remembered under `key` until the node's pods change. */
  memo(key: string, compute: () => number): number {
    let value = this.derived.get(key);
    if (value === undefined) this.derived.set(key, (value = compute()));
    return value;
  }

  /** A newer version of the node. */
  setNode(node: KubeObject): void {
    this.node = node;
    this.allocatable = toResourceList(node.status?.allocatable ?? node.status?.capacity);
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
    if (hasPodAffinity(pod)) this.podsWithAffinity.push(pod);
    if (hasRequiredAntiAffinity(pod)) this.podsWithRequiredAntiAffinity.push(pod);
    this.derived.clear();
    addInto(this.requested, podRequests(pod));
    addInto(this.nonZeroRequested, podRequests(pod, { nonMissing: true }));
  }

  /** Takes out `pod` (the same object that was added); false when it is not here. */
  removePod(pod: KubeObject): boolean {
    const i = this.pods.indexOf(pod);
    if (i < 0) return false;
    this.pods.splice(i, 1);
    for (const list of [this.podsWithAffinity, this.podsWithRequiredAntiAffinity]) {
      const j = list.indexOf(pod);
      if (j >= 0) list.splice(j, 1);
    }
    this.derived.clear();
    subtractFrom(this.requested, podRequests(pod));
    subtractFrom(this.nonZeroRequested, podRequests(pod, { nonMissing: true }));
    return true;
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
