/**
 * What-if scheduling for the autoscaler, with the scheduler's own Filter plugins
 * (shared/scheduling): would a pod fit on a node of a group that does not exist yet (a template
 * node, upstream's TemplateNodeInfo), how many new nodes would the pending pods need (upstream's
 * binpacking estimator), and which pending pods will fit where capacity already is or is coming
 * (upstream's filterOutSchedulable). Pure.
 */
import type { KubeObject } from '../../shared/api/types';
import { machineLabels } from '../../shared/cloudprovider/machines';
import { checkPredicates } from '../../shared/scheduling/framework/predicates';
import { NodeInfo } from '../../shared/scheduling/framework/node-info';
import type { Lister, ProfilePlugin } from '../../shared/scheduling/framework/plugin';
import { isSuccess, type Status } from '../../shared/scheduling/framework/status';
import type { NodeGroup } from './settings';

/** The Node a new machine of `group` would register as, named `name`. */
export function templateNode(group: NodeGroup, name = `template-node-for-${group.name}`): KubeObject {
  const { shape } = group;
  const capacity = { cpu: shape.cpu, memory: shape.memory, pods: shape.pods, 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': shape.instanceType,
        'kubeq.io/node-pool': group.name,
        ...machineLabels(group.name, shape),
      },
    },
    spec: shape.taints.length ? { taints: shape.taints.map((t) => ({ ...t })) } : {},
    status: { capacity, allocatable: { ...capacity }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** Copies of the NodeInfos (the same node objects, pod lists of their own), for a simulation to add pods to. */
export function cloneNodeInfos(infos: readonly NodeInfo[]): NodeInfo[] {
  return infos.map((info) => new NodeInfo(info.node, [...info.pods]));
}

export interface Simulation {
  profile: readonly ProfilePlugin[];
  lister?: Lister;
}

/** The first of `nodes` the pod passes every filter on (all of `nodes` as the cluster), or undefined. */
export function findPlace(pod: KubeObject, nodes: readonly NodeInfo[], sim: Simulation, skip?: (info: NodeInfo) => boolean): NodeInfo | undefined {
  return nodes.find((node) => !skip?.(node) && isSuccess(checkPredicates(pod, node, nodes, sim.profile, sim.lister)));
}

/**
 * Places `pending` in order on `nodes` (existing and upcoming ones), each where it first fits,
 * counting it there for the pods after it. Returns the pods that found no place.
 */
export function filterOutSchedulable(pending: readonly KubeObject[], nodes: readonly NodeInfo[], sim: Simulation): { unschedulable: KubeObject[]; placed: Map<KubeObject, string> } {
  const snapshot = cloneNodeInfos(nodes);
  const placed = new Map<KubeObject, string>();
  const unschedulable: KubeObject[] = [];
  for (const pod of pending) {
    const place = findPlace(pod, snapshot, sim);
    if (place) {
      place.addPod({ ...pod, spec: { ...pod.spec, nodeName: place.name } });
      placed.set(pod, place.name);
    } else unschedulable.push(pod);
  }
  return { unschedulable, placed };
}

export interface Estimate {
  /** New nodes the pods need (at most `limit`). */
  nodeCount: number;
  /** The pods those nodes would hold. */
  pods: KubeObject[];
  /** Pods that fit a template node but not within `limit` new nodes. */
  leftOver: KubeObject[];
}

/**
 * Upstream's binpacking estimator: each pod goes on the first new node it fits beside the pods
 * already put there, else on one more new node while fewer than `limit`; `existing` is the rest
 * of the cluster (what PreFilter plugins see).
 */
export function estimate(pods: readonly KubeObject[], group: NodeGroup, limit: number, existing: readonly NodeInfo[], sim: Simulation): Estimate {
  const fresh: NodeInfo[] = [];
  const out: Estimate = { nodeCount: 0, pods: [], leftOver: [] };
  for (const pod of pods) {
    const all = [...existing, ...fresh];
    let place = fresh.find((node) => isSuccess(checkPredicates(pod, node, all, sim.profile, sim.lister)));
    if (!place && fresh.length < limit) {
      const node = new NodeInfo(templateNode(group, `template-node-for-${group.name}-${fresh.length}`));
      if (isSuccess(checkPredicates(pod, node, [...all, node], sim.profile, sim.lister))) {
        fresh.push(node);
        place = node;
      }
    }
    if (place) {
      place.addPod({ ...pod, spec: { ...pod.spec, nodeName: place.name } });
      out.pods.push(pod);
    } else out.leftOver.push(pod);
  }
  out.nodeCount = fresh.length;
  return out;
}

/** Whether a pod fits an empty node of the group; the rejecting status when not. */
export function fitsTemplate(pod: KubeObject, group: NodeGroup, existing: readonly NodeInfo[], sim: Simulation): Status {
  const node = new NodeInfo(templateNode(group));
  return checkPredicates(pod, node, [...existing, node], sim.profile, sim.lister);
}
