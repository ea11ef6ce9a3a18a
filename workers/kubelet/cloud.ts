/**
 * The cloud's machines on the kubelet side (shared/cloudprovider): a machine the cluster
 * autoscaler asked for becomes a simulated node of this process once it is up and claimed; a
 * machine that is gone stops being simulated and its Node is deleted (its Lease goes with it,
 * through the garbage collector). Pure except `syncMachines`, which does the Redis and store I/O.
 */
import { machineLabels, type Machine, type Machines } from '../../shared/cloudprovider/machines';
import { isStatusError } from '../../shared/api/status';
import type { Store } from '../../shared/store/store';
import { internalIP, type SimNode } from './nodes';
import type { KubeletSettings } from './settings';

/** The node a machine runs as, with the settings its Node registers with. */
export function machineNode(machine: Machine, base: KubeletSettings): { node: SimNode; settings: KubeletSettings } {
  const { shape } = machine;
  return {
    node: { index: machine.index, name: machine.name, hostIP: internalIP(machine.index), fallbackCIDR: `10.244.${machine.index % 256}.0/24` },
    settings: {
      ...base,
      cpu: shape.cpu,
      memory: shape.memory,
      pods: shape.pods,
      pool: machine.group,
      instanceType: shape.instanceType,
      taints: shape.taints.map((t) => ({ ...t })),
      labels: machineLabels(machine.group, shape),
    },
  };
}

export interface CloudNodes {
  /** This process's simulated nodes, static and cloud: what run.ts reconciles. */
  nodes: Map<string, SimNode>;
  /** Per cloud node, the settings it registers with. */
  settings: Map<string, KubeletSettings>;
}

/**
 * One pass: claims and adopts machines that are up (returning their names, to start their
 * lease and metrics loops), and drops the cloud nodes whose machine is gone (deleting their Node).
 */
export async function syncMachines(machines: Machines, instance: string, now: number, base: KubeletSettings, own: CloudNodes, store: Store): Promise<string[]> {
  const all = await machines.list();
  const wanted = new Map(all.map((m) => [m.name, m]));
  for (const name of [...own.settings.keys()]) {
    if (wanted.has(name)) continue;
    own.nodes.delete(name);
    own.settings.delete(name);
    await machines.release(name);
    try {
      await store.delete('nodes', undefined, name);
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
  }
  const adopted: string[] = [];
  for (const machine of all) {
    if (own.nodes.has(machine.name) || machine.readyAt > now) continue;
    if (!(await machines.claim(machine.name, instance))) continue;
    const { node, settings } = machineNode(machine, base);
    own.nodes.set(node.name, node);
    own.settings.set(node.name, settings);
    adopted.push(node.name);
  }
  return adopted;
}
