/**
 * The scale-down decision (upstream's planner and removal simulator), pure: which nodes of the
 * node groups are unneeded now — under the utilization threshold, every pod movable (backed by
 * a controller, its PodDisruptionBudget allowing the disruption) and placeable on the other
 * nodes by the scheduler's filters — and, for the others, why not (upstream's
 * UnremovableReason names).
 */
import type { KubeObject } from '../../shared/api/types';
import { nodeTaints } from '../../shared/api/taints';
import { isPodReady, pdbsForPod, type PdbStatus } from '../../shared/policy/disruption';
import { NodeInfo } from '../../shared/scheduling/framework/node-info';
import { CPU, MEMORY } from '../../shared/scheduling/framework/resources';
import { cloneNodeInfos, findPlace, type Simulation } from './simulator';

/** Upstream's taint on a node it is removing. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

/** Upstream's UtilizationInfo: the larger of cpu and memory requests over allocatable. */
export interface Utilization {
  cpu: number;
  memory: number;
  resourceName: 'cpu' | 'memory';
  utilization: number;
}

export function utilization(info: NodeInfo): Utilization {
  const ratio = (name: string) => ((info.allocatable[name] ?? 0) > 0 ? (info.requested[name] ?? 0) / info.allocatable[name] : 0);
  const cpu = ratio(CPU);
  const memory = ratio(MEMORY);
  return cpu >= memory ? { cpu, memory, resourceName: 'cpu', utilization: cpu } : { cpu, memory, resourceName: 'memory', utilization: memory };
}

/** As Go's %v prints upstream's UtilizationInfo{CpuUtil, MemUtil, GpuUtil, ResourceName, Utilization}. */
export function formatUtilization(u: Utilization): string {
  return `{${u.cpu} ${u.memory} 0 ${u.resourceName} ${u.utilization}}`;
}

export type UnremovableReason = 'ScaleDownDisabledAnnotation' | 'NotUnderutilized' | 'NotReady' | 'BeingDeleted' | 'NodeGroupMinSizeReached' | 'NotReplicated' | 'NotEnoughPdb' | 'NoPlaceToMovePods';

export interface Unneeded {
  node: string;
  group: string;
  utilization: Utilization;
  /** The pods to evict, each with the node the simulation put it on. */
  pods: { pod: KubeObject; destination: string }[];
}

export interface ScaleDownCandidates {
  unneeded: Unneeded[];
  unremovable: { node: string; reason: UnremovableReason; detail?: string; utilization?: number }[];
}

export interface ScaleDownInput {
  /** Every node's NodeInfo (the destinations come from these). */
  nodes: readonly NodeInfo[];
  /** Node name → its group, for the nodes the autoscaler may remove. */
  groupOf: (node: string) => string | undefined;
  /** Group → how many of its nodes may still go before it is at its minimum size. */
  removableCount: Map<string, number>;
  threshold: number;
  /** The PodDisruptionBudgets with their current status. */
  pdbs: { pdb: KubeObject; status: PdbStatus }[];
  sim: Simulation;
}

export const isReady = (node: KubeObject) => (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
export const beingDeleted = (node: KubeObject) => nodeTaints(node).some((t) => t.key === TO_BE_DELETED_TAINT);
const SCALE_DOWN_DISABLED = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';

/**
 * Candidates in increasing utilization; each removable one's pods are placed on the remaining
 * nodes (and counted there), and its PDB disruptions spent, before the next is considered.
 */
export function findUnneeded(input: ScaleDownInput): ScaleDownCandidates {
  const out: ScaleDownCandidates = { unneeded: [], unremovable: [] };
  const snapshot = cloneNodeInfos(input.nodes.filter((n) => isReady(n.node) && !beingDeleted(n.node)));
  const removed = new Set<string>();
  const budget = new Map(input.pdbs.map(({ pdb, status }) => [pdb, status.disruptionsAllowed]));
  const left = new Map(input.removableCount);
  const candidates = input.nodes.filter((n) => input.groupOf(n.name) !== undefined).map((n) => ({ info: n, u: utilization(n) }));
  candidates.sort((a, b) => a.u.utilization - b.u.utilization);
  for (const { info, u } of candidates) {
    const node = info.node;
    const group = input.groupOf(info.name)!;
    const no = (reason: UnremovableReason, detail?: string) => out.unremovable.push({ node: info.name, reason, utilization: u.utilization, ...(detail ? { detail } : {}) });
    if (node.metadata.annotations?.[SCALE_DOWN_DISABLED] === 'true') { no('ScaleDownDisabledAnnotation'); continue; }
    if (beingDeleted(node)) { no('BeingDeleted'); continue; }
    if (!isReady(node)) { no('NotReady'); continue; }
    if (u.utilization >= input.threshold) { no('NotUnderutilized'); continue; }
    if ((left.get(group) ?? 0) <= 0) { no('NodeGroupMinSizeReached'); continue; }
    const pods = info.pods.filter((p) => !p.metadata.deletionTimestamp);
    const bare = pods.find((p) => !(p.metadata.ownerReferences ?? []).some((o: any) => o.controller));
    if (bare) { no('NotReplicated', `${bare.metadata.namespace}/${bare.metadata.name}`); continue; }
    const spend = new Map<KubeObject, number>();
    const blocked = pods.find((p) => {
      if (!isPodReady(p)) return false;
      return pdbsForPod(p, input.pdbs.map((x) => x.pdb)).some((pdb) => {
        const used = (spend.get(pdb) ?? 0) + 1;
        spend.set(pdb, used);
        return used > (budget.get(pdb) ?? 0);
      });
    });
    if (blocked) { no('NotEnoughPdb', `not enough pod disruption budget to move ${blocked.metadata.namespace}/${blocked.metadata.name}`); continue; }
    const trial = cloneNodeInfos(snapshot);
    const destinations = trial.filter((n) => n.name !== info.name && !removed.has(n.name));
    const moves: Unneeded['pods'] = [];
    let stuck: KubeObject | undefined;
    for (const pod of pods) {
      const moved = { ...pod, spec: { ...pod.spec, nodeName: undefined } };
      const place = findPlace(moved, destinations, input.sim);
      if (!place) { stuck = pod; break; }
      place.addPod({ ...pod, spec: { ...pod.spec, nodeName: place.name } });
      moves.push({ pod, destination: place.name });
    }
    if (stuck) { no('NoPlaceToMovePods', `can reschedule only ${moves.length} out of ${pods.length} pods`); continue; }
    snapshot.splice(0, snapshot.length, ...trial);
    removed.add(info.name);
    for (const [pdb, used] of spend) budget.set(pdb, (budget.get(pdb) ?? 0) - used);
    left.set(group, (left.get(group) ?? 0) - 1);
    out.unneeded.push({ node: info.name, group, utilization: u, pods: moves });
  }
  return out;
}
