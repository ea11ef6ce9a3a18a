import { machineNode } from './cloud';
import { nodeObject } from './nodes';
import { loadKubeletSettings } from './settings';

test("a cloud machine's Node: its group's shape, labels, zone and taints, an address from its index", () => {
  const base = loadKubeletSettings({ KUBEQ_NODE_PREFIX: 'node' });
  const machine = {
    name: 'ssd-3',
    group: 'ssd',
    index: 4099,
    requestedAt: 0,
    readyAt: 1000,
    shape: { cpu: '8', memory: '32Gi', pods: '58', labels: { disktype: 'ssd' }, taints: [{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' as const }], zone: 'zone-b', instanceType: 'm5.2xlarge' },
  };
  const { node, settings } = machineNode(machine, base);
  expect(node).toEqual({ index: 4099, name: 'ssd-3', hostIP: '172.20.48.13', fallbackCIDR: '10.244.3.0/24' });
  const obj = nodeObject(node, settings, '2026-01-01T00:00:00Z');
  expect(obj.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'ssd-3', 'kubeq.io/node-pool': 'ssd', 'kubeq.io/node-group': 'ssd', 'topology.kubernetes.io/zone': 'zone-b', disktype: 'ssd', 'node.kubernetes.io/instance-type': 'm5.2xlarge' });
  expect(obj.spec).toEqual({ taints: [{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' }] });
  expect(obj.status.capacity).toMatchObject({ cpu: '8', memory: '32Gi', pods: '58' });
});
