/**
 * The autoscaler's writes: growing a group (machines in the cloud, events), and removing a
 * node (upstream's actuator: taint it `ToBeDeletedByClusterAutoscaler`, evict its pods through
 * the eviction path that honours PodDisruptionBudgets, and — once its pods are gone — delete its
 * machine). Events carry upstream's reasons and wording.
 */
import { isStatusError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import type { Machines } from '../../shared/cloudprovider/machines';
import type { EventRecorder } from '../../shared/events/recorder';
import { evictPod } from '../../shared/policy/eviction';
import type { Store } from '../../shared/store/store';
import { formatUtilization, TO_BE_DELETED_TAINT, type Unneeded } from './scaledown';
import { scaleUpInfo, type ScaleUpPlan } from './scaleup';

export interface ActuationDeps {
  store: Store;
  clock: Clock;
  machines: Machines;
  recorder: EventRecorder;
}

/** Asks the cloud for the new machines, then records ScaledUpGroup (on the status ConfigMap) and TriggeredScaleUp (on each pod). */
export async function executeScaleUp(plan: ScaleUpPlan, statusConfigMap: KubeObject | undefined, deps: ActuationDeps): Promise<string[]> {
  const up = plan.scaleUp!;
  const now = deps.clock.now().getTime();
  const names: string[] = [];
  for (let i = up.from; i < up.to; i++) {
    names.push((await deps.machines.add(up.group.name, up.group.shape, now, now + deps.clock.scaled(up.group.provisioningDelayMs))).name);
  }
  if (statusConfigMap) await deps.recorder.event(statusConfigMap, 'Normal', 'ScaledUpGroup', `Scale-up: setting group ${up.group.name} size to ${up.to} instead of ${up.from} (max: ${up.group.max})`);
  for (const pod of plan.triggered) await deps.recorder.event(pod, 'Normal', 'TriggeredScaleUp', `pod triggered scale-up: [${scaleUpInfo(up)}]`);
  return names;
}

async function setTaint(store: Store, name: string, on: boolean, now: Date): Promise<KubeObject> {
  return store.guaranteedUpdate('nodes', undefined, name, (node) => {
    const taints: any[] = node.spec?.taints ?? [];
    const has = taints.some((t) => t.key === TO_BE_DELETED_TAINT);
    if (has === on) return undefined;
    const next = on ? [...taints, { key: TO_BE_DELETED_TAINT, value: String(Math.floor(now.getTime() / 1000)), effect: 'NoSchedule' }] : taints.filter((t) => t.key !== TO_BE_DELETED_TAINT);
    return { ...node, spec: { ...node.spec, taints: next } };
  });
}

/**
 * Starts removing a node: taint, events, evictions. False when an eviction was refused (its
 * budget changed since the simulation): the taint comes off and ScaleDownFailed is recorded.
 */
export async function startNodeRemoval(target: Unneeded, statusConfigMap: KubeObject | undefined, deps: ActuationDeps): Promise<boolean> {
  const now = deps.clock.now();
  const node = await setTaint(deps.store, target.node, true, now);
  await deps.recorder.event(node, 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable');
  if (statusConfigMap) {
    if (target.pods.length === 0) await deps.recorder.event(statusConfigMap, 'Normal', 'ScaleDownEmpty', `Scale-down: removing empty node "${target.node}"`);
    else {
      const names = target.pods.map(({ pod }) => `${pod.metadata.namespace}/${pod.metadata.name}`).join(',');
      await deps.recorder.event(statusConfigMap, 'Normal', 'ScaleDown', `Scale-down: removing node ${target.node}, utilization: ${formatUtilization(target.utilization)}, pods to reschedule: ${names}`);
    }
  }
  for (const { pod } of target.pods) {
    await deps.recorder.event(pod, 'Normal', 'ScaleDown', 'deleting pod for node scale down');
    try {
      await evictPod(deps.store, pod.metadata.namespace!, pod.metadata.name!, { now });
    } catch (err) {
      if (isStatusError(err, 404)) continue;
      const failed = await setTaint(deps.store, target.node, false, now);
      await deps.recorder.event(failed, 'Warning', 'ScaleDownFailed', `failed to drain the node, aborting ScaleDown: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
  return true;
}

/** Ends a removal: the machine goes (its kubelet then deletes the Node). */
export async function finishNodeRemoval(name: string, deps: ActuationDeps, node: KubeObject | undefined): Promise<void> {
  await deps.machines.remove(name);
  if (node) await deps.recorder.event(node, 'Normal', 'ScaleDown', 'nodes removed by cluster autoscaler');
}
